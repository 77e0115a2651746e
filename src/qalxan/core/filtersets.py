"""Filters of the core app, shared by the audit page and the audit API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from qalxan.core.choices import AuditAction
from qalxan.core.models import AuditEntry

# The largest key a BigAutoField (bigint) holds.
MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record id: a positive whole number the database can hold (anything else is a 400, never the
    500 of a number too large for the column)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class _UtcIsoDateTimeField(django_filters.fields.IsoDateTimeField):
    def to_python(self, value: Any) -> dt.datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        # Python accepts offsets up to ±23:59, PostgreSQL only to ±15:59: compare in UTC.
        try:
            return parsed.astimezone(dt.UTC)
        except OverflowError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 date-time filter whose value reaches the database in UTC (a far offset is no 500)."""

    field_class = _UtcIsoDateTimeField


class AuditEntryFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    action = django_filters.MultipleChoiceFilter(choices=AuditAction.choices, label=_("Action"))
    actor = django_filters.CharFilter(field_name="actor_username", lookup_expr="iexact", label=_("User name"))
    object_type = django_filters.ModelChoiceFilter(
        field_name="content_type",
        queryset=ContentType.objects.filter(
            app_label__in=[
                "core",
                "organizations",
                "registry",
                "compliance",
                "incidents",
                "intel",
                "hygiene",
                "strategy",
                "commission",
                "exposure",
                "cyberhygiene",
            ]
        ).order_by("app_label", "model"),
        label=_("Object type"),
    )
    object_id = django_filters.CharFilter(label=_("Object id"))
    organization = IdFilter(field_name="organization_id", label=_("Organisation"))
    since = IsoDateTimeFilter(field_name="timestamp", lookup_expr="gte", label=_("From"))
    until = IsoDateTimeFilter(field_name="timestamp", lookup_expr="lte", label=_("Until"))

    class Meta:
        model = AuditEntry
        fields = ["q", "action", "actor", "object_type", "object_id", "organization", "since", "until"]

    def search(self, queryset: QuerySet[AuditEntry], name: str, value: Any) -> QuerySet[AuditEntry]:
        return queryset.filter(
            Q(object_repr__icontains=value) | Q(message__icontains=value) | Q(actor_username__icontains=value)
        )
