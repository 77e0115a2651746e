"""Tenancy cases of the commission API (see tests/test_tenancy_walk.py)."""

import datetime as dt

from django.utils import timezone

from qalxan.commission.choices import PUBLIC_DECISION_STATES
from qalxan.commission.models import (
    AgendaItem,
    CommissionMember,
    Decision,
    Invitation,
    Letter,
    Meeting,
    Proposal,
    Task,
    TaskExecutor,
)
from qalxan.core.testing import TenancyCase, tenancy_case
from qalxan.organizations.models import Organization


def make_meeting(world, org):
    """A meeting of the commission to which a member of `org` is invited."""
    meeting = Meeting.objects.create(
        organization=world.authority, title=f"Walk meeting {org.code}", starts_at=timezone.now()
    )
    member = CommissionMember.objects.create(
        organization=org, full_name=f"Member of {org.code}", position="Deputy minister", role="member"
    )
    Invitation.objects.create(meeting=meeting, member=member)
    return meeting


def make_item(world, org):
    return AgendaItem.objects.create(meeting=make_meeting(world, org), order=1, title="Walk item")


def make_decision(world, org, status="draft"):
    item = make_item(world, org)
    meeting = item.meeting
    return Decision.objects.create(meeting=meeting, agenda_item=item, text="Walk decision", status=status)


def make_task(world, org):
    decision = make_decision(world, world.authority, status="published")
    task = Task.objects.create(
        decision=decision,
        text="Walk task",
        responsible=org,
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    TaskExecutor.objects.create(task=task, organization=org, role="responsible")
    return task


def decision_owners(decision):
    """A published decision is readable by every institution; a draft by whoever reads its meeting."""
    if decision.status in PUBLIC_DECISION_STATES:
        return set(Organization.objects.values_list("pk", flat=True))
    return decision.owner_ids()


tenancy_case(
    TenancyCase(
        Proposal,
        make=lambda world, org: Proposal.objects.create(organization=org, topic="Walk proposal", text="Walk"),
        create_payload=lambda world, org: {"organization": org.pk, "topic": "Intruder", "text": "Intruder"},
    )
)
tenancy_case(
    TenancyCase(
        Meeting,
        make=make_meeting,
        create_payload=lambda world, org: {"title": "Intruder", "starts_at": "2026-12-01T10:00:00Z"},
        owner_ids=lambda obj: obj.owner_ids(),
    )
)
tenancy_case(
    TenancyCase(
        Decision,
        make=make_decision,
        create_payload=lambda world, org: {
            "agenda_item": make_item(world, org).pk,
            "text": "Intruder",
        },
        owner_ids=decision_owners,
    )
)
tenancy_case(
    TenancyCase(
        Task,
        make=make_task,
        create_payload=lambda world, org: {
            "decision": make_decision(world, org).pk,
            "text": "Intruder",
            "responsible": org.pk,
            "deadline": "2026-12-31",
        },
        owner_ids=lambda obj: obj.owner_ids(),
    )
)
tenancy_case(
    TenancyCase(
        Letter,
        make=lambda world, org: Letter.objects.create(recipient=org, subject="Walk letter", body="Walk"),
        create_payload=lambda world, org: {
            "recipient": org.pk,
            "kind": "information_request",
            "subject": "Intruder",
        },
    )
)
