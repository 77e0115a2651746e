"""Declared lifecycles: campaign, assessment (answer → submit → review → return or lock), finding
(open → remediation submitted → verified) and the annual inspection plan (draft → sent)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.compliance.choices import (
    Answer,
    AssessmentState,
    CampaignState,
    FindingState,
    PlanState,
    Review,
)
from qalxan.core.workflows import Transition, Workflow

A = AssessmentState


def _all_answered(assessment: Any, ctx: dict[str, Any]) -> str | None:
    missing = assessment.items.filter(answer="").count()
    if missing:
        return _("%(n)d applicable requirements are not answered yet.") % {"n": missing}
    return None


def _campaign_active(assessment: Any, ctx: dict[str, Any]) -> str | None:
    if assessment.campaign.state != CampaignState.ACTIVE:
        return _("The campaign is closed.")
    return None


def _some_returned(assessment: Any, ctx: dict[str, Any]) -> str | None:
    if not assessment.items.filter(review=Review.RETURNED).exists():
        return _("Return at least one requirement with a comment first.")
    return None


def _all_accepted(assessment: Any, ctx: dict[str, Any]) -> str | None:
    open_items = assessment.items.exclude(review=Review.ACCEPTED).count()
    if open_items:
        return _("%(n)d requirements are not accepted yet.") % {"n": open_items}
    return None


def _set_submitted(assessment: Any, actor: Any, ctx: dict[str, Any]) -> None:
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = actor
    # A resubmission sends the returned requirements back for review.
    assessment.items.filter(review=Review.RETURNED).update(review=Review.PENDING)


def _set_locked(assessment: Any, actor: Any, ctx: dict[str, Any]) -> None:
    assessment.locked_at = timezone.now()
    assessment.reviewer = actor


def _set_reviewer(assessment: Any, actor: Any, ctx: dict[str, Any]) -> None:
    assessment.reviewer = actor


assessment_lifecycle = Workflow(
    "assessment",
    "state",
    [
        Transition(
            "submit",
            source=(A.OPEN, A.RETURNED),
            target=A.SUBMITTED,
            permission="compliance.submit_assessment",
            label=gettext_lazy("Submit"),
            guards=(_campaign_active, _all_answered),
            effects=(_set_submitted,),
        ),
        Transition(
            "return",
            source=(A.SUBMITTED,),
            target=A.RETURNED,
            permission="compliance.review_assessment",
            label=gettext_lazy("Return for correction"),
            guards=(_some_returned,),
            effects=(_set_reviewer,),
        ),
        Transition(
            "lock",
            source=(A.SUBMITTED,),
            target=A.LOCKED,
            permission="compliance.lock_assessment",
            label=gettext_lazy("Lock"),
            guards=(_all_accepted,),
            effects=(_set_locked,),
        ),
    ],
)

campaign_lifecycle = Workflow(
    "campaign",
    "state",
    [
        Transition(
            "close",
            source=(CampaignState.ACTIVE,),
            target=CampaignState.CLOSED,
            permission="compliance.close_campaign",
            label=gettext_lazy("Close the campaign"),
        ),
    ],
)


def _remediation_given(finding: Any, ctx: dict[str, Any]) -> str | None:
    return None if str(ctx.get("remediation") or "").strip() else _("Describe the remediation.")


def _comment_given(finding: Any, ctx: dict[str, Any]) -> str | None:
    return None if str(ctx.get("comment") or "").strip() else _("Give the reason.")


def _set_remediation(finding: Any, actor: Any, ctx: dict[str, Any]) -> None:
    finding.remediation = str(ctx["remediation"]).strip()
    finding.remediation_submitted_at = timezone.now()


def _set_verified(finding: Any, actor: Any, ctx: dict[str, Any]) -> None:
    finding.verified_at = timezone.now()
    finding.verification_comment = str(ctx.get("comment") or "").strip()


def _set_rejected(finding: Any, actor: Any, ctx: dict[str, Any]) -> None:
    finding.verification_comment = str(ctx.get("comment") or "").strip()


finding_lifecycle = Workflow(
    "finding",
    "state",
    [
        Transition(
            "submit_remediation",
            source=(FindingState.OPEN,),
            target=FindingState.REMEDIATION_SUBMITTED,
            permission="compliance.remediate_finding",
            label=gettext_lazy("Submit remediation"),
            guards=(_remediation_given,),
            effects=(_set_remediation,),
        ),
        Transition(
            "verify",
            source=(FindingState.REMEDIATION_SUBMITTED,),
            target=FindingState.CLOSED,
            permission="compliance.verify_finding",
            label=gettext_lazy("Verify and close"),
            effects=(_set_verified,),
        ),
        Transition(
            "reject_remediation",
            source=(FindingState.REMEDIATION_SUBMITTED,),
            target=FindingState.OPEN,
            permission="compliance.verify_finding",
            label=gettext_lazy("Reject the remediation"),
            guards=(_comment_given,),
            effects=(_set_rejected,),
        ),
    ],
)


def _has_inspections(plan: Any, ctx: dict[str, Any]) -> str | None:
    return None if plan.inspections.exists() else _("The plan lists no inspections.")


def _set_sent(plan: Any, actor: Any, ctx: dict[str, Any]) -> None:
    plan.sent_at = timezone.now()


plan_lifecycle = Workflow(
    "inspection_plan",
    "state",
    [
        Transition(
            "send",
            source=(PlanState.DRAFT,),
            target=PlanState.SENT,
            permission="compliance.send_inspectionplan",
            label=gettext_lazy("Send to the co-supervising agency"),
            guards=(_has_inspections,),
            effects=(_set_sent,),
        ),
    ],
)

ANSWER_VALUES = tuple(Answer.values)
