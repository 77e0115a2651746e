"""One filterset for the organisations list page and the organisations API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from qalxan.core.filtersets import FilterSet, IdFilter, ReferenceMultipleChoiceFilter
from qalxan.organizations.choices import OrganizationKind
from qalxan.organizations.models import Organization, Sector


@extend_schema_field(OpenApiTypes.STR)
class SectorFilter(ReferenceMultipleChoiceFilter):
    """Sector codes, e.g. ?sector=energy&sector=health."""


class OrganizationFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"))
    sector = SectorFilter(
        field_name="sectors__code",
        to_field_name="code",
        queryset=Sector.objects.all(),
        label=_("Sector"),
        distinct=True,
    )
    is_cii_subject = django_filters.BooleanFilter(label=_("CII subject"))
    parent = IdFilter(field_name="parent_id", label=_("Parent organisation"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Organization
        fields = ["q", "kind", "sector", "is_cii_subject", "parent", "is_active"]

    def search(self, queryset: QuerySet[Organization], name: str, value: Any) -> QuerySet[Organization]:
        return queryset.filter(
            Q(name_az__icontains=value)
            | Q(name_en__icontains=value)
            | Q(name_ru__icontains=value)
            | Q(short_name__icontains=value)
            | Q(code__icontains=value)
            | Q(voen=value)
        )
