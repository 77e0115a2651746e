"""One filterset per list, shared by the UI list pages and the API lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.compliance.choices import AssessmentState, CampaignState, FindingState, Severity
from qalxan.compliance.models import FINDING_PREFIX, Assessment, Campaign, Evidence, Finding
from qalxan.core.filtersets import FilterSet, IdFilter


class CampaignFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    state = django_filters.ChoiceFilter(choices=CampaignState.choices, label=_("State"))
    catalogue = IdFilter(field_name="catalogue_id", label=_("Catalogue"))

    class Meta:
        model = Campaign
        fields = ["q", "state", "catalogue"]


class AssessmentFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.MultipleChoiceFilter(choices=AssessmentState.choices, label=_("State"))
    campaign = IdFilter(field_name="campaign_id", label=_("Campaign"))
    organization = IdFilter(field_name="organization_id", label=_("Subject"))

    class Meta:
        model = Assessment
        fields = ["q", "state", "campaign", "organization"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(campaign__title__icontains=value)
            | Q(organization__short_name__icontains=value)
            | Q(organization__name_az__icontains=value)
        )


class FindingFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.MultipleChoiceFilter(choices=FindingState.choices, label=_("State"))
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, label=_("Severity"))
    organization = IdFilter(field_name="organization_id", label=_("Subject"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    escalated = django_filters.BooleanFilter(
        field_name="escalated_at", lookup_expr="isnull", exclude=True, label=_("Escalated")
    )

    class Meta:
        model = Finding
        fields = ["q", "state", "severity", "organization", "overdue", "escalated"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        query = Q(description__icontains=value) | Q(requirement__ref_id__icontains=value)
        if value.upper().startswith(FINDING_PREFIX) and value[len(FINDING_PREFIX) :].isdigit():
            query |= Q(pk=int(value[len(FINDING_PREFIX) :]))
        return queryset.filter(query)

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        overdue = Q(deadline__lt=timezone.localdate()) & ~Q(state=FindingState.CLOSED)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class EvidenceFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    expires_before = django_filters.DateFilter(
        field_name="expires_on", lookup_expr="lte", label=_("Valid until before")
    )

    class Meta:
        model = Evidence
        fields = ["q", "expires_before"]
