from typing import Any

import pytest


@pytest.fixture(autouse=True)
def registry_reference(db: Any) -> None:
    """Subsectors, criteria and category rules (a flushed test database lost the data migration's rows)."""
    from qalxan.organizations.models import Sector
    from qalxan.organizations.sectors import ensure_sectors
    from qalxan.registry.reference import ensure_reference_data

    ensure_sectors(Sector)
    ensure_reference_data()
