"""One filterset for the registry list page, the API list and the exports."""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from qalxan.core.filtersets import FilterSet, ReferenceMultipleChoiceFilter
from qalxan.organizations.models import Sector
from qalxan.registry.choices import CiiCategory, DesignationState, Hosting, SupervisingAgency, SystemKind
from qalxan.registry.models import REGISTRY_PREFIX, InformationSystem


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(ReferenceMultipleChoiceFilter):
    """Sector codes, e.g. ?sector=energy&sector=health."""


# The multiple-choice filters below are on a system's own columns and foreign keys, which cannot repeat a
# row: without `distinct=False` every filtered page and count ran SELECT DISTINCT over all columns.
ONE_ROW = {"distinct": False}


class InformationSystemFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    sector = CodeChoiceFilter(
        field_name="sector__code",
        to_field_name="code",
        queryset=Sector.objects.all(),
        label=_("Sector"),
        **ONE_ROW,
    )
    kind = django_filters.MultipleChoiceFilter(choices=SystemKind.choices, label=_("Kind"), **ONE_ROW)
    state = django_filters.MultipleChoiceFilter(choices=DesignationState.choices, label=_("State"), **ONE_ROW)
    category = django_filters.MultipleChoiceFilter(
        choices=CiiCategory.choices, label=_("CII category"), **ONE_ROW
    )
    supervising_agency = django_filters.ChoiceFilter(
        choices=SupervisingAgency.choices, label=_("Supervising agency")
    )
    owner = django_filters.CharFilter(
        method="by_owner",
        label=_("Owner (subject)"),
        help_text=_("The organisation's id, code or short name."),
    )
    hosting = django_filters.ChoiceFilter(choices=Hosting.choices, label=_("Hosting"))
    holds_personal_data = django_filters.BooleanFilter(label=_("Holds personal data"))
    review_due_before = django_filters.DateFilter(
        field_name="review_due_date", lookup_expr="lte", label=_("Review due by")
    )

    class Meta:
        model = InformationSystem
        fields = [
            "q",
            "sector",
            "kind",
            "state",
            "category",
            "supervising_agency",
            "owner",
            "hosting",
            "holds_personal_data",
            "review_due_before",
        ]

    def by_owner(
        self, queryset: QuerySet[InformationSystem], name: str, value: Any
    ) -> QuerySet[InformationSystem]:
        value = value.strip()
        if value.isdigit():
            return queryset.filter(owner_id=int(value))
        return queryset.filter(Q(owner__code__iexact=value) | Q(owner__short_name__iexact=value))

    def search(
        self, queryset: QuerySet[InformationSystem], name: str, value: Any
    ) -> QuerySet[InformationSystem]:
        value = value.strip()
        number = re.fullmatch(rf"(?:{REGISTRY_PREFIX})?0*(\d+)", value, re.IGNORECASE)
        query = Q(name_az__icontains=value) | Q(name_en__icontains=value) | Q(name_ru__icontains=value)
        if number:
            query |= Q(pk=int(number.group(1)))
        return queryset.filter(query)
