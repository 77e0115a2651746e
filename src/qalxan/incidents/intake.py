"""E-mail intake: one service that turns a message from a known institution address into a draft report, or
quarantines it with the reason. Fed by the SMTP listener (`incident_smtpd`) and the maildir reader
(`incident_maildir`)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import mailbox
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.files import Upload
from qalxan.core.roles import Role
from qalxan.incidents import services
from qalxan.incidents.choices import Channel, QuarantineReason
from qalxan.incidents.models import Incident, QuarantinedMail
from qalxan.organizations.models import Organization, OrganizationDomain

MAX_MESSAGE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class IntakeResult:
    incident: Incident | None = None
    quarantined: QuarantinedMail | None = None


def _quarantine(raw: bytes, source: str, sender: str, subject: str, reason: str, detail: str) -> IntakeResult:
    mail = QuarantinedMail.objects.create(
        source=source[:200],
        sender=sender[:320],
        subject=subject[:300],
        reason=reason,
        detail=detail[:500],
        raw=raw,
        size=len(raw),
    )
    audit.record(actor=None, action=AuditAction.CREATE, target=mail, message=f"quarantined: {reason}")
    return IntakeResult(quarantined=mail)


def _defects(message: EmailMessage) -> list[str]:
    found = [type(d).__name__ for d in message.defects]
    for part in message.walk():
        if part is not message:
            found.extend(type(d).__name__ for d in part.defects)
    return found


def match_sender(address: str) -> tuple[Organization | None, Any]:
    """The institution (and the person, when the address is a user's) that a sender address belongs to."""
    address = address.strip().lower()
    if "@" not in address:
        return None, None
    user_model = get_user_model()
    user = (
        user_model.objects.filter(
            email__iexact=address, is_active=True, memberships__role=Role.INSTITUTION_OFFICER
        )
        .distinct()
        .first()
    )
    if user is not None:
        membership = (
            user.memberships.filter(role=Role.INSTITUTION_OFFICER).select_related("organization").first()
        )
        if membership is not None:
            return membership.organization, user
    domain = address.rsplit("@", 1)[1]
    match = (
        OrganizationDomain.objects.filter(domain=domain, organization__is_active=True)
        .select_related("organization")
        .first()
    )
    return (match.organization if match else None), None


def ingest_message(raw: bytes, *, source: str = "", envelope_sender: str = "") -> IntakeResult:
    """Parse one message; create a draft report with its attachments, or quarantine it with the reason."""
    subject, sender = "", envelope_sender
    if len(raw) > MAX_MESSAGE_BYTES:
        return _quarantine(raw[:1024], source, sender, "", QuarantineReason.OVERSIZED, "message too large")
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        subject = str(message.get("Subject", "") or "")
        sender = parseaddr(str(message.get("From", "") or ""))[1] or envelope_sender
        defects = _defects(message)
    except Exception as exc:  # the parser raises many kinds of error on hostile input
        return _quarantine(raw, source, sender, subject, QuarantineReason.BROKEN_MIME, repr(exc))
    if defects:
        return _quarantine(raw, source, sender, subject, QuarantineReason.BROKEN_MIME, ", ".join(defects))
    organization, user = match_sender(sender)
    if organization is None:
        return _quarantine(raw, source, sender, subject, QuarantineReason.UNKNOWN_SENDER, sender)
    try:
        body_part = message.get_body(preferencelist=("plain", "html"))
        body = body_part.get_content() if body_part is not None else ""
        uploads = []
        for part in message.iter_attachments():
            payload = part.get_payload(decode=True)
            content = payload if isinstance(payload, bytes) else b""
            if len(content) > services.max_attachment_bytes():
                return _quarantine(
                    raw,
                    source,
                    sender,
                    subject,
                    QuarantineReason.OVERSIZED,
                    f"{part.get_filename()}: {len(content)} bytes",
                )
            uploads.append(Upload(part.get_filename() or "attachment", content, part.get_content_type()))
    except (LookupError, ValueError, TypeError, AttributeError) as exc:
        return _quarantine(raw, source, sender, subject, QuarantineReason.BROKEN_MIME, repr(exc))
    detected = timezone.now()
    try:
        if message.get("Date"):
            parsed = parsedate_to_datetime(str(message["Date"]))
            if parsed.tzinfo is not None and parsed <= detected:
                detected = parsed
    except (TypeError, ValueError, IndexError):
        pass
    with transaction.atomic():
        incident = services.report_incident(
            actor=None,
            organization=organization,
            title=subject.strip() or sender,
            description=str(body)[:100000],
            detected_at=detected if isinstance(detected, dt.datetime) else timezone.now(),
            attachments=uploads,
            channel=Channel.EMAIL,
            draft=True,
        )
        if user is not None:
            Incident.objects.filter(pk=incident.pk).update(reported_by=user)
    return IntakeResult(incident=incident)


def read_maildir(path: str | Path) -> list[IntakeResult]:
    """Ingest every message of a maildir and remove it (quarantined ones are kept in the database)."""
    box = mailbox.Maildir(str(path), create=False)
    results = []
    for key in list(box.iterkeys()):
        raw = box.get_bytes(key)
        results.append(ingest_message(raw, source=f"maildir:{key}"))
        box.remove(key)
    return results


class SmtpHandler:
    """aiosmtpd handler: accept a message and hand it to `ingest_message` in a worker thread."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        from asgiref.sync import sync_to_async

        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        peer = session.peer[0] if session.peer else ""
        await sync_to_async(_ingest_and_close, thread_sensitive=False)(
            raw, f"smtp:{peer}", envelope.mail_from or ""
        )
        return "250 Message accepted"


def _ingest_and_close(raw: bytes, source: str, sender: str) -> None:
    from django.db import close_old_connections

    try:
        ingest_message(raw, source=source, envelope_sender=sender)
    finally:
        close_old_connections()


def smtp_controller(host: str, port: int, max_bytes: int = MAX_MESSAGE_BYTES) -> Any:
    from aiosmtpd.controller import Controller

    return Controller(SmtpHandler(), hostname=host, port=port, data_size_limit=max_bytes)
