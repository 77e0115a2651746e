"""One filterset for the incident list page and the API list."""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from qalxan.core.filtersets import FilterSet, IdFilter
from qalxan.incidents.choices import Channel, IncidentState, MeasureState, Severity, Tlp
from qalxan.incidents.models import REFERENCE_PREFIX, Incident, Measure, TaxonomyClass


class IncidentFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    state = django_filters.MultipleChoiceFilter(choices=IncidentState.choices, label=_("State"))
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, label=_("Severity"))
    taxonomy_class = django_filters.ModelChoiceFilter(queryset=TaxonomyClass.objects.all(), label=_("Class"))
    tlp = django_filters.ChoiceFilter(choices=Tlp.choices, label=_("TLP"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    organization = IdFilter(field_name="organization_id", label=_("Institution"))
    report_late = django_filters.BooleanFilter(label=_("Late report"))
    sla_breached = django_filters.BooleanFilter(label=_("SLA breached"))
    reported_after = django_filters.DateFilter(
        field_name="reported_at", lookup_expr="date__gte", label=_("Reported from")
    )
    reported_before = django_filters.DateFilter(
        field_name="reported_at", lookup_expr="date__lte", label=_("Reported until")
    )

    class Meta:
        model = Incident
        fields = [
            "q",
            "state",
            "severity",
            "taxonomy_class",
            "tlp",
            "channel",
            "organization",
            "report_late",
            "sla_breached",
            "reported_after",
            "reported_before",
        ]

    def search(self, queryset: QuerySet[Incident], name: str, value: Any) -> QuerySet[Incident]:
        value = value.strip()
        number = re.fullmatch(rf"(?:{REFERENCE_PREFIX})?0*(\d{{1,9}})", value, re.IGNORECASE)
        query = Q(title__icontains=value) | Q(description__icontains=value) | Q(indicators__icontains=value)
        if number:
            query |= Q(pk=int(number.group(1)))
        return queryset.filter(query)


class MeasureFilterSet(FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=MeasureState.choices, label=_("State"))
    incident = IdFilter(field_name="incident_id", label=_("Incident"))
    organization = IdFilter(field_name="incident__organization_id", label=_("Institution"))

    class Meta:
        model = Measure
        fields = ["state", "incident", "organization"]
