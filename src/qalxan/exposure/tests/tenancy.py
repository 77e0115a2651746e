"""Tenancy cases of the exposure API (see tests/test_tenancy_walk.py)."""

import uuid

from qalxan.core.testing import TenancyCase, tenancy_case
from qalxan.exposure.models import Finding, Scan, Site
from qalxan.organizations.models import Sector
from qalxan.registry.models import InformationSystem, SystemDomain


def _site(world, org):
    system = InformationSystem.objects.create(
        name_az=f"Sayt {uuid.uuid4().hex[:6]}",
        kind="website",
        sector=Sector.objects.order_by("id").first(),
        owner=org,
        hosting="azstatenet",
    )
    SystemDomain.objects.create(system=system, domain=f"walk-{uuid.uuid4().hex[:6]}.gov.az")
    return Site.objects.create(system=system)


def _scan(world, org):
    return Scan.objects.create(site=_site(world, org), trigger="on_demand", state="finished", score=80)


def _finding(world, org):
    site = _site(world, org)
    return Finding.objects.create(
        site=site,
        check_code="csp_missing",
        severity="medium",
        location="walk.gov.az",
        fingerprint=uuid.uuid4().hex,
    )


tenancy_case(TenancyCase(Site, make=_site))
tenancy_case(TenancyCase(Scan, make=_scan, create_payload=lambda world, org: {"site": _site(world, org).pk}))
tenancy_case(TenancyCase(Finding, make=_finding))
