"""Look-ups made on every request, written once as SQL from the models' own table and column names.

Building and compiling a small ORM query costs several times what running it costs (a third of a
millisecond against a few hundredths); for the few queries that every request makes (the API token
with its user, the person's memberships) the SQL is put together once per database and the rows are
turned into model instances with the ORM's own converters, so values are what the ORM would give.
The writes of an incident report and every audit entry go through `insert`, the same idea for
`save()` on new objects, and `together` sends the inserts of a block in one statement; on PostgreSQL
all of these statements bind their values server-side and are prepared by the server (`cursor_for`).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple, TypeVar

from django.db import connections, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.utils import CursorDebugWrapper
from django.db.models import signals
from django.db.models.fields import AutoFieldMixin

_M = TypeVar("_M", bound=models.Model)


def quote(name: str, using: str = "default") -> str:
    return str(connections[using].ops.quote_name(name))


def table(model: type[models.Model], using: str = "default") -> str:
    return quote(model._meta.db_table, using)


def column(model: type[models.Model], field: str, using: str = "default") -> str:
    return quote(str(model._meta.get_field(field).column), using)  # type: ignore[union-attr]


@functools.cache
def _reader(
    model: type[models.Model], using: str, names: tuple[str, ...] | None = None
) -> tuple[list[str], list[tuple[Any, list[Any]]]]:
    """The attribute names and value converters of the model's concrete fields, or of the named ones."""
    fields = model._meta.concrete_fields if names is None else [model._meta.get_field(n) for n in names]
    return [str(f.attname) for f in fields], _converters(model, tuple(fields), using)  # type: ignore[union-attr]


@functools.cache
def _converters(
    model: type[models.Model], fields: tuple[Any, ...], using: str
) -> list[tuple[Any, list[Any]]]:
    connection = connections[using]
    found = []
    for field in fields:
        col = field.get_col(model._meta.db_table)
        found.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    return found


def _convert(values: Sequence[Any], converters: list[tuple[Any, list[Any]]], using: str) -> list[Any]:
    connection = connections[using]
    converted = []
    for value, (col, functions) in zip(values, converters, strict=True):
        for function in functions:
            value = function(value, col, connection)
        converted.append(value)
    return converted


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


