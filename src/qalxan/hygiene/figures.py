"""An institution's figures: licence reconciliation and the hygiene score, recomputed from current state.

Licence arithmetic for a product in an institution on a day:
  seats   = own-pool entitlements valid that day, less the seats transferred from them to other
            institutions, + allocations received from valid entitlements (central, or another
            institution's own contract); unlimited when any of them is unlimited;
  installs = endpoints with the product in their latest inventory;
  no valid entitlement at all → every install is unlicensed (status `expired` when one has lapsed);
  otherwise over-use = max(0, installs − seats).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from qalxan.hygiene.choices import OPEN_TRIAGE, CoverageReason, LicenceStatus, Pool, Severity
from qalxan.hygiene.models import (
    Allocation,
    CoverageStatus,
    Endpoint,
    Entitlement,
    Finding,
    InstitutionScore,
    LicencePosition,
    ProductInstall,
    ScoreWeights,
)

HUNDRED = Decimal(100)
SERIOUS = (Severity.CRITICAL, Severity.HIGH)


def _valid(entitlement: Entitlement, day: dt.date) -> bool:
    return entitlement.valid_from <= day and (
        entitlement.valid_until is None or entitlement.valid_until >= day
    )


def entitlements_of(organization_id: int, day: dt.date) -> dict[int, dict[str, Any]]:
    """Per product: seats held that day (None = unlimited), and the contracts that have lapsed."""
    held: dict[int, dict[str, Any]] = defaultdict(lambda: {"seats": 0, "valid": False, "expired": []})
    own = Entitlement.objects.filter(organization_id=organization_id, pool=Pool.INSTITUTION).annotate(
        given=Sum("allocations__seats")
    )
    for entitlement in own:
        # Seats transferred to other institutions count there, not here (an unlimited contract stays so).
        seats = None if entitlement.seats is None else max(0, entitlement.seats - (entitlement.given or 0))
        _add(held[entitlement.product_id], entitlement, seats, day)
    for allocation in Allocation.objects.filter(organization_id=organization_id).select_related(
        "entitlement"
    ):
        _add(held[allocation.entitlement.product_id], allocation.entitlement, allocation.seats, day)
    return held


def _add(slot: dict[str, Any], entitlement: Entitlement, seats: int | None, day: dt.date) -> None:
    if _valid(entitlement, day):
        slot["valid"] = True
        slot["seats"] = None if seats is None or slot["seats"] is None else slot["seats"] + seats
    elif entitlement.valid_until is not None and entitlement.valid_until < day:
        slot["expired"].append(entitlement.contract)


def reconcile(*, organization_id: int, day: dt.date | None = None) -> list[LicencePosition]:
    """Rewrite the institution's licence positions from its installs and entitlements."""
    day = day or timezone.localdate()
    installs = dict(
        ProductInstall.objects.filter(organization_id=organization_id, product__is_commercial=True)
        .values("product_id")
        .annotate(n=Count("endpoint_id", distinct=True))
        .values_list("product_id", "n")
    )
    held = entitlements_of(organization_id, day)
    positions = []
    for product_id in set(installs) | set(held):
        n = installs.get(product_id, 0)
        slot = held.get(product_id, {"seats": 0, "valid": False, "expired": []})
        seats = slot["seats"] if slot["valid"] else 0
        over_use = unlicensed = 0
        if not slot["valid"]:
            unlicensed = n
            if slot["expired"]:
                status = LicenceStatus.EXPIRED
            else:
                status = LicenceStatus.UNLICENSED if n else LicenceStatus.COMPLIANT
        else:
            over_use = 0 if seats is None else max(0, n - seats)
            status = LicenceStatus.OVER_USE if over_use else LicenceStatus.COMPLIANT
        positions.append(
            LicencePosition(
                organization_id=organization_id,
                product_id=product_id,
                installs=n,
                seats=seats,
                over_use=over_use,
                unlicensed=unlicensed,
                status=status,
                expired_contracts=sorted(set(slot["expired"])),
            )
        )
    LicencePosition.objects.filter(organization_id=organization_id).delete()
    LicencePosition.objects.bulk_create(positions)
    return positions


