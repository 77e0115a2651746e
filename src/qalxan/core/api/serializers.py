"""Serializers of the core app."""

from __future__ import annotations

import copy
import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from rest_framework import serializers

from qalxan.core.models import ApiToken, AuditEntry, Notification
from qalxan.core.tenancy import sees_source_addresses


def _shared_parts(fields: dict[str, serializers.Field]) -> dict[int, Any]:
    """The objects a field copy may share with its prototype: querysets (every use clones them) and
    model fields; found in the fields' arguments, nested fields included."""
    shared: dict[int, Any] = {}
    stack: list[Any] = list(fields.values())
    while stack:
        field = stack.pop()
        for value in [*getattr(field, "_args", ()), *getattr(field, "_kwargs", {}).values()]:
            if isinstance(value, models.QuerySet | models.Field):
                shared[id(value)] = value
            elif isinstance(value, serializers.Field):
                stack.append(value)
    return shared


# A model serializer whose fields are worked out from the model once per class, then copied for each
# instance (DRF works them out again for every instance: about a millisecond for a large model).
# Only for serializers whose `get_fields` depends on the class alone; per-request changes belong in
# `__init__`, on the instance's own copies. (A comment, not a docstring: the schema generator would
# show a docstring as the description of every serializer that has none of its own.)
class PrototypeFieldsMixin:
    _prototype: tuple[dict[str, serializers.Field], dict[int, Any]] | None = None

    def get_fields(self) -> dict[str, serializers.Field]:
        prototype = type(self).__dict__.get("_prototype")
        if prototype is None:
            fields = super().get_fields()  # type: ignore[misc]
            prototype = (fields, _shared_parts(fields))
            type(self)._prototype = prototype
        fields, shared = prototype
        return {name: _copy_field(field, shared) for name, field in fields.items()}

    def get_validators(self) -> list[Any]:
        """DRF's, without working out every time that a model with no unique sets has none to check."""
        meta = getattr(self, "Meta", None)
        if getattr(meta, "validators", None) is None and not _has_unique_sets(self, meta.model):  # type: ignore[union-attr]
            return []
        return super().get_validators()  # type: ignore[misc]


_UNIQUE_SETS: dict[type[models.Model], bool] = {}
_UNIQUE_FOR = ("unique_for_date", "unique_for_month", "unique_for_year")


def _has_unique_sets(serializer: Any, model: type[models.Model]) -> bool:
    """Whether the model has what ModelSerializer makes validators of: unique-together sets and unique
    constraints over several fields (as DRF enumerates them, parents included), or unique-for-date
    fields. Without any, DRF's validators are none, whatever the serializer's fields."""
    if model not in _UNIQUE_SETS:
        _UNIQUE_SETS[model] = next(
            iter(serializer.get_unique_together_constraints(model)), None
        ) is not None or any(getattr(f, name, None) for f in model._meta.fields for name in _UNIQUE_FOR)
    return _UNIQUE_SETS[model]


def _copy_field(field: serializers.Field, shared: dict[int, Any]) -> serializers.Field:
    """A field copied for one serializer instance. Binding to the new serializer sets the name, parent,
    label and source afresh, and nothing else of a plain field changes per request, so a plain field is
    copied attribute by attribute (what `copy.copy` does, without its protocol look-ups). A field that
    holds another field (a list's or a dictionary's child, a many-relation's child relation, the child
    of a `many=True` serializer) gets a copy of that one too, with itself as its parent; a nested
    serializer builds its own fields when it first needs them. Querysets and model fields in the
    arguments (`shared`) stay the prototype's. A field with a copy protocol of its own is rebuilt as
    DRF rebuilds it."""
    kind: Any = type(field)  # a class: hashable, whatever its instances' __hash__
    if not _is_plain(kind):
        return copy.deepcopy(field, dict(shared))
    clone: Any = object.__new__(kind)
    clone.__dict__.update(field.__dict__)
    if "_validators" in clone.__dict__:
        clone.__dict__["_validators"] = list(clone.__dict__["_validators"])
    for attribute in ("child", "child_relation"):
        inner = clone.__dict__.get(attribute)
        if isinstance(inner, serializers.Field):
            inner = _copy_field(inner, shared)
            inner.parent = clone  # bound as the outer field's `__init__` bound it: name and source ""
            clone.__dict__[attribute] = inner
    if isinstance(clone, serializers.BaseSerializer):
        for state in ("fields", "_errors", "_validated_data", "_data", "initial_data"):
            clone.__dict__.pop(state, None)
    return clone


@functools.cache
def _is_plain(cls: Any) -> bool:
    """Whether all of a field's state is in its `__dict__`, copied as it is by `copy.copy`."""
    return (
        getattr(cls, "__copy__", None) is None
        and cls.__reduce_ex__ is object.__reduce_ex__
        and cls.__reduce__ is object.__reduce__
        and "__slots__" not in cls.__dict__
    )


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.RegexField(
        r"^\d{6}$", required=False, help_text="Current TOTP code, when two-factor is on."
    )
    name = serializers.CharField(
        max_length=100, required=False, help_text="A label to recognise the token by."
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "key_prefix",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "is_active",
        ]
        read_only_fields = fields


class MembershipBriefSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.name")
    role = serializers.CharField()
    include_subordinates = serializers.BooleanField()


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipBriefSerializer(many=True, read_only=True)

    class Meta:
        model = get_user_model()
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "position",
            "preferred_language",
            "memberships",
        ]
        read_only_fields = fields


class AuditEntrySerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "actor_username",
            "organization",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "message",
            "ip_address",
            "request_id",
        ]
        read_only_fields = fields

    def to_representation(self, instance: AuditEntry) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not sees_source_addresses(request.user):
            data["ip_address"] = None
        return data

    def get_object_type(self, obj: AuditEntry) -> str | None:
        ct: Any = obj.content_type
        return f"{ct.app_label}.{ct.model}" if ct else None


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "subject",
            "body",
            "url",
            "organization",
            "created_at",
            "read_at",
            "acknowledged_at",
            "emailed_at",
        ]
        read_only_fields = fields


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    committed = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField())  # type: ignore[assignment]  # a field named like Serializer.errors
    warnings = serializers.ListField(child=serializers.DictField())


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False, help_text="Validate only; change nothing.")
