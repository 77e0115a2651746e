"""The lifecycle of a progress report: draft → submitted → accepted, or returned and resubmitted."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.core.workflows import Transition, Workflow
from qalxan.strategy.choices import ReportState


def _needs_comment(obj: Any, ctx: dict[str, Any]) -> Any:
    return None if (ctx.get("comment") or "").strip() else _("Say why the report is returned.")


def _needs_narrative(obj: Any, ctx: dict[str, Any]) -> Any:
    return None if (obj.narrative or "").strip() else _("Describe the progress before submitting.")


def _group_reviewer(obj: Any, actor: Any) -> bool:
    from qalxan.strategy.queries import reviews_as_group_member

    return reviews_as_group_member(obj, actor)


def _mark_submitted(obj: Any, actor: Any, ctx: dict[str, Any]) -> None:
    obj.submitted_at = timezone.now()
    obj.submitted_by = actor
    obj.save(update_fields=["submitted_at", "submitted_by"])


def _mark_reviewed(obj: Any, actor: Any, ctx: dict[str, Any]) -> None:
    obj.reviewed_at = timezone.now()
    obj.reviewed_by = actor
    obj.review_comment = (ctx.get("comment") or "").strip()
    obj.save(update_fields=["reviewed_at", "reviewed_by", "review_comment"])


def _apply_to_action(obj: Any, actor: Any, ctx: dict[str, Any]) -> None:
    from qalxan.strategy import services

    services.apply_accepted_report(report=obj)


progress_report = Workflow(
    "progress_report",
    "state",
    [
        Transition(
            "submit",
            source=(ReportState.DRAFT, ReportState.RETURNED),
            target=ReportState.SUBMITTED,
            permission="strategy.submit_progressreport",
            label=_("Submit"),
            guards=(_needs_narrative,),
            effects=(_mark_submitted,),
        ),
        Transition(
            "accept",
            source=(ReportState.SUBMITTED,),
            target=ReportState.ACCEPTED,
            permission="strategy.review_progressreport",
            also_allowed=_group_reviewer,
            label=_("Accept"),
            effects=(_mark_reviewed, _apply_to_action),
        ),
        Transition(
            "return",
            source=(ReportState.SUBMITTED,),
            target=ReportState.RETURNED,
            permission="strategy.review_progressreport",
            also_allowed=_group_reviewer,
            label=_("Return"),
            guards=(_needs_comment,),
            effects=(_mark_reviewed,),
        ),
    ],
)
