"""Background jobs of the core app."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qalxan.core.models import Notification


@db_task(retries=3, retry_delay=60)
def send_notification_emails(ids: list[int]) -> int:
    """E-mail notifications that have not been e-mailed yet; returns how many were sent."""
    sent = 0
    for note in Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).select_related("recipient"):
        if note.recipient.email:
            send_mail(
                note.subject,
                f"{note.body}\n\n{note.url}".strip(),
                settings.DEFAULT_FROM_EMAIL,
                [note.recipient.email],
            )
            sent += 1
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
    return sent


@db_task()
def ping(value: str) -> str:
    """Echo a value through the queue (used to check that consumers run)."""
    return value


@db_periodic_task(crontab(minute="17"))
def purge_stale_import_batches() -> int:
    """Uploaded files never confirmed are kept a day at most."""
    from datetime import timedelta

    from qalxan.core.choices import ImportStatus
    from qalxan.core.models import ImportBatch

    cutoff = timezone.now() - timedelta(days=1)
    deleted, _by_model = ImportBatch.objects.filter(
        status=ImportStatus.PREVIEW, created_at__lt=cutoff
    ).delete()
    return deleted
