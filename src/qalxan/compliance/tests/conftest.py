from typing import Any

import pytest


@pytest.fixture(autouse=True)
def national_sectors(db: Any) -> None:
    """The national sectors (a flushed test database lost the data migration's rows)."""
    from qalxan.organizations.models import Sector
    from qalxan.organizations.sectors import ensure_sectors

    ensure_sectors(Sector)


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages checked by the tests are the English source texts."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def catalogues(db: Any) -> Any:
    """The two shipped sample catalogues and their mappings."""
    from qalxan.compliance.samples import ensure_samples

    return ensure_samples()
