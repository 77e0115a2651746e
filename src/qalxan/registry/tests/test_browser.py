"""In a real browser: a supervisor designates an object, the subject files its special requirements."""

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from qalxan.core.testing import screenshot, sign_in
from qalxan.registry import services
from qalxan.registry.models import InformationSystem
from qalxan.registry.tests.factories import ANSWERS, system

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_supervisor_designates_and_subject_files_special_requirements(
    page: Any, world: Any, tmp_path: Path
) -> None:
    s = system(
        world.users["officer_a"], world.ministry, "Elektron xidmətlər portalı", ip_ranges=["85.132.16.0/24"]
    )
    supervisor = world.users["supervisor"]
    services.move_system(actor=supervisor, system=s, step="start_assessment")

    sign_in(page, "supervisor")
    page.goto(f"{page.base}/registry/{s.pk}/assess/")
    for code, value in ANSWERS.items():
        page.fill(f"#id_c_{code}", str(value))
    page.click("form.form button.primary")
    page.wait_for_selector(".messages")
    screenshot(page, "registry-assessed")
    assert "I" in page.inner_text(".messages")

    page.click("details[data-step=designate] summary")
    form = page.locator("details[data-step=designate] form")
    form.locator("input[name=decision_reference]").fill("DTX-Q-2026/14")
    form.locator("input[name=decision_date]").fill(timezone.localdate().isoformat())
    form.locator("select[name=category]").select_option("I")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=state]")
    assert InformationSystem.objects.get(pk=s.pk).state == "designated"
    screenshot(page, "registry-designated")
    page.click("[data-testid=logout]")

    sign_in(page, "officer.a")
    page.goto(f"{page.base}/registry/{s.pk}/")
    document = tmp_path / "xususi-telebler.pdf"
    document.write_bytes(b"%PDF-1.4\n% special requirements\n%%EOF")
    page.set_input_files("[data-testid=file-form] input[type=file]", str(document))
    page.click("[data-testid=file-form] button[type=submit]")
    page.wait_for_selector("[data-testid=special-requirements] td >> text=xususi-telebler.pdf")
    screenshot(page, "registry-special-requirements")
    assert s.special_requirements.count() == 1
    page.click("[data-testid=logout]")

    sign_in(page, "supervisor")
    page.goto(f"{page.base}/registry/{s.pk}/")
    page.select_option("[data-testid=review-form] select[name=decision]", "accept")
    page.click("[data-testid=review-form] button")
    page.wait_for_selector(".messages")
    assert s.special_requirements.get().status == "accepted"


@pytest.mark.django_db(transaction=True)
def test_subject_sees_only_its_own_systems(page: Any, world: Any) -> None:
    system(world.users["supervisor"], world.ministry, "Nazirliyin sistemi")
    system(world.users["supervisor"], world.other, "Başqa qurumun sistemi")
    sign_in(page, "officer.b")
    page.goto(f"{page.base}/registry/")
    table = page.inner_text("#object-table")
    assert "Başqa qurumun sistemi" in table and "Nazirliyin sistemi" not in table
    page.goto(f"{page.base}/registry/overview/")
    screenshot(page, "registry-overview-officer")
