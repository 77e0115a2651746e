"""Background jobs of the incidents app (thin wrappers around services)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qalxan.incidents import services


@db_periodic_task(crontab(minute="*/10"))
def check_incident_deadlines() -> dict[str, int]:
    """Flag breached SLAs and remind the assignee before a deadline."""
    return services.check_deadlines()
