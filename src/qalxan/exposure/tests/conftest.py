from collections.abc import Iterator
from typing import Any

import pytest

from qalxan.exposure.tests import sites
from qalxan.exposure.testserver import LoopbackServer


@pytest.fixture(scope="session")
def loopback() -> Iterator[LoopbackServer]:
    """Planted test sites on 127.0.0.1, with a certificate authority made for the session."""
    server = LoopbackServer(
        [sites.portal(), sites.legacy(), sites.wrong_host(), sites.unreachable(), sites.endless()]
    ).start()
    yield server
    server.stop()


@pytest.fixture
def scanner_settings(settings: Any, loopback: LoopbackServer) -> LoopbackServer:
    """The scanner reaches only the loopback sites: no DNS, loopback networks only."""
    settings.EXPOSURE_RESOLVE = loopback.resolve_setting()
    settings.EXPOSURE_DNS = False
    settings.EXPOSURE_ALLOW_NETWORKS = "127.0.0.0/8 ::1"
    settings.EXPOSURE_CA_BUNDLE = loopback.ca_file
    settings.EXPOSURE_HOST_DELAY = 0.0
    settings.EXPOSURE_TIMEOUT = 2.0
    settings.EXPOSURE_MAX_PAGE_BYTES = 1024 * 1024
    settings.EXPOSURE_MAX_DOCUMENT_BYTES = 1024 * 1024
    settings.EXPOSURE_HASH_KEY = "test-key"
    return loopback


@pytest.fixture
def reference(db: Any) -> None:
    from qalxan.organizations.models import Sector
    from qalxan.organizations.sectors import ensure_sectors

    ensure_sectors(Sector)
