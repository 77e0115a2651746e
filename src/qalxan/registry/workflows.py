"""The designation lifecycle of a registered system, declared once (see docs/registry.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core.workflows import Transition, Workflow
from qalxan.organizations.choices import OrganizationKind
from qalxan.registry.choices import CiiCategory, DesignationState, SupervisingAgency

S = DesignationState
SUPERVISE = "registry.supervise_informationsystem"

# Kinds of organisation that are state bodies: their CII is supervised jointly by DTX and XRİTDX.
STATE_BODY_KINDS = frozenset(
    {
        OrganizationKind.AUTHORITY,
        OrganizationKind.SUPERVISING_AGENCY,
        OrganizationKind.MINISTRY,
        OrganizationKind.STATE_AGENCY,
        OrganizationKind.SUBORDINATE_BODY,
        OrganizationKind.LOCAL_AUTHORITY,
    }
)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def expected_agency(system: Any) -> str:
    return SupervisingAgency.DTX_XRITDX if system.owner.kind in STATE_BODY_KINDS else SupervisingAgency.DTX


def _decision_given(system: Any, ctx: dict[str, Any]) -> str | None:
    if not ctx.get("decision_reference"):
        return _("Give the reference of the decision.")
    if not isinstance(ctx.get("decision_date"), dt.date):
        return _("Give the date of the decision.")
    if ctx["decision_date"] > timezone.localdate():
        return _("The decision date cannot be in the future.")
    return None


def _designation_complete(system: Any, ctx: dict[str, Any]) -> str | None:
    if ctx.get("category") not in CiiCategory.values:
        return _("Choose the CII category (I, II or III).")
    agency = ctx.get("supervising_agency")
    if agency not in SupervisingAgency.values:
        return _("Choose the supervising agency.")
    if agency != expected_agency(system):
        if agency == SupervisingAgency.DTX:
            return _("The owner is a state body: its CII is supervised jointly by DTX and XRİTDX.")
        return _(
            "Joint supervision with XRİTDX applies to state bodies only; choose the State Security Service."
        )
    if not system.assessments.exists():
        return _("Assess the object's criticality before designating it.")
    return None


def _reason_given(system: Any, ctx: dict[str, Any]) -> str | None:
    return None if str(ctx.get("reason", "")).strip() else _("Give the reason for delisting.")


def _review_date_passed(system: Any, ctx: dict[str, Any]) -> str | None:
    if ctx.get("scheduled") and system.review_due_date and system.review_due_date > timezone.localdate():
        return _("The review date has not come yet.")
    return None


def _set_designation(system: Any, actor: Any, ctx: dict[str, Any]) -> None:
    system.category = ctx["category"]
    system.supervising_agency = ctx["supervising_agency"]
    system.decision_reference = ctx["decision_reference"]
    system.decision_date = ctx["decision_date"]
    system.designated_at = ctx["decision_date"]
    system.review_due_date = add_months(ctx["decision_date"], settings.REGISTRY_REVIEW_MONTHS)
    system.special_requirements_due = ctx["decision_date"] + dt.timedelta(
        days=settings.REGISTRY_SPECIAL_REQUIREMENTS_DAYS
    )


def _set_review(system: Any, actor: Any, ctx: dict[str, Any]) -> None:
    system.decision_reference = ctx["decision_reference"]
    system.decision_date = ctx["decision_date"]
    system.review_due_date = add_months(ctx["decision_date"], settings.REGISTRY_REVIEW_MONTHS)


def _set_delisting(system: Any, actor: Any, ctx: dict[str, Any]) -> None:
    system.delisting_reason = str(ctx["reason"]).strip()


designation = Workflow(
    "designation",
    "state",
    [
        Transition(
            "request_data",
            (S.IDENTIFIED,),
            S.DATA_REQUESTED,
            SUPERVISE,
            label=gettext_lazy("Request data from the subject"),
        ),
        Transition(
            "submit_data",
            (S.DATA_REQUESTED,),
            S.UNDER_ASSESSMENT,
            "registry.submit_data",
            label=gettext_lazy("Data supplied"),
        ),
        Transition(
            "start_assessment",
            (S.IDENTIFIED,),
            S.UNDER_ASSESSMENT,
            SUPERVISE,
            label=gettext_lazy("Start assessment"),
        ),
        Transition(
            "designate",
            (S.UNDER_ASSESSMENT,),
            S.DESIGNATED,
            SUPERVISE,
            label=gettext_lazy("Designate as CII"),
            guards=(_decision_given, _designation_complete),
            effects=(_set_designation,),
        ),
        Transition(
            "mark_review_due",
            (S.DESIGNATED,),
            S.REVIEW_DUE,
            SUPERVISE,
            label=gettext_lazy("Review due"),
            guards=(_review_date_passed,),
        ),
        Transition(
            "confirm_review",
            (S.REVIEW_DUE,),
            S.DESIGNATED,
            SUPERVISE,
            label=gettext_lazy("Confirm after review"),
            guards=(_decision_given,),
            effects=(_set_review,),
        ),
        Transition(
            "reassess", (S.REVIEW_DUE,), S.UNDER_ASSESSMENT, SUPERVISE, label=gettext_lazy("Reassess")
        ),
        Transition(
            "delist",
            (S.IDENTIFIED, S.DATA_REQUESTED, S.UNDER_ASSESSMENT, S.DESIGNATED, S.REVIEW_DUE),
            S.DELISTED,
            SUPERVISE,
            label=gettext_lazy("Delist"),
            guards=(_reason_given,),
            effects=(_set_delisting,),
        ),
    ],
)


def transition_to(system: Any, target: str) -> str | None:
    """The name of the step that leads from the system's state to `target`, if there is one."""
    for transition in designation.transitions:
        if transition.target == target and system.state in transition.source:
            return transition.name
    return None
