"""The commission's agenda takes items from other modules: major incidents, late strategy actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qalxan.commission import services as commission
from qalxan.commission import sources
from qalxan.incidents import services as incidents
from qalxan.strategy import services as strategy


def test_major_incidents_and_late_actions_become_agenda_items(world: Any) -> None:
    officer, secretary = world.users["strategy_officer"], world.users["secretary"]
    plan = strategy.create_strategy(actor=officer, code="s", name_az="S", start_year=2023, end_year=2027)
    goal = strategy.add_goal(actor=officer, strategy=plan, code="1", name_az="Məqsəd")
    direction = strategy.add_direction(actor=officer, goal=goal, code="1.1", name_az="İstiqamət")
    late = strategy.create_action(
        actor=officer,
        direction=direction,
        code="1.1.1",
        title="Risklər reyestri",
        responsible=world.ministry,
        start_year=2024,
        deadline=dt.date(2025, 1, 31),
    )
    strategy.create_action(
        actor=officer,
        direction=direction,
        code="1.1.2",
        title="Vaxtında",
        start_year=2026,
        responsible=world.ministry,
        deadline=timezone.localdate() + dt.timedelta(days=90),
    )
    major = incidents.report_incident(
        actor=world.users["officer_a"],
        organization=world.ministry,
        title="Fidyə proqramı",
        detected_at=timezone.now(),
        severity="critical",
    )
    incidents.report_incident(
        actor=world.users["officer_a"],
        organization=world.ministry,
        title="Spam",
        detected_at=timezone.now(),
        severity="low",
    )

    behind = sources.get("strategy.behind_schedule")
    assert [c.object_id for c in behind.candidates(secretary)] == [str(late.pk)]
    serious = sources.get("incidents.major")
    offered = serious.candidates(secretary)
    assert [c.object_id for c in offered] == [str(major.pk)]
    assert world.ministry.short_name not in offered[0].label  # the commission sees no institution

    meeting = commission.create_meeting(
        actor=secretary, title="İclas", starts_at=timezone.now() + dt.timedelta(days=14)
    )
    item = commission.add_agenda_item(
        actor=secretary, meeting=meeting, source=behind.key, object_id=str(late.pk)
    )
    assert item.reference == late
    item = commission.add_agenda_item(
        actor=secretary, meeting=meeting, source=serious.key, object_id=str(major.pk)
    )
    assert item.reference == major
