"""Test data of the strategy app, built directly (services are tested on their own)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from qalxan.strategy.models import Action, Direction, Goal, ReportingPeriod, Strategy


@dataclass
class Plan:
    strategy: Strategy
    goal: Goal
    direction: Direction
    direction2: Direction
    period: ReportingPeriod


def make_plan(code: str = "test-strategy") -> Plan:
    strategy = Strategy.objects.create(
        code=code, name_az="Sınaq strategiyası", start_year=2023, end_year=2027
    )
    goal = Goal.objects.create(strategy=strategy, code="1", name_az="Məqsəd", order=1)
    direction = Direction.objects.create(goal=goal, code="1.1", name_az="İstiqamət 1", order=1)
    direction2 = Direction.objects.create(goal=goal, code="1.2", name_az="İstiqamət 2", order=2)
    period = ReportingPeriod.objects.create(
        strategy=strategy,
        label="2025",
        starts_on=dt.date(2025, 1, 1),
        ends_on=dt.date(2025, 12, 31),
        due_on=dt.date(2026, 1, 31),
    )
    return Plan(strategy, goal, direction, direction2, period)


def make_action(
    direction: Direction,
    responsible: Any,
    code: str = "1.1.1",
    co_executors: tuple[Any, ...] = (),
    **fields: Any,
) -> Action:
    fields.setdefault("start_year", 2024)
    fields.setdefault("deadline", dt.date(2025, 12, 31))
    action = Action.objects.create(
        direction=direction, code=code, title=f"Tədbir {code}", responsible=responsible, **fields
    )
    action.co_executors.set(co_executors)
    action.participants.set([responsible, *co_executors])
    return action
