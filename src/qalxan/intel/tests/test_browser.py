"""In a real browser: an analyst pastes defanged indicators, previews them and saves; an officer reads one."""

from typing import Any

import pytest

from qalxan.core.testing import screenshot, sign_in
from qalxan.intel.models import Indicator

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_analyst_pastes_indicators(page: Any, world: Any) -> None:
    from qalxan.intel.models import WarningList, WarningListEntry
    from qalxan.intel.warninglists import ensure_builtin

    ensure_builtin(WarningList, WarningListEntry)
    sign_in(page, "analyst")
    page.goto(f"{page.base}/intel/add/")
    page.fill("#id_text", "C2: hxxp://evil[.]az/login 185.220.101[.]47\nresolver 8.8.8.8")
    page.select_option("#id_tlp", "GREEN")
    page.click("[data-testid=preview]")
    page.wait_for_selector("[data-testid=preview-table]")
    assert page.locator("[data-testid=preview-table] .tag.warn").count() == 1
    screenshot(page, "intel-paste-preview")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=indicator-table]")
    assert Indicator.objects.count() == 3
    page.click("text=http://evil.az/login")
    page.wait_for_selector("[data-testid=reports]")
    page.click("[data-testid=logout]")

    sign_in(page, "officer.a")
    target = Indicator.objects.get(value="185.220.101.47")
    page.goto(f"{page.base}/intel/indicators/{target.pk}/")
    assert "0" in page.inner_text("[data-testid=others]")  # nobody else reported it; never who
    screenshot(page, "intel-indicator-officer")
