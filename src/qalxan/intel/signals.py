"""An incident report (or an edit of its indicators) feeds the catalogue and the correlation after commit."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from qalxan.core import jobs
from qalxan.incidents.models import Incident


@receiver(post_save, sender=Incident, dispatch_uid="intel-incident-indicators")
def incident_saved(sender: type[Incident], instance: Incident, **kwargs: Any) -> None:
    if instance.state == "draft" or not (instance.indicators or "").strip():
        return
    from qalxan.intel.tasks import ingest_incident

    jobs.after_commit(ingest_incident, instance.pk)
