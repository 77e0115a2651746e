"""Background jobs of the core app."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qalxan.core.models import Notification


@db_task(retries=3, retry_delay=60)
def send_notification_emails(ids: list[int]) -> int:
    """E-mail the recipients of these notifications now, unless they had an e-mail within the interval
    (then the periodic digest carries them); returns how many e-mails were sent."""
    from qalxan.core.services import deliver_notification_digests

    recipients = set(Notification.objects.filter(pk__in=ids).values_list("recipient_id", flat=True))
    return deliver_notification_digests(recipient_ids=recipients)


@db_periodic_task(crontab(minute="*"))
def send_notification_digests() -> int:
    """One digest per recipient per interval with everything that waited."""
    from qalxan.core.services import deliver_notification_digests

    return deliver_notification_digests()


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


@db_periodic_task(crontab(minute="*/10"))
def compact_row_counts() -> int:
    """Fold the row-count entries the PostgreSQL triggers append (core.counts) into one per table."""
    from qalxan.core.counts import compact

    return compact()
