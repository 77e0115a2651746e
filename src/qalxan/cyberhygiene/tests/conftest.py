from typing import Any

import pytest


@pytest.fixture(autouse=True)
def incidents_reference(db: Any) -> None:
    """RSIT and SLAs for incidents opened from stealer victims (a flushed test database lost them)."""
    from qalxan.incidents.models import SeverityPolicy, TaxonomyClass, TaxonomyType
    from qalxan.incidents.services import forget_policies
    from qalxan.incidents.taxonomy import ensure_reference_data
    from qalxan.organizations.models import Sector
    from qalxan.organizations.sectors import ensure_sectors

    ensure_sectors(Sector)
    ensure_reference_data(TaxonomyClass, TaxonomyType, SeverityPolicy)
    forget_policies()


@pytest.fixture
def domains(world: Any) -> Any:
    """Registered domains of the world: ministry, its subordinate (under the ministry's domain), the other
    ministry, and a state portal of the other ministry."""
    from qalxan.cyberhygiene.tests.leakfiles import register_domains

    return register_domains(world)
