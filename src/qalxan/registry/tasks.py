"""Daily jobs of the registry: reminders of data requests, reviews that have come due."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from qalxan.registry import services


@db_periodic_task(crontab(hour="6", minute="5"))
def daily_registry_jobs() -> dict[str, int]:
    return {
        "reminders": services.send_reminders(),
        "special_requirements_reminders": services.send_special_requirements_reminders(),
        "reviews_due": services.mark_reviews_due(),
    }
