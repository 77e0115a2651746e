"""The lifecycle of a campaign: a candidate found by correlation, confirmed (or dismissed) by an analyst."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.core.workflows import Transition, Workflow
from qalxan.intel.choices import CampaignState as S

PERMISSION = "intel.confirm_campaign"


def _named(obj: Any, ctx: dict[str, Any]) -> Any:
    return None if (ctx.get("name") or obj.name or "").strip() else _("A confirmed campaign needs a name.")


def _confirmed(obj: Any, actor: Any, ctx: dict[str, Any]) -> None:
    obj.confirmed_at = timezone.now()
    obj.confirmed_by = actor if getattr(actor, "pk", None) else None


campaign = Workflow(
    "campaign",
    "state",
    [
        Transition(
            "confirm",
            (S.CANDIDATE,),
            S.CONFIRMED,
            PERMISSION,
            _("Confirm"),
            guards=(_named,),
            effects=(_confirmed,),
        ),
        Transition("dismiss", (S.CANDIDATE,), S.DISMISSED, PERMISSION, _("Dismiss")),
        Transition("close", (S.CONFIRMED,), S.CLOSED, PERMISSION, _("Close")),
        Transition("reopen", (S.DISMISSED, S.CLOSED), S.CANDIDATE, PERMISSION, _("Reopen")),
    ],
)
