"""Related objects named by primary key in API input, read with SQL written once.

DRF's `PrimaryKeyRelatedField` looks an object up with `queryset.get(pk=…)`: for a report with an
organisation and a taxonomy type that is two ORM queries built and compiled per request, plus the
organisation queryset restricted to the person in the serializer's `__init__`, together a fifth of the
request's CPU. `ReferenceField` declares the same thing as data (model, fixed conditions, one related
object read along, the permission that limits the choice) and answers as the ORM would: the queryset
it derives from that declaration serves the schema, the browsable API and anything unusual; the
look-up of one primary key is a statement put together once (`core.sql`) and a check of the person's
scope in Python, where the ORM would add `organization__in` to the query.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from rest_framework import serializers

from qalxan.core import sql
from qalxan.core.tenancy import restrict, scope


class ReferenceField(serializers.PrimaryKeyRelatedField):
    """An object of `model` by primary key, among those matching `where` (equalities), with the
    forward relation `related` read in the same statement, and, with `permission`, only within the
    requesting person's scope for it (`tenancy.restrict`); anything else is "does not exist"."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        where: dict[str, Any] | None = None,
        related: str | None = None,
        permission: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.model = model
        self.where = dict(where or {})
        self.related = related
        self.permission = permission
        if not kwargs.get("read_only"):
            queryset = model._default_manager.filter(**self.where)
            kwargs["queryset"] = queryset.select_related(related) if related else queryset
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet[Any]:
        queryset: models.QuerySet[Any] = super().get_queryset()  # type: ignore[assignment]  # set in __init__
        request = self.context.get("request")
        if self.permission and request is not None:
            queryset = restrict(queryset, request.user, self.permission)
        return queryset

    def to_internal_value(self, data: Any) -> models.Model:
        request = self.context.get("request")
        allowed = scope(request.user, self.permission) if self.permission and request is not None else None
        tenant = _tenant_attname(self.model)
        if self.pk_field is not None or (allowed is not None and not allowed.everything and tenant is None):
            return super().to_internal_value(data)  # what the statement cannot do: DRF's own look-up
        connection = connections[DEFAULT_DB_ALIAS]
        pk_field = self.model._meta.pk
        try:
            if isinstance(data, bool):
                raise TypeError
            pk = pk_field.get_prep_value(data)  # as the ORM's filter(pk=…) does
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        low, high = connection.ops.integer_field_range(pk_field.get_internal_type())
        out_of_range = isinstance(pk, int) and (
            (low is not None and pk < low) or (high is not None and pk > high)
        )
        if out_of_range or (allowed is not None and allowed.empty):
            self.fail("does_not_exist", pk_value=data)
        obj = _fetch(self.model, self.where, self.related, pk, DEFAULT_DB_ALIAS)
        if obj is None or (allowed is not None and getattr(obj, tenant) not in allowed):  # type: ignore[arg-type]
            self.fail("does_not_exist", pk_value=data)
        return obj


@functools.cache
def _tenant_attname(model: type[models.Model]) -> str | None:
    """The attribute holding the owning organisation's id, when the model names it directly
    (`"id"` for organisations, `"organization"` and the like for what they own); otherwise None."""
    path = getattr(model, "tenant_field", None)
    if not path or "__" in path or getattr(model, "tenant_distinct", False):
        return None
    field = model._meta.get_field(path)
    return str(field.attname)  # type: ignore[union-attr]


@functools.cache
def _statement(
    model: type[models.Model], where: tuple[str, ...], related: str | None, using: str
) -> tuple[str, type[models.Model] | None]:
    """`SELECT` by primary key and the fixed conditions, with the related object's columns joined on."""
    conditions = [(str(model._meta.pk.name), "="), *((name, "=") for name in where)]
    if related is None:
        return sql.select(model, conditions, using), None
    link = model._meta.get_field(related)
    target: type[models.Model] = link.related_model  # type: ignore[assignment]
    tests = " AND ".join(f"m.{sql.column(model, name, using)} {op} %s" for name, op in conditions)
    join = "LEFT JOIN" if link.null else "INNER JOIN"
    target_pk = sql.column(target, str(target._meta.pk.name), using)
    statement = (
        f"SELECT {sql.columns(model, 'm', using)}, {sql.columns(target, 'r', using)} "  # noqa: S608  (names from the models, values bound)
        f"FROM {sql.table(model, using)} m {join} {sql.table(target, using)} r "
        f"ON r.{target_pk} = m.{sql.column(model, related, using)} WHERE {tests}"
    )
    return statement, target


def _fetch(
    model: type[models.Model], where: dict[str, Any], related: str | None, pk: Any, using: str
) -> models.Model | None:
    names = tuple(where)
    statement, target = _statement(model, names, related, using)
    connection = connections[using]
    params = [pk, *(model._meta.get_field(n).get_db_prep_value(where[n], connection) for n in names)]  # type: ignore[union-attr]
    found = sql.rows(statement, params, using)
    if not found:
        return None
    values = found[0]
    width = sql.width(model)
    obj = sql.instance(model, values[:width], using)
    if target is not None:
        link = model._meta.get_field(related)  # type: ignore[arg-type]
        rest = values[width:]
        link.set_cached_value(obj, None if rest[0] is None else sql.instance(target, rest, using))  # type: ignore[union-attr]
    return obj
