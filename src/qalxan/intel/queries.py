"""Shared reads of the intel app: what an institution may learn about other institutions' reports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from qalxan.core.tenancy import restrict, scope
from qalxan.intel.models import Campaign, Indicator, IndicatorReport, Sighting


def sees_reporters(user: Any) -> bool:
    """CERT and the supervisors see which institutions reported an indicator; institutions never do."""
    return scope(user, "intel.view_indicator").everything


def other_institutions(user: Any, indicator_ids: Iterable[int]) -> dict[int, int]:
    """{indicator id: how many institutions outside the person's own reported it} (anonymised)."""
    ids = list(indicator_ids)
    if not ids:
        return {}
    own = scope(user, "intel.view_indicator")
    reports: QuerySet[IndicatorReport] = IndicatorReport.objects.filter(indicator_id__in=ids)
    if not own.everything:
        reports = reports.exclude(organization_id__in=own.organization_ids)
    rows = reports.values("indicator_id").annotate(n=Count("organization", distinct=True)).order_by()
    return {r["indicator_id"]: r["n"] for r in rows}


def reporters(user: Any, indicator: Indicator) -> list[Any]:
    """The reporting institutions, named, for CERT; only the person's own institutions otherwise."""
    from qalxan.organizations.models import Organization

    reports: QuerySet[IndicatorReport] = IndicatorReport.objects.filter(indicator=indicator)
    if not sees_reporters(user):
        reports = restrict(reports, user, "intel.view_indicator")
    return list(Organization.objects.filter(pk__in=reports.values("organization_id")).order_by("short_name"))


def visible_incidents_of(user: Any, indicator: Indicator) -> QuerySet[Any]:
    from qalxan.incidents.models import Incident

    ids = IndicatorReport.objects.filter(indicator=indicator, incident__isnull=False).values("incident_id")
    return restrict(Incident.objects.filter(pk__in=ids), user, "incidents.view_incident")


def campaign_incidents(user: Any, campaign: Campaign) -> QuerySet[Any]:
    """The campaign's incidents the person may see (an institution: its own)."""
    from qalxan.incidents.models import Incident

    return restrict(
        Incident.objects.filter(pk__in=campaign.incidents.values("pk")), user, "incidents.view_incident"
    ).select_related("organization", "sector")


def campaign_summary(user: Any, campaign: Campaign) -> dict[str, Any]:
    """Affected institutions, sectors and the timeline (names for CERT; counts only for institutions)."""
    from qalxan.incidents.models import Incident
    from qalxan.organizations.models import Organization, Sector

    everything = Incident.objects.filter(pk__in=campaign.incidents.values("pk"))
    org_ids = set(everything.values_list("organization_id", flat=True))
    sector_ids = set(everything.exclude(sector__isnull=True).values_list("sector_id", flat=True))
    named = sees_reporters(user)
    visible = campaign_incidents(user, campaign).order_by("detected_at")
    return {
        "institution_count": len(org_ids),
        "incident_count": everything.count(),
        "institutions": list(Organization.objects.filter(pk__in=org_ids).order_by("short_name"))
        if named
        else [],
        "sectors": list(Sector.objects.filter(pk__in=sector_ids)) if named else [],
        "timeline": list(
            visible
            if not named
            else everything.select_related("organization", "sector").order_by("detected_at")
        ),
        "named": named,
    }


def dashboard_figures(user: Any) -> dict[str, Any]:
    now = timezone.now()
    indicators = Indicator.objects.visible_to(user)
    active = indicators.filter(suppressed=False).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    return {
        "active": active.count(),
        "benign": indicators.filter(suppressed=True).count(),
        "candidates": restrict(Campaign.objects.filter(state="candidate"), user).count(),
        "sightings": restrict(Sighting.objects.all(), user).count(),
    }
