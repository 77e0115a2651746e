"""Shared reads of the exposure app: an institution's websites, findings and scores (for its compliance
picture), and the national dashboard."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.db.models.functions import TruncMonth

from qalxan.core.tenancy import restrict
from qalxan.exposure.choices import SEVERITY_RANK, FindingState, ScanState
from qalxan.exposure.models import Finding, Scan, Site


def sites_of(organization_id: int) -> QuerySet[Site]:
    """The institution's registered websites as the scanner follows them."""
    return Site.objects.filter(system__owner_id=organization_id).select_related("system")


def open_findings_of(organization_id: int) -> QuerySet[Finding]:
    """Open findings on the institution's websites, most severe first."""
    return (
        Finding.objects.filter(site__system__owner_id=organization_id, state=FindingState.OPEN)
        .select_related("site__system")
        .order_by("-created_at")
    )


def organization_summary(organization_id: int) -> dict[str, Any]:
    """For the compliance picture: sites, mean score, open findings by severity, personal-data leaks,
    sites not scanned within the interval."""
    sites = list(sites_of(organization_id))
    findings = Finding.objects.filter(site__system__owner_id=organization_id, state=FindingState.OPEN)
    by_severity = dict(findings.values_list("severity").annotate(n=Count("id")).order_by())
    scored = [s.score for s in sites if s.score is not None]
    return {
        "sites": len(sites),
        "scanned": sum(1 for s in sites if s.last_scanned_at is not None),
        "mean_score": round(sum(scored) / len(scored), 1) if scored else None,
        "open_findings": sum(by_severity.values()),
        "by_severity": {
            k: by_severity.get(k, 0)
            for k in sorted(SEVERITY_RANK, key=lambda k: SEVERITY_RANK[k], reverse=True)
        },
        "personal_data_findings": findings.filter(check_code="personal_data").count(),
        "last_scanned_at": max((s.last_scanned_at for s in sites if s.last_scanned_at), default=None),
    }


def dashboard(user: Any) -> dict[str, Any]:
    """National figures (as far as the person may see): by institution, by sector, trend over scans."""
    sites = restrict(Site.objects.all(), user, "exposure.view_site")
    findings = restrict(Finding.objects.filter(state=FindingState.OPEN), user, "exposure.view_finding")
    scans = restrict(Scan.objects.filter(state=ScanState.FINISHED), user, "exposure.view_scan")
    open_by_org = dict(findings.values_list("site__system__owner_id").annotate(n=Count("id")).order_by())
    by_org: list[dict[str, Any]] = [
        {**row, "open": open_by_org.get(row["system__owner_id"], 0)}
        for row in sites.values("system__owner_id", "system__owner__short_name")
        .annotate(n=Count("id"), score=Avg("score"))
        .order_by("score", "system__owner__short_name")
    ]
    by_sector = list(
        sites.values(
            "system__sector__code",
            "system__sector__name_az",
            "system__sector__name_en",
            "system__sector__name_ru",
        )
        .annotate(n=Count("id"), score=Avg("score"))
        .order_by("score")
    )
    trend = list(
        scans.annotate(month=TruncMonth("finished_at"))
        .values("month")
        .annotate(n=Count("id"), score=Avg("score"))
        .order_by("month")
    )
    by_check = list(findings.values("check_code").annotate(n=Count("id")).order_by("-n"))
    return {
        "sites": sites.count(),
        "scanned": sites.filter(last_scanned_at__isnull=False).count(),
        "mean_score": sites.aggregate(s=Avg("score"))["s"],
        "open_findings": findings.count(),
        "personal_data": findings.filter(check_code="personal_data").count(),
        "by_organization": by_org,
        "by_sector": by_sector,
        "trend": trend,
        "by_check": by_check,
    }


def severity_counts(findings: QuerySet[Finding]) -> dict[str, int]:
    return dict(findings.values_list("severity").annotate(n=Count("id")).order_by())
