"""Background jobs of the commission: daily reminders of task deadlines."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qalxan.commission import services


@db_periodic_task(crontab(hour="8", minute="0"))
def remind_task_deadlines() -> int:
    """Every morning: remind institutions of deadlines within a week and of overdue tasks."""
    return services.send_deadline_reminders()
