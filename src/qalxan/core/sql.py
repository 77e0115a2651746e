"""Look-ups made on every request, written once as SQL from the models' own table and column names.

Building and compiling a small ORM query costs several times what running it costs (a third of a
millisecond against a few hundredths); for the few queries that every request makes (the API token
with its user, the person's memberships) the SQL is put together once per database and the rows are
turned into model instances with the ORM's own converters, so values are what the ORM would give.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connections, models

_M = TypeVar("_M", bound=models.Model)


def quote(name: str, using: str = "default") -> str:
    return str(connections[using].ops.quote_name(name))


def table(model: type[models.Model], using: str = "default") -> str:
    return quote(model._meta.db_table, using)


def column(model: type[models.Model], field: str, using: str = "default") -> str:
    return quote(str(model._meta.get_field(field).column), using)  # type: ignore[union-attr]


@functools.cache
def _reader(model: type[models.Model], using: str) -> tuple[list[str], list[tuple[Any, list[Any]]]]:
    connection = connections[using]
    attnames, converters = [], []
    for field in model._meta.concrete_fields:
        col = field.get_col(model._meta.db_table)
        attnames.append(field.attname)
        converters.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    return attnames, converters


def columns(model: type[models.Model], alias: str, using: str = "default") -> str:
    """The model's concrete columns, in the order `instance` reads them: `"a"."id", "a"."name", …`."""
    prefix = quote(alias, using)
    return ", ".join(f"{prefix}.{quote(str(f.column), using)}" for f in model._meta.concrete_fields)


def select(model: type[models.Model], where: Sequence[tuple[str, str]], using: str = "default") -> str:
    """`SELECT` the model's columns (in `instance`'s order) from its table, each `(field, operator)` of
    `where` compared with a bound value: `select(Session, [("session_key", "="), ("expire_date", ">")])`."""
    conditions = " AND ".join(f"m.{column(model, field, using)} {op} %s" for field, op in where)
    return f"SELECT {columns(model, 'm', using)} FROM {table(model, using)} m WHERE {conditions}"  # noqa: S608  (names from the model, values bound)


def placeholders(count: int) -> str:
    """`%s, %s, …` for an IN list of `count` values."""
    return ", ".join(["%s"] * count)


def rows(statement: str, params: Sequence[Any], using: str = "default") -> list[tuple[Any, ...]]:
    """Run one statement and return all its rows."""
    with connections[using].cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall())


def width(model: type[models.Model]) -> int:
    return len(model._meta.concrete_fields)


def instance(model: type[_M], values: Sequence[Any], using: str = "default") -> _M:
    """A model instance from the values of `columns(model, …)`, converted as the ORM converts them."""
    attnames, converters = _reader(model, using)
    connection = connections[using]
    converted = []
    for value, (col, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, col, connection)
        converted.append(value)
    return model.from_db(using, attnames, converted)
