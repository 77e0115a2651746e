"""Tenancy cases of the incidents API (see tests/test_tenancy_walk.py)."""

import uuid

from django.utils import timezone

from qalxan.core.testing import TenancyCase, tenancy_case
from qalxan.incidents.models import Incident, Measure


def _incident(world, org):
    return Incident.objects.create(
        organization=org,
        title=f"Walk {uuid.uuid4().hex}",
        detected_at=timezone.now(),
        reported_at=timezone.now(),
        state="triaged",
    )


def _measure(world, org):
    return Measure.objects.create(incident=_incident(world, org), kind="patch", description="walk")


tenancy_case(
    TenancyCase(
        Incident,
        make=_incident,
        create_payload=lambda world, org: {
            "organization": org.pk,
            "title": "Intruder",
            "detected_at": timezone.now().isoformat(),
        },
    )
)
tenancy_case(TenancyCase(Measure, make=_measure))
