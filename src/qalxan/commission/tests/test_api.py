"""The commission API: what each role sees and may do; bad input is a 400 with field messages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from qalxan.commission import services
from qalxan.commission.models import Decision, Proposal, Task
from qalxan.commission.tests.factories import approved, commission

pytestmark = pytest.mark.django_db
BASE = "/api/v1/commission"


def test_the_secretary_builds_a_meeting_from_proposals_through_the_api(world: Any, api: Any) -> None:
    officer, secretary = api("officer_a"), api("secretary")
    proposal = officer.post(
        f"{BASE}/proposals/",
        {"organization": world.ministry.pk, "topic": "Antivirus", "text": "…"},
        format="json",
    )
    assert proposal.status_code == 201, proposal.content
    assert (
        officer.post(
            f"{BASE}/proposals/",
            {"organization": world.other.pk, "topic": "Not ours", "text": "…"},
            format="json",
        ).status_code
        == 400
    )
    meeting = secretary.post(
        f"{BASE}/meetings/", {"title": "API meeting", "starts_at": "2026-12-10T10:00:00+04:00"}, format="json"
    )
    assert meeting.status_code == 201, meeting.content
    mid = meeting.json()["id"]
    item = secretary.post(
        f"{BASE}/meetings/{mid}/agenda/",
        {"source": "proposal", "object_id": str(proposal.json()["id"])},
        format="json",
    )
    assert item.status_code == 201 and item.json()["title"] == "Antivirus"
    assert (
        secretary.post(f"{BASE}/meetings/{mid}/agenda/", {"source": "free"}, format="json").status_code == 400
    )
    assert Proposal.objects.get().status == "on_agenda"
    assert (
        secretary.post(f"{BASE}/meetings/{mid}/transition/", {"step": "hold"}, format="json").status_code
        == 200
    )
    decision = secretary.post(
        f"{BASE}/decisions/",
        {"agenda_item": item.json()["id"], "text": "Antivirus everywhere"},
        format="json",
    )
    assert decision.status_code == 201, decision.content
    did = decision.json()["id"]
    orphan = secretary.post(
        f"{BASE}/tasks/", {"decision": did, "text": "Orphan", "deadline": "2027-01-01"}, format="json"
    )
    assert orphan.status_code == 400 and "responsible" in orphan.json()
    task = secretary.post(
        f"{BASE}/tasks/",
        {
            "decision": did,
            "text": "Connect the workstations",
            "responsible": world.ministry.pk,
            "co_executors": [world.subordinate.pk],
            "deadline": "2027-01-01",
        },
        format="json",
    )
    assert task.status_code == 201, task.content
    assert task.json()["co_executors"] == [world.subordinate.pk]
    assert (
        secretary.post(f"{BASE}/decisions/{did}/transition/", {"step": "adopt"}, format="json").status_code
        == 200
    )
    assert secretary.post(f"{BASE}/meetings/{mid}/protocol/").status_code == 201
    approved_ = secretary.post(f"{BASE}/meetings/{mid}/protocol/approve/")
    assert approved_.status_code == 200 and approved_.json()["number"].startswith("KK-")
    edit = secretary.patch(f"{BASE}/decisions/{did}/", {"text": "rewritten"}, format="json")
    assert (edit.status_code == 400 and "approved" in str(edit.json())) or "təsdiq" in str(edit.json())
    assert secretary.post(f"{BASE}/meetings/{mid}/protocol/").status_code == 400
    document = secretary.get(f"{BASE}/meetings/{mid}/protocol/document/", {"kind": "docx", "language": "en"})
    assert document.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(document.content)).paragraphs)
    assert "Antivirus everywhere" in text
    assert secretary.get(f"{BASE}/meetings/{mid}/protocol/document/", {"kind": "odt"}).status_code == 400
    letters = secretary.post(f"{BASE}/decisions/{did}/letters/")
    assert letters.status_code == 201 and len(letters.json()) == 2
    no_recipient = secretary.post(
        f"{BASE}/letters/", {"kind": "information_request", "subject": "Where is the report?"}, format="json"
    )
    assert no_recipient.status_code == 400 and "recipient" in no_recipient.json()


def test_an_institution_sees_its_tasks_and_proposals_and_the_published_decisions(
    world: Any, api: Any
) -> None:
    c = approved(world, items=2)
    services.submit_proposal(
        actor=world.users["officer_b"], organization=world.other, topic="Theirs", text="…"
    )
    mine = services.submit_proposal(
        actor=world.users["officer_a"], organization=world.ministry, topic="Mine", text="…"
    )
    officer_a, officer_b = api("officer_a"), api("officer_b")
    assert [p["topic"] for p in officer_a.get(f"{BASE}/proposals/").json()["results"]] == ["Mine"]
    assert officer_b.get(f"{BASE}/proposals/{mine.pk}/").status_code == 404
    assert {t["id"] for t in officer_a.get(f"{BASE}/tasks/").json()["results"]} == {t.pk for t in c.tasks}
    assert officer_b.get(f"{BASE}/tasks/").json()["count"] == 0
    assert officer_b.get(f"{BASE}/tasks/{c.tasks[0].pk}/").status_code == 404
    # Published decisions: every institution reads them.
    assert officer_b.get(f"{BASE}/decisions/").json()["count"] == 2
    assert officer_b.get(f"{BASE}/decisions/{c.decisions[0].pk}/").status_code == 200
    assert api("viewer_a").get(f"{BASE}/decisions/").json()["count"] == 2
    # Drafts stay with the secretariat and the invited members.
    draft = commission(world, items=1, held=False).decisions[0]
    assert officer_b.get(f"{BASE}/decisions/{draft.pk}/").status_code == 404
    assert api("commission_member").get(f"{BASE}/decisions/{draft.pk}/").status_code == 200
    # The co-executor reports; another institution cannot.
    report = api("officer_sub").post(f"{BASE}/tasks/{c.tasks[0].pk}/report/", {"text": "Done"}, format="json")
    assert report.status_code == 201 and report.json()["status"] == "reported"
    assert (
        officer_b.post(f"{BASE}/tasks/{c.tasks[1].pk}/report/", {"text": "x"}, format="json").status_code
        == 404
    )
    assert (
        officer_a.post(f"{BASE}/tasks/{c.tasks[0].pk}/review/", {"accept": True}, format="json").status_code
        == 403
    )
    accepted = api("secretary").post(f"{BASE}/tasks/{c.tasks[0].pk}/review/", {"accept": True}, format="json")
    assert accepted.json()["status"] == "accepted"
    assert Task.objects.get(pk=c.tasks[0].pk).executed_on is not None


def test_members_read_invited_meetings_and_comment_on_drafts(world: Any, api: Any) -> None:
    c = commission(world, items=1, held=False)
    member, officer = api("commission_member"), api("officer_a")
    assert [m["id"] for m in member.get(f"{BASE}/meetings/").json()["results"]] == [c.meeting.pk]
    assert member.get(f"{BASE}/meetings/{c.meeting.pk}/agenda/").status_code == 200
    comment = member.post(
        f"{BASE}/meetings/{c.meeting.pk}/comments/",
        {"text": "Add a deadline", "decision": c.decisions[0].pk},
        format="json",
    )
    assert comment.status_code == 201, comment.content
    assert officer.get(f"{BASE}/meetings/").status_code == 403
    assert (
        officer.post(f"{BASE}/meetings/{c.meeting.pk}/comments/", {"text": "x"}, format="json").status_code
        == 403
    )
    assert member.patch(f"{BASE}/meetings/{c.meeting.pk}/", {"title": "x"}, format="json").status_code == 403
    assert Decision.objects.count() == 1
