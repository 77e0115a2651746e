"""One filterset per list, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qalxan.core.filtersets import FilterSet, IdFilter
from qalxan.exposure.choices import Check, DataKind, FindingState, ScanState, ScanTrigger, Severity
from qalxan.exposure.models import Finding, Scan, Site


class SiteFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    organization = IdFilter(field_name="system__owner_id", label=_("Institution"))
    sector = django_filters.CharFilter(field_name="system__sector__code", label=_("Sector"))
    enabled = django_filters.BooleanFilter(label=_("Scanned periodically"))
    score_below = django_filters.NumberFilter(
        field_name="score", lookup_expr="lt", label=_("Score below"), min_value=0, max_value=1000
    )

    class Meta:
        model = Site
        fields = ["q", "organization", "sector", "enabled", "score_below"]

    def search(self, queryset: QuerySet[Site], name: str, value: Any) -> QuerySet[Site]:
        value = value.strip()
        return queryset.filter(
            Q(system__name_az__icontains=value)
            | Q(system__name_en__icontains=value)
            | Q(system__domains__domain__icontains=value)
        ).distinct()


class FindingFilterSet(FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=FindingState.choices, label=_("State"))
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, label=_("Severity"))
    check_code = django_filters.ChoiceFilter(choices=Check.choices, label=_("Check"))
    data_kind = django_filters.ChoiceFilter(choices=DataKind.choices, label=_("Personal data"))
    site = IdFilter(field_name="site_id", label=_("Website"))
    organization = IdFilter(field_name="site__system__owner_id", label=_("Institution"))

    class Meta:
        model = Finding
        fields = ["state", "severity", "check_code", "data_kind", "site", "organization"]


class ScanFilterSet(FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=ScanState.choices, label=_("State"))
    trigger = django_filters.ChoiceFilter(choices=ScanTrigger.choices, label=_("Trigger"))
    site = IdFilter(field_name="site_id", label=_("Website"))

    class Meta:
        model = Scan
        fields = ["state", "trigger", "site"]
