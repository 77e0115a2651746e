"""Tenancy cases of the registry API (see tests/test_tenancy_walk.py)."""

import uuid

from qalxan.core.testing import TenancyCase, tenancy_case
from qalxan.organizations.models import Sector
from qalxan.registry.models import CriticalityCriterion, InformationSystem, SpecialRequirements


def _system(world, org):
    return InformationSystem.objects.create(
        name_az=f"Walk {uuid.uuid4().hex}",
        kind="website",
        sector=Sector.objects.first(),
        owner=org,
        hosting="azstatenet",
    )


def _document(world, org):
    return SpecialRequirements.objects.create(
        system=_system(world, org), version=1, filename="x.pdf", sha256="0" * 64, size=1, file="x.pdf"
    )


tenancy_case(
    TenancyCase(
        InformationSystem,
        make=_system,
        create_payload=lambda world, org: {
            "name_az": "Intruder",
            "kind": "website",
            "sector": "energy",
            "owner": org.pk,
            "hosting": "azstatenet",
        },
        marker=lambda system: system.name_az,
    )
)
tenancy_case(TenancyCase(SpecialRequirements, make=_document))
tenancy_case(
    TenancyCase(
        CriticalityCriterion, reference=True, make=lambda world, org: CriticalityCriterion.objects.first()
    )
)
