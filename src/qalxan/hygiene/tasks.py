"""Background jobs of the hygiene module (thin wrappers around services)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qalxan.hygiene import figures


@db_task()
def renormalise_task() -> None:
    from qalxan.hygiene import services

    services.renormalise(actor=None)


@db_task()
def rematch_task() -> None:
    """Findings of the current inventories against newly imported advisories."""
    from qalxan.hygiene import services

    services.rematch(actor=None)


def recompute_all() -> None:
    from qalxan.hygiene.models import Endpoint

    for organization_id in Endpoint.objects.values_list("organization_id", flat=True).distinct():
        figures.recompute(organization_id=organization_id)


@db_task()
def recompute_task() -> None:
    """Every institution's figures (after the score weights change)."""
    recompute_all()


@db_periodic_task(crontab(hour="2", minute="30"))
def nightly_figures() -> None:
    """Coverage goes stale and contracts lapse without new inventories: recompute every institution daily."""
    recompute_all()
