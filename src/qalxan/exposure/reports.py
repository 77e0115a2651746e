"""Documents of the exposure app: findings as CSV or XLSX, a site's report as PDF, the trend chart."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core.exports import csv_response
from qalxan.exposure import catalogue
from qalxan.exposure.choices import FindingState
from qalxan.exposure.models import Finding, Site

logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)


def _header() -> list[str]:
    return [
        _("Finding"),
        _("Institution"),
        _("Website"),
        _("Check"),
        _("Severity"),
        _("State"),
        _("Location"),
        _("Detail"),
        _("Remediation"),
        _("First seen"),
        _("Fixed"),
    ]


def _rows(findings: Iterable[Finding]) -> Iterable[list[Any]]:
    for f in findings:
        yield [
            f.pk,
            f.site.system.owner.short_name,
            f.site.system.name,
            str(f.get_check_code_display()),
            str(f.get_severity_display()),
            str(f.get_state_display()),
            f.location,
            catalogue.describe(f.check_code, f.evidence, f.data_kind),
            str(catalogue.info(f.check_code).remediation),
            timezone.localtime(f.created_at).strftime("%Y-%m-%d"),
            timezone.localtime(f.fixed_at).strftime("%Y-%m-%d") if f.fixed_at else "",
        ]


def findings_export(findings: QuerySet[Finding], fmt: str) -> HttpResponseBase:
    header = _header()
    rows = _rows(findings.iterator(chunk_size=2000))
    if fmt == "csv":
        return csv_response("website-findings.csv", header, rows)
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("findings")
    sheet.append(header)
    for row in rows:
        sheet.append(
            [("'" + v) if isinstance(v, str) and v.startswith(("=", "+", "-", "@")) else v for v in row]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="website-findings.xlsx"'
    return response


def trend_svg(trend: list[dict[str, Any]]) -> str:
    """Mean score per month as a small SVG line chart (rendered here, nothing loaded from outside)."""
    points = [(t["month"], t["score"]) for t in trend if t["month"] is not None and t["score"] is not None]
    if len(points) < 1:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 2.2), dpi=96)
    axes = figure.add_subplot()
    axes.plot([p[0] for p in points], [float(p[1]) for p in points], marker="o", color="#1f5f8b")
    axes.set_ylim(0, 100)
    axes.set_ylabel(_("Mean score"))
    axes.grid(alpha=0.3)
    figure.autofmt_xdate()
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg")
    svg = out.getvalue()
    return svg[svg.find("<svg") :]


def site_pdf(site: Site) -> bytes:
    """The site's report: score, open findings with advice, personal data (masked), the last scans."""
    from weasyprint import HTML

    findings = list(site.findings.order_by("state", "-severity", "check_code"))
    open_rows = [
        {
            "finding": f,
            "detail": catalogue.describe(f.check_code, f.evidence, f.data_kind),
            "remediation": catalogue.info(f.check_code).remediation,
        }
        for f in findings
        if f.state == FindingState.OPEN
    ]
    scans = list(site.scans.all()[:12])
    html = render_to_string(
        "exposure/report.html",
        {
            "site": site,
            "domains": [d.domain for d in site.system.domains.all()],
            "open_rows": open_rows,
            "fixed": [f for f in findings if f.state == FindingState.FIXED][:50],
            "scans": scans,
            "last": scans[0] if scans else None,
            "now": timezone.localtime(),
            "chart": trend_svg(
                [{"month": s.finished_at, "score": s.score} for s in reversed(scans) if s.finished_at]
            ),
        },
    )
    return HTML(string=html).write_pdf()
