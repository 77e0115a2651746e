"""E-mail intake: a real SMTP client against the listener on loopback, the maildir reader, quarantine."""

from __future__ import annotations

import mailbox
import smtplib
import socket
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from qalxan.incidents.intake import ingest_message, smtp_controller
from qalxan.incidents.models import Incident, QuarantinedMail
from qalxan.organizations.models import OrganizationDomain


def _message(
    sender: str, subject: str = "Fişinq kampaniyası", attachment: bytes | None = b"indicator list"
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "cert@qalxan.az"
    msg["Subject"] = subject
    msg.set_content("Əməkdaşlarımıza saxta məktublar gəlir.")
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="octet-stream", filename="iocs.txt")
    return msg.as_bytes()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_smtp_listener_turns_a_known_senders_mail_into_a_draft(world: Any) -> None:
    from qalxan.incidents.models import SeverityPolicy, TaxonomyClass, TaxonomyType
    from qalxan.incidents.taxonomy import ensure_reference_data

    ensure_reference_data(TaxonomyClass, TaxonomyType, SeverityPolicy)
    OrganizationDomain.objects.create(organization=world.ministry, domain="min-a.gov.az")
    port = _free_port()
    controller = smtp_controller("127.0.0.1", port)
    controller.start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.sendmail("soc@min-a.gov.az", ["cert@qalxan.az"], _message("SOC <soc@min-a.gov.az>"))
            client.sendmail("x@unknown.example", ["cert@qalxan.az"], _message("x@unknown.example", "Spam"))
        for _ in range(100):
            if Incident.objects.exists() and QuarantinedMail.objects.exists():
                break
            time.sleep(0.05)
    finally:
        controller.stop()
    draft = Incident.objects.get()
    assert draft.state == "draft" and draft.channel == "email" and draft.organization == world.ministry
    assert draft.title == "Fişinq kampaniyası" and "saxta" in draft.description
    assert draft.attachments.get().filename == "iocs.txt"
    quarantined = QuarantinedMail.objects.get()
    assert quarantined.reason == "unknown_sender" and quarantined.subject == "Spam"


def test_officer_address_is_matched_to_the_person(world: Any) -> None:
    officer = world.users["officer_a"]
    result = ingest_message(_message(officer.email))
    assert result.incident is not None
    result.incident.refresh_from_db()
    assert result.incident.reported_by == officer and result.incident.organization == world.ministry


def test_broken_mime_and_oversized_attachment_are_quarantined(world: Any, settings: Any) -> None:
    OrganizationDomain.objects.create(organization=world.ministry, domain="min-a.gov.az")
    broken = (
        b"From: soc@min-a.gov.az\r\nSubject: Broken\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\nno boundary here at all\r\n'
    )
    result = ingest_message(broken)
    assert result.quarantined is not None and result.quarantined.reason == "broken_mime"
    settings.INCIDENT_MAX_ATTACHMENT_BYTES = 5
    result = ingest_message(_message("soc@min-a.gov.az", attachment=b"0123456789"))
    assert result.quarantined is not None and result.quarantined.reason == "oversized"
    assert not Incident.objects.exists()


def test_maildir_reader(world: Any, tmp_path: Path) -> None:
    OrganizationDomain.objects.create(organization=world.ministry, domain="min-a.gov.az")
    box = mailbox.Maildir(str(tmp_path / "inbox"), create=True)
    box.add(_message("soc@min-a.gov.az"))
    box.add(_message("nobody@else.example"))
    call_command("incident_maildir", str(tmp_path / "inbox"))
    assert Incident.objects.filter(state="draft").count() == 1
    assert QuarantinedMail.objects.get().reason == "unknown_sender"
    assert len(mailbox.Maildir(str(tmp_path / "inbox"))) == 0
