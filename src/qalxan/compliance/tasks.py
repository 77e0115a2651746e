"""Background jobs of the compliance app (thin wrappers around services)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qalxan.compliance import services


@db_periodic_task(crontab(minute="15", hour="6"))
def remind_expiring_evidence() -> int:
    """Every morning: tell institutions about evidence that lapses soon."""
    return services.remind_expiring_evidence()
