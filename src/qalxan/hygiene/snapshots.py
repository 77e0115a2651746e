"""Parquet snapshots under `<VAR_DIR>/hygiene/snapshots/<institution>/<snapshot>.parquet`, read with DuckDB.

Each accepted inventory is one file with the normalised rows of its endpoints. An endpoint's current
software is the rows of its last snapshot; its history and the differences between two snapshots are
DuckDB queries over these files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from qalxan.hygiene.conf import data_dir, duckdb_threads

COLUMNS = (
    "endpoint_id",
    "table",
    "ecosystem",
    "name",
    "version",
    "publisher",
    "status",
    "signatures_ok",
    "detail",
    "vendor",
    "product",
    "edition",
    "ignored",
)


def root() -> Path:
    path = data_dir() / "snapshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(snapshot: Any) -> Path:
    return root() / str(snapshot.organization_id) / f"{snapshot.pk}.parquet"


def write(snapshot: Any, rows: pl.DataFrame) -> Path:
    """Write the snapshot's rows (sorted by endpoint, so that one endpoint's rows are read cheaply)."""
    path = path_of(snapshot)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    rows.select(COLUMNS).sort("endpoint_id").write_parquet(
        tmp, compression="lz4", statistics=True, row_group_size=200_000
    )
    tmp.replace(path)
    return path


def _connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET threads = {duckdb_threads()}")
    return con


def _file(snapshot: Any) -> str | None:
    if not snapshot.path:
        return None
    path = root() / snapshot.path
    return str(path) if path.exists() else None


def endpoint_rows(snapshot: Any, endpoint_id: int) -> list[dict[str, Any]]:
    """The endpoint's rows in one snapshot (its software, security products, services, patches)."""
    file = _file(snapshot)
    if file is None:
        return []
    con = _connect()
    try:
        cursor = con.execute(
            "SELECT * EXCLUDE (endpoint_id) FROM read_parquet(?) WHERE endpoint_id = ? "
            'ORDER BY "table", name, version',
            [file, endpoint_id],
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def diff(old: Any, new: Any, endpoint_id: int) -> dict[str, list[tuple[str, str]]]:
    """Packages added and removed on an endpoint between two of its snapshots."""
    files = (_file(old), _file(new))
    if None in files:
        return {"added": [], "removed": []}
    con = _connect()
    try:
        query = (
            "SELECT name, version FROM read_parquet(?) WHERE endpoint_id = ? AND \"table\" = 'package' "
            "EXCEPT SELECT name, version FROM read_parquet(?) "
            "WHERE endpoint_id = ? AND \"table\" = 'package' ORDER BY 1, 2"
        )
        added = con.execute(query, [files[1], endpoint_id, files[0], endpoint_id]).fetchall()
        removed = con.execute(query, [files[0], endpoint_id, files[1], endpoint_id]).fetchall()
        return {"added": [tuple(r) for r in added], "removed": [tuple(r) for r in removed]}
    finally:
        con.close()


def latest_files(organization_ids: list[int] | None = None) -> list[str]:
    """The Parquet files that hold some endpoint's current rows."""
    from qalxan.hygiene.models import Endpoint, InventorySnapshot

    queryset = Endpoint.objects.exclude(last_snapshot=None)
    if organization_ids is not None:
        queryset = queryset.filter(organization_id__in=organization_ids)
    ids = set(queryset.values_list("last_snapshot_id", flat=True).distinct())
    files = []
    for snapshot in InventorySnapshot.objects.filter(pk__in=ids).only("id", "organization_id", "path"):
        file = _file(snapshot)
        if file:
            files.append(file)
    return files


def current_pairs() -> pl.DataFrame:
    """Distinct (publisher, name) of the current packages and security products, with install counts."""
    files = latest_files()
    if not files:
        return pl.DataFrame(schema={"publisher": pl.Utf8, "name": pl.Utf8, "installs": pl.Int64})
    con = _connect()
    try:
        # Each endpoint counts only in its last snapshot.
        from qalxan.hygiene.models import Endpoint

        current = pl.DataFrame(
            list(Endpoint.objects.exclude(last_snapshot=None).values_list("id", "last_snapshot_id")),
            schema={"endpoint_id": pl.Int64, "snapshot_id": pl.Int64},
            orient="row",
        )
        con.register("current_endpoints", current.to_arrow())
        table = con.sql(  # a relation: read as Arrow without the extra copy a DB-API result makes
            "SELECT coalesce(publisher, '') AS publisher, name, count(*) AS installs "
            "FROM read_parquet(?, filename = true) r "
            "JOIN current_endpoints c ON c.endpoint_id = r.endpoint_id "
            "AND regexp_extract(r.filename, '(\\d+)\\.parquet$', 1)::BIGINT = c.snapshot_id "
            "WHERE \"table\" IN ('package', 'security') GROUP BY 1, 2",
            params=[files],
        ).to_arrow_table()
        return pl.from_arrow(table)  # type: ignore[return-value]  # a table gives a DataFrame
    finally:
        con.close()


def history(endpoint_id: int) -> list[dict[str, Any]]:
    """Package counts of an endpoint in each snapshot that held it, oldest first."""
    from qalxan.hygiene.models import Endpoint, InventorySnapshot

    endpoint = Endpoint.objects.get(pk=endpoint_id)
    snaps = list(
        InventorySnapshot.objects.filter(organization_id=endpoint.organization_id).order_by("created_at")
    )
    files = {s.pk: _file(s) for s in snaps}
    present = [s for s in snaps if files[s.pk]]
    if not present:
        return []
    con = _connect()
    try:
        out = []
        for snapshot in present:
            count = con.execute(
                "SELECT count(*) FILTER (WHERE \"table\" = 'package'), count(*) "
                "FROM read_parquet(?) WHERE endpoint_id = ?",
                [files[snapshot.pk], endpoint_id],
            ).fetchone()
            if count and count[1]:
                out.append({"snapshot": snapshot, "packages": count[0]})
        return out
    finally:
        con.close()
