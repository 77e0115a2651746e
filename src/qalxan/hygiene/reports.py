"""Licence reports as XLSX (openpyxl) and PDF (WeasyPrint)."""

from __future__ import annotations

import io
from typing import Any

from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.hygiene.models import LicencePosition


def _rows(positions: QuerySet[LicencePosition]) -> list[list[Any]]:
    return [
        [
            p.organization.short_name,
            str(p.product),
            p.installs,
            _("unlimited") if p.seats is None else p.seats,
            p.over_use,
            p.unlicensed,
            p.get_status_display(),
            ", ".join(p.expired_contracts),
        ]
        for p in positions
    ]


def headers() -> list[str]:
    return [
        _("Institution"),
        _("Product"),
        _("Installs"),
        _("Seats"),
        _("Over-use"),
        _("Unlicensed"),
        _("Status"),
        _("Expired contracts"),
    ]


def licence_xlsx(positions: QuerySet[LicencePosition]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Licences")[:31]
    sheet.append(headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(positions):
        sheet.append(row)
    for column, width in zip("ABCDEFGH", (14, 36, 10, 10, 10, 12, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def licence_pdf(positions: QuerySet[LicencePosition], *, title: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "hygiene/licence_report.html",
        {"title": title, "headers": headers(), "rows": _rows(positions), "generated": timezone.localtime()},
    )
    return bytes(HTML(string=html).write_pdf())
