"""Shared reads of the compliance app: campaign scope against the registry, trends, heat maps, due items."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from qalxan.compliance.choices import FindingState, ScoreDimension
from qalxan.compliance.models import Campaign, CampaignScore, Evidence, Finding, Requirement
from qalxan.core.tenancy import restrict
from qalxan.organizations.models import Organization
from qalxan.registry import queries as registry_queries
from qalxan.registry.models import InformationSystem


@dataclass
class Target:
    """A subject in a campaign's scope and its CII objects in scope (none: the subject answers for itself)."""

    organization: Organization
    systems: list[InformationSystem] = field(default_factory=list)


def resolve_scope(
    *,
    sectors: list[str] | None = None,
    categories: list[str] | None = None,
    organizations: list[int] | None = None,
    systems: list[int] | None = None,
) -> list[Target]:
    """Subjects and objects a campaign covers: designated CII objects filtered by sector, category, subject
    or id; subjects named explicitly are included even when they have no object in scope."""
    objects = registry_queries.designated().select_related("sector", "owner")
    if sectors:
        objects = objects.filter(sector__code__in=sectors)
    if categories:
        objects = objects.filter(category__in=categories)
    if systems:
        objects = objects.filter(pk__in=systems)
    if (organizations and not (sectors or categories or systems)) or organizations:
        objects = objects.filter(owner_id__in=organizations)
    by_owner: dict[int, Target] = {}
    for system in objects.order_by("owner_id", "pk"):
        target = by_owner.setdefault(system.owner_id, Target(system.owner))
        target.systems.append(system)
    if organizations:
        for org in Organization.objects.filter(pk__in=organizations, is_active=True).prefetch_related(
            "sectors"
        ):
            by_owner.setdefault(org.pk, Target(org))
    return sorted(by_owner.values(), key=lambda t: t.organization.pk)


def assessable_requirements(catalogue: Any) -> list[Requirement]:
    return list(catalogue.items.filter(assessable=True).order_by("position"))


def heat_map(campaign: Campaign) -> dict[str, Any]:
    """Sector × requirement group scores of a campaign (as last computed)."""
    rows = CampaignScore.objects.filter(
        campaign=campaign, dimension=ScoreDimension.SECTOR_GROUP
    ).select_related("sector", "group")
    groups: dict[int, Any] = {}
    sectors: dict[int, Any] = {}
    cells: dict[tuple[int, int], Any] = {}
    for row in rows:
        if row.group_id is None or row.sector_id is None:
            continue
        groups[row.group_id] = row.group
        sectors[row.sector_id] = row.sector
        cells[(row.sector_id, row.group_id)] = row.score
    overall = dict(
        CampaignScore.objects.filter(campaign=campaign, dimension=ScoreDimension.SECTOR).values_list(
            "sector_id", "score"
        )
    )
    ordered_groups = sorted(groups.values(), key=lambda g: g.position)
    ordered_sectors = sorted(sectors.values(), key=lambda s: (s.order, s.code))
    return {
        "groups": ordered_groups,
        "rows": [
            {
                "sector": s,
                "overall": overall.get(s.pk),
                "cells": [cells.get((s.pk, g.pk)) for g in ordered_groups],
            }
            for s in ordered_sectors
        ],
    }


def trend(
    user: Any, *, organization: Organization | None = None, catalogue_code: str = ""
) -> list[dict[str, Any]]:
    """Scores across campaigns, oldest first: of one subject, or of each campaign as a whole."""
    campaigns = restrict(Campaign.objects.select_related("catalogue"), user, "compliance.view_campaign")
    if catalogue_code:
        campaigns = campaigns.filter(catalogue__code=catalogue_code)
    points = []
    if organization is None:
        for c in campaigns.filter(score__isnull=False).order_by("created_at"):
            points.append({"campaign": c, "score": c.score})
        return points
    scores = {
        s.campaign_id: s.score
        for s in CampaignScore.objects.filter(
            dimension=ScoreDimension.SUBJECT, organization=organization, campaign__in=campaigns
        )
    }
    for c in campaigns.filter(pk__in=scores).order_by("created_at"):
        points.append({"campaign": c, "score": scores[c.pk]})
    return points


def group_scores(campaign: Campaign) -> list[CampaignScore]:
    return list(
        CampaignScore.objects.filter(campaign=campaign, dimension=ScoreDimension.GROUP)
        .select_related("group")
        .order_by("group__position")
    )


def overdue_findings(user: Any | None = None) -> QuerySet[Finding]:
    qs = Finding.objects.exclude(state=FindingState.CLOSED).filter(deadline__lt=timezone.localdate())
    return restrict(qs, user) if user is not None else qs


def expiring_evidence(days: int) -> QuerySet[Evidence]:
    today = timezone.localdate()
    return Evidence.objects.filter(expires_on__isnull=False, expires_on__lte=today + dt.timedelta(days=days))


def dashboard_figures(user: Any) -> dict[str, Any]:
    from qalxan.compliance.choices import AssessmentState
    from qalxan.compliance.models import Assessment

    assessments = restrict(Assessment.objects.all(), user)
    by_state: dict[str, int] = defaultdict(int)
    for state in assessments.values_list("state", flat=True):
        by_state[state] += 1
    return {
        "open": by_state[AssessmentState.OPEN] + by_state[AssessmentState.RETURNED],
        "submitted": by_state[AssessmentState.SUBMITTED],
        "locked": by_state[AssessmentState.LOCKED],
        "overdue_findings": overdue_findings(user).count(),
    }
