"""National indices: loading the frameworks shipped as data, scoring assessments, platform evidence."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core import metrics
from qalxan.strategy.choices import AnswerKind, AssessmentSource
from qalxan.strategy.models import IndexAssessment, IndexFramework, IndexQuestion, IndexSection

DATA_DIR = Path(__file__).parent / "data"
FRAMEWORK_FILES = ("itu-gci-2024.json", "enisa-ncaf-2.json", "oxford-cmm-2021.json")
TWO = Decimal("0.01")
# Platform evidence proves that a capability exists, not how mature it is: the lowest level above start-up.
EVIDENCE_LEVEL = Decimal(2)


@transaction.atomic
def load_frameworks() -> list[IndexFramework]:
    """Create or update the frameworks, sections and questions from the data files (idempotent)."""
    loaded = []
    for filename in FRAMEWORK_FILES:
        spec = json.loads((DATA_DIR / filename).read_text(encoding="utf-8"))
        framework, _created = IndexFramework.objects.update_or_create(
            code=spec["code"],
            defaults={
                "kind": spec["kind"],
                "name": spec["name"],
                "version": spec["version"],
                "answer_kind": spec["answer_kind"],
                "section_max": Decimal(str(spec["section_max"])),
                "levels": spec["levels"],
                "is_sample": spec.get("is_sample", True),
                "source_url": spec.get("source_url", ""),
            },
        )
        for order, sec in enumerate(spec["sections"], start=1):
            section, _c = IndexSection.objects.update_or_create(
                framework=framework,
                code=sec["code"],
                defaults={"name": sec["name"], "group": sec.get("group", ""), "order": order},
            )
            for qorder, q in enumerate(sec["questions"], start=1):
                IndexQuestion.objects.update_or_create(
                    section=section,
                    code=q["code"],
                    defaults={
                        "text": q["text"],
                        "weight": Decimal(str(q.get("weight", 1))),
                        "evidence": q.get("evidence", ""),
                        "links": q.get("links", []),
                        "order": qorder,
                    },
                )
        loaded.append(framework)
    return loaded


def check_answer(framework: IndexFramework, value: Decimal) -> None:
    value = Decimal(value)
    if framework.answer_kind == AnswerKind.YES_NO and value not in {Decimal(0), Decimal(1)}:
        raise ValidationError({"value": _("Answer 1 (yes) or 0 (no).")})
    if framework.answer_kind == AnswerKind.LEVEL and not Decimal(1) <= value <= Decimal(5):
        raise ValidationError({"value": _("Give a level from 1 to 5.")})


def full_answer(framework: IndexFramework) -> Decimal:
    return Decimal(1) if framework.answer_kind == AnswerKind.YES_NO else EVIDENCE_LEVEL


def section_score(assessment: IndexAssessment, section: IndexSection) -> Decimal:
    """Yes/no frameworks: the section maximum × the weighted share of "yes"; levels: the mean level."""
    answers = {a.question_id: a.value for a in assessment.answers.filter(question__section=section)}
    questions = list(section.questions.all())
    if assessment.framework.answer_kind == AnswerKind.YES_NO:
        weights = sum((q.weight for q in questions), Decimal(0))
        if not weights:
            return Decimal(0)
        got = sum((q.weight * answers.get(q.pk, Decimal(0)) for q in questions), Decimal(0))
        return (assessment.framework.section_max * got / weights).quantize(TWO, ROUND_HALF_UP)
    given = [answers[q.pk] for q in questions if q.pk in answers]
    return (sum(given, Decimal(0)) / len(given)).quantize(TWO, ROUND_HALF_UP) if given else Decimal(0)


def total(assessment: IndexAssessment) -> Decimal | None:
    """GCI: the sum of the pillars (0–100); NCAF and CMM: the mean level of the scored sections."""
    if assessment.source == AssessmentSource.PUBLISHED and assessment.total is not None:
        return assessment.total  # the published total is kept as published
    scores = [s.score for s in assessment.scores.all()]
    if not scores:
        return None
    if assessment.framework.answer_kind == AnswerKind.YES_NO:
        return sum(scores, Decimal(0)).quantize(TWO)
    return (sum(scores, Decimal(0)) / len(scores)).quantize(TWO, ROUND_HALF_UP)


def tier(framework: IndexFramework, value: Decimal | None) -> str:
    """The GCI tier of a total, or the maturity level's name for NCAF and CMM."""
    if value is None:
        return ""
    if framework.answer_kind == AnswerKind.YES_NO:
        for level in framework.levels:
            if value >= Decimal(str(level["min"])):
                return f"{level['name']} ({level['label']})"
        return ""
    whole = int(Decimal(value).to_integral_value(ROUND_HALF_UP))
    for level in framework.levels:
        if level["level"] == whole:
            return f"{whole} — {level['label']}"
    return ""


@dataclass(frozen=True)
class Evidence:
    key: str
    available: bool
    satisfied: bool
    value: Decimal | None
    text: str


def evidence_for(question: IndexQuestion, at: dt.date | None = None) -> Evidence:
    """What the platform knows about a question; a metric no module offers yet is "not available"."""
    key = question.evidence
    if not key:
        return Evidence("", False, False, None, "")
    try:
        metric = metrics.get(key)
    except KeyError:
        return Evidence(
            key, False, False, None, _("Not available: no module offers “%(key)s” yet.") % {"key": key}
        )
    at = at or timezone.localdate()
    try:
        value = metric.compute(at)
    except Exception as exc:  # a module's bug must not break the assessment page
        return Evidence(
            key, False, False, None, _("Not available: %(err)s") % {"err": exc.__class__.__name__}
        )
    satisfied = value is not None and value > 0
    text = _("%(label)s: %(value)s %(unit)s on %(date)s (platform evidence “%(key)s”)") % {
        "label": metric.label,
        "value": "—" if value is None else value.normalize(),
        "unit": metric.unit,
        "date": at.isoformat(),
        "key": key,
    }
    return Evidence(key, True, satisfied, value, text)


def comparison(framework: IndexFramework) -> dict[str, Any]:
    """Section scores of every assessment side by side, oldest year first."""
    assessments = list(
        IndexAssessment.objects.filter(framework=framework)
        .prefetch_related("scores")
        .order_by("year", "source")
    )
    sections = list(framework.sections.all())
    rows = []
    for section in sections:
        cells = []
        for a in assessments:
            score = next((s.score for s in a.scores.all() if s.section_id == section.pk), None)
            cells.append(score)
        rows.append({"section": section, "scores": cells})
    return {
        "assessments": assessments,
        "rows": rows,
        "totals": [a.total for a in assessments],
        "tiers": [tier(framework, a.total) for a in assessments],
    }
