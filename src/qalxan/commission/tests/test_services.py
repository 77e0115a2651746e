"""Services of the commission: effects, audit entries, workflow refusals and bad input."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from qalxan.commission import queries, services, sources
from qalxan.commission.choices import DecisionStatus, LetterStatus, MeetingStatus, ProposalStatus, TaskStatus
from qalxan.commission.models import AgendaItem, Decision, Letter, Proposal, Task
from qalxan.commission.tests.factories import approved, commission
from qalxan.core.models import AuditEntry, Notification
from qalxan.organizations.models import Organization

pytestmark = pytest.mark.django_db


def test_proposal_screening_put_on_agenda_return_and_merge(world: Any) -> None:
    c = commission(world, items=0, held=False)
    officer = world.users["officer_a"]
    first = services.submit_proposal(actor=officer, organization=world.ministry, topic="Antivirus", text="…")
    second = services.submit_proposal(
        actor=officer, organization=world.ministry, topic="Antivirus 2", text="…"
    )
    third = services.submit_proposal(
        actor=officer, organization=world.subordinate, topic="Lisenziya", text="…"
    )
    item = services.put_proposal_on_agenda(actor=c.secretary, proposal=first, meeting=c.meeting)
    first.refresh_from_db()
    assert first.status == ProposalStatus.ON_AGENDA
    assert item.reference == first and item.source == "proposal" and item.title == "Antivirus"
    services.merge_proposal(actor=c.secretary, proposal=second, into=first)
    second.refresh_from_db()
    assert (second.status, second.merged_into_id) == (ProposalStatus.MERGED, first.pk)
    with pytest.raises(ValidationError):
        services.return_proposal(actor=c.secretary, proposal=third, reason="  ")
    services.return_proposal(actor=c.secretary, proposal=third, reason="Out of scope")
    third.refresh_from_db()
    assert (third.status, third.return_reason) == (ProposalStatus.RETURNED, "Out of scope")
    assert Notification.objects.filter(
        recipient=world.users["officer_sub"], subject__contains="Lisenziya"
    ).exists()
    # The same proposal cannot be put on an agenda twice.
    with pytest.raises(ValidationError):
        services.put_proposal_on_agenda(actor=c.secretary, proposal=first, meeting=c.meeting)


def test_an_institution_submits_only_for_itself(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.submit_proposal(
            actor=world.users["officer_a"], organization=world.other, topic="x", text="y"
        )
    with pytest.raises(PermissionDenied):
        services.submit_proposal(
            actor=world.users["viewer_a"], organization=world.ministry, topic="x", text="y"
        )
    assert not Proposal.objects.exists()


def test_a_task_without_a_responsible_institution_is_refused_and_nothing_written(world: Any) -> None:
    c = commission(world, items=1)
    before = Task.objects.count()
    with pytest.raises(ValidationError) as refusal:
        services.add_task(
            actor=c.secretary,
            decision=c.decisions[0],
            text="Orphan",
            responsible=None,
            deadline=dt.date(2027, 1, 1),
        )
    assert "responsible" in refusal.value.message_dict
    assert Task.objects.count() == before


def test_a_decision_on_a_closed_meeting_is_refused(world: Any) -> None:
    c = approved(world, items=1)
    assert c.meeting.status == MeetingStatus.CLOSED
    count = Decision.objects.count()
    with translation.override("en"), pytest.raises(ValidationError) as refusal:
        services.record_decision(actor=c.secretary, agenda_item=c.meeting.agenda_items.first(), text="Late")
    assert "closed" in " ".join(refusal.value.messages)
    assert Decision.objects.count() == count


def test_the_approved_protocol_is_registered_and_immutable(world: Any) -> None:
    c = approved(world)
    protocol = c.meeting.protocol
    year = timezone.localdate().year
    assert protocol.number == f"KK-{year}/01" and protocol.registered_on == timezone.localdate()
    assert protocol.versions.filter(is_final=True).get().content["number"] == protocol.number
    assert all(d.status == DecisionStatus.PUBLISHED for d in c.decisions)
    item = c.meeting.agenda_items.first()
    refusals = [
        lambda: services.update_agenda_item(actor=c.secretary, item=item, summary="rewritten"),
        lambda: services.generate_protocol_draft(actor=c.secretary, meeting=c.meeting),
        lambda: services.approve_protocol(actor=c.secretary, meeting=c.meeting),
        lambda: services.add_task(
            actor=c.secretary,
            decision=c.decisions[0],
            text="More",
            responsible=world.ministry,
            deadline=dt.date(2027, 2, 1),
        ),
        lambda: services.update_decision(actor=c.secretary, decision=c.decisions[0], text="rewritten"),
        lambda: services.add_agenda_item(actor=c.secretary, meeting=c.meeting, title="Extra"),
    ]
    for attempt in refusals:
        with pytest.raises(ValidationError) as refusal:
            attempt()
        assert protocol.number in " ".join(refusal.value.messages)
    item.refresh_from_db()
    assert item.summary == "" and protocol.versions.count() == 2


def test_protocol_numbers_run_per_year(world: Any) -> None:
    first = approved(world, items=1)
    assert first.meeting.protocol.number.endswith("/01")
    second = commission(world, items=1)
    services.generate_protocol_draft(actor=second.secretary, meeting=second.meeting)
    services.approve_protocol(actor=second.secretary, meeting=second.meeting, on=dt.date(2031, 3, 1))
    assert second.meeting.protocol.number == "KK-2031/01"


def test_workflow_refusals(world: Any) -> None:
    c = commission(world, items=1, held=False)
    secretary, officer = c.secretary, world.users["officer_a"]
    with translation.override("en"), pytest.raises(ValidationError, match="held"):
        services.adopt_decision(actor=secretary, decision=c.decisions[0])
    with pytest.raises(ValidationError):
        services.approve_protocol(actor=secretary, meeting=c.meeting)  # no draft yet
    with pytest.raises(ValidationError):
        services.review_task(actor=secretary, task=c.tasks[0], accept=True)  # nothing reported
    with pytest.raises(PermissionDenied):
        services.hold_meeting(actor=officer, meeting=c.meeting)
    services.hold_meeting(actor=secretary, meeting=c.meeting)
    services.generate_protocol_draft(actor=secretary, meeting=c.meeting)
    with translation.override("en"), pytest.raises(ValidationError, match="draft decision"):
        services.approve_protocol(actor=secretary, meeting=c.meeting)
    with pytest.raises(ValidationError):
        services.cancel_meeting(actor=secretary, meeting=c.meeting)  # held meetings are not cancelled
    services.adopt_decision(actor=secretary, decision=c.decisions[0])
    services.report_task(actor=officer, task=c.tasks[0], text="Done")
    with pytest.raises(PermissionDenied):
        services.review_task(actor=officer, task=c.tasks[0], accept=True)
    with translation.override("en"), pytest.raises(ValidationError, match="why"):
        services.review_task(actor=secretary, task=c.tasks[0], accept=False, comment="")
    assert AuditEntry.objects.filter(action="transition", message__startswith="task.report").exists()


def test_execution_report_accept_and_decision_executed(world: Any) -> None:
    c = approved(world, items=1)
    task = c.tasks[0]
    # A co-executor reports too.
    services.report_task(actor=world.users["officer_sub"], task=task, text="Done by the subordinate body")
    assert task.reports.get().organization_id == world.subordinate.pk
    services.review_task(actor=c.secretary, task=task, accept=False, comment="Attach the act")
    task.refresh_from_db()
    assert task.status == TaskStatus.RETURNED
    services.report_task(actor=world.users["officer_a"], task=task, text="Act attached")
    services.review_task(actor=c.secretary, task=task, accept=True)
    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED and task.executed_on == timezone.localdate()
    c.decisions[0].refresh_from_db()
    assert c.decisions[0].status == DecisionStatus.EXECUTED
    with pytest.raises(PermissionDenied):
        services.report_task(actor=world.users["officer_b"], task=task, text="Not mine")


def test_share_of_decisions_executed_on_time(world: Any) -> None:
    from qalxan.core import metrics

    c = approved(world, items=2)
    on_time, late = c.tasks
    for task, day in ((on_time, dt.date(2026, 12, 20)), (late, dt.date(2027, 1, 20))):
        submitted = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
        services.report_task(actor=world.users["officer_a"], task=task, text="Done", submitted_at=submitted)
        services.review_task(actor=c.secretary, task=task, accept=True)
    at = dt.date(2027, 6, 1)
    assert queries.decisions_executed_on_time(at=at) == 50
    assert queries.decisions_executed_on_time(at=dt.date(2026, 6, 1)) is None  # nothing due yet
    assert metrics.get("commission.decisions_executed_on_time").compute(at) == 50


def test_overdue_tasks_carried_onto_the_next_agenda_and_reminders(world: Any) -> None:
    c = approved(world, items=1)
    task = c.tasks[0]
    today = dt.date(2027, 2, 1)
    assert list(queries.overdue_tasks(today=today)) == [task]
    assert queries.overdue_tasks_by_institution(today=today)[0]["count"] == 1
    with translation.override("en"):
        sent = services.send_deadline_reminders(today=today)
    assert sent == 1 and services.send_deadline_reminders(today=today) == 0  # once a day
    assert Notification.objects.filter(
        recipient=world.users["officer_a"], subject__contains="Overdue"
    ).exists()
    Task.objects.filter(pk=task.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    following = services.create_meeting(
        actor=c.secretary, title="Next", starts_at=timezone.now() + dt.timedelta(days=30)
    )
    item = services.carry_over_task(actor=c.secretary, task=task, meeting=following)
    task.refresh_from_db()
    assert task.carried_to == item and item.source == "overdue_task" and item.reference == task
    with pytest.raises(ValidationError):  # not offered twice
        services.carry_over_task(actor=c.secretary, task=task, meeting=following)


def test_another_app_registers_an_agenda_source(world: Any) -> None:
    c = commission(world, items=0, held=False)
    seen: list[Any] = []
    source = sources.register(
        sources.AgendaSource(
            key="test.organisations",
            label="Organisations behind schedule",
            candidates=lambda user: [
                sources.Candidate.of(world.other, label="MIN-B behind schedule", url="/organizations/")
            ],
            on_added=lambda item, obj, actor: seen.append(obj),
        )
    )
    try:
        item = services.add_agenda_item(
            actor=c.secretary, meeting=c.meeting, source=source.key, object_id=str(world.other.pk)
        )
        assert item.content_type == ContentType.objects.get_for_model(Organization)
        assert item.reference == world.other and item.reference_label == "MIN-B behind schedule"
        assert seen == [world.other]
        with pytest.raises(ValidationError):
            services.add_agenda_item(
                actor=c.secretary, meeting=c.meeting, source=source.key, object_id="999999"
            )
        with pytest.raises(ValidationError):
            services.add_agenda_item(actor=c.secretary, meeting=c.meeting, source="no-such-source", title="x")
    finally:
        sources._SOURCES.pop(source.key)
    assert AgendaItem.objects.filter(meeting=c.meeting).count() == 1


def test_letters_from_a_decision_registration_and_responses(world: Any) -> None:
    c = approved(world, items=1)
    with pytest.raises(ValidationError) as refusal:
        services.create_letter(actor=c.secretary, recipient=None, kind="information_request", subject="x")
    assert "recipient" in refusal.value.message_dict
    letters = services.letters_from_decision(actor=c.secretary, decision=c.decisions[0])
    assert {letter.recipient_id for letter in letters} == {world.ministry.pk, world.subordinate.pk}
    assert services.letters_from_decision(actor=c.secretary, decision=c.decisions[0]) == []  # once each
    letter = next(x for x in letters if x.recipient_id == world.ministry.pk)
    assert "Tapşırıq 1" in letter.body and letter.response_due == dt.date(2027, 1, 1)
    services.register_letter(actor=c.secretary, letter=letter)
    other = next(x for x in letters if x.recipient_id == world.subordinate.pk)
    services.register_letter(actor=c.secretary, letter=other)
    year = timezone.localdate().year
    assert {letter.number, other.number} == {f"KK-M-{year}/0001", f"KK-M-{year}/0002"}
    with pytest.raises(ValidationError):
        services.record_letter_response(actor=world.users["officer_a"], letter=letter, text="Too early")
    services.send_letter(actor=c.secretary, letter=letter)
    with pytest.raises(ValidationError):
        services.update_letter(actor=c.secretary, letter=letter, subject="changed")
    with pytest.raises(PermissionDenied):
        services.record_letter_response(actor=world.users["officer_b"], letter=letter, text="Not ours")
    services.record_letter_response(
        actor=world.users["officer_a"],
        letter=letter,
        text="Executed",
        task=c.tasks[0],
        incoming_number="IN-1",
    )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.ANSWERED and c.tasks[0].responses.count() == 1
    assert Letter.objects.filter(number__startswith="KK-M-").count() == 2


def test_members_comment_on_the_drafts_of_meetings_they_are_invited_to(world: Any) -> None:
    c = commission(world, items=1, held=False)
    comment = services.comment_on_drafts(
        actor=world.users["commission_member"],
        meeting=c.meeting,
        text="Add a deadline",
        decision=c.decisions[0],
    )
    assert comment.author == world.users["commission_member"]
    with pytest.raises(PermissionDenied):
        services.comment_on_drafts(actor=world.users["officer_a"], meeting=c.meeting, text="Not a member")


def test_visibility_of_proposals_tasks_and_decisions(world: Any) -> None:
    c = commission(world, items=2, held=False)
    officer_a, officer_b = world.users["officer_a"], world.users["officer_b"]
    mine = services.submit_proposal(actor=officer_a, organization=world.ministry, topic="Mine", text="…")
    theirs = services.submit_proposal(actor=officer_b, organization=world.other, topic="Theirs", text="…")
    assert list(queries.visible_proposals(officer_a)) == [mine]
    assert list(queries.visible_proposals(officer_b)) == [theirs]
    # Drafts: not for institutions; for the invited member's body, yes.
    assert not queries.visible_decisions(officer_a).exists()
    assert queries.visible_decisions(world.users["commission_member"]).count() == 2
    assert set(queries.visible_tasks(officer_a)) == set(c.tasks)
    assert set(queries.visible_tasks(world.users["officer_sub"])) == set(c.tasks)  # co-executor
    assert not queries.visible_tasks(officer_b).exists()
    services.hold_meeting(actor=c.secretary, meeting=c.meeting)
    for d in c.decisions:
        services.adopt_decision(actor=c.secretary, decision=d)
    services.generate_protocol_draft(actor=c.secretary, meeting=c.meeting)
    services.approve_protocol(actor=c.secretary, meeting=c.meeting)
    # Published: every signed-in institution user reads them.
    assert queries.visible_decisions(officer_b).count() == 2
    assert queries.visible_decisions(world.users["viewer_a"]).count() == 2


def test_agenda_document(world: Any) -> None:
    from docx import Document

    from qalxan.commission.documents import agenda_docx

    c = commission(world, items=2, held=False)
    text = "\n".join(p.text for p in Document(io.BytesIO(agenda_docx(c.meeting))).paragraphs)
    assert "1. Mövzu 1" in text and "2. Mövzu 2" in text and "GÜNDƏLİK" in text.upper()