@contextlib.contextmanager
def cursor_for(using: str = "default") -> Iterator[Any]:
    """Django's cursor for these statements; on PostgreSQL one that sends the values apart from the
    statement (psycopg's server-side binding), so that the statement's text is the same on every run and
    the server prepares it once per connection (`prepare_threshold`, settings.py) instead of parsing and
    planning it each time. Django's own queries keep its client-side binding: these statements are plain
    SELECTs and INSERTs, which server-side binding runs as they are written."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        raw = _server_binding_cursor()(connection.connection)
    wrapped = _DebugWrapper(raw, connection) if connection.queries_logged else connection.make_cursor(raw)
    with wrapped as cursor:
        yield cursor


@functools.cache
def _server_binding_cursor() -> type:
    from django.db.backends.postgresql.base import ServerBindingCursor

    return ServerBindingCursor


class _DebugWrapper(CursorDebugWrapper):
    """Logs the statement with its values, as Django's own wrapper does; Django's reads the text back
    from psycopg, which keeps none for a prepared statement."""

    def execute(self, sql: Any, params: Any = None) -> Any:
        with self.debug_sql(self.db.ops.compose_sql(sql, params) if params is not None else sql):
            return self._execute_with_wrappers(sql, params, many=False, executor=self._execute)


def rows(statement: str, params: Sequence[Any], using: str = "default") -> list[tuple[Any, ...]]:
    """Run one statement and return all its rows."""
    with cursor_for(using) as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall())


def width(model: type[models.Model]) -> int:
    return len(model._meta.concrete_fields)


def instance(model: type[_M], values: Sequence[Any], using: str = "default") -> _M:
    """A model instance from the values of `columns(model, …)`, converted as the ORM converts them."""
    attnames, converters = _reader(model, using)
    return model.from_db(using, attnames, _convert(values, converters, using))


def by_pk(
    model: type[_M], pks: Sequence[Any], fields: Sequence[str], using: str = "default"
) -> dict[Any, _M]:
    """The objects with these primary keys, by key, with only `fields` read (the key among them; the
    rest deferred, as `.only()` leaves them); keys that match nothing are absent."""
    if not pks:
        return {}
    wanted = {*fields, "pk"}
    pk_name = model._meta.pk.name
    names = tuple(  # in the model's order, which `from_db` expects of partial rows
        f.name
        for f in model._meta.concrete_fields
        if f.name in wanted or f.attname in wanted or f.name == pk_name
    )
    attnames, converters = _reader(model, using, names)
    pk_column = column(model, str(pk_name), using)
    listed = ", ".join(f"m.{column(model, name, using)}" for name in names)
    head = f"SELECT {listed} FROM {table(model, using)} m WHERE m.{pk_column} IN "  # noqa: S608  (names from the model, values bound)
    keys = list(pks)
    size = max_params(using) or len(keys)
    found: list[_M] = []
    for start in range(0, len(keys), size):
        chunk = keys[start : start + size]
        found.extend(
            model.from_db(using, attnames, _convert(values, converters, using))
            for values in rows(f"{head}({placeholders(len(chunk))})", chunk, using)
        )
    return {obj.pk: obj for obj in found}


_PG_MAX_PARAMS = 65535  # the most values a Bind message carries


def max_params(using: str = "default") -> int | None:
    """How many values one statement of this module may bind: on PostgreSQL 65,535, the most a Bind
    message carries (these statements bind server-side, `cursor_for`); elsewhere the database's own
    limit, or None for none."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        return _PG_MAX_PARAMS
    limit = connection.features.max_query_params
    return int(limit) if limit else None


class _InsertPlan(NamedTuple):
    fields: list[Any]  # written, in the statement's order
    kept: list[tuple[type, ...]]  # per field, the value types sent as they are (`_kept_as_is`)
    returning: list[Any]  # read back
    converters: list[tuple[Any, list[Any]]]  # of the columns read back
    head: str  # INSERT INTO … VALUES
    tail: str  # RETURNING …


@functools.cache
def _insert_plan(model: type[models.Model], using: str) -> _InsertPlan | None:
    """How new objects of the model are written, or None when the model needs what only the ORM's
    insert does (inherited tables, database defaults, custom placeholders, keys not generated by the
    database, `order_with_respect_to`)."""
    connection = connections[using]
    meta = model._meta
    if meta.parents or meta.auto_field is None or meta.order_with_respect_to is not None:
        return None
    if not connection.features.can_return_rows_from_bulk_insert:
        return None
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
    if any(hasattr(f, "get_placeholder") or f.has_db_default() for f in fields):
        return None
    returning = list(meta.db_returning_fields)
    listed = ", ".join(quote(str(f.column), using) for f in fields)
    return _InsertPlan(
        fields=fields,
        kept=[_kept_as_is(f, using) for f in fields],
        returning=returning,
        converters=_converters(model, tuple(returning), using),
        head=f"INSERT INTO {table(model, using)} ({listed}) VALUES ",  # noqa: S608  (names from the model, values bound)
        tail=f" RETURNING {', '.join(quote(str(f.column), using) for f in returning)}",
    )


def _db_value(field: Any, obj: models.Model, connection: Any, as_is: tuple[type, ...]) -> Any:
    """What `save()` sends for the field: `get_db_prep_save(pre_save(obj))`, or the attribute itself
    where that is what they would return (`_kept_as_is`)."""
    if as_is:
        value = obj.__dict__.get(field.attname, _MISSING)
        if type(value) in as_is:
            return value
    return field.get_db_prep_save(field.pre_save(obj, True), connection)


_MISSING = object()


