"""In a real browser: an officer reports an incident, an analyst triages it."""

from __future__ import annotations

from typing import Any

import pytest

from qalxan.core.testing import screenshot, sign_in
from qalxan.incidents.models import Incident
from qalxan.incidents.tests.factories import system

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_officer_reports_and_analyst_triages(page: Any, world: Any) -> None:
    cii = system(world.ministry, cii=True)
    sign_in(page, "officer.a")
    page.goto(f"{page.base}/incidents/report/")
    page.select_option("#id_organization", str(world.ministry.pk))
    page.fill("#id_title", "Fidyə proqramı serverləri şifrələyib")
    page.fill("#id_description", "Fayl serverində fayllar şifrələnib.")
    page.select_option("#id_affected_systems", str(cii.pk))
    page.fill("#id_impact", "Sənəd dövriyyəsi dayanıb.")
    page.select_option(
        "#id_taxonomy_type", label=page.locator("#id_taxonomy_type option").nth(5).inner_text()
    )
    page.select_option("#id_tlp", "AMBER")
    page.fill("#id_indicators", "185.220.101.4")
    screenshot(page, "incidents-report-form")
    page.click("[data-testid=incident-form] button.primary")
    page.wait_for_selector("[data-testid=state]")
    incident = Incident.objects.get()
    assert incident.severity == "high" and incident.state == "reported"
    screenshot(page, "incidents-reported")
    page.click("[data-testid=logout]")

    sign_in(page, "analyst")
    page.goto(f"{page.base}/incidents/{incident.pk}/")
    # The report's indicator was recognised after the commit and is shown with the report.
    assert "185.220.101.4" in page.inner_text("[data-testid=incident-indicators]")
    page.click("details[data-step=accept] summary")
    form = page.locator("details[data-step=accept] form")
    form.locator("select[name=severity]").select_option("critical")
    form.locator("textarea[name=message]").fill("Qəbul edildi")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".messages")
    incident.refresh_from_db()
    assert incident.state == "triaged" and incident.severity == "critical"
    assert "Qəbul edildi" in page.inner_text("[data-testid=timeline]")
    screenshot(page, "incidents-triaged")
