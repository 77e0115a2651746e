"""One filterset per list, shared by the UI lists and the API lists."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qalxan.core.filtersets import FilterSet, IdFilter
from qalxan.cyberhygiene.choices import ExposureState, LeakFormat, LeakState, PasswordStrength
from qalxan.cyberhygiene.models import (
    AdminAccount,
    Enrolment,
    Exposure,
    Leak,
    PhishingResult,
    StealerVictim,
    TrainingCampaign,
)


class LeakFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.ChoiceFilter(choices=LeakState.choices, label=_("State"))
    format = django_filters.ChoiceFilter(choices=LeakFormat.choices, label=_("Format"))

    class Meta:
        model = Leak
        fields = ["q", "state", "format"]

    def search(self, queryset: QuerySet[Leak], name: str, value: Any) -> QuerySet[Leak]:
        return queryset.filter(Q(name__icontains=value) | Q(source__icontains=value))


class ExposureFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.MultipleChoiceFilter(choices=ExposureState.choices, label=_("State"))
    open = django_filters.BooleanFilter(method="still_open", label=_("Still open"))
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    leak = IdFilter(field_name="sightings__leak_id", label=_("Leak"), distinct=True)
    is_admin = django_filters.BooleanFilter(label=_("Administrator"))
    is_staff = django_filters.BooleanFilter(label=_("Staff account"))
    strength = django_filters.ChoiceFilter(choices=PasswordStrength.choices, label=_("Password strength"))
    from_stealer = django_filters.BooleanFilter(
        field_name="victim", lookup_expr="isnull", exclude=True, label=_("From a stealer log")
    )

    class Meta:
        model = Exposure
        fields = [
            "q",
            "state",
            "open",
            "organization",
            "leak",
            "is_admin",
            "is_staff",
            "strength",
            "from_stealer",
        ]

    def search(self, queryset: QuerySet[Exposure], name: str, value: Any) -> QuerySet[Exposure]:
        value = value.strip()
        return queryset.filter(
            Q(login_domain__icontains=value)
            | Q(url_host__icontains=value)
            | Q(organization__short_name__icontains=value)
        )

    def still_open(self, queryset: QuerySet[Exposure], name: str, value: Any) -> QuerySet[Exposure]:
        states = (ExposureState.OPEN, ExposureState.NOTIFIED)
        if value is None:
            return queryset
        return queryset.filter(state__in=states) if value else queryset.exclude(state__in=states)


class VictimFilterSet(FilterSet):
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    escalated = django_filters.BooleanFilter(
        field_name="incident", lookup_expr="isnull", exclude=True, label=_("Incident opened")
    )

    class Meta:
        model = StealerVictim
        fields = ["organization", "escalated"]


class AdminAccountFilterSet(FilterSet):
    organization = IdFilter(field_name="organization_id", label=_("Institution"))

    class Meta:
        model = AdminAccount
        fields = ["organization"]


class TrainingCampaignFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    organization = IdFilter(field_name="organization_id", label=_("Institution"))

    class Meta:
        model = TrainingCampaign
        fields = ["q", "organization"]

    def search(
        self, queryset: QuerySet[TrainingCampaign], name: str, value: Any
    ) -> QuerySet[TrainingCampaign]:
        return queryset.filter(Q(course__icontains=value) | Q(code__icontains=value))


class EnrolmentFilterSet(FilterSet):
    campaign = IdFilter(field_name="campaign_id", label=_("Campaign"))
    completed = django_filters.BooleanFilter(
        field_name="completed_on", lookup_expr="isnull", exclude=True, label=_("Completed")
    )

    class Meta:
        model = Enrolment
        fields = ["campaign", "completed"]


class PhishingResultFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="campaign", lookup_expr="icontains", label=_("Campaign"))
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    run_after = django_filters.DateFilter(field_name="run_on", lookup_expr="gte", label=_("Run from"))
    run_before = django_filters.DateFilter(field_name="run_on", lookup_expr="lte", label=_("Run until"))

    class Meta:
        model = PhishingResult
        fields = ["q", "organization", "run_after", "run_before"]
