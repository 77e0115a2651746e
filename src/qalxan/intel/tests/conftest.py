from typing import Any

import pytest


@pytest.fixture(autouse=True)
def intel_reference(db: Any) -> None:
    """Warning lists and the incidents' reference data (a flushed test database lost the migrations' rows)."""
    from qalxan.incidents.models import SeverityPolicy, TaxonomyClass, TaxonomyType
    from qalxan.incidents.services import forget_policies
    from qalxan.incidents.taxonomy import ensure_reference_data
    from qalxan.intel.models import WarningList, WarningListEntry
    from qalxan.intel.warninglists import ensure_builtin
    from qalxan.organizations.models import Sector
    from qalxan.organizations.sectors import ensure_sectors

    ensure_sectors(Sector)
    ensure_reference_data(TaxonomyClass, TaxonomyType, SeverityPolicy)
    forget_policies()
    ensure_builtin(WarningList, WarningListEntry)
