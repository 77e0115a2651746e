"""Filters of the core app, shared by the audit page and the audit API."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, ClassVar

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import get_language
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


class _ReferenceMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """django-filter's multiple model choice, whose rows are read once per form: the check of the
    request's values and the filter control's options come from the same one query."""

    _objects: list[Any] | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        result = super().__deepcopy__(memo)
        result._objects = None
        return result

    def objects(self) -> list[Any]:
        """The rows of the queryset, in its order (read on first use)."""
        if self._objects is None:
            self._objects = list(self.queryset)
        return self._objects

    def _check_values(self, value: Any) -> Any:
        # Django's ModelMultipleChoiceField._check_values (the same errors, the rows in the
        # queryset's order), matching the values against the rows already read.
        null = self.null_label is not None and value and self.null_value in value
        if null:
            value = [v for v in value if v != self.null_value]
        key = self.to_field_name or "pk"
        try:
            wanted = frozenset(value)
        except TypeError:
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        field = self.queryset.model._meta.get_field(key) if key != "pk" else self.queryset.model._meta.pk
        for pk in wanted:
            self.validate_no_null_characters(pk)
            try:
                field.get_prep_value(pk)
            except (ValueError, TypeError):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                ) from None
        chosen = {str(v) for v in wanted}
        result: list[Any] = [obj for obj in self.objects() if str(getattr(obj, key)) in chosen]
        found = {str(getattr(obj, key)) for obj in result}
        for val in wanted:
            if str(val) not in found:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": val}
                )
        return [*result, self.null_value] if null else result


class ReferenceMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """A multiple choice among the rows of a small reference table (e.g. sectors), read once per
    request for both the check and the control."""

    field_class = _ReferenceMultipleChoiceField


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, whose form class is built once per filterset class and language.

    django-filter builds a new form class with a new field per filter on every request; the fields
    depend only on the class and, through labels it writes out from verbose names, on the active
    language. A filterset that changes its filters per instance (its own `__init__`, or a queryset that
    depends on the request) keeps django-filter's per-request form class.
    """

    _form_classes: ClassVar[dict[tuple[type, str], type[forms.Form]]] = {}

    def __init__(
        self, data: Any = None, queryset: Any = None, *, request: Any = None, prefix: str | None = None
    ) -> None:
        # django-filter's own, but for the copy of the declared filters: their fixed choices and
        # querysets are never changed in place, so every instance shares them instead of deep-copying
        # them (lazy labels and query trees included) on every request.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        model = queryset.model
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        # deepcopy() adds to the memo it is given: a fresh one per instance.
        self.filters = copy.deepcopy(self.base_filters, dict(_shared_parts(type(self))))
        for filter_ in self.filters.values():
            filter_.model = model
            filter_.parent = self

    def get_form_class(self) -> type[forms.Form]:
        cls = type(self)
        if not _form_class_is_shared(cls):
            return super().get_form_class()
        key = (cls, get_language() or "")
        form_class = self._form_classes.get(key)
        if form_class is None:
            form_class = super().get_form_class()
            for field in form_class.base_fields.values():
                _freeze_choices(field)
            form_class.shared_across_requests = True
            self._form_classes[key] = form_class
        return form_class


class _FixedChoices(tuple[Any, ...]):
    """Declared choices, shared by every copy of a form field (Django deep-copies a field's choices,
    lazy labels and all, for every form)."""

    __slots__ = ()

    def __deepcopy__(self, memo: dict[int, Any]) -> _FixedChoices:
        return self


def _freeze_choices(field: forms.Field) -> None:
    declared = getattr(field, "_choices", None)
    # django-filter wraps the declared choices (with its empty and "null" options) in a ChoiceIterator.
    if isinstance(declared, django_filters.fields.ChoiceIterator) and isinstance(declared.choices, list):
        declared.choices = _FixedChoices(declared.choices)
    elif isinstance(declared, list):
        field._choices = _FixedChoices(declared)  # type: ignore[attr-defined]


_SHARED_PARTS: dict[type, dict[int, Any]] = {}


def _shared_parts(cls: type[FilterSet]) -> dict[int, Any]:
    """A deep-copy memo that maps the declared filters' fixed choices and querysets to themselves."""
    if cls in _SHARED_PARTS:
        return _SHARED_PARTS[cls]
    memo: dict[int, Any] = {}
    for filter_ in cls.base_filters.values():
        for value in filter_.extra.values():
            if isinstance(value, list | tuple | QuerySet):
                memo[id(value)] = value
    _SHARED_PARTS[cls] = memo
    return memo


_SHAREABLE: dict[type, bool] = {}


def _form_class_is_shared(cls: type[FilterSet]) -> bool:
    if cls not in _SHAREABLE:
        _SHAREABLE[cls] = _shareable(cls)
    return _SHAREABLE[cls]


def _shareable(cls: type[FilterSet]) -> bool:
    own_init = any(
        "__init__" in vars(k) for k in cls.__mro__ if issubclass(k, FilterSet) and k is not FilterSet
    )
    per_request = any(
        callable(getattr(f, "queryset", None)) and not isinstance(getattr(f, "queryset", None), QuerySet)
        for f in cls.base_filters.values()
    )
    return not own_init and not per_request


class AuditEntryFilterSet(FilterSet):
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
