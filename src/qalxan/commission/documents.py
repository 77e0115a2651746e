"""Documents of the commission: the protocol (DOCX and PDF, in Azerbaijani, English or Russian), the
agenda sent to members, and outgoing letters.

A protocol is rendered from a frozen content snapshot (a ProtocolVersion), so an approved protocol
always renders the same text, whatever happens to the live records afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qalxan.commission.choices import (
    Adoption,
    Attendance,
    ExecutorRole,
    MeetingFormat,
    MemberRole,
    TaskStatus,
)
from qalxan.commission.models import Letter, Meeting

LANGUAGES = ("az", "en", "ru")

# WeasyPrint logs every layout step at INFO; a protocol would fill the log with dozens of lines.
logging.getLogger("weasyprint").setLevel(logging.WARNING)


def _names(org: Any) -> dict[str, str]:
    return {"az": org.name_az, "en": org.name_en or org.name_az, "ru": org.name_ru or org.name_az}


def protocol_content(
    meeting: Meeting, *, number: str = "", registered_on: dt.date | None = None
) -> dict[str, Any]:
    """The protocol of a meeting as plain data: everything its documents show."""
    starts = timezone.localtime(meeting.starts_at)
    invitations = list(meeting.invitations.select_related("member__organization"))
    secretary = next((i.member for i in invitations if i.member.role == MemberRole.SECRETARY), None)
    items = []
    decisions_by_item: dict[int, list[Any]] = {}
    for decision in (
        meeting.decisions.exclude(status="withdrawn")
        .select_related("agenda_item")
        .prefetch_related("tasks__responsible", "tasks__executors__organization")
        .order_by("agenda_item__order", "id")
    ):
        decisions_by_item.setdefault(decision.agenda_item_id, []).append(decision)
    for item in meeting.agenda_items.order_by("order"):
        decisions = []
        for d_index, decision in enumerate(decisions_by_item.get(item.pk, []), start=1):
            tasks = []
            for t_index, task in enumerate(
                sorted(
                    (t for t in decision.tasks.all() if t.status != TaskStatus.CANCELLED), key=lambda t: t.pk
                ),
                start=1,
            ):
                tasks.append(
                    {
                        "number": f"{item.order}.{d_index}.{t_index}",
                        "text": task.text,
                        "responsible": _names(task.responsible),
                        "co_executors": [
                            _names(e.organization)
                            for e in task.executors.all()
                            if e.role == ExecutorRole.CO_EXECUTOR
                        ],
                        "deadline": task.deadline.isoformat(),
                        "expected_result": task.expected_result,
                    }
                )
            decisions.append(
                {
                    "number": f"{item.order}.{d_index}",
                    "text": decision.text,
                    "adoption": decision.adoption,
                    "votes": [decision.votes_for, decision.votes_against, decision.votes_abstained],
                    "tasks": tasks,
                }
            )
        items.append(
            {
                "order": item.order,
                "title": item.title,
                "presenter": item.presenter,
                "summary": item.summary,
                "reference": item.reference_label,
                "decisions": decisions,
            }
        )
    return {
        "number": number,
        "registered_on": registered_on.isoformat() if registered_on else "",
        "title": meeting.title,
        "working_group": meeting.working_group.name if meeting.working_group else "",
        "date": starts.date().isoformat(),
        "time": starts.strftime("%H:%M"),
        "place": meeting.place,
        "format": meeting.format,
        "chair": {"name": meeting.chair.full_name, "position": meeting.chair.position}
        if meeting.chair
        else None,
        "secretary": {"name": secretary.full_name, "position": secretary.position} if secretary else None,
        "attendees": [
            {
                "name": i.member.full_name,
                "position": i.member.position,
                "organization": _names(i.member.organization),
                "attendance": i.attendance,
                "representative": i.representative,
            }
            for i in invitations
        ],
        "items": items,
    }


def _date(value: str) -> str:
    return dt.date.fromisoformat(value).strftime("%d.%m.%Y") if value else ""


def _view(content: dict[str, Any], language: str) -> dict[str, Any]:
    """The content with names in `language` and codes turned into words (call inside translation.override)."""
    adoption = dict(Adoption.choices)
    attendance = dict(Attendance.choices)
    present = [
        a for a in content["attendees"] if a["attendance"] in {Attendance.PRESENT, Attendance.REPRESENTED}
    ]
    absent = [a for a in content["attendees"] if a["attendance"] == Attendance.ABSENT]
    if not present and not absent:
        present = content["attendees"]  # attendance not recorded yet: list those invited
    items = []
    for item in content["items"]:
        decisions = []
        for d in item["decisions"]:
            how = str(adoption.get(d["adoption"], d["adoption"]))
            if d["adoption"] == Adoption.VOTE and any(v is not None for v in d["votes"]):
                how += (
                    " ("
                    + _("for: %(f)s, against: %(a)s, abstained: %(ab)s")
                    % {
                        "f": d["votes"][0] or 0,
                        "a": d["votes"][1] or 0,
                        "ab": d["votes"][2] or 0,
                    }
                    + ")"
                )
            decisions.append(
                {
                    **d,
                    "adoption_label": how,
                    "tasks": [
                        {
                            **t,
                            "responsible_name": t["responsible"][language],
                            "co_executor_names": ", ".join(c[language] for c in t["co_executors"]),
                            "deadline_label": _date(t["deadline"]),
                        }
                        for t in d["tasks"]
                    ],
                }
            )
        items.append({**item, "decisions": decisions})
    return {
        **content,
        "language": language,
        "date_label": _date(content["date"]),
        "registered_label": _date(content["registered_on"]),
        "format_label": str(dict(MeetingFormat.choices).get(content["format"], content["format"])),
        "present": [
            {
                **a,
                "organization_name": a["organization"][language],
                "attendance_label": str(attendance[a["attendance"]]),
            }
            for a in present
        ],
        "absent": [{**a, "organization_name": a["organization"][language]} for a in absent],
        "items": items,
        "body_name": _("Information Security Coordination Commission"),
    }


def protocol_docx(content: dict[str, Any], language: str = "az") -> bytes:
    """The protocol as a Word document in the official structure."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    with translation.override(language):
        v = _view(content, language)
        doc = Document()
        style = doc.styles["Normal"]
        style.font.name = "DejaVu Sans"
        style.font.size = Pt(10.5)

        def centered(text: str, *, bold: bool = False, size: float | None = None) -> None:
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)

        centered(v["body_name"].upper(), bold=True, size=12)
        if v["working_group"]:
            centered(_("Working group: %(name)s") % {"name": v["working_group"]})
        centered(
            (_("PROTOCOL No. %(number)s") % {"number": v["number"]}) if v["number"] else _("DRAFT PROTOCOL"),
            bold=True,
            size=14,
        )
        centered(v["title"])
        doc.add_paragraph(
            _("Date: %(date)s, %(time)s. Place: %(place)s (%(format)s).")
            % {
                "date": v["date_label"],
                "time": v["time"],
                "place": v["place"] or "—",
                "format": v["format_label"],
            }
        )
        if v["registered_label"]:
            doc.add_paragraph(_("Registered on %(date)s.") % {"date": v["registered_label"]})
        if v["chair"]:
            doc.add_paragraph(_("Chair: %(name)s, %(position)s") % v["chair"])
        doc.add_paragraph(_("Present:")).runs[0].bold = True
        for a in v["present"]:
            line = f"{a['name']} — {a['position']} ({a['organization_name']})"
            if a["representative"]:
                line += " — " + _("represented by %(name)s") % {"name": a["representative"]}
            doc.add_paragraph(line, style="List Bullet")
        if v["absent"]:
            doc.add_paragraph(_("Absent:")).runs[0].bold = True
            for a in v["absent"]:
                doc.add_paragraph(f"{a['name']} ({a['organization_name']})", style="List Bullet")
        doc.add_paragraph(_("AGENDA:")).runs[0].bold = True
        for item in v["items"]:
            doc.add_paragraph(f"{item['order']}. {item['title']}")
        for item in v["items"]:
            doc.add_heading(f"{item['order']}. {item['title']}", level=2)
            if item["presenter"]:
                doc.add_paragraph(_("Presented by: %(name)s") % {"name": item["presenter"]})
            doc.add_paragraph(_("Discussion:")).runs[0].bold = True
            doc.add_paragraph(item["summary"] or "—")
            if not item["decisions"]:
                continue
            doc.add_paragraph(_("DECIDED:")).runs[0].bold = True
            for d in item["decisions"]:
                doc.add_paragraph(f"{d['number']}. {d['text']} ({d['adoption_label']})")
                if d["tasks"]:
                    table = doc.add_table(rows=1, cols=5)
                    table.style = "Table Grid"
                    for cell, title in zip(
                        table.rows[0].cells,
                        (_("No."), _("Task"), _("Responsible"), _("Co-executors"), _("Deadline")),
                        strict=True,
                    ):
                        cell.text = str(title)
                    for t in d["tasks"]:
                        cells = table.add_row().cells
                        cells[0].text = t["number"]
                        cells[1].text = t["text"] + (
                            "\n" + _("Expected result: %(result)s") % {"result": t["expected_result"]}
                            if t["expected_result"]
                            else ""
                        )
                        cells[2].text = t["responsible_name"]
                        cells[3].text = t["co_executor_names"] or "—"
                        cells[4].text = t["deadline_label"]
        doc.add_paragraph()
        signatures = doc.add_table(rows=2, cols=2)
        signatures.rows[0].cells[0].text = _("Chair of the Commission")
        signatures.rows[0].cells[1].text = "__________ " + (v["chair"]["name"] if v["chair"] else "")
        signatures.rows[1].cells[0].text = _("Secretary of the Commission")
        signatures.rows[1].cells[1].text = "__________ " + (v["secretary"]["name"] if v["secretary"] else "")
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def protocol_pdf(content: dict[str, Any], language: str = "az") -> bytes:
    """The protocol as PDF (WeasyPrint), the same structure as the DOCX."""
    with translation.override(language):
        return _pdf("commission/documents/protocol.html", {"p": _view(content, language)})


