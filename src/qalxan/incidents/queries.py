"""Shared reads: statistics aggregated in the database (GROUP BY), open measures, dashboard figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from qalxan.core.tenancy import restrict
from qalxan.incidents.choices import OPEN_STATES, IncidentState, MeasureState
from qalxan.incidents.models import Incident, Measure, TaxonomyClass
from qalxan.organizations.models import Organization, Sector

STATS = "incidents.view_statistics"


def visible_incidents(user: Any, permission: str = STATS) -> QuerySet[Incident]:
    return restrict(Incident.objects.exclude(state=IncidentState.DRAFT), user, permission)


def percentile(queryset: QuerySet[Incident], field: str, share: float) -> int | None:
    """The value at `share` (0..1) of a duration column, found by the database (ORDER BY … OFFSET)."""
    values = queryset.filter(**{f"{field}__isnull": False})
    count = values.count()
    if not count:
        return None
    offset = min(count - 1, max(0, round(share * (count - 1))))
    row = values.order_by(field).values_list(field, flat=True)[offset : offset + 1]
    return next(iter(row), None)


def _named(rows: Any, key: str, names: dict[Any, str]) -> list[dict[str, Any]]:
    top = max((r["n"] for r in rows), default=0) or 1
    return [
        {"key": r[key], "label": names.get(r[key], "—"), "n": r["n"], "percent": round(100 * r["n"] / top)}
        for r in rows
    ]


def statistics(user: Any, *, since: dt.date | None = None, until: dt.date | None = None) -> dict[str, Any]:
    """Figures of the statistics page; institutions see their own, CERT and supervisors all."""
    qs = visible_incidents(user)
    if since:
        qs = qs.filter(reported_at__date__gte=since)
    if until:
        qs = qs.filter(reported_at__date__lte=until)
    by_class = list(qs.values("taxonomy_class").annotate(n=Count("id")).order_by("-n"))
    by_sector = list(qs.values("sector").annotate(n=Count("id")).order_by("-n"))
    by_org = list(qs.values("organization").annotate(n=Count("id")).order_by("-n")[:25])
    by_month = list(
        qs.annotate(month=TruncMonth("reported_at")).values("month").annotate(n=Count("id")).order_by("month")
    )
    by_state = dict(qs.values_list("state").annotate(n=Count("id")).order_by())
    totals = qs.aggregate(
        total=Count("id"),
        late=Count("id", filter=Q(report_late=True)),
        breached=Count("id", filter=Q(sla_breached=True)),
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
    )
    class_names = {c.pk: c.name for c in TaxonomyClass.objects.all()}
    sector_names = {s.pk: s.name for s in Sector.objects.all()}
    org_ids = [r["organization"] for r in by_org]
    org_names = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "short_name"))
    measures = restrict(Measure.objects.exclude(state=MeasureState.VERIFIED), user, "incidents.view_measure")
    open_measures = list(
        measures.values("incident__organization").annotate(n=Count("id")).order_by("-n")[:25]
    )
    measure_orgs = dict(
        Organization.objects.filter(pk__in=[r["incident__organization"] for r in open_measures]).values_list(
            "pk", "short_name"
        )
    )
    months = _named(
        by_month, "month", {r["month"]: r["month"].strftime("%Y-%m") if r["month"] else "—" for r in by_month}
    )
    return {
        "totals": totals,
        "by_state": [
            {"key": s.value, "label": s.label, "n": by_state.get(s.value, 0)}
            for s in IncidentState
            if s != IncidentState.DRAFT
        ],
        "by_class": _named(by_class, "taxonomy_class", class_names),
        "by_sector": _named(by_sector, "sector", sector_names),
        "by_organization": _named(by_org, "organization", org_names),
        "by_month": months,
        "open_measures": _named(open_measures, "incident__organization", measure_orgs),
        "triage": {
            "median": percentile(qs, "triage_seconds", 0.5),
            "p90": percentile(qs, "triage_seconds", 0.9),
        },
        "resolve": {
            "median": percentile(qs, "resolve_seconds", 0.5),
            "p90": percentile(qs, "resolve_seconds", 0.9),
        },
    }


def dashboard_figures(user: Any) -> dict[str, Any]:
    qs = restrict(Incident.objects.all(), user, "incidents.view_incident")
    figures = qs.aggregate(
        open=Count("id", filter=Q(state__in=OPEN_STATES)),
        new=Count("id", filter=Q(state=IncidentState.REPORTED)),
        drafts=Count("id", filter=Q(state=IncidentState.DRAFT)),
        breached=Count("id", filter=Q(state__in=OPEN_STATES, sla_breached=True)),
    )
    figures["open_measures"] = restrict(
        Measure.objects.exclude(state=MeasureState.VERIFIED), user, "incidents.view_measure"
    ).count()
    return figures


def human_duration(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    hours, rest = divmod(int(seconds), 3600)
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h" if days else f"{hours}h {rest // 60}m"
