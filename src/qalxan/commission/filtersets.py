"""One filterset per list of the commission app, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.commission.choices import (
    PENDING_TASK_STATES,
    DecisionStatus,
    LetterStatus,
    MeetingStatus,
    ProposalStatus,
    TaskStatus,
)
from qalxan.commission.models import Decision, Letter, Meeting, Proposal, Task
from qalxan.core.filtersets import FilterSet, IdFilter


def _year(field_name: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=field_name, label=_("Year"), min_value=1900, max_value=2200)


class ProposalFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=ProposalStatus.choices, label=_("Status"))
    organization = IdFilter(field_name="organization_id", label=_("Institution"))

    class Meta:
        model = Proposal
        fields = ["q", "status", "organization"]

    def search(self, queryset: QuerySet[Proposal], name: str, value: Any) -> QuerySet[Proposal]:
        return queryset.filter(
            Q(topic__icontains=value) | Q(text__icontains=value) | Q(proposed_decision__icontains=value)
        )


class MeetingFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=MeetingStatus.choices, label=_("Status"))
    year = _year("starts_at__year")
    working_group = IdFilter(field_name="working_group_id", label=_("Working group"))

    class Meta:
        model = Meeting
        fields = ["q", "status", "year", "working_group"]


class DecisionFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=DecisionStatus.choices, label=_("Status"))
    meeting = IdFilter(field_name="meeting_id", label=_("Meeting"))
    year = _year("meeting__starts_at__year")

    class Meta:
        model = Decision
        fields = ["q", "status", "meeting", "year"]

    def search(self, queryset: QuerySet[Decision], name: str, value: Any) -> QuerySet[Decision]:
        return queryset.filter(
            Q(
                pk__in=Decision.objects.filter(
                    Q(text__icontains=value) | Q(agenda_item__title__icontains=value)
                ).values("pk")
            )
        )


class TaskFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="text", lookup_expr="icontains", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    organization = IdFilter(
        field_name="executors__organization", label=_("Institution"), method="by_organization"
    )
    overdue = django_filters.BooleanFilter(method="by_overdue", label=_("Overdue"))
    decision = IdFilter(field_name="decision_id", label=_("Decision"))

    class Meta:
        model = Task
        fields = ["q", "status", "organization", "overdue", "decision"]

    def by_organization(self, queryset: QuerySet[Task], name: str, value: Any) -> QuerySet[Task]:
        return queryset.filter(pk__in=Task.objects.filter(executors__organization_id=value).values("pk"))

    def by_overdue(self, queryset: QuerySet[Task], name: str, value: Any) -> QuerySet[Task]:
        overdue = Q(status__in=PENDING_TASK_STATES, deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class LetterFilterSet(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=LetterStatus.choices, label=_("Status"))
    recipient = IdFilter(field_name="recipient_id", label=_("Recipient"))
    decision = IdFilter(field_name="decision_id", label=_("Decision"))

    class Meta:
        model = Letter
        fields = ["q", "status", "recipient", "decision"]

    def search(self, queryset: QuerySet[Letter], name: str, value: Any) -> QuerySet[Letter]:
        return queryset.filter(
            Q(subject__icontains=value) | Q(number__icontains=value) | Q(body__icontains=value)
        )
