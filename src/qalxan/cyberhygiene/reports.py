"""The quarterly report and its charts: SVG trend charts (matplotlib), XLSX (openpyxl) and PDF
(WeasyPrint)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from qalxan.cyberhygiene import queries

LABELS = {
    "compromised_staff": lambda: _("Compromised staff accounts"),
    "bodies_affected": lambda: _("Bodies affected"),
    "admin_share": lambda: _("Share with administrator rights, %"),
    "median_days_to_reset": lambda: _("Median days to reset"),
    "training_completion_rate": lambda: _("Training completion rate, %"),
    "phishing_click_rate": lambda: _("Phishing click rate, %"),
    "phishing_report_rate": lambda: _("Phishing report rate, %"),
}


def labels() -> dict[str, str]:
    return {k: v() for k, v in LABELS.items()}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float, Decimal)) else None


def _point(value: Any) -> float:
    """A chart value; a quarter without the figure is a gap."""
    number = _number(value)
    return float("nan") if number is None else number


def trend_chart(
    series: list[tuple[queries.Quarter, dict[str, Any]]], names: tuple[str, ...], title: str
) -> str:
    """An inline SVG line chart of the named figures over the quarters."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 2.6), dpi=100)
    axes = figure.add_subplot()
    x = [str(q) for q, _f in series]
    names_text = labels()
    for name in names:
        axes.plot(x, [_point(f[name]) for _q, f in series], marker="o", label=names_text[name])
    axes.set_title(title, fontsize=10)
    axes.tick_params(labelsize=8)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, loc="upper left")
    figure.tight_layout()
    out = io.StringIO()
    figure.savefig(out, format="svg")
    svg = out.getvalue()
    return svg[svg.find("<svg") :]


def charts(series: list[tuple[queries.Quarter, dict[str, Any]]]) -> list[str]:
    return [
        trend_chart(series, ("compromised_staff", "bodies_affected"), _("Compromised accounts and bodies")),
        trend_chart(
            series,
            ("admin_share", "phishing_click_rate", "phishing_report_rate", "training_completion_rate"),
            _("Rates, %"),
        ),
    ]


def report_context(quarter: queries.Quarter, organizations: queries.Orgs) -> dict[str, Any]:
    orgs = None if organizations is None else list(organizations)
    series = queries.trend(quarter, 8, orgs)
    names = labels()
    return {
        "figure_rows": [(names[k], series[-1][1][k]) for k in names],
        "quarter": quarter,
        "figures": series[-1][1],
        "series": series,
        "rows": queries.per_institution(quarter, orgs),
        "labels": labels(),
        "national": orgs is None,
    }


def xlsx(context: dict[str, Any]) -> bytes:
    """The quarterly report as a workbook: figures, per institution, trend."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    names = labels()
    book = Workbook()
    sheet = book.active
    sheet.title = _("Figures")[:31]
    sheet.append([_("Cyber hygiene — quarter %(q)s") % {"q": context["quarter"]}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    for key, label in names.items():
        sheet.append([label, _number(context["figures"][key])])
    sheet.column_dimensions["A"].width = 42
    per = book.create_sheet(_("Institutions")[:31])
    per.append([_("Institution"), *names.values()])
    for row in context["rows"]:
        per.append([str(row["organization"]), *(_number(row[k]) for k in names)])
    trend = book.create_sheet(_("Trend")[:31])
    trend.append([_("Quarter"), *names.values()])
    for quarter, figures in context["series"]:
        trend.append([str(quarter), *(_number(figures[k]) for k in names)])
    for ws in (per, trend):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(context: dict[str, Any]) -> bytes:
    """The quarterly report as a PDF with its trend charts."""
    from weasyprint import HTML

    html = render_to_string("cyberhygiene/report_pdf.html", {**context, "charts": charts(context["series"])})
    return bytes(HTML(string=html).write_pdf())
