"""The annual monitoring report and the importer of action plans."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from qalxan.core.importers import get as get_importer
from qalxan.strategy import indices, services
from qalxan.strategy.models import Action
from qalxan.strategy.tests.factories import make_action

pytestmark = pytest.mark.django_db


def _indicators(world: Any, plan: Any) -> None:
    officer = world.users["strategy_officer"]
    make_action(plan.direction, world.ministry, "A1", deadline=dt.date(2024, 1, 31))
    computed = services.create_indicator(
        actor=officer,
        strategy=plan.strategy,
        code="G2",
        name_az="Gecikən tədbirlər",
        name_en="Overdue actions",
        unit="ədəd",
        metric="strategy.overdue_actions",
        targets={2025: Decimal(0)},
    )
    services.compute_indicator(actor=officer, indicator=computed, on=dt.date(2025, 6, 30))
    manual = services.create_indicator(
        actor=officer,
        strategy=plan.strategy,
        code="G4",
        name_az="Kompromitasiya olunmuş qulluqçular",
        unit="nəfər",
    )
    services.record_value(actor=officer, indicator=manual, on=dt.date(2025, 6, 30), value=Decimal(95))
    indices.load_frameworks()


def test_annual_report_docx_contains_the_indicators(world: Any, plan: Any) -> None:
    from docx import Document

    from qalxan.strategy.documents import annual_report_docx

    _indicators(world, plan)
    document = Document(io.BytesIO(annual_report_docx(plan.strategy, 2025)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "G2 Gecikən tədbirlər" in text and "G4 Kompromitasiya olunmuş qulluqçular" in text
    assert "İllik monitorinq hesabatı 2025" in text  # Azerbaijani by default
    assert "Tədbir A1" in "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )  # overdue
    assert len(document.inline_shapes) >= 2  # the indicators' charts
    english = Document(io.BytesIO(annual_report_docx(plan.strategy, 2025, "en")))
    assert "G2 Overdue actions" in "\n".join(p.text for p in english.paragraphs)


def test_annual_report_pages(world: Any, plan: Any) -> None:
    _indicators(world, plan)
    client = Client()
    client.force_login(world.users["strategy_officer"])
    pdf = client.get(f"/strategy/strategies/{plan.strategy.pk}/report/pdf/?year=2025&lang=ru")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/strategy/strategies/{plan.strategy.pk}/report/docx/?year=abc&lang=xx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    client.force_login(world.users["officer_a"])
    assert client.get(f"/strategy/strategies/{plan.strategy.pk}/report/docx/").status_code == 403


def _xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


HEADER = [
    "strategy",
    "direction",
    "code",
    "title",
    "responsible",
    "co_executors",
    "start_year",
    "deadline",
    "expected_result",
    "financing_source",
]


def test_action_plan_xlsx_with_bad_rows_writes_nothing(world: Any, plan: Any) -> None:
    importer = get_importer("strategy-actions")(world.users["strategy_officer"])
    content = _xlsx(
        [
            HEADER,
            [
                plan.strategy.code,
                "1.1",
                "1.1.1",
                "Yaxşı sətir",
                world.ministry.code,
                "",
                2024,
                dt.date(2025, 12, 31),
                "",
                "",
            ],
            [
                plan.strategy.code,
                "9.9",
                "1.1.2",
                "Naməlum istiqamət",
                world.ministry.code,
                "",
                2024,
                dt.date(2025, 1, 1),
                "",
                "",
            ],
            [
                plan.strategy.code,
                "1.1",
                "1.1.3",
                "Naməlum icraçı",
                "nobody",
                "ghost",
                2024,
                "2025-13-45",
                "",
                "gold",
            ],
            [
                plan.strategy.code,
                "1.1",
                "1.1.4",
                "Tarix səhvi",
                world.ministry.code,
                "",
                2026,
                dt.date(2025, 1, 1),
                "",
                "",
            ],
        ]
    )
    result = importer.run(filename="plan.xlsx", content=content, commit=True)
    assert not result.committed
    errors = {(e.row, e.field) for e in result.errors}
    assert {
        (3, "direction"),
        (4, "responsible"),
        (4, "co_executors"),
        (4, "deadline"),
        (4, "financing_source"),
        (5, "deadline"),
    } <= errors
    assert not Action.objects.exists()


def test_action_plan_xlsx_commits(world: Any, plan: Any) -> None:
    importer = get_importer("strategy-actions")(world.users["strategy_officer"])
    content = _xlsx(
        [
            HEADER,
            [
                plan.strategy.code,
                "1.1",
                "1.1.1",
                "Risk reyestri",
                world.authority.code,
                f"{world.agency.code}; {world.ministry.code}",
                2023,
                dt.date(2024, 12, 31),
                "Qayda təsdiq edilib",
                "state_budget",
            ],
            [
                plan.strategy.code,
                "1.2",
                "1.2.1",
                "KİI siyahısı",
                world.agency.code,
                "",
                2024,
                dt.date(2025, 6, 30),
                "",
                "",
            ],
        ]
    )
    result = importer.run(filename="plan.xlsx", content=content, commit=True)
    assert result.committed and result.created == 2, result.errors
    action = Action.objects.get(code="1.1.1")
    assert set(action.co_executors.values_list("code", flat=True)) == {world.agency.code, world.ministry.code}
    denied = get_importer("strategy-actions")(world.users["officer_a"])
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        denied.run(filename="plan.xlsx", content=content, commit=True)
