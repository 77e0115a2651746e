"""Major incidents as candidate agenda items of the Coordination Commission (when that module is deployed).

The commission's secretary does not read incident cases: the label is the case reference, its
RSIT class, the sector and the severity — no institution, no details. Who may open the case
through the link is still decided by the incidents module's tenancy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.commission import sources
from qalxan.incidents.choices import IncidentState, Severity
from qalxan.incidents.models import Incident

WINDOW_DAYS = 180


def major_incidents(user: Any) -> list[sources.Candidate]:
    since = timezone.now() - dt.timedelta(days=WINDOW_DAYS)
    cases = (
        Incident.objects.filter(severity__in=[Severity.HIGH, Severity.CRITICAL], reported_at__gte=since)
        .exclude(state__in=[IncidentState.DRAFT, IncidentState.REJECTED, IncidentState.DUPLICATE])
        .select_related("taxonomy_class", "sector")
        .order_by("-reported_at")[:200]
    )
    return [
        sources.Candidate.of(
            case,
            label=" · ".join(
                str(part)
                for part in (
                    case.reference,
                    case.taxonomy_class or "",
                    case.sector or "",
                    case.get_severity_display(),
                )
                if part
            ),
            url=case.get_absolute_url(),
        )
        for case in cases
    ]


sources.register(
    sources.AgendaSource(
        key="incidents.major",
        label=_("Major incidents (high and critical)"),
        candidates=major_incidents,
        order=40,
    )
)
