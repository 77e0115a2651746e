"""Shared reads of the hygiene module: national and institution figures, for pages, exports and strategy.

The strategy module reads these through the metrics registered in metrics.py. A figure "at" a date is
taken from each institution's latest score computed on or before that date; national figures weight
institutions by their endpoints.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from qalxan.core.tenancy import restrict
from qalxan.hygiene.choices import OPEN_TRIAGE, CoverageReason
from qalxan.hygiene.models import CoverageStatus, Endpoint, Finding, InstitutionScore, LicencePosition

COMPONENTS = ("licence", "coverage", "exposure", "freshness", "score")


def _end_of(at: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(at, dt.datetime):
        return at
    return timezone.make_aware(dt.datetime.combine(at, dt.time.max))


def latest_scores(
    at: dt.date | dt.datetime | None = None, organization_ids: list[int] | None = None
) -> list[InstitutionScore]:
    """Each institution's newest score on or before `at` (default: now)."""
    moment = _end_of(at) if at is not None else timezone.now()
    scores = InstitutionScore.objects.filter(computed_at__lte=moment)
    if organization_ids is not None:
        scores = scores.filter(organization_id__in=organization_ids)
    newest = scores.values("organization_id").annotate(last=Max("id")).values_list("last", flat=True)
    return list(
        InstitutionScore.objects.filter(pk__in=list(newest))
        .select_related("organization")
        .order_by("organization__short_name")
    )


def _weighted(scores: list[InstitutionScore], component: str) -> Decimal | None:
    total = sum(s.endpoints for s in scores)
    if not total:
        return None
    value = sum(getattr(s, component) * s.endpoints for s in scores) / total
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def figure(
    component: str, at: dt.date | dt.datetime | None = None, organization_id: int | None = None
) -> Decimal | None:
    """One component (licence, coverage, exposure, freshness, score) nationally or for one institution."""
    if component not in COMPONENTS:
        raise ValueError(component)
    scores = latest_scores(at, [organization_id] if organization_id is not None else None)
    return _weighted(scores, component)


def coverage_share(at: dt.date | None = None, organization_id: int | None = None) -> Decimal | None:
    """% of applicable endpoint × category checks met (essential software)."""
    return figure("coverage", at, organization_id)


def licence_compliance(at: dt.date | None = None, organization_id: int | None = None) -> Decimal | None:
    """% of commercial installs covered by a valid entitlement."""
    return figure("licence", at, organization_id)


def exposure_share(at: dt.date | None = None, organization_id: int | None = None) -> Decimal | None:
    """% of endpoints without an open critical, high or known-exploited finding."""
    return figure("exposure", at, organization_id)


def hygiene_score(at: dt.date | None = None, organization_id: int | None = None) -> Decimal | None:
    """The weighted hygiene score."""
    return figure("score", at, organization_id)


def national_summary(user: Any) -> dict[str, Any]:
    """Headline figures over what `user` may see."""
    visible = (
        restrict(InstitutionScore.objects.all(), user).values_list("organization_id", flat=True).distinct()
    )
    scores = latest_scores(organization_ids=list(visible))
    return {
        "institutions": len(scores),
        "endpoints": sum(s.endpoints for s in scores),
        **{c: _weighted(scores, c) for c in COMPONENTS},
        "scores": scores,
    }


def trend(organization_id: int, limit: int = 30) -> list[InstitutionScore]:
    """The institution's scores, oldest first (one per recomputation)."""
    rows = list(
        InstitutionScore.objects.filter(organization_id=organization_id).order_by("-computed_at", "-id")[
            :limit
        ]
    )
    return rows[::-1]


def licence_totals(positions: QuerySet[LicencePosition]) -> dict[str, Any]:
    return positions.aggregate(
        installs=Sum("installs"),
        over_use=Sum("over_use"),
        unlicensed=Sum("unlicensed"),
        products=Count("product", distinct=True),
    )


def noncompliant(user: Any) -> QuerySet[CoverageStatus]:
    return restrict(
        CoverageStatus.objects.filter(compliant=False).exclude(reason=CoverageReason.NOT_APPLICABLE), user
    ).select_related("endpoint", "category", "organization")


def coverage_by_category(user: Any) -> list[dict[str, Any]]:
    rows = (
        restrict(CoverageStatus.objects.exclude(reason=CoverageReason.NOT_APPLICABLE), user)
        .values("category__name")
        .annotate(n=Count("id"), ok=Count("id", filter=Q(compliant=True)))
        .order_by("category__name")
    )
    return [{**r, "pct": round(100 * r["ok"] / r["n"], 1) if r["n"] else None} for r in rows]


def reasons(user: Any) -> list[dict[str, Any]]:
    labels = dict(CoverageReason.choices)
    rows = noncompliant(user).values("reason").annotate(n=Count("id")).order_by("-n")
    return [{"key": r["reason"], "label": labels.get(r["reason"], r["reason"]), "n": r["n"]} for r in rows]


def open_findings(user: Any) -> QuerySet[Finding]:
    return restrict(Finding.objects.filter(present=True, state__in=OPEN_TRIAGE), user)


def dashboard_figures(user: Any) -> dict[str, Any]:
    summary = national_summary(user)
    return {
        "endpoints": restrict(Endpoint.objects.all(), user).count(),
        "score": summary["score"],
        "coverage": summary["coverage"],
        "open_findings": open_findings(user).count(),
    }
