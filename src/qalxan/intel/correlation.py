"""Correlation across institutions: incidents sharing indicators are linked; connected groups become
campaign candidates. An indicator reported in more incidents than the over-correlation limit links
nothing, so that a value seen everywhere does not glue everything together.

Every step is an indexed lookup (reports by incident, reports by indicator, links by incident), so the
cost grows with the new incident's neighbourhood, not with the number of stored indicators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.services import notify
from qalxan.intel import conf
from qalxan.intel.choices import CampaignState
from qalxan.intel.models import Campaign, CorrelationLink, Indicator, IndicatorReport
from qalxan.intel.normalize import extract

MAX_COMPONENT = 5_000


@dataclass
class CorrelationResult:
    linked: dict[int, set[int]] = field(default_factory=dict)  # other incident id → shared indicator ids
    component: set[int] = field(default_factory=set)
    campaign: Campaign | None = None
    skipped: set[int] = field(default_factory=set)  # over-correlated indicators


@transaction.atomic
def ingest_incident(incident: Any) -> CorrelationResult:
    """Take the indicators of an incident report into the catalogue and correlate the incident."""
    from qalxan.intel.services import add_indicators

    if incident.state == "draft":
        return CorrelationResult()
    found = extract(incident.indicators or "")
    if found.values:
        add_indicators(
            actor=None,
            values=found.values,
            tlp=incident.tlp,
            source=_("incident report"),
            organization=incident.organization,
            incident=incident,
            seen_at=incident.detected_at,
        )
    return correlate(incident)


def _usable(indicator_ids: list[int], limit: int) -> tuple[list[int], set[int]]:
    now = timezone.now()
    rows = (
        Indicator.objects.filter(pk__in=indicator_ids, suppressed=False)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("pk", "incident_count")
    )
    usable: list[int] = []
    skipped: set[int] = set()
    for pk, count in rows:
        if count <= limit:
            usable.append(pk)
        else:
            skipped.add(pk)
    return usable, skipped


@transaction.atomic
def correlate(incident: Any) -> CorrelationResult:
    """Link the incident to every other incident sharing a usable indicator; group the component."""
    limit = conf.correlation_limit()
    result = CorrelationResult()
    own = list(
        IndicatorReport.objects.filter(incident_id=incident.pk)
        .values_list("indicator_id", flat=True)
        .distinct()
    )
    if not own:
        return result
    usable, result.skipped = _usable(own, limit)
    if not usable:
        return result
    shared: dict[int, set[int]] = defaultdict(set)
    for other, indicator_id in (
        IndicatorReport.objects.filter(indicator_id__in=usable, incident__isnull=False)
        .exclude(incident_id=incident.pk)
        .exclude(incident__state="draft")
        .values_list("incident_id", "indicator_id")
    ):
        shared[other].add(indicator_id)
    result.linked = dict(shared)
    if not shared:
        return result
    pairs = {(min(incident.pk, o), max(incident.pk, o)): ids for o, ids in shared.items()}
    existing = {
        (link.low_id, link.high_id): link
        for link in CorrelationLink.objects.filter(
            Q(low_id=incident.pk, high_id__in=list(shared)) | Q(high_id=incident.pk, low_id__in=list(shared))
        )
    }
    CorrelationLink.objects.bulk_create(
        [CorrelationLink(low_id=a, high_id=b) for (a, b) in pairs if (a, b) not in existing],
        ignore_conflicts=True,
    )
    links = {
        (link.low_id, link.high_id): link
        for link in CorrelationLink.objects.filter(
            Q(low_id=incident.pk, high_id__in=list(shared)) | Q(high_id=incident.pk, low_id__in=list(shared))
        )
    }
    through = CorrelationLink.shared.through
    through.objects.bulk_create(
        [
            through(correlationlink_id=links[pair].pk, indicator_id=i)
            for pair, ids in pairs.items()
            for i in ids
        ],
        ignore_conflicts=True,
    )
    result.component = component_of(incident.pk)
    result.campaign = _group(incident, result.component, {i for ids in shared.values() for i in ids})
    return result


def component_of(incident_id: int) -> set[int]:
    """The incidents connected to this one through correlation links (breadth first, bounded)."""
    seen = {incident_id}
    frontier = [incident_id]
    while frontier and len(seen) < MAX_COMPONENT:
        rows = CorrelationLink.objects.filter(Q(low_id__in=frontier) | Q(high_id__in=frontier)).values_list(
            "low_id", "high_id"
        )
        nxt = []
        for low, high in rows:
            for node in (low, high):
                if node not in seen:
                    seen.add(node)
                    nxt.append(node)
        frontier = nxt[:MAX_COMPONENT]
    return seen


def _group(incident: Any, component: set[int], indicator_ids: set[int]) -> Campaign | None:
    from qalxan.incidents.models import Incident

    if len(component) < 2:
        return None
    campaigns = list(
        Campaign.objects.filter(incidents__in=component)
        .exclude(state=CampaignState.DISMISSED)
        .distinct()
        .order_by("id")
    )
    new = not campaigns
    if new:
        first = Indicator.objects.filter(pk__in=indicator_ids).order_by("-incident_count", "pk").first()
        campaign = Campaign.objects.create(
            name=_("Candidate: %(value)s") % {"value": first.value[:150] if first else incident.reference},
        )
    else:
        # The oldest open campaign takes the newcomers (a confirmed one stays as the analysts named it).
        campaigns.sort(key=lambda c: (c.state != CampaignState.CONFIRMED, c.pk))
        campaign = campaigns[0]
    before = set(campaign.incidents.values_list("pk", flat=True))
    campaign.incidents.add(*component)
    campaign.indicators.add(*indicator_ids)
    span = Incident.objects.filter(pk__in=component).aggregate(
        first=Min("detected_at"), last=Max("detected_at")
    )
    campaign.first_seen, campaign.last_seen = span["first"], span["last"]
    campaign.save(update_fields=["first_seen", "last_seen", "updated_at"])
    added = set(component) - before
    if new or added:
        audit.record(
            actor=None,
            action=AuditAction.CREATE if new else AuditAction.UPDATE,
            target=campaign,
            message=f"correlation: {len(component)} incidents",
            after={"incidents": sorted(component)},
        )
    if new:
        from qalxan.intel.services import analysts

        notify(
            recipients=analysts(),
            subject=_("Campaign candidate: %(n)d incidents share indicators") % {"n": len(component)},
            body=campaign.name,
            url=campaign.get_absolute_url(),
        )
    return campaign
