"""Background jobs of the exposure app (thin wrappers around services)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qalxan.exposure import services


@db_task()
def run_scan_job(scan_id: int) -> int | None:
    """Run one queued scan."""
    scan = services.run_scan(scan_id)
    return scan.score if scan is not None else None


@db_periodic_task(crontab(minute="17", hour="2"))
def schedule_site_scans() -> int:
    """Every night: queue the sites whose scan interval (twice a year by default) has passed."""
    return len(services.schedule_due_scans())
