"""The intel app's section on the incident page: the report's indicators, the incidents that share
them and the campaigns the incident belongs to, each as far as the viewer may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from qalxan.core.panels import Panel, register
from qalxan.core.tenancy import has_permission, restrict
from qalxan.incidents.models import Incident
from qalxan.intel.models import Campaign, CorrelationLink, IndicatorReport


@register("incidents.Incident")
def incident_indicators(incident: Incident, user: Any) -> Panel | None:
    """Whoever sees the incident sees the indicators it reported (they are in the report's text too);
    other incidents and campaigns only where the viewer may see them."""
    reports = (
        IndicatorReport.objects.filter(incident=incident)
        .select_related("indicator")
        .order_by("indicator__kind", "indicator__value")
    )
    indicators = list(dict.fromkeys(r.indicator for r in reports))
    shared: dict[int, int] = {}
    for link in (
        CorrelationLink.objects.filter(Q(low=incident) | Q(high=incident))
        .annotate(n=Count("shared"))
        .values("low_id", "high_id", "n")
    ):
        other = link["high_id"] if link["low_id"] == incident.pk else link["low_id"]
        shared[other] = link["n"]
    correlated = [
        (other, shared[other.pk])
        for other in restrict(
            Incident.objects.filter(pk__in=shared).select_related("organization"),
            user,
            "incidents.view_incident",
        ).order_by("-reported_at", "-pk")
    ]
    campaigns = list(
        restrict(Campaign.objects.filter(incidents=incident), user, "intel.view_campaign").order_by("-pk")
    )
    if not (indicators or correlated or campaigns):
        return None
    return Panel(
        _("Threat indicators"),
        "intel/incident_panel.html",
        {
            "indicators": indicators,
            "correlated": correlated,
            "campaigns": campaigns,
            "links": has_permission(user, "intel.view_indicator"),
        },
        order=10,
    )
