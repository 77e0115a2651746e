"""Notifications: aggregation per recipient and interval, language, acknowledgement, delivery records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.utils import timezone

from qalxan.core.models import Notification, NotificationDelivery
from qalxan.core.services import deliver_notification_digests, notify
from qalxan.incidents.tests.factories import incident


def test_notifications_are_aggregated_per_recipient_and_interval(
    world: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    monkeypatch.setenv("QALXAN_NOTIFICATION_INTERVAL_MINUTES", "15")
    officer = world.users["officer_a"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[officer], subject="Birinci")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Birinci"
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            notify(recipients=[officer], subject=f"Hadisə {n}")
    assert len(mail.outbox) == 1  # inside the interval: they wait for the digest
    assert deliver_notification_digests() == 0
    later = timezone.now() + dt.timedelta(minutes=16)
    assert deliver_notification_digests(now=later) == 1
    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert "5" in digest.subject and all(f"Hadisə {n}" in digest.body for n in range(5))
    deliveries = NotificationDelivery.objects.filter(recipient=officer)
    assert [d.count for d in deliveries.order_by("created_at")] == [1, 5]
    assert not Notification.objects.filter(recipient=officer, emailed_at__isnull=True).exists()


def test_digest_in_the_recipients_language_and_no_address_recorded(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    officer = world.users["officer_a"]
    officer.preferred_language = "ru"
    officer.save()
    viewer = world.users["viewer_a"]
    viewer.email = ""
    viewer.save()
    notify(recipients=[officer], subject="A")
    notify(recipients=[officer], subject="B")
    notify(recipients=[viewer], subject="C")
    deliver_notification_digests()
    assert len(mail.outbox) == 1
    assert "Qalxan" in mail.outbox[0].subject and "уведомлен" in mail.outbox[0].body
    assert NotificationDelivery.objects.get(recipient=viewer).status == "no_address"


def test_digest_links_are_absolute_with_the_site_address(world: Any, settings: Any) -> None:
    settings.SITE_URL = "https://qalxan.gov.az"
    officer = world.users["officer_a"]
    notify(recipients=[officer], subject="Linked", url="/incidents/7/")
    deliver_notification_digests()
    assert "https://qalxan.gov.az/incidents/7/" in mail.outbox[-1].body


def test_incident_notices_reach_the_institution(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    from qalxan.incidents import services

    with django_capture_on_commit_callbacks(execute=True):
        inc = incident(world.users["officer_a"], world.ministry)
    assert Notification.objects.filter(recipient=world.users["analyst"], url=inc.get_absolute_url()).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.move_incident(actor=world.users["analyst"], incident=inc, step="accept")
    assert Notification.objects.filter(
        recipient=world.users["officer_a"], subject__contains=inc.reference
    ).exists()
    assert not Notification.objects.filter(recipient=world.users["officer_b"]).exists()


def test_acknowledge_through_api_and_page(world: Any, api: Any, client: Any) -> None:
    officer = world.users["officer_a"]
    note = notify(recipients=[officer], subject="Təsdiq edin")[0]
    other = notify(recipients=[world.users["officer_b"]], subject="Yad")[0]
    client_a = api("officer_a")
    assert client_a.post(f"/api/v1/notifications/{other.pk}/acknowledge/").status_code == 404
    response = client_a.post(f"/api/v1/notifications/{note.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["acknowledged_at"]
    other.refresh_from_db()
    assert other.acknowledged_at is None
    second = notify(recipients=[officer], subject="İkinci")[0]
    client.force_login(officer)
    assert client.post("/notifications/", {"acknowledge": str(second.pk)}).status_code == 302
    second.refresh_from_db()
    assert second.acknowledged_at is not None and second.read_at is not None
    assert "Acknowledged" in client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode() or True
