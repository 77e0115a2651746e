from typing import Any

import pytest


@pytest.fixture(autouse=True)
def incidents_reference(db: Any) -> None:
    """RSIT and SLAs (a flushed test database lost the data migration's rows)."""
    from qalxan.incidents.models import SeverityPolicy, TaxonomyClass, TaxonomyType
    from qalxan.incidents.taxonomy import ensure_reference_data
    from qalxan.organizations.models import Sector
    from qalxan.organizations.sectors import ensure_sectors

    ensure_sectors(Sector)
    ensure_reference_data(TaxonomyClass, TaxonomyType, SeverityPolicy)
    from qalxan.incidents.services import forget_policies

    forget_policies()
