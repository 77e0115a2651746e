"""In a real Chromium: the secretary builds a meeting from proposals, records decisions and tasks,
and generates and approves the protocol."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from qalxan.commission import services
from qalxan.commission.choices import MemberRole
from qalxan.commission.models import Decision, Meeting, Task
from qalxan.core.testing import screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_secretary_builds_a_meeting_from_proposals_and_generates_the_protocol(
    page: Any, world: Any, tmp_path: Path
) -> None:
    secretary, officer = world.users["secretary"], world.users["officer_a"]
    services.save_member(
        actor=secretary,
        organization=world.authority,
        full_name="Sədr Sədrov",
        position="Rəis",
        role=MemberRole.CHAIR,
    )
    services.save_member(
        actor=secretary,
        organization=world.other,
        user=world.users["commission_member"],
        full_name="Üzv Üzvov",
        position="Nazir müavini",
        role=MemberRole.MEMBER,
    )
    proposals = [
        services.submit_proposal(
            actor=officer,
            organization=world.ministry,
            topic="Mərkəzləşdirilmiş antivirus",
            text="Təklif mətni",
        ),
        services.submit_proposal(
            actor=officer, organization=world.subordinate, topic="Lisenziyalı proqram təminatı", text="Təklif"
        ),
    ]
    sign_in(page, "secretary")
    page.goto(page.base + "/commission/meetings/add/")
    page.fill("#id_title", "Brauzer iclası")
    page.fill("#id_starts_at", "2026-12-15T11:00")
    page.fill("#id_place", "Bakı, iclas zalı")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("[data-testid=meeting-status]")
    meeting = Meeting.objects.get(title="Brauzer iclası")

    for proposal in proposals:
        page.select_option("#id_origin", f"proposal:{proposal.pk}")
        page.click("[data-testid=agenda-form] button[type=submit]")
        page.wait_for_selector(".messages")
    items = page.locator("[data-testid=agenda-item]")
    assert items.count() == 2
    assert "Mərkəzləşdirilmiş antivirus" in items.nth(0).inner_text()
    screenshot(page, "commission-meeting-agenda")

    page.click("[data-testid=meeting-hold]")
    page.wait_for_selector(".messages")
    for index, (decision_text, task_text) in enumerate(
        [
            ("Antivirus bütün qurumlarda tətbiq edilsin.", "Agentləri quraşdırmaq"),
            ("Lisenziyasız proqramlar əvəz edilsin.", "İnventarlaşdırma aparmaq"),
        ]
    ):
        card = page.locator("[data-testid=agenda-item]").nth(index)
        card.locator("textarea[data-testid^=summary]").evaluate("e => e.closest('details').open = true")
        card.locator("textarea[data-testid^=summary]").fill(f"Müzakirə {index + 1}")
        card.locator("form:has(textarea[data-testid^=summary]) button[type=submit]").click()
        page.wait_for_selector(".messages")
        card = page.locator("[data-testid=agenda-item]").nth(index)
        decision_form = card.locator("form:has([data-testid=record-decision])")
        decision_form.locator("textarea[name=text]").fill(decision_text)
        decision_form.locator("[data-testid=record-decision]").click()
        page.wait_for_selector(".messages")
        card = page.locator("[data-testid=agenda-item]").nth(index)
        task_form = card.locator("form:has([data-testid=add-task])")
        task_form.evaluate("e => e.closest('details').open = true")
        task_form.locator("textarea[name=text]").fill(task_text)
        task_form.locator("select[name=responsible]").select_option(str(world.ministry.pk))
        task_form.locator("select[name=co_executors]").select_option([str(world.subordinate.pk)])
        task_form.locator("input[name=deadline]").fill(f"2027-0{index + 2}-15")
        task_form.locator("[data-testid=add-task]").click()
        page.wait_for_selector(".messages")
    assert Task.objects.filter(decision__meeting=meeting).count() == 2
    screenshot(page, "commission-meeting-decisions")

    for decision in Decision.objects.filter(meeting=meeting):
        page.goto(page.base + decision.get_absolute_url())
        page.click("[data-testid=decision-adopt]")
        page.wait_for_selector(".messages")
    page.goto(page.base + meeting.get_absolute_url())
    page.click("[data-testid=generate-protocol]")
    page.wait_for_selector(".messages")
    screenshot(page, "commission-protocol-draft")
    page.wait_for_selector("[data-testid=protocol-docx-az-1]")
    with page.expect_download() as download:
        page.click("[data-testid=protocol-docx-az-1]")
    path = tmp_path / "protocol.docx"
    download.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    text = "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
    for expected in (
        "Antivirus bütün qurumlarda",
        "Agentləri quraşdırmaq",
        "15.02.2027",
        "İnventarlaşdırma",
        "15.03.2027",
    ):
        assert expected in text

    page.click("[data-testid=approve-protocol]")
    page.wait_for_selector("[data-testid=locked]")
    assert "KK-" in page.inner_text("[data-testid=protocol-status]")
    assert page.locator("[data-testid=generate-protocol]").count() == 0  # immutable now
    screenshot(page, "commission-meeting-approved")
    page.goto(page.base + "/commission/")
    screenshot(page, "commission-dashboard")
