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


def by_group(items: QuerySet[RequirementAssessment]) -> list[dict[str, Any]]:
    rows = items.values("group_id").annotate(**AGGREGATES).order_by()
    return [{**r, "score": score_of(r["earned"], r["possible"])} for r in rows]


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

    overall = items.aggregate(**AGGREGATES)
    campaign_score = add(ScoreDimension.CAMPAIGN, overall)
    for r in items.values("group_id").annotate(**AGGREGATES).order_by():
        add(ScoreDimension.GROUP, r, group_id=r["group_id"])
    for r in items.filter(system__isnull=False).values("system_id", "assessment__organization_id").annotate(
        **AGGREGATES
    ).order_by():
        add(ScoreDimension.SYSTEM, r, system_id=r["system_id"], organization_id=r["assessment__organization_id"])
    subject_scores: dict[int, Decimal | None] = {}
    for r in items.values("assessment_id", "assessment__organization_id").annotate(**AGGREGATES).order_by():
        subject_scores[r["assessment_id"]] = add(
            ScoreDimension.SUBJECT, r, organization_id=r["assessment__organization_id"]
        )
    for r in items.values("sector_id").annotate(**AGGREGATES).order_by():
        add(ScoreDimension.SECTOR, r, sector_id=r["sector_id"])
    for r in items.values("sector_id", "group_id").annotate(**AGGREGATES).order_by():
        add(ScoreDimension.SECTOR_GROUP, r, sector_id=r["sector_id"], group_id=r["group_id"])
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
