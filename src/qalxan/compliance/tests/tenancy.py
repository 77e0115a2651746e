"""Tenancy cases of the compliance API (see tests/test_tenancy_walk.py)."""

import datetime as dt
import uuid

from django.utils import timezone

from qalxan.compliance.models import Assessment, Campaign, Catalogue, Finding
from qalxan.core.testing import TenancyCase, tenancy_case


def _catalogue():
    catalogue = Catalogue.objects.filter(code="walk").first()
    return catalogue or Catalogue.objects.create(code="walk", version="1", name_az="Walk")


def _campaign(world, org):
    return Campaign.objects.create(
        organization=org,
        catalogue=_catalogue(),
        title=f"Walk {uuid.uuid4().hex}",
        deadline=timezone.localdate(),
    )


def _assessment(world, org):
    return Assessment.objects.create(campaign=_campaign(world, world.authority), organization=org)


def _finding(world, org):
    return Finding.objects.create(
        organization=org, description="Walk", deadline=timezone.localdate() - dt.timedelta(days=1)
    )


tenancy_case(TenancyCase(Catalogue, reference=True, make=lambda world, org: _catalogue()))
tenancy_case(
    TenancyCase(
        Campaign,
        make=_campaign,
        create_payload=lambda world, org: {
            "organization": org.pk,
            "catalogue": _catalogue().pk,
            "title": "Intruder",
            "deadline": (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
            "organizations": [org.pk],
        },
    )
)
tenancy_case(TenancyCase(Assessment, make=_assessment))
tenancy_case(
    TenancyCase(
        Finding,
        make=_finding,
        create_payload=lambda world, org: {
            "organization": org.pk,
            "description": "Intruder",
            "deadline": (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
        },
    )
)
