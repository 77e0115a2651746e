"""Tenancy cases of the strategy API (see tests/test_tenancy_walk.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qalxan.core.testing import TenancyCase, tenancy_case
from qalxan.strategy import indices
from qalxan.strategy.models import Action, IndexFramework, Indicator, ProgressReport, Strategy
from qalxan.strategy.tests.factories import make_action, make_plan


def _plan(world: Any) -> Any:
    plan = getattr(world, "plan", None)
    if plan is None or not Strategy.objects.filter(pk=plan.strategy.pk).exists():
        plan = world.plan = make_plan("walk")
    return plan


def _action(world: Any, org: Any) -> Action:
    plan = _plan(world)
    return make_action(plan.direction, org, code=f"W{Action.objects.count() + 1}")


def _report(world: Any, org: Any) -> ProgressReport:
    action = _action(world, org)
    return ProgressReport.objects.create(
        action=action, period=_plan(world).period, organization=org, status="in_progress", narrative="walk"
    )


def _report_payload(world: Any, org: Any) -> dict[str, Any]:
    action = _action(world, org)
    return {
        "action": action.pk,
        "period": _plan(world).period.pk,
        "organization": org.pk,
        "status": "done",
        "narrative": "intruder",
        "completed_on": dt.date(2025, 5, 1).isoformat(),
    }


tenancy_case(TenancyCase(Strategy, reference=True, make=lambda world, org: _plan(world).strategy))
tenancy_case(
    TenancyCase(
        Action,
        make=_action,
        owner_ids=lambda obj: set(obj.participants.values_list("pk", flat=True)),
    )
)
tenancy_case(
    TenancyCase(
        Indicator,
        make=lambda world, org: Indicator.objects.create(
            strategy=_plan(world).strategy, code=f"W{Indicator.objects.count() + 1}", name_az="walk", unit="%"
        ),
        create_payload=lambda world, org: {
            "strategy": _plan(world).strategy.pk,
            "code": "X1",
            "name_az": "x",
            "unit": "%",
        },
        owner_ids=lambda obj: set(),
    )
)
tenancy_case(TenancyCase(ProgressReport, make=_report, create_payload=_report_payload))
tenancy_case(
    TenancyCase(
        IndexFramework,
        make=lambda world, org: IndexFramework.objects.first() or indices.load_frameworks()[0],
        owner_ids=lambda obj: set(),
    )
)
