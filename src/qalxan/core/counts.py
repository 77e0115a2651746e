"""Exact row counts of large tables, kept by PostgreSQL triggers instead of `COUNT(*)` on every page.

PostgreSQL has no stored row count: `COUNT(*)` of the national registry (50,000 systems) reads a whole
index, the largest part of the database's work for an unfiltered list page or API list. For a table
given `install_sql()` in a migration, statement-level triggers append the change of every INSERT and
DELETE to `core_rowcount` (one entry per statement, so concurrent writers never wait for each other),
and a TRUNCATE resets it; the count is the sum of the table's entries, visible under the same
transaction rules as the rows themselves. `compact()`, run by a periodic job, folds each table's entries
into one.

`CountedQuerySet.count()` reads that sum for a query with no conditions (what a person who may see the
whole registry asks for); any filter, slice or grouping, SQLite, or a table with no entries takes
Django's `COUNT(*)`. A table whose entries were deleted by hand starts again from its whole count at
its next insert or delete (under an advisory lock, so that two writers cannot both do so).
"""

from __future__ import annotations

import functools
import re
from typing import Any, TypeVar

from django.db import connections, models, transaction

from qalxan.core import sql

_M = TypeVar("_M", bound=models.Model)

FUNCTION = "qalxan_count_rows"

# The trigger function, created once (core migration 0006); TG_TABLE_NAME names the counted table.
FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION qalxan_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM core_rowcount WHERE table_name = TG_TABLE_NAME;
    INSERT INTO core_rowcount (table_name, delta) VALUES (TG_TABLE_NAME, 0);
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM core_rowcount WHERE table_name = TG_TABLE_NAME) THEN
    -- No entries (emptied by hand): start again from the whole count, one writer at a time.
    PERFORM pg_advisory_xact_lock(hashtext('qalxan_count_rows'), hashtext(TG_TABLE_NAME));
    IF NOT EXISTS (SELECT 1 FROM core_rowcount WHERE table_name = TG_TABLE_NAME) THEN
      EXECUTE 'INSERT INTO core_rowcount (table_name, delta) SELECT ' || quote_literal(TG_TABLE_NAME)
        || ', COUNT(*) FROM ' || quote_ident(TG_TABLE_NAME);
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO core_rowcount (table_name, delta)
      SELECT TG_TABLE_NAME, COUNT(*) FROM new_rows HAVING COUNT(*) > 0;
  ELSE
    INSERT INTO core_rowcount (table_name, delta)
      SELECT TG_TABLE_NAME, -COUNT(*) FROM old_rows HAVING COUNT(*) > 0;
  END IF;
  RETURN NULL;
END
$$
"""


def _checked(table: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", table):
        raise ValueError(f"not a table name: {table!r}")
    return table


def install_sql(table: str) -> list[str]:
    """The triggers that keep `table`'s count, and its first entry (the rows it holds now)."""
    table = _checked(table)
    return [
        f'CREATE TRIGGER "{table}_count_insert" AFTER INSERT ON "{table}" '
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
        f'CREATE TRIGGER "{table}_count_delete" AFTER DELETE ON "{table}" '
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
        f'CREATE TRIGGER "{table}_count_truncate" AFTER TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
        f"DELETE FROM core_rowcount WHERE table_name = '{table}'",  # noqa: S608  (a checked table name)
        f"INSERT INTO core_rowcount (table_name, delta) SELECT '{table}', COUNT(*) FROM \"{table}\"",  # noqa: S608  (a checked table name)
    ]


def uninstall_sql(table: str) -> list[str]:
    table = _checked(table)
    return [
        *(
            f'DROP TRIGGER IF EXISTS "{table}_count_{op}" ON "{table}"'
            for op in ("insert", "delete", "truncate")
        ),
        f"DELETE FROM core_rowcount WHERE table_name = '{table}'",  # noqa: S608  (a checked table name)
    ]


@functools.cache
def _sum_sql(using: str) -> str:
    from qalxan.core.models import RowCount

    column = sql.column(RowCount, "delta", using)
    return (
        f"SELECT COUNT(*), COALESCE(SUM({column}), 0) FROM {sql.table(RowCount, using)} "  # noqa: S608  (names from the model, the table bound)
        f"WHERE {sql.column(RowCount, 'table_name', using)} = %s"
    )


def kept_count(model: type[models.Model], using: str = "default") -> int | None:
    """The row count of `model`'s table from its triggers' entries, or None where none are kept."""
    if connections[using].vendor != "postgresql":
        return None
    entries, total = sql.rows(_sum_sql(using), [model._meta.db_table], using)[0]
    return int(total) if entries else None


def compact(using: str = "default") -> int:
    """Fold every table's entries into one (each in its own statement; entries of transactions still
    running are not visible to it and stay as they are). Returns how many tables were folded."""
    from qalxan.core.models import RowCount

    if connections[using].vendor != "postgresql":
        return 0
    table = sql.table(RowCount, using)
    name, delta = sql.column(RowCount, "table_name", using), sql.column(RowCount, "delta", using)
    folded = 0
    several = (
        RowCount.objects.using(using)
        .values("table_name")
        .annotate(entries=models.Count("id"))
        .filter(entries__gt=1)
        .values_list("table_name", flat=True)
    )
    for counted in list(several):
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} WHERE {name} = %s RETURNING {delta}) "  # noqa: S608  (names from the model)
                f"INSERT INTO {table} ({name}, {delta}) "
                f"SELECT %s, SUM({delta}) FROM gone HAVING COUNT(*) > 0",
                [counted, counted],
            )
            folded += cursor.rowcount
    return folded


def _unconditional(query: Any) -> bool:
    """Whether the query counts every row of its table: no conditions, slice, grouping or union."""
    return (
        not query.where
        and not query.distinct
        and query.low_mark == 0
        and query.high_mark is None
        and query.group_by is None
        and not query.combinator
        and not query.extra
        and not query.extra_tables
    )


class CountedQuerySet(models.QuerySet[_M]):
    """A queryset whose `count()` of the whole table reads the count its triggers keep."""

    def count(self) -> int:
        if self._result_cache is None and _unconditional(self.query):
            kept = kept_count(self.model, self.db)
            if kept is not None:
                return kept
        return super().count()