def _kept_as_is(field: Any, using: str) -> tuple[type, ...]:
    """The value types that the field's `pre_save` and `get_db_prep_save` pass on unchanged: text as
    text for character fields, integers for keys to automatic integer keys and for integer fields where
    the database takes them as they are, booleans for boolean fields, None for these and for dates and
    times that are not set automatically; nothing for any field whose class changes one of the steps."""
    base, cls = models.Field, type(field)
    if isinstance(field, models.DateField) and not (field.auto_now or field.auto_now_add):
        # DateField/DateTimeField.pre_save only add auto_now; None stays None in each of their steps.
        date, stamp = models.DateField, models.DateTimeField
        plain = (
            cls.pre_save in (date.pre_save, stamp.pre_save)
            and cls.get_db_prep_save is base.get_db_prep_save
            and cls.get_db_prep_value in (date.get_db_prep_value, stamp.get_db_prep_value)
            and cls.get_prep_value in (date.get_prep_value, stamp.get_prep_value)
        )
        return (type(None),) if plain else ()
    if cls.pre_save is not base.pre_save:
        return ()
    if isinstance(field, models.ForeignKey):
        target, ops = field.target_field, connections[using].ops
        plain_key = (
            cls.get_db_prep_save is models.ForeignKey.get_db_prep_save
            and isinstance(target, models.AutoField | models.BigAutoField | models.SmallAutoField)
            and type(target).get_db_prep_save is base.get_db_prep_save
            and type(target).get_db_prep_value is AutoFieldMixin.get_db_prep_value
            and type(target).get_prep_value is models.IntegerField.get_prep_value
            and type(ops).validate_autopk_value is BaseDatabaseOperations.validate_autopk_value
        )
        return (int, type(None)) if plain_key else ()
    if _steps_are(field, models.CharField) or _steps_are(field, models.TextField):
        return (str, type(None))
    if _steps_are(field, models.IntegerField) and (
        type(connections[using].ops).adapt_integerfield_value
        is BaseDatabaseOperations.adapt_integerfield_value
    ):  # on PostgreSQL the ORM sends integers typed by the field's size (psycopg's Int4, Int8, …)
        return (int, type(None))
    if _steps_are(field, models.BooleanField):
        return (bool, type(None))
    return ()


def _steps_are(field: Any, kind: type[models.Field]) -> bool:
    """Whether the field converts a value for the database exactly as `kind` does."""
    cls, base = type(field), models.Field
    return (
        isinstance(field, kind)
        and cls.get_db_prep_save is base.get_db_prep_save
        and cls.get_db_prep_value in (base.get_db_prep_value, kind.get_db_prep_value)
        and cls.get_prep_value is kind.get_prep_value
        and cls.to_python is kind.to_python
    )


class _Write(NamedTuple):
    """One INSERT of `objects` (one model, one batch) with its values, not yet sent."""

    plan: _InsertPlan
    objects: Sequence[models.Model]
    params: list[Any]

    def statement(self) -> str:
        row = f"({placeholders(len(self.plan.fields))})"
        return self.plan.head + ", ".join([row] * len(self.objects)) + self.plan.tail


class _Together(NamedTuple):
    using: str
    writes: list[_Write]


_together: contextvars.ContextVar[_Together | None] = contextvars.ContextVar("sql_together", default=None)


@contextlib.contextmanager
def together(using: str = "default") -> Iterator[None]:
    """Send the inserts made inside the block (`insert`) together when it ends: on PostgreSQL as one
    statement, each model's INSERT a data-modifying `WITH` of it, so one round trip and one prepared
    statement instead of one per model; elsewhere one after another. The objects get their keys and
    their `post_save` signals when the block ends, so nothing inside it may use those keys, and none of
    the objects may refer to another one of the block. An exception inside drops the block's writes."""
    block = _Together(using, [])
    token = _together.set(block)
    try:
        yield
    finally:
        _together.reset(token)
    _send(block.writes, using)


