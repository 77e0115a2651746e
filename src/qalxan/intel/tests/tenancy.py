"""Tenancy cases of the intel API (see tests/test_tenancy_walk.py)."""

import uuid

from django.utils import timezone

from qalxan.core.testing import TenancyCase, tenancy_case
from qalxan.intel.choices import SHARED_TLP
from qalxan.intel.models import Campaign, Indicator, IndicatorReport, Sighting
from qalxan.organizations.models import Organization


def _indicator(world, org):
    from qalxan.intel.tests.factories import indicator

    return indicator(f"walk-{uuid.uuid4().hex[:12]}.example.az", org=org, tlp="AMBER")


def _indicator_owners(obj):
    owners = set(IndicatorReport.objects.filter(indicator=obj).values_list("organization_id", flat=True))
    owners |= set(Sighting.objects.filter(indicator=obj).values_list("organization_id", flat=True))
    if obj.tlp in SHARED_TLP:  # shared with the whole community by its marking
        owners |= set(Organization.objects.values_list("pk", flat=True))
    return owners


def _campaign(world, org):
    from qalxan.intel.tests.factories import incident

    campaign = Campaign.objects.create(name=f"Walk {uuid.uuid4().hex[:8]}")
    campaign.incidents.add(incident(org), incident(org))
    return campaign


def _sighting(world, org):
    return Sighting.objects.create(indicator=_indicator(world, org), organization=org, seen_at=timezone.now())


tenancy_case(
    TenancyCase(
        Indicator,
        make=_indicator,
        owner_ids=_indicator_owners,
        create_payload=lambda world, org: {
            "value": "walk-create.example.az",
            "organization": org.pk,
            "tlp": "AMBER",
        },
    )
)
tenancy_case(
    TenancyCase(
        Campaign,
        make=_campaign,
        owner_ids=lambda obj: set(obj.incidents.values_list("organization_id", flat=True)),
    )
)
tenancy_case(
    TenancyCase(
        Sighting,
        make=_sighting,
        create_payload=lambda world, org: {
            "organization": org.pk,
            "sightings": [
                {"kind": "domain", "value": "walk.example.az", "seen_at": timezone.now().isoformat()}
            ],
        },
    )
)
