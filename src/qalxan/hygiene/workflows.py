"""Triage of a vulnerability finding (the VEX statuses)."""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from qalxan.core.workflows import Transition, Workflow
from qalxan.hygiene.choices import TriageState

ALL = tuple(TriageState.values)
TRIAGE = "hygiene.triage_finding"


def _needs_justification(obj: Any, ctx: dict[str, Any]) -> str | Promise | None:
    return None if ctx.get("justification") else _("Say why the endpoint is not affected.")


def _set_justification(obj: object, actor: object, ctx: dict[str, object]) -> None:
    obj.justification = str(ctx.get("justification") or "")  # type: ignore[attr-defined]  # a Finding
    obj.note = str(ctx.get("note") or "")  # type: ignore[attr-defined]


def _clear_justification(obj: object, actor: object, ctx: dict[str, object]) -> None:
    obj.justification = ""  # type: ignore[attr-defined]  # a Finding
    obj.note = str(ctx.get("note") or "")  # type: ignore[attr-defined]


finding_triage = Workflow(
    "finding_triage",
    "state",
    [
        Transition(
            "confirm",
            source=(TriageState.UNDER_INVESTIGATION, TriageState.NOT_AFFECTED, TriageState.FIXED),
            target=TriageState.AFFECTED,
            permission=TRIAGE,
            label=_("Affected"),
            effects=(_clear_justification,),
        ),
        Transition(
            "dismiss",
            source=(TriageState.UNDER_INVESTIGATION, TriageState.AFFECTED),
            target=TriageState.NOT_AFFECTED,
            permission=TRIAGE,
            label=_("Not affected"),
            guards=(_needs_justification,),
            effects=(_set_justification,),
        ),
        Transition(
            "resolve",
            source=(TriageState.UNDER_INVESTIGATION, TriageState.AFFECTED),
            target=TriageState.FIXED,
            permission=TRIAGE,
            label=_("Fixed"),
            effects=(_clear_justification,),
        ),
        Transition(
            "reopen",
            source=(TriageState.AFFECTED, TriageState.NOT_AFFECTED, TriageState.FIXED),
            target=TriageState.UNDER_INVESTIGATION,
            permission=TRIAGE,
            label=_("Under investigation"),
            effects=(_clear_justification,),
        ),
    ],
)
