"""Metric functions for strategy indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from qalxan.core.metrics import metric
from qalxan.incidents.choices import IncidentState
from qalxan.incidents.models import Incident


@metric("incidents.late_report_share", label=_("Share of incidents reported late"), unit="%")
def late_report_share(at: dt.date, **params: object) -> Decimal | None:
    figures = (
        Incident.objects.exclude(state=IncidentState.DRAFT)
        .filter(reported_at__date__lte=at)
        .aggregate(total=Count("id"), late=Count("id", filter=Q(report_late=True)))
    )
    if not figures["total"]:
        return None
    return (Decimal(100) * figures["late"] / figures["total"]).quantize(Decimal("0.01"))
