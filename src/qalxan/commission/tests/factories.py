"""Helpers that set up the commission for tests, through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from qalxan.commission import services
from qalxan.commission.choices import MemberRole
from qalxan.commission.models import CommissionMember, Decision, Meeting, Task


@dataclass
class Commission:
    world: Any
    secretary: Any
    chair: CommissionMember
    member: CommissionMember
    meeting: Meeting
    decisions: list[Decision] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)


def commission(world: Any, *, items: int = 2, held: bool = True) -> Commission:
    """A chair, the secretary, a member (of the `other` ministry) and a meeting with decisions and tasks.

    Tasks: per item one decision with a task for the ministry (the subordinate body as co-executor)."""
    secretary = world.users["secretary"]
    chair = services.save_member(
        actor=secretary,
        organization=world.authority,
        full_name="Sədr Sədrov",
        position="Rəis",
        role=MemberRole.CHAIR,
    )
    services.save_member(
        actor=secretary,
        organization=world.authority,
        user=secretary,
        full_name="Katib Katibova",
        position="Katib",
        role=MemberRole.SECRETARY,
    )
    member = services.save_member(
        actor=secretary,
        organization=world.other,
        user=world.users["commission_member"],
        full_name="Üzv Üzvov",
        position="Nazir müavini",
        role=MemberRole.MEMBER,
    )
    meeting = services.create_meeting(
        actor=secretary,
        title="Test meeting",
        starts_at=timezone.now() + dt.timedelta(days=1),
        place="Bakı",
        chair=chair,
    )
    result = Commission(world, secretary, chair, member, meeting)
    for n in range(1, items + 1):
        item = services.add_agenda_item(
            actor=secretary, meeting=meeting, title=f"Mövzu {n}", presenter="XRİTDX"
        )
        decision = services.record_decision(actor=secretary, agenda_item=item, text=f"Qərar mətni {n}")
        result.decisions.append(decision)
        result.tasks.append(
            services.add_task(
                actor=secretary,
                decision=decision,
                text=f"Tapşırıq {n}",
                responsible=world.ministry,
                co_executors=[world.subordinate],
                deadline=dt.date(2027, 1, n),
                expected_result="Hesabat",
            )
        )
    if held:
        services.hold_meeting(actor=secretary, meeting=meeting)
        for decision in result.decisions:
            services.adopt_decision(actor=secretary, decision=decision)
    return result


def approved(world: Any, **kwargs: Any) -> Commission:
    """A commission whose meeting's protocol is approved (decisions published)."""
    c = commission(world, **kwargs)
    services.generate_protocol_draft(actor=c.secretary, meeting=c.meeting)
    services.approve_protocol(actor=c.secretary, meeting=c.meeting)
    for d in c.decisions:
        d.refresh_from_db()
    for t in c.tasks:
        t.refresh_from_db()
    c.meeting.refresh_from_db()
    return c
