"""Shared reads of the commission app, for its pages, its API and other apps (strategy indicators)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.utils import timezone

from qalxan.commission.choices import (
    PENDING_TASK_STATES,
    PUBLIC_DECISION_STATES,
    DecisionStatus,
    TaskStatus,
)
from qalxan.commission.models import Decision, Letter, Meeting, Proposal, Task
from qalxan.core.tenancy import has_permission, restrict


def visible_meetings(user: Any, queryset: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """Meetings the person may read: all for the secretariat, those their body is invited to for members."""
    return restrict(
        queryset if queryset is not None else Meeting.objects.all(), user, "commission.view_meeting"
    )


def visible_decisions(user: Any, queryset: QuerySet[Decision] | None = None) -> QuerySet[Decision]:
    """Drafts for whoever reads the meeting; published decisions for every signed-in institution user."""
    qs = queryset if queryset is not None else Decision.objects.all()
    drafts = restrict(qs, user, "commission.view_decision")
    if not has_permission(user, "commission.view_published_decision"):
        return drafts
    if drafts.query.is_empty():
        return qs.filter(status__in=PUBLIC_DECISION_STATES)
    return qs.filter(Q(pk__in=drafts.values("pk")) | Q(status__in=PUBLIC_DECISION_STATES))


def visible_proposals(user: Any, queryset: QuerySet[Proposal] | None = None) -> QuerySet[Proposal]:
    return restrict(
        queryset if queryset is not None else Proposal.objects.all(), user, "commission.view_proposal"
    )


def visible_tasks(user: Any, queryset: QuerySet[Task] | None = None) -> QuerySet[Task]:
    """Tasks of the person's institutions, as responsible or co-executor (all for the secretariat)."""
    return restrict(queryset if queryset is not None else Task.objects.all(), user, "commission.view_task")


def visible_letters(user: Any, queryset: QuerySet[Letter] | None = None) -> QuerySet[Letter]:
    return restrict(
        queryset if queryset is not None else Letter.objects.all(), user, "commission.view_letter"
    )


def overdue_tasks(user: Any | None = None, *, today: dt.date | None = None) -> QuerySet[Task]:
    """Tasks not executed by their deadline (of a published decision)."""
    today = today or timezone.localdate()
    qs = Task.objects.select_related("responsible", "decision").filter(
        status__in=PENDING_TASK_STATES, deadline__lt=today
    )
    return visible_tasks(user, qs) if user is not None else qs


def overdue_tasks_by_institution(
    user: Any | None = None, *, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """[{organization_id, short_name, count}], most overdue first."""
    rows = (
        overdue_tasks(user, today=today)
        .values("responsible_id", "responsible__short_name")
        .annotate(count=Count("id"))
        .order_by("-count", "responsible__short_name")
    )
    return [
        {
            "organization_id": r["responsible_id"],
            "short_name": r["responsible__short_name"],
            "count": r["count"],
        }
        for r in rows
    ]


def decisions_due(*, at: dt.date, since: dt.date | None = None) -> QuerySet[Decision]:
    """Adopted decisions with tasks, all of whose deadlines have passed by `at` (since `since`, if given)."""
    qs = (
        Decision.objects.filter(status__in=(DecisionStatus.ADOPTED, *PUBLIC_DECISION_STATES))
        .annotate(
            last_deadline=Max("tasks__deadline", filter=~Q(tasks__status=TaskStatus.CANCELLED)),
            live_tasks=Count("tasks", filter=~Q(tasks__status=TaskStatus.CANCELLED)),
        )
        .filter(live_tasks__gt=0, last_deadline__lte=at)
    )
    if since is not None:
        qs = qs.filter(last_deadline__gte=since)
    return qs


def decisions_executed_on_time(*, at: dt.date | None = None, since: dt.date | None = None) -> Decimal | None:
    """The share (%) of due decisions whose every task was executed by its deadline.

    A decision is due at `at` when the last deadline of its tasks (cancelled tasks aside) has passed;
    it counts as executed on time when each of those tasks was accepted with an execution date on or
    before its own deadline. None when no decision is due.
    """
    at = at or timezone.localdate()
    due = decisions_due(at=at, since=since)
    total = due.count()
    if not total:
        return None
    late_or_open = (
        Task.objects.filter(decision__in=due.values("pk"))
        .exclude(status=TaskStatus.CANCELLED)
        .filter(
            Q(status__in=(*PENDING_TASK_STATES, TaskStatus.REPORTED))
            | Q(executed_on__isnull=True)
            | Q(executed_on__gt=F("deadline"))
        )
    )
    failing = due.filter(pk__in=late_or_open.values("decision_id")).count()
    share = Decimal(total - failing) * 100 / Decimal(total)
    return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def execution_summary(user: Any, *, at: dt.date | None = None) -> dict[str, Any]:
    """Figures for the execution dashboard."""
    at = at or timezone.localdate()
    tasks = visible_tasks(user)
    by_status = dict(tasks.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {
        "on_time_share": decisions_executed_on_time(at=at),
        "due_decisions": decisions_due(at=at).count(),
        "tasks_by_status": {s.value: by_status.get(s.value, 0) for s in TaskStatus},
        "overdue": overdue_tasks(user, today=at).count(),
        "overdue_by_institution": overdue_tasks_by_institution(user, today=at),
    }


def search(user: Any, text: str, *, limit: int = 50) -> dict[str, list[Any]]:
    """Proposals and decisions matching `text` that the person may read."""
    text = text.strip()
    if not text:
        return {"proposals": [], "decisions": []}
    proposals = (
        visible_proposals(user)
        .select_related("organization")
        .filter(Q(topic__icontains=text) | Q(text__icontains=text) | Q(proposed_decision__icontains=text))
    )
    decisions = (
        visible_decisions(user)
        .select_related("meeting", "agenda_item")
        .filter(
            Q(text__icontains=text) | Q(agenda_item__title__icontains=text) | Q(tasks__text__icontains=text)
        )
        .distinct()
    )
    return {"proposals": list(proposals[:limit]), "decisions": list(decisions[:limit])}


def tasks_of_organization(user: Any, organization_id: int) -> QuerySet[Task]:
    """Tasks where the institution is responsible or a co-executor, as far as the person may see."""
    return visible_tasks(
        user,
        Task.objects.filter(executors__organization_id=organization_id)
        .select_related("responsible", "decision__meeting")
        .distinct(),
    )
