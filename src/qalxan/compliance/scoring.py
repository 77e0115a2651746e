"""Weighted compliance scores, computed by aggregate SQL over the requirement assessments of a campaign.

A requirement earns its weight × 1 when compliant, × 0.5 when partially compliant, nothing when
non-compliant or not yet answered; "not applicable" leaves it out. A score is 100 × earned / possible
over the requirements counted, per requirement group, object, subject, sector, sector × group and for
the campaign as a whole.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from qalxan.compliance.choices import Answer, ScoreDimension
from qalxan.compliance.models import Assessment, Campaign, CampaignScore, RequirementAssessment

_FACTOR = Case(
    When(answer=Answer.COMPLIANT, then=Value(1.0)),
    When(answer=Answer.PARTIAL, then=Value(0.5)),
    default=Value(0.0),
    output_field=FloatField(),
)
_COUNTED = ~Q(answer=Answer.NOT_APPLICABLE)
AGGREGATES = {
    "earned": Sum(F("weight") * _FACTOR, filter=_COUNTED, output_field=FloatField()),
    "possible": Sum(F("weight") * Value(1.0), filter=_COUNTED, output_field=FloatField()),
    "answered": Count("id", filter=~Q(answer="")),
    "total": Count("id"),
}
CENT = Decimal("0.01")


def score_of(earned: float | None, possible: float | None) -> Decimal | None:
    if not possible:
        return None
    return (Decimal(str(earned or 0)) * 100 / Decimal(str(possible))).quantize(CENT, rounding=ROUND_HALF_UP)


def summarise(items: QuerySet[RequirementAssessment]) -> dict[str, Any]:
    """The score of any set of requirement assessments (e.g. one assessment, live)."""
    row = items.aggregate(**AGGREGATES)
    return {**row, "score": score_of(row["earned"], row["possible"])}


def by_dimension(items: QuerySet[RequirementAssessment], field: str) -> list[dict[str, Any]]:
    """Scores of a set of answers grouped by one column (e.g. "group_id", "system_id")."""
    rows: Any = items.values(field).annotate(**AGGREGATES).order_by()
    return [{**r, "score": score_of(r["earned"], r["possible"])} for r in rows]


def by_group(items: QuerySet[RequirementAssessment]) -> list[dict[str, Any]]:
    return by_dimension(items, "group_id")


@transaction.atomic
def recompute(campaign: Campaign) -> dict[str, int]:
    """Replace every stored score of the campaign (a handful of GROUP BY queries, no loop over answers)."""
    items = RequirementAssessment.objects.filter(assessment__campaign=campaign)
    rows: list[CampaignScore] = []

    def add(dimension: str, data: dict[str, Any], **keys: Any) -> Decimal | None:
        score = score_of(data["earned"], data["possible"])
        rows.append(
            CampaignScore(
                campaign=campaign,
                dimension=dimension,
                score=score,
                answered=data["answered"],
                total=data["total"],
                **keys,
            )
        )
        return score

    # One GROUP BY at the finest grain (subject, object, group, sector) — a few rows per subject — and
    # every dimension is a sum of those partial sums.
    fine: list[Any] = list(
        items.values("assessment_id", "assessment__organization_id", "system_id", "group_id", "sector_id")
        .annotate(**AGGREGATES)
        .order_by()
    )
    sums: dict[tuple[str, Any], dict[str, Any]] = {}

    def fold(dimension: str, key: Any, row: dict[str, Any]) -> None:
        acc = sums.setdefault((dimension, key), {"earned": 0.0, "possible": 0.0, "answered": 0, "total": 0})
        acc["earned"] += row["earned"] or 0.0
        acc["possible"] += row["possible"] or 0.0
        acc["answered"] += row["answered"]
        acc["total"] += row["total"]

    for row in fine:
        org = row["assessment__organization_id"]
        fold(ScoreDimension.CAMPAIGN, None, row)
        fold(ScoreDimension.GROUP, row["group_id"], row)
        if row["system_id"] is not None:
            fold(ScoreDimension.SYSTEM, (row["system_id"], org), row)
        fold(ScoreDimension.SUBJECT, (row["assessment_id"], org), row)
        fold(ScoreDimension.SECTOR, row["sector_id"], row)
        fold(ScoreDimension.SECTOR_GROUP, (row["sector_id"], row["group_id"]), row)
    if not fine:
        sums[(ScoreDimension.CAMPAIGN, None)] = {"earned": 0.0, "possible": 0.0, "answered": 0, "total": 0}
    campaign_score: Decimal | None = None
    subject_scores: dict[int, Decimal | None] = {}
    for (dimension, key), data in sums.items():
        if dimension == ScoreDimension.CAMPAIGN:
            campaign_score = add(dimension, data)
        elif dimension == ScoreDimension.GROUP:
            add(dimension, data, group_id=key)
        elif dimension == ScoreDimension.SYSTEM:
            add(dimension, data, system_id=key[0], organization_id=key[1])
        elif dimension == ScoreDimension.SUBJECT:
            subject_scores[key[0]] = add(dimension, data, organization_id=key[1])
        elif dimension == ScoreDimension.SECTOR:
            add(dimension, data, sector_id=key)
        else:
            add(dimension, data, sector_id=key[0], group_id=key[1])
    CampaignScore.objects.filter(campaign=campaign).delete()
    CampaignScore.objects.bulk_create(rows, batch_size=2000)
    assessments = list(Assessment.objects.filter(campaign=campaign).only("pk", "score"))
    for a in assessments:
        a.score = subject_scores.get(a.pk)
    Assessment.objects.bulk_update(assessments, ["score"], batch_size=500)
    campaign.score = campaign_score
    campaign.scored_at = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(score=campaign.score, scored_at=campaign.scored_at)
    return {"scores": len(rows), "assessments": len(assessments)}
