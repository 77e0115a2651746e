"""Tenancy cases of the hygiene API (see tests/test_tenancy_walk.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from qalxan.core.testing import TenancyCase, tenancy_case
from qalxan.hygiene.models import (
    CoverageStatus,
    Endpoint,
    Entitlement,
    Finding,
    InstitutionScore,
    InventorySnapshot,
    LicencePosition,
    LicensedProduct,
    NormalisationRule,
)
from qalxan.hygiene.tests.factories import endpoint_with_finding


def _finding(world: Any, org: Any) -> Finding:
    return endpoint_with_finding(org)


def _endpoint(world: Any, org: Any) -> Endpoint:
    return _finding(world, org).endpoint


def _product() -> LicensedProduct:
    return LicensedProduct.objects.get_or_create(vendor="Walk", product="Walk Suite")[0]


def _entitlement(world: Any, org: Any) -> Entitlement:
    return Entitlement.objects.create(
        organization=org,
        product=_product(),
        contract=f"W-{Entitlement.objects.count()}",
        seats=5,
        valid_from=dt.date(2026, 1, 1),
    )


def _position(world: Any, org: Any) -> LicencePosition:
    return LicencePosition.objects.update_or_create(
        organization=org,
        product=_product(),
        defaults={"installs": 3, "seats": 1, "over_use": 2, "status": "over_use"},
    )[0]


def _coverage(world: Any, org: Any) -> CoverageStatus:
    endpoint = _endpoint(world, org)
    return CoverageStatus.objects.filter(endpoint=endpoint).first() or CoverageStatus.objects.get()


def _score(world: Any, org: Any) -> InstitutionScore:
    return InstitutionScore.objects.create(
        organization=org,
        computed_at=timezone.now(),
        endpoints=1,
        licence=100,
        coverage=0,
        exposure=0,
        freshness=100,
        score=40,
    )


def _rule(world: Any, org: Any) -> NormalisationRule:
    # Reference data of the authority, owned by no institution: institutions' people neither read nor
    # change it (nor preview one, which counts installs across every institution).
    return NormalisationRule.objects.create(
        priority=90, name_pattern=r"^Walk Suite", vendor="Walk", product="Suite"
    )


def _snapshot(world: Any, org: Any) -> InventorySnapshot:
    return InventorySnapshot.objects.filter(organization=org).first() or _endpoint(world, org).last_snapshot  # type: ignore[return-value]


tenancy_case(
    TenancyCase(
        InventorySnapshot,
        make=_snapshot,
        create_payload=lambda world, org: {"organization": org.pk, "format": "csv"},
    )
)
tenancy_case(TenancyCase(Endpoint, make=_endpoint))
tenancy_case(TenancyCase(Finding, make=_finding))
tenancy_case(TenancyCase(CoverageStatus, make=_coverage))
tenancy_case(TenancyCase(LicencePosition, make=_position))
tenancy_case(TenancyCase(InstitutionScore, make=_score))
tenancy_case(
    TenancyCase(
        Entitlement,
        make=_entitlement,
        create_payload=lambda world, org: {
            "organization": org.pk,
            "product": _product().pk,
            "pool": "institution",
            "contract": "Intruder",
            "valid_from": "2026-01-01",
        },
    )
)
tenancy_case(
    TenancyCase(
        NormalisationRule,
        make=_rule,
        create_payload=lambda world, org: {"name_pattern": "^Intruder$", "vendor": "X", "product": "Y"},
        owner_ids=lambda obj: set(),
    )
)
