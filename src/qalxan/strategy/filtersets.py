"""One filterset per list, shared by the UI pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.core.filtersets import FilterSet, IdFilter
from qalxan.strategy.choices import ActionStatus, ReportState
from qalxan.strategy.models import Action, Indicator, ProgressReport


class ActionFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    strategy = IdFilter(field_name="direction__goal__strategy_id", label=_("Strategy"))
    direction = IdFilter(field_name="direction_id", label=_("Priority direction"))
    responsible = IdFilter(field_name="responsible_id", label=_("Responsible institution"))
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))

    class Meta:
        model = Action
        fields = ["q", "strategy", "direction", "responsible", "status", "overdue"]

    def search(self, queryset: QuerySet[Action], name: str, value: Any) -> QuerySet[Action]:
        return queryset.filter(Q(title__icontains=value) | Q(code__istartswith=value))

    def filter_overdue(self, queryset: QuerySet[Action], name: str, value: Any) -> QuerySet[Action]:
        overdue = Q(deadline__lt=timezone.localdate()) & ~Q(status=ActionStatus.DONE)
        if value is None:
            return queryset
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class IndicatorFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    strategy = IdFilter(field_name="strategy_id", label=_("Strategy"))
    computed = django_filters.BooleanFilter(method="filter_computed", label=_("Computed"))

    class Meta:
        model = Indicator
        fields = ["q", "strategy", "computed"]

    def search(self, queryset: QuerySet[Indicator], name: str, value: Any) -> QuerySet[Indicator]:
        return queryset.filter(
            Q(name_az__icontains=value)
            | Q(name_en__icontains=value)
            | Q(code__istartswith=value)
            | Q(metric__icontains=value)
        )

    def filter_computed(self, queryset: QuerySet[Indicator], name: str, value: Any) -> QuerySet[Indicator]:
        if value is None:
            return queryset
        return queryset.exclude(metric="") if value else queryset.filter(metric="")


class ProgressReportFilterSet(FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=ReportState.choices, label=_("State"))
    period = IdFilter(field_name="period_id", label=_("Period"))
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    action = IdFilter(field_name="action_id", label=_("Action"))

    class Meta:
        model = ProgressReport
        fields = ["state", "period", "organization", "action"]
