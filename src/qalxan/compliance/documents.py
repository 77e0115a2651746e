"""Documents of the compliance app: the assessment report and the inspection report (DOCX with
python-docx, PDF with WeasyPrint) and the OSCAL assessment-results export (compliance-trestle)."""

from __future__ import annotations

import io
import uuid
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qalxan.compliance import scoring
from qalxan.compliance.choices import Answer
from qalxan.compliance.library import NS
from qalxan.compliance.models import Assessment, Inspection
from qalxan.core import audit
from qalxan.core.choices import AuditAction

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
UUID_NS = uuid.UUID("4f0c9d1e-6a55-4c4e-9a3f-5b9d1c2e7a10")


def _uuid(*parts: Any) -> str:
    return str(uuid.uuid5(UUID_NS, "/".join(str(p) for p in parts)))


def assessment_context(assessment: Assessment) -> dict[str, Any]:
    items = list(
        assessment.items.select_related("requirement", "group", "system").order_by(
            "system_id", "requirement__position"
        )
    )
    groups = {g["group_id"]: g for g in scoring.by_group(assessment.items.all())}
    group_rows = []
    seen = set()
    for item in items:
        if item.group_id in seen:
            continue
        seen.add(item.group_id)
        g = groups.get(item.group_id, {})
        group_rows.append(
            [
                item.group.title if item.group else _("Without group"),
                _fmt(g.get("score")),
                f"{g.get('answered', 0)}/{g.get('total', 0)}",
            ]
        )
    summary = scoring.summarise(assessment.items.all())
    now = timezone.localtime()
    return {
        "title": _("Compliance self-assessment report"),
        "assessment": assessment,
        "facts": [
            (_("Subject"), assessment.organization.name),
            (_("Campaign"), assessment.campaign.title),
            (_("Catalogue"), str(assessment.campaign.catalogue)),
            (_("Deadline"), assessment.campaign.deadline.isoformat()),
            (_("State"), assessment.get_state_display()),
            (
                _("Submitted"),
                timezone.localtime(assessment.submitted_at).strftime("%Y-%m-%d %H:%M")
                if assessment.submitted_at
                else "—",
            ),
            (_("Score"), _fmt(summary["score"])),
            (_("Answered"), f"{summary['answered']}/{summary['total']}"),
        ],
        "group_headers": [_("Requirement group"), _("Score"), _("Answered")],
        "group_rows": group_rows,
        "headers": [_("Requirement"), _("Object"), _("Answer"), _("Comment"), _("Review")],
        "rows": [
            [
                f"{i.requirement.label or i.requirement.ref_id} {i.requirement.title}",
                i.system.registry_number if i.system else "—",
                i.get_answer_display() or _("Not answered"),
                i.comment or "—",
                i.get_review_display() + (f": {i.review_comment}" if i.review_comment else ""),
            ]
            for i in items
        ],
        "issued": _("Issued by Qalxan on %(date)s.") % {"date": now.strftime("%Y-%m-%d %H:%M")},
    }


def inspection_context(inspection: Inspection) -> dict[str, Any]:
    findings = list(inspection.findings.select_related("requirement"))
    now = timezone.localtime()
    return {
        "title": _("Inspection report"),
        "facts": [
            (_("Subject"), inspection.organization.name),
            (_("Object"), str(inspection.system) if inspection.system else "—"),
            (_("Plan"), str(inspection.plan)),
            (_("Dates"), f"{inspection.starts_on:%Y-%m-%d} – {inspection.ends_on:%Y-%m-%d}"),
            (_("Inspectors"), ", ".join(str(u) for u in inspection.inspectors.all()) or "—"),
            (_("State"), inspection.get_state_display()),
        ],
        "report": inspection.report or "—",
        "group_headers": [],
        "group_rows": [],
        "headers": [
            _("Finding"),
            _("Requirement"),
            _("Severity"),
            _("Description"),
            _("Deadline"),
            _("State"),
        ],
        "rows": [
            [
                f.reference,
                f.requirement.ref_id if f.requirement else "—",
                f.get_severity_display(),
                f.description,
                f.deadline.isoformat(),
                f.get_state_display(),
            ]
            for f in findings
        ],
        "issued": _("Issued by Qalxan on %(date)s.") % {"date": now.strftime("%Y-%m-%d %H:%M")},
    }


def _fmt(score: Any) -> str:
    return "—" if score is None else f"{score:.2f}"