def _pct(part: int, whole: int) -> Decimal:
    if not whole:
        return HUNDRED
    return (HUNDRED * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def weights() -> ScoreWeights:
    return ScoreWeights.objects.order_by("-id").first() or ScoreWeights()


def recompute(
    *, organization_id: int, snapshot: Any = None, at: dt.datetime | None = None
) -> InstitutionScore:
    """Licence positions, then the score with its evidence; one new score row (the trend)."""
    at = at or timezone.now()
    positions = reconcile(organization_id=organization_id, day=timezone.localdate(at))
    w = weights()
    # Few queries, each one index-only scan of the institution's rows (see the models' covering indexes).
    counted = Endpoint.objects.filter(organization_id=organization_id).aggregate(
        total=Count("id"), fresh=Count("id", filter=Q(last_seen__gte=at - dt.timedelta(days=w.stale_days)))
    )
    total, fresh = counted["total"], counted["fresh"]
    stale_coverage(organization_id=organization_id, at=at)
    coverage = {"n": 0, "ok": 0}
    reasons: dict[str, int] = {}
    for is_compliant, reason, n in (
        CoverageStatus.objects.filter(organization_id=organization_id)
        .exclude(reason=CoverageReason.NOT_APPLICABLE)
        .order_by()
        .values("compliant", "reason")
        .annotate(n=Count("id"))
        .values_list("compliant", "reason", "n")
    ):
        coverage["n"] += n
        if is_compliant:
            coverage["ok"] += n
        else:
            reasons[reason] = reasons.get(reason, 0) + n
    reasons = dict(sorted(reasons.items()))
    open_findings = Finding.objects.filter(
        organization_id=organization_id, present=True, state__in=OPEN_TRIAGE
    )
    serious = open_findings.filter(Q(severity__in=SERIOUS) | Q(known_exploited=True))
    exposed = serious.values("endpoint_id").distinct().count()
    by_severity: dict[str, int] = {}
    known_exploited = 0
    for severity, n, exploited in (
        open_findings.order_by()
        .values("severity")
        .annotate(n=Count("id"), exploited=Count("id", filter=Q(known_exploited=True)))
        .values_list("severity", "n", "exploited")
    ):
        by_severity[severity] = n
        known_exploited += exploited  # known exploited is serious whatever the severity
    by_severity = dict(sorted(by_severity.items()))
    commercial = [p for p in positions if p.installs]
    installs = sum(p.installs for p in commercial)
    compliant = sum(p.compliant_installs for p in commercial)
    parts = {
        "licence": _pct(compliant, installs),
        "coverage": _pct(coverage["ok"], coverage["n"]),
        "exposure": _pct(total - exposed, total),
        "freshness": _pct(fresh, total),
    }
    weight = {"licence": w.licence, "coverage": w.coverage, "exposure": w.exposure, "freshness": w.freshness}
    weight_sum = sum(weight.values()) or 1
    score = (Decimal(sum(parts[k] * weight[k] for k in parts)) / weight_sum).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    evidence = {
        "weights": weight,
        "licence": {
            "installs": installs,
            "compliant": compliant,
            "over_use": sum(p.over_use for p in commercial),
            "unlicensed": sum(p.unlicensed for p in commercial),
            "expired_contracts": sorted({c for p in positions for c in p.expired_contracts}),
        },
        "coverage": {"checked": coverage["n"], "compliant": coverage["ok"], "reasons": reasons},
        "exposure": {
            "endpoints": total,
            "exposed": exposed,
            "open_by_severity": by_severity,
            "known_exploited": known_exploited,
        },
        "freshness": {"endpoints": total, "fresh": fresh, "stale_days": w.stale_days},
    }
    return InstitutionScore.objects.create(
        organization_id=organization_id,
        computed_at=at,
        snapshot=snapshot,
        endpoints=total,
        score=score,
        evidence=evidence,
        **parts,
    )


def stale_coverage(*, organization_id: int, at: dt.datetime) -> int:
    """Endpoints not seen within a category's window stop counting as covered, without a new inventory."""
    changed = 0
    from qalxan.hygiene.models import EssentialCategory

    for category in EssentialCategory.objects.filter(is_active=True):
        cutoff = at - dt.timedelta(days=category.max_age_days)
        # The institution's stale endpoints first (few, by index), then their statuses in this category by
        # the (endpoint, category) index: a plan that does not depend on the planner's statistics.
        stale = list(
            Endpoint.objects.filter(organization_id=organization_id, last_seen__lt=cutoff).values_list(
                "id", flat=True
            )
        )
        for start in range(0, len(stale), 900):
            changed += CoverageStatus.objects.filter(
                organization_id=organization_id,
                category=category,
                compliant=True,
                endpoint_id__in=stale[start : start + 900],
            ).update(compliant=False, reason=CoverageReason.NOT_SEEN)
    return changed
