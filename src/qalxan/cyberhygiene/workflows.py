"""Declared lifecycles: a leak's ingestion and the follow-up of a compromised account."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core.workflows import Transition, Workflow
from qalxan.cyberhygiene.choices import ExposureState, LeakState, Measure

L = LeakState
E = ExposureState


def _started(leak: Any, actor: Any, ctx: dict[str, Any]) -> None:
    leak.started_at = timezone.now()


def _finished(leak: Any, actor: Any, ctx: dict[str, Any]) -> None:
    leak.finished_at = timezone.now()
    leak.error = str(ctx.get("error", ""))[:5000]


leak_ingestion = Workflow(
    "leak_ingestion",
    "state",
    [
        Transition(
            "start",
            (L.QUEUED,),
            L.RUNNING,
            "cyberhygiene.add_leak",
            gettext_lazy("Start"),
            effects=(_started,),
        ),
        Transition(
            "finish",
            (L.RUNNING,),
            L.DONE,
            "cyberhygiene.add_leak",
            gettext_lazy("Finish"),
            effects=(_finished,),
        ),
        Transition(
            "fail",
            (L.QUEUED, L.RUNNING),
            L.FAILED,
            "cyberhygiene.add_leak",
            gettext_lazy("Fail"),
            effects=(_finished,),
        ),
    ],
)


def _notified(exposure: Any, actor: Any, ctx: dict[str, Any]) -> None:
    exposure.notified_at = exposure.notified_at or timezone.now()


def _measures_given(exposure: Any, ctx: dict[str, Any]) -> str | None:
    done = ctx.get("measures_done") or []
    if not done:
        return _("Tick the measures that were taken.")
    unknown = set(done) - set(Measure.values)
    if unknown:
        return _("Unknown measure: %(m)s.") % {"m": ", ".join(sorted(unknown))}
    if Measure.RESET_PASSWORD in exposure.measures and Measure.RESET_PASSWORD not in done:
        return _("The password must be reset before the account can be confirmed.")
    return None


def _resolved(exposure: Any, actor: Any, ctx: dict[str, Any]) -> None:
    exposure.measures_done = sorted(set(ctx.get("measures_done") or []))
    exposure.response_note = str(ctx.get("note", ""))[:5000]
    exposure.resolved_at = timezone.now()
    exposure.resolved_by = actor if getattr(actor, "pk", None) else None


def _reason_given(exposure: Any, ctx: dict[str, Any]) -> str | None:
    return None if str(ctx.get("note") or "").strip() else _("Give the reason.")


def _dismissed(exposure: Any, actor: Any, ctx: dict[str, Any]) -> None:
    exposure.response_note = str(ctx.get("note", ""))[:5000]


def _reopened(exposure: Any, actor: Any, ctx: dict[str, Any]) -> None:
    exposure.resolved_at = None
    exposure.resolved_by = None
    exposure.measures_done = []


exposure_followup = Workflow(
    "exposure_followup",
    "state",
    [
        Transition(
            "notify",
            (E.OPEN,),
            E.NOTIFIED,
            "cyberhygiene.notify_exposure",
            gettext_lazy("Notify the institution"),
            effects=(_notified,),
        ),
        Transition(
            "confirm",
            (E.OPEN, E.NOTIFIED),
            E.RESOLVED,
            "cyberhygiene.confirm_exposure",
            gettext_lazy("Confirm the measures"),
            guards=(_measures_given,),
            effects=(_resolved,),
        ),
        Transition(
            "dismiss",
            (E.OPEN, E.NOTIFIED),
            E.DISMISSED,
            "cyberhygiene.dismiss_exposure",
            gettext_lazy("Dismiss"),
            guards=(_reason_given,),
            effects=(_dismissed,),
        ),
        Transition(
            "reopen",
            (E.RESOLVED, E.DISMISSED),
            E.NOTIFIED,
            "cyberhygiene.dismiss_exposure",
            gettext_lazy("Reopen"),
            guards=(_reason_given,),
            effects=(_reopened,),
        ),
    ],
)
