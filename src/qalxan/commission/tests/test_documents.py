"""The protocol document: every decision and task with its deadline, in three languages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from qalxan.commission import documents, services
from qalxan.commission.tests.factories import approved, commission

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_protocol_docx_contains_every_decision_and_task_with_its_deadline(world: Any) -> None:
    c = commission(world, items=3)
    services.update_agenda_item(
        actor=c.secretary, item=c.meeting.agenda_items.first(), summary="Müzakirə xülasəsi"
    )
    version = services.generate_protocol_draft(actor=c.secretary, meeting=c.meeting)
    text = _docx_text(documents.protocol_docx(version.content, "az"))
    for decision in c.decisions:
        assert decision.text in text
    for task in c.tasks:
        assert task.text in text
        assert task.deadline.strftime("%d.%m.%Y") in text
    assert world.ministry.name_az in text and world.subordinate.name_az in text  # responsible, co-executor
    assert "Müzakirə xülasəsi" in text and "Sədr Sədrov" in text and "Katib Katibova" in text
    assert "PROTOKOL" in text.upper()


def test_the_approved_protocol_carries_its_number_in_every_language(world: Any) -> None:
    c = approved(world, items=2)
    final = c.meeting.protocol.versions.get(is_final=True)
    number = c.meeting.protocol.number
    english = _docx_text(documents.protocol_docx(final.content, "en"))
    russian = _docx_text(documents.protocol_docx(final.content, "ru"))
    assert f"PROTOCOL No. {number}" in english and "DECIDED:" in english
    assert number in russian and "ПРОТОКОЛ" in russian
    assert world.ministry.name_en in english and world.ministry.name_ru in russian
    for task in c.tasks:
        assert task.text in english and task.deadline.strftime("%d.%m.%Y") in english
    pdf = documents.protocol_pdf(final.content, "az")
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_letter_documents(world: Any) -> None:
    c = approved(world, items=1)
    letter = services.letters_from_decision(actor=c.secretary, decision=c.decisions[0])[0]
    services.register_letter(actor=c.secretary, letter=letter)
    text = _docx_text(documents.letter_docx(letter, "az"))
    assert letter.number in text and c.decisions[0].text in text
    assert documents.letter_pdf(letter, "ru").startswith(b"%PDF")
