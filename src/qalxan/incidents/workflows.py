"""The incident lifecycle, declared once: reported → triaged → in progress → contained → resolved → closed,
with rejected and duplicate as side exits (and draft before reported, for e-mail intake)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core.workflows import Transition, Workflow
from qalxan.incidents.choices import IncidentState, MeasureState, Severity

S = IncidentState
CHANGE = "incidents.change_incident"
TRIAGE = "incidents.triage_incident"
HANDLE = "incidents.handle_incident"


def _seconds(start: dt.datetime | None, end: dt.datetime) -> int | None:
    return max(0, int((end - start).total_seconds())) if start else None


def _reason_given(incident: Any, ctx: dict[str, Any]) -> str | None:
    return None if str(ctx.get("reason") or "").strip() else _("Give the reason.")


def _severity_valid(incident: Any, ctx: dict[str, Any]) -> str | None:
    if ctx.get("severity") and ctx["severity"] not in Severity.values:
        return _("Choose a severity.")
    return None


def _original_given(incident: Any, ctx: dict[str, Any]) -> str | None:
    original = ctx.get("duplicate_of")
    if original is None:
        return _("Give the incident this one duplicates.")
    if original.pk == incident.pk:
        return _("An incident cannot duplicate itself.")
    if original.state in {S.DUPLICATE, S.REJECTED, S.DRAFT}:
        return _("The other incident is itself a duplicate, rejected or a draft.")
    return None


def _no_open_measures(incident: Any, ctx: dict[str, Any]) -> str | None:
    if incident.measures.exclude(state=MeasureState.VERIFIED).exists():
        return _("Some measures are not verified yet.")
    return None


def _set_reported(incident: Any, actor: Any, ctx: dict[str, Any]) -> None:
    from qalxan.incidents.services import apply_reporting_rules

    incident.reported_at = timezone.now()
    apply_reporting_rules(incident)


def _set_triaged(incident: Any, actor: Any, ctx: dict[str, Any]) -> None:
    from qalxan.incidents.services import policy_for, severity_floor

    now = timezone.now()
    incident.triaged_at = now
    incident.triage_seconds = _seconds(incident.reported_at, now)
    if ctx.get("severity"):
        floor, _reason = severity_floor(incident)
        incident.severity = ctx["severity"]
        if floor is not None:
            from qalxan.incidents.choices import SEVERITY_RANK

            if SEVERITY_RANK[Severity(floor)] > SEVERITY_RANK[Severity(incident.severity)]:
                incident.severity = floor
    if ctx.get("assignee") is not None:
        incident.assignee = ctx["assignee"]
    elif incident.assignee_id is None and actor is not None:
        incident.assignee = actor
    policy = policy_for(incident.severity)
    if policy is not None:
        incident.resolve_due = (incident.reported_at or now) + dt.timedelta(hours=policy.resolve_hours)


def _set_decision(incident: Any, actor: Any, ctx: dict[str, Any]) -> None:
    incident.decision_reason = str(ctx.get("reason") or "").strip()
    if incident.triaged_at is None:
        now = timezone.now()
        incident.triaged_at = now
        incident.triage_seconds = _seconds(incident.reported_at, now)
    if ctx.get("duplicate_of") is not None:
        incident.duplicate_of = ctx["duplicate_of"]


def _set_resolved(incident: Any, actor: Any, ctx: dict[str, Any]) -> None:
    now = timezone.now()
    incident.resolved_at = now
    incident.resolve_seconds = _seconds(incident.reported_at, now)


def _set_reopened(incident: Any, actor: Any, ctx: dict[str, Any]) -> None:
    incident.resolved_at = None
    incident.resolve_seconds = None


def _set_closed(incident: Any, actor: Any, ctx: dict[str, Any]) -> None:
    incident.closed_at = timezone.now()


incident_lifecycle = Workflow(
    "incident",
    "state",
    [
        Transition(
            "submit",
            (S.DRAFT,),
            S.REPORTED,
            CHANGE,
            label=gettext_lazy("Submit the report"),
            effects=(_set_reported,),
        ),
        Transition(
            "accept",
            (S.REPORTED,),
            S.TRIAGED,
            TRIAGE,
            label=gettext_lazy("Accept"),
            guards=(_severity_valid,),
            effects=(_set_triaged,),
        ),
        Transition(
            "reject",
            (S.REPORTED,),
            S.REJECTED,
            TRIAGE,
            label=gettext_lazy("Reject"),
            guards=(_reason_given,),
            effects=(_set_decision,),
        ),
        Transition(
            "mark_duplicate",
            (S.REPORTED, S.TRIAGED),
            S.DUPLICATE,
            TRIAGE,
            label=gettext_lazy("Mark as duplicate"),
            guards=(_original_given,),
            effects=(_set_decision,),
        ),
        Transition(
            "merge",
            (S.REPORTED, S.TRIAGED, S.IN_PROGRESS),
            S.DUPLICATE,
            TRIAGE,
            label=gettext_lazy("Merge into another incident"),
            guards=(_original_given,),
            effects=(_set_decision,),
        ),
        Transition("start", (S.TRIAGED,), S.IN_PROGRESS, HANDLE, label=gettext_lazy("Start handling")),
        Transition("contain", (S.IN_PROGRESS,), S.CONTAINED, HANDLE, label=gettext_lazy("Contained")),
        Transition(
            "resolve",
            (S.IN_PROGRESS, S.CONTAINED),
            S.RESOLVED,
            HANDLE,
            label=gettext_lazy("Resolved"),
            effects=(_set_resolved,),
        ),
        Transition(
            "reopen",
            (S.RESOLVED,),
            S.IN_PROGRESS,
            HANDLE,
            label=gettext_lazy("Reopen"),
            effects=(_set_reopened,),
        ),
        Transition(
            "close",
            (S.RESOLVED,),
            S.CLOSED,
            HANDLE,
            label=gettext_lazy("Close"),
            guards=(_no_open_measures,),
            effects=(_set_closed,),
        ),
    ],
)

STEPS = tuple(t.name for t in incident_lifecycle.transitions)
