"""Pages of the commission for the secretary, an institution officer and a member."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from qalxan.commission import services
from qalxan.commission.tests.factories import approved

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_secretary_opens_every_page(world: Any) -> None:
    c = approved(world, items=2)
    letter = services.letters_from_decision(actor=c.secretary, decision=c.decisions[0])[0]
    proposal = services.submit_proposal(
        actor=world.users["officer_a"], organization=world.ministry, topic="T", text="x"
    )
    group = services.save_working_group(actor=c.secretary, name="WG", mandate="Monitor", members=[c.member])
    client = _client(c.secretary)
    pages = [
        reverse("commission:dashboard"),
        reverse("commission:calendar") + "?month=2026-11",
        reverse("commission:search") + "?q=Qərar",
        reverse("commission:members_area"),
        reverse("commission:meeting_list"),
        reverse("commission:meeting_add"),
        c.meeting.get_absolute_url(),
        reverse("commission:decision_list"),
        c.decisions[0].get_absolute_url(),
        reverse("commission:task_list") + "?overdue=true",
        c.tasks[0].get_absolute_url(),
        reverse("commission:proposal_list"),
        proposal.get_absolute_url(),
        reverse("commission:letter_list"),
        reverse("commission:letter_add"),
        letter.get_absolute_url(),
        reverse("commission:member_list"),
        reverse("commission:group_list"),
        group.get_absolute_url(),
        reverse("commission:institution", args=[world.ministry.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
    docx = client.get(reverse("commission:protocol_document", args=[c.meeting.pk]) + "?kind=pdf&language=ru")
    assert docx.status_code == 200 and docx.content.startswith(b"%PDF")


def test_editing_the_approved_protocol_is_refused_with_a_clear_message(world: Any) -> None:
    c = approved(world, items=1)
    item = c.meeting.agenda_items.first()
    response = _client(c.secretary).post(
        reverse("commission:item_action", args=[item.pk, "edit"]),
        {"title": "New", "summary": "x"},
        follow=True,
    )
    assert c.meeting.protocol.number in response.content.decode()
    item.refresh_from_db()
    assert item.title != "New"


def test_an_officer_sees_only_what_is_theirs(world: Any) -> None:
    c = approved(world, items=1)
    mine = services.submit_proposal(
        actor=world.users["officer_a"], organization=world.ministry, topic="Mine", text="x"
    )
    theirs = services.submit_proposal(
        actor=world.users["officer_b"], organization=world.other, topic="Theirs", text="y"
    )
    client = _client(world.users["officer_a"])
    listing = client.get(reverse("commission:proposal_list")).content.decode()
    assert "Mine" in listing and "Theirs" not in listing
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(c.decisions[0].get_absolute_url()).status_code == 200  # published
    assert client.get(c.tasks[0].get_absolute_url()).status_code == 200
    assert client.get(c.meeting.get_absolute_url()).status_code == 403
    other = _client(world.users["officer_b"])
    assert other.get(c.tasks[0].get_absolute_url()).status_code == 404
    assert other.get(reverse("commission:institution", args=[world.ministry.pk])).status_code == 404
