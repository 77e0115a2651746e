"""One filterset per list, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qalxan.core.filtersets import FilterSet, IdFilter
from qalxan.hygiene.choices import (
    CoverageReason,
    EndpointKind,
    InventoryFormat,
    LicenceStatus,
    Pool,
    RuleAction,
    Severity,
    TriageState,
)
from qalxan.hygiene.models import (
    CoverageStatus,
    Endpoint,
    Entitlement,
    EssentialCategory,
    Finding,
    InstitutionScore,
    InventorySnapshot,
    LicencePosition,
    LicensedProduct,
    NormalisationRule,
)


class EndpointFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    kind = django_filters.ChoiceFilter(choices=EndpointKind.choices, label=_("Kind"))
    source = django_filters.ChoiceFilter(choices=InventoryFormat.choices, label=_("Source"))
    seen_before = django_filters.DateFilter(
        field_name="last_seen", lookup_expr="date__lt", label=_("Not seen since")
    )

    class Meta:
        model = Endpoint
        fields = ["q", "organization", "kind", "source", "seen_before"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(hostname__icontains=value)
            | Q(host_identifier__icontains=value)
            | Q(hardware_serial__iexact=value)
            | Q(hardware_uuid__iexact=value)
        )


class InventorySnapshotFilterSet(FilterSet):
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    format = django_filters.ChoiceFilter(choices=InventoryFormat.choices, label=_("Format"))

    class Meta:
        model = InventorySnapshot
        fields = ["organization", "format"]


class EntitlementFilterSet(FilterSet):
    organization = IdFilter(field_name="organization_id", label=_("Pool holder"))
    product = django_filters.ModelChoiceFilter(queryset=LicensedProduct.objects.all(), label=_("Product"))
    pool = django_filters.ChoiceFilter(choices=Pool.choices, label=_("Pool"))

    class Meta:
        model = Entitlement
        fields = ["organization", "product", "pool"]


class LicencePositionFilterSet(FilterSet):
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    product = django_filters.ModelChoiceFilter(queryset=LicensedProduct.objects.all(), label=_("Product"))
    status = django_filters.MultipleChoiceFilter(choices=LicenceStatus.choices, label=_("Status"))

    class Meta:
        model = LicencePosition
        fields = ["organization", "product", "status"]


class CoverageStatusFilterSet(FilterSet):
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    category = django_filters.ModelChoiceFilter(queryset=EssentialCategory.objects.all(), label=_("Category"))
    compliant = django_filters.BooleanFilter(label=_("Compliant"))
    reason = django_filters.MultipleChoiceFilter(choices=CoverageReason.choices, label=_("Reason"))

    class Meta:
        model = CoverageStatus
        fields = ["organization", "category", "compliant", "reason"]


class FindingFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    endpoint = IdFilter(field_name="endpoint_id", label=_("Endpoint"))
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, label=_("Severity"))
    state = django_filters.MultipleChoiceFilter(choices=TriageState.choices, label=_("Triage state"))
    known_exploited = django_filters.BooleanFilter(label=_("Known exploited"))
    present = django_filters.BooleanFilter(label=_("Still installed"))

    class Meta:
        model = Finding
        fields = ["q", "organization", "endpoint", "severity", "state", "known_exploited", "present"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(package__icontains=value)
            | Q(advisory__osv_id__iexact=value)
            | Q(advisory__aliases__icontains=value)
        )


class InstitutionScoreFilterSet(FilterSet):
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    computed_after = django_filters.DateFilter(
        field_name="computed_at", lookup_expr="date__gte", label=_("From")
    )

    class Meta:
        model = InstitutionScore
        fields = ["organization", "computed_after"]


class NormalisationRuleFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    action = django_filters.ChoiceFilter(choices=RuleAction.choices, label=_("Action"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = NormalisationRule
        fields = ["q", "action", "is_active"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(name_pattern__icontains=value)
            | Q(publisher_pattern__icontains=value)
            | Q(vendor__icontains=value)
            | Q(product__icontains=value)
        )
