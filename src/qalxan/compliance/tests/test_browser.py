"""In a real browser: an institution officer answers every requirement of an assessment and submits it."""

from __future__ import annotations

from typing import Any

import pytest

from qalxan.compliance.models import Assessment
from qalxan.compliance.tests.factories import campaign, small_catalogue
from qalxan.core.testing import screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_officer_answers_and_submits_an_assessment(page: Any, world: Any) -> None:
    from qalxan.organizations.models import Sector
    from qalxan.organizations.sectors import ensure_sectors

    ensure_sectors(Sector)
    run = campaign(world, small_catalogue((2, 1, 3)), [world.ministry], title="Kİİ tələbləri 2026")
    assessment = run.assessments.get()
    sign_in(page, "officer.a")
    page.goto(f"{page.base}/compliance/")
    page.click("text=Kİİ tələbləri 2026")
    page.wait_for_selector("[data-testid=state]")
    rows = page.locator("tr[data-testid=item]")
    assert rows.count() == 3
    answers = [
        ("compliant", ""),
        ("partial", "Yalnız mərkəzi ofisdə tətbiq edilib"),
        ("non_compliant", "Plan hazırlanır"),
    ]
    for i, (answer, comment) in enumerate(answers):
        row = page.locator("tr[data-testid=item]").nth(i)
        row.locator("select").select_option(answer)
        row.locator("textarea").fill(comment)
        row.locator("[data-testid=save]").click()
        page.locator("tr[data-testid=item]").nth(i).locator("[data-testid=saved]").wait_for()
    # A partial answer without a comment is refused in place.
    first = page.locator("tr[data-testid=item]").nth(1)
    first.locator("textarea").fill("")
    first.locator("[data-testid=save]").click()
    page.locator("tr[data-testid=item]").nth(1).locator("[data-testid=error]").wait_for()
    row = page.locator("tr[data-testid=item]").nth(1)
    row.locator("textarea").fill("Yalnız mərkəzi ofisdə tətbiq edilib")
    row.locator("[data-testid=save]").click()
    page.locator("tr[data-testid=item]").nth(1).locator("[data-testid=saved]").wait_for()
    page.reload()
    screenshot(page, "compliance-answered")
    assert page.inner_text("[data-testid=progress]").replace(" ", "") == "3/3"
    page.click("[data-testid=step-submit]")
    page.wait_for_selector(".messages")
    assessment.refresh_from_db()
    assert assessment.state == "submitted"
    assert assessment.items.filter(answer="partial").get().comment == "Yalnız mərkəzi ofisdə tətbiq edilib"
    # Submitted: the form is gone, the answers are shown.
    assert page.locator("tr[data-testid=item] select").count() == 0
    assert Assessment.objects.get().submitted_by == world.users["officer_a"]
    screenshot(page, "compliance-submitted")
