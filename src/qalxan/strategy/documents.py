"""The annual monitoring report: DOCX (python-docx) and PDF (WeasyPrint), Azerbaijani by default."""

from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qalxan.strategy import charts, indices, queries
from qalxan.strategy.models import Action, IndexFramework, Strategy

LANGUAGES = ("az", "en", "ru")


def report_context(strategy: Strategy, year: int) -> dict[str, Any]:
    """Everything the report says, computed once (the active language names things)."""
    at = min(dt.date(year, 12, 31), timezone.localdate())
    actions = Action.objects.filter(direction__goal__strategy=strategy)
    indicators = []
    for indicator in strategy.indicators.prefetch_related("targets").select_related("direction"):
        status = queries.indicator_status(indicator, at)
        indicators.append(
            {"indicator": indicator, **status, "chart": charts.indicator_chart(indicator, "png")}
        )
    by_institution = queries.completion_by_institution(actions)
    frameworks = []
    for framework in IndexFramework.objects.prefetch_related("sections"):
        comparison = indices.comparison(framework)
        if comparison["assessments"]:
            frameworks.append(
                {"framework": framework, **comparison, "chart": charts.index_chart(framework, "png")}
            )
    return {
        "strategy": strategy,
        "year": year,
        "at": at,
        "rollup": queries.rollup(strategy, at),
        "indicators": indicators,
        "overdue": list(queries.overdue_actions(actions, at)),
        "by_institution": by_institution,
        "institution_chart": charts.completion_chart(by_institution, "png") if by_institution else None,
        "frameworks": frameworks,
        "generated": timezone.localtime(),
    }


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    try:
        return f"{value.normalize():f}"
    except AttributeError:
        return str(value)


def annual_report_docx(strategy: Strategy, year: int, language: str = "az") -> bytes:
    """The annual monitoring report as a Word document."""
    from docx import Document
    from docx.shared import Cm, Pt

    with translation.override(language):
        ctx = report_context(strategy, year)
        doc = Document()
        doc.styles["Normal"].font.name = "DejaVu Sans"
        doc.styles["Normal"].font.size = Pt(10)
        doc.add_heading(_("Annual monitoring report %(year)s") % {"year": year}, level=0)
        doc.add_paragraph(f"{strategy.name} ({strategy.period})")
        doc.add_paragraph(_("Status on %(date)s.") % {"date": ctx["at"].isoformat()})

        doc.add_heading(_("Status of the strategy"), level=1)
        top = ctx["rollup"]
        doc.add_paragraph(
            _(
                "Actions: %(total)d; done %(done)d, in progress %(progress)d, delayed %(delayed)d, "
                "not started %(not_started)d; overdue %(overdue)d. Completion: %(completion)s %%."
            )
            % {
                "total": top.total,
                "done": top.done,
                "progress": top.in_progress,
                "delayed": top.delayed,
                "not_started": top.not_started,
                "overdue": top.overdue,
                "completion": _fmt(top.completion),
            }
        )
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            (_("Goal / direction"), _("Actions"), _("Done"), _("Overdue"), _("Completion, %")),
            strict=True,
        ):
            cell.text = text
        for goal in top.children:
            for level in (goal, *goal.children):
                cells = table.add_row().cells
                cells[0].text = ("" if level is goal else "   ") + f"{level.code}. {level.label}"
                cells[1].text = str(level.total)
                cells[2].text = str(level.done)
                cells[3].text = str(level.overdue)
                cells[4].text = _fmt(level.completion)

        doc.add_heading(_("Indicators"), level=1)
        for row in ctx["indicators"]:
            indicator = row["indicator"]
            doc.add_heading(f"{indicator.code} {indicator.name}", level=2)
            latest = row["latest"]
            doc.add_paragraph(
                _("Latest value: %(value)s %(unit)s (%(date)s); target: %(target)s; baseline: %(baseline)s.")
                % {
                    "value": _fmt(latest.value) if latest else "—",
                    "unit": indicator.unit,
                    "date": latest.on.isoformat() if latest else "—",
                    "target": _fmt(row["target"]),
                    "baseline": _fmt(indicator.baseline),
                }
            )
            doc.add_picture(io.BytesIO(row["chart"]), width=Cm(15))

        doc.add_heading(_("Actions behind schedule"), level=1)
        if ctx["overdue"]:
            table = doc.add_table(rows=1, cols=4)
            table.style = "Table Grid"
            for cell, text in zip(
                table.rows[0].cells,
                (pgettext("strategy", "Action"), _("Responsible institution"), _("Deadline"), _("Status")),
                strict=True,
            ):
                cell.text = text
            for action in ctx["overdue"]:
                cells = table.add_row().cells
                cells[0].text = str(action)
                cells[1].text = action.responsible.short_name
                cells[2].text = action.deadline.isoformat()
                cells[3].text = str(action.get_status_display())
        else:
            doc.add_paragraph(_("No action is behind schedule."))

        if ctx["institution_chart"]:
            doc.add_heading(_("Action completion by institution"), level=1)
            doc.add_picture(io.BytesIO(ctx["institution_chart"]), width=Cm(15))

        doc.add_heading(_("National indices"), level=1)
        for item in ctx["frameworks"]:
            framework = item["framework"]
            doc.add_heading(str(framework), level=2)
            table = doc.add_table(rows=1, cols=1 + len(item["assessments"]))
            table.style = "Table Grid"
            table.rows[0].cells[0].text = _("Section")
            for i, a in enumerate(item["assessments"], start=1):
                table.rows[0].cells[i].text = f"{a.year} ({a.get_source_display()})"
            for r in item["rows"]:
                cells = table.add_row().cells
                cells[0].text = str(r["section"])
                for i, score in enumerate(r["scores"], start=1):
                    cells[i].text = _fmt(score)
            cells = table.add_row().cells
            cells[0].text = _("Total")
            for i, (value, tier) in enumerate(zip(item["totals"], item["tiers"], strict=True), start=1):
                cells[i].text = f"{_fmt(value)} {tier}".strip()
            doc.add_picture(io.BytesIO(item["chart"]), width=Cm(15))
        buffer = io.BytesIO()
        doc.save(buffer)
        return buffer.getvalue()


def annual_report_pdf(strategy: Strategy, year: int, language: str = "az") -> bytes:
    """The annual monitoring report as PDF, from an HTML template."""
    from weasyprint import HTML

    with translation.override(language):
        ctx = report_context(strategy, year)

        def uri(png: bytes | None) -> str:
            return "data:image/png;base64," + base64.b64encode(png).decode() if png else ""

        for row in ctx["indicators"]:
            row["chart_uri"] = uri(row["chart"])
        for item in ctx["frameworks"]:
            item["chart_uri"] = uri(item["chart"])
        ctx["institution_chart_uri"] = uri(ctx["institution_chart"])
        ctx["language"] = language
        html = render_to_string("strategy/report_pdf.html", ctx)
        return HTML(string=html).write_pdf()