def render_docx(ctx: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.8))
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(9)
    document.add_heading(str(ctx["title"]), level=1)
    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in ctx["facts"]:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = str(label), str(value)
    if ctx.get("report"):
        document.add_heading(_("Report"), level=2)
        for paragraph in str(ctx["report"]).split("\n"):
            document.add_paragraph(paragraph)
    for headers, rows in ((ctx["group_headers"], ctx["group_rows"]), (ctx["headers"], ctx["rows"])):
        if not headers:
            continue
        document.add_paragraph("")
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = str(text)
    document.add_paragraph(str(ctx["issued"]))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_pdf(ctx: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=render_to_string("compliance/report_pdf.html", ctx)).write_pdf())


def _respond(ctx: dict[str, Any], fmt: str, name: str, target: Any, user: Any) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(render_pdf(ctx), content_type="application/pdf")
    else:
        response = HttpResponse(render_docx(ctx), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    audit.record(actor=user, action=AuditAction.EXPORT, target=target, message=f"{name}.{fmt}")
    return response


def assessment_report_response(
    assessment: Assessment, fmt: str, *, user: Any, language: str | None = None
) -> HttpResponse:
    with translation.override(language or translation.get_language() or "az"):
        ctx = assessment_context(assessment)
    return _respond(ctx, fmt, f"assessment-{assessment.pk}", assessment, user)


def inspection_report_response(inspection: Inspection, fmt: str, *, user: Any) -> HttpResponse:
    return _respond(inspection_context(inspection), fmt, f"inspection-{inspection.pk}", inspection, user)


_STATE = {Answer.COMPLIANT: "satisfied"}


def assessment_results(assessment: Assessment) -> bytes:
    """The assessment as OSCAL assessment-results: one result, an observation per answer, a finding per
    answered requirement (satisfied when compliant), built and validated by compliance-trestle."""
    from trestle.oscal import OSCAL_VERSION
    from trestle.oscal.assessment_results import AssessmentResults

    campaign = assessment.campaign
    items = list(
        assessment.items.select_related("requirement", "system").order_by(
            "system_id", "requirement__position"
        )
    )
    observations = []
    findings = []
    for item in items:
        if not item.answer:
            continue
        obs_uuid = _uuid("observation", item.pk)
        observation: dict[str, Any] = {
            "uuid": obs_uuid,
            "title": f"{item.requirement.ref_id}: {item.get_answer_display()}",
            "description": item.comment or item.get_answer_display(),
            "methods": ["EXAMINE"],
            "collected": (item.answered_at or timezone.now()).isoformat(),
            "props": [
                {"name": "answer", "ns": NS, "value": item.answer},
                {"name": "review", "ns": NS, "value": item.review},
            ],
        }
        if item.system is not None:
            observation["props"].append({"name": "object", "ns": NS, "value": item.system.registry_number})
        observations.append(observation)
        if item.answer == Answer.NOT_APPLICABLE:
            continue
        findings.append(
            {
                "uuid": _uuid("finding", item.pk),
                "title": item.requirement.title_az[:300],
                "description": item.comment or item.get_answer_display(),
                "target": {
                    "type": "objective-id",
                    "target-id": item.requirement.ref_id,
                    "status": {"state": _STATE.get(Answer(item.answer), "not-satisfied")},
                    "props": [{"name": "answer", "ns": NS, "value": item.answer}],
                },
                "related-observations": [{"observation-uuid": obs_uuid}],
            }
        )
    control_ids = sorted({i.requirement.ref_id for i in items})
    result: dict[str, Any] = {
        "uuid": _uuid("result", assessment.pk),
        "title": f"{campaign.title}: {assessment.organization.short_name}",
        "description": str(
            _("Self-assessment of %(org)s against %(cat)s.")
            % {"org": assessment.organization.name, "cat": campaign.catalogue}
        ),
        "start": (assessment.created_at).isoformat(),
        "reviewed-controls": {
            "control-selections": [{"include-controls": [{"control-id": c} for c in control_ids]}]
            if control_ids
            else [{"include-all": {}}]
        },
        "props": [{"name": "state", "ns": NS, "value": assessment.state}],
    }
    if assessment.locked_at:
        result["end"] = assessment.locked_at.isoformat()
    if assessment.score is not None:
        result["props"].append({"name": "score", "ns": NS, "value": f"{assessment.score:.2f}"})
    if observations:
        result["observations"] = observations
    if findings:
        result["findings"] = findings
    body = {
        "uuid": _uuid("assessment-results", assessment.pk, timezone.now().isoformat()),
        "metadata": {
            "title": result["title"],
            "last-modified": timezone.now().isoformat(),
            "version": str(assessment.updated_at.isoformat()),
            "oscal-version": OSCAL_VERSION,
        },
        "import-ap": {"href": f"#{_uuid('assessment-plan', campaign.pk)}"},
        "results": [result],
    }
    return AssessmentResults.model_validate(body).oscal_serialize_json_bytes(pretty=True)