def insert(objects: Sequence[models.Model], using: str = "default") -> None:
    """Insert new objects of one model as `save()` does for each (the fields' `pre_save`, the
    `pre_save`/`post_save` signals, the keys and other returned columns set on the objects), in as few
    statements as the database allows and with the statement put together once per model, or, inside
    `together`, when its block ends. A model's own `save()` is not called: use it for models whose
    `save()` adds nothing to an insert."""
    if not objects:
        return
    model = type(objects[0])
    if any(type(obj) is not model or obj.pk is not None for obj in objects):
        raise ValueError("insert() takes new objects of one model")
    plan = _insert_plan(model, using)
    if plan is None:
        for obj in objects:
            obj.save(force_insert=True, using=using)
        return
    fields, kept = plan.fields, plan.kept
    connection = connections[using]
    for obj in objects:
        obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]  # save()'s own check
        signals.pre_save.send(sender=model, instance=obj, raw=False, using=using, update_fields=None)
    size = max(1, connection.ops.bulk_batch_size(fields, objects) or len(objects))
    limit = max_params(using)
    if limit is not None and fields:
        size = min(size, max(1, limit // len(fields)))
    writes = []
    for start in range(0, len(objects), size):
        batch = objects[start : start + size]
        params = [
            _db_value(f, obj, connection, as_is)
            for obj in batch
            for f, as_is in zip(fields, kept, strict=True)
        ]
        writes.append(_Write(plan, batch, params))
    block = _together.get()
    if block is not None and block.using == using:
        block.writes.extend(writes)
    else:
        _send(writes, using)


def _send(writes: list[_Write], using: str) -> None:
    """Run the writes: on PostgreSQL in as few statements as `_statements` allows, elsewhere one each;
    in a transaction of their own when there is more than one statement and none is open."""
    if not writes:
        return
    groups = _statements(writes) if connections[using].vendor == "postgresql" else [[w] for w in writes]
    atomic = transaction.atomic(using=using, savepoint=False) if len(groups) > 1 else contextlib.nullcontext()
    with atomic:
        for group in groups:
            if len(group) == 1:
                _finish(group[0], rows(group[0].statement(), group[0].params, using), using)
                continue
            for write, returned in zip(group, _together_statement(group, using), strict=True):
                _finish(write, returned, using)


def _statements(writes: list[_Write]) -> list[list[_Write]]:
    """The writes in statements of as many as their values allow (`max_params`); a write that reads
    back more than the automatic key goes on its own."""
    statements: list[list[_Write]] = []
    bound = _PG_MAX_PARAMS
    for write in writes:
        alone = len(write.plan.returning) != 1
        if alone or bound + len(write.params) > _PG_MAX_PARAMS:
            statements.append([])
            bound = 0
        statements[-1].append(write)
        bound = _PG_MAX_PARAMS if alone else bound + len(write.params)
    return statements


def _together_statement(writes: list[_Write], using: str) -> list[list[tuple[Any, ...]]]:
    """The writes as one statement, each a data-modifying `WITH`, and the keys each got in the order
    of its rows: one INSERT draws its keys from the sequence in the order of its VALUES (what Django's
    bulk_create on PostgreSQL relies on), so within a write they ascend."""
    parts = ", ".join(f"w{i} AS ({w.statement()})" for i, w in enumerate(writes))
    picks = " UNION ALL ".join(
        f"SELECT {i}, {quote(str(w.plan.returning[0].column), using)} FROM w{i}"  # noqa: S608  (names from the models)
        for i, w in enumerate(writes)
    )
    found = rows(f"WITH {parts} {picks} ORDER BY 1, 2", [p for w in writes for p in w.params], using)
    returned: list[list[tuple[Any, ...]]] = [[] for _ in writes]
    for group, *values in found:
        returned[group].append(tuple(values))
    return returned


def _finish(write: _Write, returned: list[tuple[Any, ...]], using: str) -> None:
    plan = write.plan
    for obj, values in zip(write.objects, returned, strict=True):
        for field, value in zip(plan.returning, _convert(values, plan.converters, using), strict=True):
            setattr(obj, field.attname, value)
        obj._state.adding = False
        obj._state.db = using
    model = type(write.objects[0])
    for obj in write.objects:
        signals.post_save.send(
            sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using
        )
