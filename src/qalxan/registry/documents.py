"""Exports (CSV, XLSX, JSON) and the official registry extract (DOCX, PDF)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qalxan.core.exports import csv_response
from qalxan.core.tenancy import scope
from qalxan.registry.models import InformationSystem

COLUMNS = [
    "registry_number",
    "name_az",
    "name_en",
    "name_ru",
    "kind",
    "sector",
    "subsector",
    "owner",
    "operator",
    "hosting",
    "holds_personal_data",
    "personal_data_registration",
    "state",
    "category",
    "supervising_agency",
    "decision_reference",
    "decision_date",
    "review_due_date",
    "services",
]
SENSITIVE = [
    "ip_ranges",
    "domains",
    "depends_on",
    "responsible_name",
    "responsible_email",
    "responsible_phone",
    "secure_contact",
]


def _rows(queryset: QuerySet[InformationSystem], user: Any) -> Iterator[dict[str, Any]]:
    sensitive = scope(user, "registry.view_sensitive")
    qs = queryset.select_related("sector", "subsector", "owner", "operator").prefetch_related(
        "ip_ranges", "domains", "dependency_edges"
    )
    for start in range(0, 10**9, 2000):
        batch = list(qs[start : start + 2000])
        if not batch:
            return
        for s in batch:
            row: dict[str, Any] = {
                "registry_number": s.registry_number,
                "name_az": s.name_az,
                "name_en": s.name_en,
                "name_ru": s.name_ru,
                "kind": s.kind,
                "sector": s.sector.code,
                "subsector": s.subsector.code if s.subsector else "",
                "owner": s.owner.code,
                "operator": s.operator.code if s.operator else "",
                "hosting": s.hosting,
                "holds_personal_data": s.holds_personal_data,
                "personal_data_registration": s.personal_data_registration,
                "state": s.state,
                "category": s.category,
                "supervising_agency": s.supervising_agency,
                "decision_reference": s.decision_reference,
                "decision_date": s.decision_date.isoformat() if s.decision_date else "",
                "review_due_date": s.review_due_date.isoformat() if s.review_due_date else "",
                "services": s.services,
            }
            if s.owner_id in sensitive:
                row.update(
                    {
                        "ip_ranges": ";".join(r.cidr for r in s.ip_ranges.all()),
                        "domains": ";".join(d.domain for d in s.domains.all()),
                        "depends_on": ";".join(f"RS-{e.depends_on_id:06d}" for e in s.dependency_edges.all()),
                        "responsible_name": s.responsible_name,
                        "responsible_email": s.responsible_email,
                        "responsible_phone": s.responsible_phone,
                        "secure_contact": s.secure_contact,
                    }
                )
            else:
                row.update(dict.fromkeys(SENSITIVE, ""))
            yield row


def _filename(extension: str) -> str:
    return f"qalxan-registry-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def export(
    queryset: QuerySet[InformationSystem], user: Any, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """The filtered registry as CSV, XLSX or JSON; sensitive columns only where the person may see them."""
    header = COLUMNS + SENSITIVE
    if fmt == "csv":
        return csv_response(
            _filename("csv"), header, ([row[c] for c in header] for row in _rows(queryset, user))
        )
    if fmt == "json":

        def stream() -> Iterator[str]:
            yield "["
            for index, row in enumerate(_rows(queryset, user)):
                yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
            yield "]"

        streaming = StreamingHttpResponse(stream(), content_type="application/json")
        streaming["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
        return streaming
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("registry")
        sheet.append(header)
        for row in _rows(queryset, user):
            sheet.append([row[c] for c in header])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
        return response
    raise ValueError(fmt)


def extract_context(systems: list[InformationSystem], language: str) -> dict[str, Any]:
    now = timezone.localtime()
    with translation.override(language):
        return {
            "language": language,
            "title": _(
                "Extract from the registry of critical information infrastructure and state information "
                "systems"
            ),
            "number": f"ÇX-{now:%Y%m%d-%H%M%S}",
            "date": now.date().isoformat(),
            "issued_label": _("Extract number and date"),
            "headers": [
                _("Registry number"),
                _("Name"),
                _("Kind"),
                _("Sector"),
                _("Subject"),
                _("State"),
                _("CII category"),
                _("Decision"),
                _("Next review"),
            ],
            "rows": [
                [
                    s.registry_number,
                    s.name,
                    s.get_kind_display(),
                    s.sector.name,
                    s.owner.name,
                    s.get_state_display(),
                    s.category or "—",
                    f"{s.decision_reference} ({s.decision_date})" if s.decision_reference else "—",
                    s.review_due_date.isoformat() if s.review_due_date else "—",
                ]
                for s in systems
            ],
            "count_label": _("Objects listed: %(n)d") % {"n": len(systems)},
            "footer": _("Issued by the Qalxan registry. The registry numbers identify the objects."),
        }


def extract_docx(systems: list[InformationSystem], language: str = "az") -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    ctx = extract_context(systems, language)
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(9)
    document.add_heading(ctx["title"], level=1)
    document.add_paragraph(f"{ctx['issued_label']}: {ctx['number']}, {ctx['date']}")
    table = document.add_table(rows=1, cols=len(ctx["headers"]))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ctx["headers"], strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in ctx["rows"]:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    document.add_paragraph(ctx["count_label"])
    document.add_paragraph(ctx["footer"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def extract_pdf(systems: list[InformationSystem], language: str = "az") -> bytes:
    from weasyprint import HTML

    html = render_to_string("registry/extract_pdf.html", extract_context(systems, language))
    return HTML(string=html).write_pdf()
