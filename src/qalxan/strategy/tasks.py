"""Background jobs of the strategy app: the daily recomputation of computed indicators."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qalxan.strategy import services


@db_periodic_task(crontab(hour="3", minute="15"))
def recompute_indicators_daily() -> dict[str, int]:
    """Recompute every computed indicator at today's date (a changed value becomes a new revision)."""
    return services.compute_all(scheduled=True)


@db_task()
def recompute_indicators() -> dict[str, int]:
    """The same recomputation, queued on demand."""
    return services.compute_all(scheduled=True)
