"""Background jobs of the cyber-hygiene app (thin wrappers around services)."""

from __future__ import annotations

from pathlib import Path

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qalxan.cyberhygiene import services
from qalxan.cyberhygiene.models import Leak


@db_task()
def ingest_leak_job(leak_id: int, paths: list[str], remove_files: bool = True) -> int:
    """Ingest an uploaded leak as the person who uploaded it; returns the number of matching accounts."""
    leak = Leak.objects.select_related("uploaded_by").get(pk=leak_id)
    done = services.ingest_leak(
        actor=leak.uploaded_by, leak=leak, paths=[Path(p) for p in paths], remove_files=remove_files
    )
    return done.records_matched


@db_periodic_task(crontab(minute="17"))
def remove_stale_uploads() -> int:
    """Delete uploaded leak files whose ingestion never ran (raw leaks hold clear passwords)."""
    return services.remove_stale_uploads()
