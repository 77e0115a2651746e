"""Background jobs of the incidents app (thin wrappers around services)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qalxan.incidents import services


@db_periodic_task(crontab(minute="*/10"))
def check_incident_deadlines() -> dict[str, int]:
    """Flag breached SLAs and remind the assignee before a deadline."""
    return services.check_deadlines()


@db_task()
def announce_incident(incident_id: int) -> None:
    """Tell the CERT analysts of a new report."""
    services.announce_report(incident_id)
