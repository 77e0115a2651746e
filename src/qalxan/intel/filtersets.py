"""One filterset per list, shared by the UI and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.core.filtersets import FilterSet, IdFilter, IsoDateTimeFilter
from qalxan.intel.choices import CampaignState, IndicatorKind, Tlp
from qalxan.intel.models import Campaign, Indicator, Sighting
from qalxan.intel.normalize import InvalidValue, detect


class IndicatorFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=IndicatorKind.choices)
    tlp = django_filters.ChoiceFilter(label=_("TLP"), choices=Tlp.choices)
    suppressed = django_filters.BooleanFilter(label=_("Known benign"))
    active = django_filters.BooleanFilter(label=_("Active"), method="filter_active")
    updated_after = IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt", label=_("Changed after"))

    class Meta:
        model = Indicator
        fields = ["q", "kind", "tlp", "suppressed", "active"]

    def search(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        text = value.strip()
        if not text:
            return queryset
        try:
            exact = detect(text)
        except InvalidValue:
            return queryset.filter(value__icontains=text[:200])
        return queryset.filter(Q(kind=exact.kind, value=exact.value) | Q(value__icontains=exact.value[:200]))

    def filter_active(
        self, queryset: QuerySet[Indicator], name: str, value: bool | None
    ) -> QuerySet[Indicator]:
        if value is None:
            return queryset
        live = Q(suppressed=False) & (Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        return queryset.filter(live) if value else queryset.exclude(live)


class CampaignFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(label=_("State"), choices=CampaignState.choices)

    class Meta:
        model = Campaign
        fields = ["q", "state"]

    def search(self, queryset: QuerySet[Campaign], name: str, value: str) -> QuerySet[Campaign]:
        text = value.strip()[:200]
        return (
            queryset.filter(
                Q(name__icontains=text) | Q(threat_actor__icontains=text) | Q(intrusion_set__icontains=text)
            )
            if text
            else queryset
        )


class SightingFilterSet(FilterSet):
    indicator = IdFilter(field_name="indicator_id", label=_("Indicator"))
    log_type = django_filters.CharFilter(label=_("Log type"))
    seen_after = IsoDateTimeFilter(field_name="seen_at", lookup_expr="gte", label=_("Seen from"))

    class Meta:
        model = Sighting
        fields = ["indicator", "log_type", "seen_after"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
