"""One filterset for the registry list page, the API list and the exports."""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from qalxan.organizations.models import Organization, Sector
from qalxan.registry.choices import CiiCategory, DesignationState, Hosting, SupervisingAgency, SystemKind
from qalxan.registry.models import REGISTRY_PREFIX, InformationSystem


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Sector codes, e.g. ?sector=energy&sector=health."""


@extend_schema_field(OpenApiTypes.INT)
class OwnerFilter(django_filters.ModelChoiceFilter):
    """The owner organisation's id."""


class InformationSystemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    sector = CodeChoiceFilter(field_name="sector", to_field_name="code", queryset=Sector.objects.all(),
                              label=_("Sector"))
    kind = django_filters.MultipleChoiceFilter(choices=SystemKind.choices, label=_("Kind"))
    state = django_filters.MultipleChoiceFilter(choices=DesignationState.choices, label=_("State"))
    category = django_filters.MultipleChoiceFilter(choices=CiiCategory.choices, label=_("CII category"))
    supervising_agency = django_filters.ChoiceFilter(choices=SupervisingAgency.choices, label=_("Supervising agency"))
    owner = OwnerFilter(queryset=Organization.objects.all(), label=_("Owner (subject)"))
    hosting = django_filters.ChoiceFilter(choices=Hosting.choices, label=_("Hosting"))
    holds_personal_data = django_filters.BooleanFilter(label=_("Holds personal data"))
    review_due_before = django_filters.DateFilter(field_name="review_due_date", lookup_expr="lte",
                                                  label=_("Review due by"))

    class Meta:
        model = InformationSystem
        fields = ["q", "sector", "kind", "state", "category", "supervising_agency", "owner", "hosting",
                  "holds_personal_data", "review_due_before"]

    def search(self, queryset: QuerySet[InformationSystem], name: str, value: Any) -> QuerySet[InformationSystem]:
        value = value.strip()
        number = re.fullmatch(rf"(?:{REGISTRY_PREFIX})?0*(\d+)", value, re.IGNORECASE)
        query = Q(name_az__icontains=value) | Q(name_en__icontains=value) | Q(name_ru__icontains=value)
        if number:
            query |= Q(pk=int(number.group(1)))
        return queryset.filter(query)
