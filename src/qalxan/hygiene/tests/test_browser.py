"""In a real browser: an officer uploads an osquery log, reads the institution's figures and an endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from qalxan.core.testing import screenshot, sign_in
from qalxan.hygiene.models import Endpoint
from qalxan.hygiene.tests.factories import osquery_lines, registry, snapshot_line

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_officer_uploads_an_inventory_and_drills_down(page: Any, world: Any, tmp_path: Path) -> None:
    registry()
    now = int(timezone.now().timestamp())
    log = tmp_path / "osqueryd.results.log"
    log.write_bytes(
        osquery_lines(
            snapshot_line(
                "ws-101",
                "system_info",
                [{"hostname": "ws-101.min-a.gov.az", "hardware_serial": "PF1", "uuid": "U-101"}],
                unix=now,
            ),
            snapshot_line(
                "ws-101",
                "os_version",
                [{"name": "Microsoft Windows 11 Pro", "version": "10.0.22631", "platform": "windows"}],
                unix=now,
            ),
            snapshot_line(
                "ws-101",
                "programs",
                [
                    {"name": "Google Chrome", "version": "119.0.6045.160", "publisher": "Google LLC"},
                    {
                        "name": "Microsoft Office Professional Plus 2019",
                        "version": "16.0.10386.20017",
                        "publisher": "Microsoft Corporation",
                    },
                    {"name": "Intel(R) Graphics Driver", "version": "31.0", "publisher": "Intel Corporation"},
                ],
                unix=now,
            ),
            snapshot_line(
                "ws-102",
                "programs",
                [{"name": "Zoom", "version": "5.16", "publisher": "Zoom Video Communications, Inc."}],
                unix=now,
            ),
        )
    )
    sign_in(page, "officer.a")
    page.goto(f"{page.base}/hygiene/upload/")
    page.select_option("#id_organization", str(world.ministry.pk))
    page.set_input_files("#id_file", str(log))
    screenshot(page, "hygiene-upload")
    page.click("[data-testid=upload-form] button.primary")
    page.wait_for_selector("[data-testid=hygiene-figures]")
    assert Endpoint.objects.filter(organization=world.ministry).count() == 2
    assert "Office" in page.inner_text("body")
    screenshot(page, "hygiene-institution")
    screenshot(page, "hygiene-institution-figures")
    endpoint = Endpoint.objects.get(host_identifier="ws-101")
    page.goto(f"{page.base}/hygiene/endpoints/{endpoint.pk}/")
    software = page.inner_text("[data-testid=software]")
    assert "Google Chrome" in software
    # The driver is ignored by a rule.
    assert "Intel(R) Graphics Driver" in page.inner_text("[data-testid=software] tr.muted")
    assert "QLX-DEMO-0006" in page.inner_text("body")
    screenshot(page, "hygiene-endpoint")
    page.goto(f"{page.base}/hygiene/")
    assert "MIN-A" in page.inner_text("[data-testid=institutions]")
    screenshot(page, "hygiene-dashboard")


@pytest.mark.django_db(transaction=True)
def test_admin_changes_the_score_weights_after_a_refusal(page: Any, world: Any) -> None:
    from qalxan.hygiene.models import ScoreWeights

    registry()
    rows = ScoreWeights.objects.count()
    sign_in(page, "admin")
    page.goto(f"{page.base}/hygiene/weights/")
    for field in ("licence", "coverage", "exposure", "freshness"):
        page.fill(f"#id_{field}", "0")
    page.click("[data-testid=weights-form] button.primary")
    page.wait_for_selector("[data-testid=form-errors]")
    assert ScoreWeights.objects.count() == rows
    screenshot(page, "hygiene-weights-refused")
    page.fill("#id_coverage", "70")
    page.fill("#id_freshness", "30")
    page.click("[data-testid=weights-form] button.primary")
    newest = "[data-testid=weights-history] tbody tr:first-child"
    page.wait_for_selector(f"{newest} td:nth-child(3):has-text('70')")
    assert ScoreWeights.objects.count() == rows + 1
    assert str(ScoreWeights.objects.order_by("-id").first()) == "0/70/0/30"
    assert page.inner_text(newest).split("\t")[1:] == ["0", "70", "0", "30", "14"]
    assert not page.query_selector("[data-testid=form-errors]")
    screenshot(page, "hygiene-weights")