def agenda_docx(meeting: Meeting, language: str = "az") -> bytes:
    """The agenda of a meeting, as sent to the invited members."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    with translation.override(language):
        starts = timezone.localtime(meeting.starts_at)
        doc = Document()
        heading = doc.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        heading.add_run(_("Information Security Coordination Commission").upper()).bold = True
        title = doc.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run(_("AGENDA")).bold = True
        doc.add_paragraph(meeting.title)
        doc.add_paragraph(
            _("Date: %(date)s, %(time)s. Place: %(place)s (%(format)s).")
            % {
                "date": starts.strftime("%d.%m.%Y"),
                "time": starts.strftime("%H:%M"),
                "place": meeting.place or "—",
                "format": meeting.get_format_display(),
            }
        )
        for item in meeting.agenda_items.prefetch_related("materials").order_by("order"):
            doc.add_paragraph(f"{item.order}. {item.title}")
            if item.presenter:
                doc.add_paragraph(_("Presented by: %(name)s") % {"name": item.presenter})
            for material in item.materials.all():
                doc.add_paragraph(_("Material: %(title)s") % {"title": material.title}, style="List Bullet")
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _letter_view(letter: Letter, language: str) -> dict[str, Any]:
    recipient = letter.recipient
    names = _names(recipient)
    return {
        "body_name": _("Information Security Coordination Commission"),
        "number": letter.number or _("(not registered)"),
        "date": letter.registered_on.strftime("%d.%m.%Y") if letter.registered_on else "",
        "recipient": names[language],
        "subject": letter.subject,
        "body": letter.body,
        "response_due": letter.response_due.strftime("%d.%m.%Y") if letter.response_due else "",
        "signature": _("Secretary of the Commission"),
    }


def letter_docx(letter: Letter, language: str = "az") -> bytes:
    from docx import Document

    with translation.override(language):
        v = _letter_view(letter, language)
        doc = Document()
        doc.add_paragraph().add_run(v["body_name"].upper()).bold = True
        doc.add_paragraph(_("No. %(number)s of %(date)s") % {"number": v["number"], "date": v["date"] or "—"})
        doc.add_paragraph(_("To: %(recipient)s") % {"recipient": v["recipient"]})
        doc.add_paragraph(_("Subject: %(subject)s") % {"subject": v["subject"]}).runs[0].bold = True
        for paragraph in v["body"].split("\n"):
            doc.add_paragraph(paragraph)
        if v["response_due"]:
            doc.add_paragraph(_("Please answer by %(date)s.") % {"date": v["response_due"]})
        doc.add_paragraph()
        doc.add_paragraph(f"{v['signature']}  __________")
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def letter_pdf(letter: Letter, language: str = "az") -> bytes:
    with translation.override(language):
        return _pdf("commission/documents/letter.html", {"l": _letter_view(letter, language)})
