"""In a real browser: an officer opens the institution's website, reads the findings, asks for a rescan."""

from __future__ import annotations

from typing import Any

import pytest

from qalxan.core.testing import screenshot, sign_in
from qalxan.exposure import services
from qalxan.exposure.models import Scan
from qalxan.exposure.tests.factories import website

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_officer_reads_findings_and_asks_for_a_rescan(page: Any, world: Any, scanner_settings: Any) -> None:
    site = website(world.ministry, "legacy.test", name="Nazirliyin rəsmi saytı")
    first = services.request_scan(actor=None, site=site, enqueue=False)
    services.run_scan(first.pk)
    sign_in(page, "officer.a")
    page.goto(f"{page.base}/exposure/sites/{site.pk}/")
    page.wait_for_selector("[data-testid=open-findings]")
    text = page.inner_text("[data-testid=open-findings]")
    assert "TLS" in text and "/.git/HEAD" in text
    screenshot(page, "exposure-site")
    page.click("[data-testid=scan-now]")
    page.wait_for_selector("[data-testid=active-scan], .messages")
    assert Scan.objects.filter(site=site).count() == 2


@pytest.mark.django_db(transaction=True)
def test_analyst_reads_the_national_dashboard(page: Any, world: Any, scanner_settings: Any) -> None:
    for owner, host in ((world.ministry, "legacy.test"), (world.other, "portal.test")):
        site = website(owner, host)
        services.run_scan(services.request_scan(actor=None, site=site, enqueue=False).pk)
    sign_in(page, "analyst")
    page.goto(f"{page.base}/exposure/dashboard/")
    page.wait_for_selector("[data-testid=by-institution]")
    rows = page.inner_text("[data-testid=by-institution]")
    assert "MIN-A\t1\t" in rows and "MIN-B\t1\t" in rows, rows
    screenshot(page, "exposure-dashboard")
