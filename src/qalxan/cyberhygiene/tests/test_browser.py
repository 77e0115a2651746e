"""In a real browser: an analyst ingests a leak, the institution confirms an account, the figures show it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qalxan.core.testing import screenshot, sign_in
from qalxan.cyberhygiene.models import Exposure, Leak
from qalxan.cyberhygiene.tests import leakfiles as lf

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_analyst_ingests_and_institution_confirms(page: Any, world: Any, tmp_path: Path) -> None:
    lf.register_domains(world)
    combo = lf.combolist(tmp_path / "combo.txt")
    sign_in(page, "analyst")
    page.goto(f"{page.base}/cyberhygiene/leaks/add/")
    page.fill("#id_name", "Telegram combo list")
    page.fill("#id_source", "t.me/somechannel")
    page.set_input_files("#id_uploads", str(combo))
    screenshot(page, "cyberhygiene-upload")
    page.click("[data-testid=leak-form] button.primary")
    page.wait_for_selector("[data-testid=leak-state]")
    page.wait_for_function("document.querySelector('[data-testid=leak-state]').textContent.trim().length > 0")
    leak = Leak.objects.get()
    page.reload()
    assert page.inner_text("[data-testid=matched]").strip() == str(len(lf.COMBO_PLANTED))
    screenshot(page, "cyberhygiene-leak")
    assert leak.pk
    page.click("[data-testid=logout]")

    sign_in(page, "officer.a")
    exposure = Exposure.objects.filter(organization=world.ministry).order_by("id").first()
    page.goto(f"{page.base}/cyberhygiene/accounts/")
    assert exposure.login_masked in page.inner_text("[data-testid=exposure-table]")
    page.goto(f"{page.base}/cyberhygiene/accounts/{exposure.pk}/")
    form = page.locator("[data-testid=confirm-form]")
    form.locator("input[value=reset_password]").check()
    form.locator("input[value=enforce_2fa]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages")
    exposure.refresh_from_db()
    assert exposure.state == "resolved"
    page.goto(f"{page.base}/cyberhygiene/")
    screenshot(page, "cyberhygiene-dashboard")
    assert page.inner_text("[data-testid=staff]").strip() != ""
