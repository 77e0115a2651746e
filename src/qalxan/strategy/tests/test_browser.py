"""In the browser: an institution officer submits a progress report; the strategy officer accepts it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qalxan.core.testing import screenshot, sign_in
from qalxan.strategy.choices import ActionStatus, ReportState
from qalxan.strategy.models import Action, ProgressReport
from qalxan.strategy.tests.factories import make_action, make_plan


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_institution_submits_a_progress_report(page: Any, world: Any) -> None:
    plan = make_plan()
    action = make_action(plan.direction, world.ministry, "1.1.1", deadline=dt.date(2026, 12, 31))
    make_action(plan.direction, world.other, "1.1.2")  # not the ministry's: not listed for it

    sign_in(page, "officer.a")
    page.goto(page.base + "/strategy/actions/")
    assert page.locator("#object-table").get_by_text("Tədbir 1.1.2").count() == 0
    page.get_by_role("link", name="Tədbir 1.1.1").click()
    page.locator("a.btn.primary[href$='/report/']").click()
    page.select_option("#id_organization", str(world.ministry.pk))
    page.select_option("#id_period", str(plan.period.pk))
    page.select_option("#id_status", ActionStatus.DONE)
    page.fill("#id_completed_on", "2025-11-20")
    page.fill("#id_narrative", "Qayda hazırlanıb və təsdiqə təqdim olunub.")
    page.set_input_files(
        "#id_evidence_file",
        files=[{"name": "akt.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 evidence"}],
    )
    screenshot(page, "strategy-report-form")
    page.click("button[name=submit]")
    page.wait_for_selector("#report-state")
    screenshot(page, "strategy-report-submitted")
    report = ProgressReport.objects.get()
    assert report.state == ReportState.SUBMITTED and report.evidence.count() == 1
    assert page.get_by_text("akt.pdf").count() == 1

    page.context.clear_cookies()
    sign_in(page, "strategy_officer")
    page.goto(page.base + report.get_absolute_url())
    page.locator("button[value=accept]").click()
    page.wait_for_selector("#report-state")
    screenshot(page, "strategy-report-accepted")
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    assert Action.objects.get(pk=action.pk).status == ActionStatus.DONE
    page.goto(page.base + plan.strategy.get_absolute_url())
    screenshot(page, "strategy-status")
    page.goto(page.base + "/strategy/")
    screenshot(page, "strategy-dashboard")
