"""Background jobs of the intel app (thin wrappers around the services)."""

from __future__ import annotations

from typing import Any

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def ingest_incident(incident_id: int) -> dict[str, Any]:
    """Take a reported incident's indicators into the catalogue and correlate it."""
    from qalxan.incidents.models import Incident
    from qalxan.intel.correlation import ingest_incident as ingest

    incident = Incident.objects.filter(pk=incident_id).select_related("organization").first()
    if incident is None:
        return {}
    result = ingest(incident)
    return {"linked": len(result.linked), "campaign": result.campaign.pk if result.campaign else None}


@db_periodic_task(crontab(hour="3", minute="30"))
def recheck_warning_lists() -> int:
    """Nightly: re-flag indicators against the warning lists (lists can be edited in between)."""
    from qalxan.intel.services import recheck_warnings

    return recheck_warnings()
