"""Shared reads of the strategy app: status rollup, overdue actions, completion by institution, series.

Rollup arithmetic (documented in docs/strategy.md):
- an action counts once, with its status (not started / in progress / done / delayed); an action past
  its deadline and not done is "overdue" whatever its reported status;
- a direction's completion = done actions ÷ all its actions × 100;
- a goal's completion = the mean of its directions' completion (directions weighted equally,
  directions without actions left out); the strategy's = the mean of its goals' completion;
- counts by status and overdue are summed upwards; delayed and overdue are reported separately,
  they do not lower the completion figure.
- the rollup status of a level: "done" when every action is done; "delayed" when any is delayed or
  overdue; "in progress" when any is in progress or done; else "not started".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from qalxan.strategy.choices import ActionStatus
from qalxan.strategy.models import Action, Indicator, IndicatorValue, Strategy

ONE = Decimal("0.1")


@dataclass
class Rollup:
    """Status of one level (action set) of the strategy."""

    label: str
    code: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    completion: Decimal | None = None
    children: list[Rollup] = field(default_factory=list)
    obj: Any = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def status(self) -> str:
        if not self.total:
            return ActionStatus.NOT_STARTED
        if self.counts[ActionStatus.DONE] == self.total:
            return ActionStatus.DONE
        if self.counts[ActionStatus.DELAYED] or self.overdue:
            return ActionStatus.DELAYED
        if self.counts[ActionStatus.IN_PROGRESS] or self.counts[ActionStatus.DONE]:
            return ActionStatus.IN_PROGRESS
        return ActionStatus.NOT_STARTED

    @property
    def status_label(self) -> str:
        return str(ActionStatus(self.status).label)

    def count(self, status: str) -> int:
        return self.counts[status]

    @property
    def done(self) -> int:
        return self.counts[ActionStatus.DONE]

    @property
    def in_progress(self) -> int:
        return self.counts[ActionStatus.IN_PROGRESS]

    @property
    def delayed(self) -> int:
        return self.counts[ActionStatus.DELAYED]

    @property
    def not_started(self) -> int:
        return self.counts[ActionStatus.NOT_STARTED]


def is_overdue(action: Action, at: dt.date) -> bool:
    return action.deadline < at and action.status != ActionStatus.DONE


def _mean(values: list[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(ONE, ROUND_HALF_UP) if values else None


def _absorb(parent: Rollup, child: Rollup) -> None:
    parent.counts.update(child.counts)
    parent.overdue += child.overdue
    parent.children.append(child)


def rollup(strategy: Strategy, at: dt.date | None = None, actions: QuerySet[Action] | None = None) -> Rollup:
    """The strategy's status, from its actions up through directions and goals."""
    at = at or timezone.localdate()
    qs = actions if actions is not None else Action.objects.all()
    by_direction: dict[int, list[Action]] = {}
    for action in qs.filter(direction__goal__strategy=strategy).only(
        "id", "direction_id", "status", "deadline"
    ):
        by_direction.setdefault(action.direction_id, []).append(action)
    top = Rollup(strategy.name, strategy.code, obj=strategy)
    for goal in strategy.goals.prefetch_related("directions"):
        g = Rollup(goal.name, goal.code, obj=goal)
        for direction in goal.directions.all():
            d = Rollup(direction.name, direction.code, obj=direction)
            for action in by_direction.get(direction.pk, []):
                d.counts[action.status] += 1
                d.overdue += int(is_overdue(action, at))
            if d.total:
                d.completion = (Decimal(100) * d.done / d.total).quantize(ONE, ROUND_HALF_UP)
            _absorb(g, d)
        g.completion = _mean([d.completion for d in g.children if d.completion is not None])
        _absorb(top, g)
    top.completion = _mean([g.completion for g in top.children if g.completion is not None])
    return top


def overdue_actions(actions: QuerySet[Action], at: dt.date | None = None) -> QuerySet[Action]:
    at = at or timezone.localdate()
    return (
        actions.filter(deadline__lt=at)
        .exclude(status=ActionStatus.DONE)
        .select_related("responsible", "direction")
        .order_by("deadline")
    )


def completion_by_institution(actions: QuerySet[Action]) -> list[dict[str, Any]]:
    """For each responsible institution: its actions by status and the share done."""
    rows: dict[int, dict[str, Any]] = {}
    for action in actions.select_related("responsible"):
        row = rows.setdefault(
            action.responsible_id,
            {"organization": action.responsible, "total": 0, **{s.value: 0 for s in ActionStatus}},
        )
        row["total"] += 1
        row[action.status] += 1
    result = sorted(rows.values(), key=lambda r: r["organization"].short_name)
    for row in result:
        row["share"] = (Decimal(100) * row[ActionStatus.DONE] / row["total"]).quantize(ONE, ROUND_HALF_UP)
    return result


def current_values(indicator: Indicator) -> list[IndicatorValue]:
    """The latest revision for every date of an indicator, oldest date first."""
    latest: dict[dt.date, IndicatorValue] = {}
    for value in indicator.values.order_by("on", "revision"):
        latest[value.on] = value
    return list(latest.values())


def indicator_status(indicator: Indicator, at: dt.date | None = None) -> dict[str, Any]:
    """The latest value against this year's target."""
    at = at or timezone.localdate()
    values = [v for v in current_values(indicator) if v.on <= at and v.value is not None]
    latest = values[-1] if values else None
    target = indicator.target_for(latest.on.year if latest else at.year)
    on_track = None
    if latest is not None and latest.value is not None and target is not None:
        on_track = latest.value >= target if indicator.higher_is_better else latest.value <= target
    return {"latest": latest, "target": target, "on_track": on_track}


def group_reviewable_reports(user: Any) -> Any:
    """Reports on actions of the directions that a monitoring working group of `user` reviews."""
    from qalxan.strategy.models import ProgressReport

    if not getattr(user, "is_authenticated", False):
        return ProgressReport.objects.none()
    return ProgressReport.objects.filter(action__direction__monitoring_groups__members=user)


def visible_reports(user: Any, queryset: Any = None) -> Any:
    """What tenancy shows the person, plus what their monitoring working groups review."""
    from qalxan.core.tenancy import restrict
    from qalxan.strategy.models import ProgressReport

    base = queryset if queryset is not None else ProgressReport.objects.all()
    own = restrict(base, user).values("pk")
    groups = group_reviewable_reports(user).values("pk")
    return base.filter(models.Q(pk__in=own) | models.Q(pk__in=groups))


def reviews_as_group_member(report: Any, user: Any) -> bool:
    return group_reviewable_reports(user).filter(pk=report.pk).exists()
