"""Reading inventories: osquery result logs, CycloneDX JSON/XML, SPDX JSON and CSV → two Arrow frames.

Every reader returns an `Inventory`: `hosts` (one row per host in the file) and `rows` (packages,
security products, services and patches, one row each), in the same columns whatever the source.
A file that cannot be read as a whole is refused with `InventoryRejected` (line, field, reason): nothing
from it is used. Large osquery logs and CSV files are parsed by polars (multi-threaded, no Python
objects per row); when that fast path finds any problem, a line-by-line pass names the first bad line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import polars as pl
from django.utils.translation import gettext as _

from qalxan.hygiene.choices import Ecosystem, InventoryFormat

HOST_SCHEMA: dict[str, Any] = {
    "host": pl.Utf8,
    "hostname": pl.Utf8,
    "serial": pl.Utf8,
    "uuid": pl.Utf8,
    "os_name": pl.Utf8,
    "os_version": pl.Utf8,
    "kind": pl.Utf8,
    "seen_at": pl.Datetime("us", "UTC"),
}
ROW_SCHEMA: dict[str, Any] = {
    "host": pl.Utf8,
    "table": pl.Utf8,  # package | security | service | patch
    "ecosystem": pl.Utf8,
    "name": pl.Utf8,
    "version": pl.Utf8,
    "publisher": pl.Utf8,
    "status": pl.Utf8,
    "signatures_ok": pl.Boolean,
    "detail": pl.Utf8,
}
ROW_TABLES = ("package", "security", "service", "patch")
ECOSYSTEMS = tuple(Ecosystem.values)


@dataclass
class Inventory:
    format: str
    hosts: pl.DataFrame
    rows: pl.DataFrame


class InventoryRejected(Exception):
    """The file is refused as a whole: where (line or element), which field, and why."""

    def __init__(self, line: int | str, field: str, reason: str) -> None:
        super().__init__(f"{line}: {field}: {reason}")
        self.line = line
        self.field = field
        self.reason = reason
        self.filename = ""  # set by the pipeline when a call holds several files

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.reason}


def detect_format(filename: str, content: bytes) -> str:
    """The inventory format from the file name and its first bytes."""
    name = filename.lower()
    head = content[:4096].lstrip()
    if name.endswith(".csv"):
        return InventoryFormat.CSV
    if name.endswith(".xml") or head.startswith(b"<"):
        return InventoryFormat.CYCLONEDX_XML
    if b'"spdxVersion"' in content[:65536] or name.endswith(".spdx.json"):
        return InventoryFormat.SPDX_JSON
    if b'"bomFormat"' in content[:65536] or ".cdx." in name or name.endswith(".bom.json"):
        return InventoryFormat.CYCLONEDX_JSON
    if head.startswith(b"{"):
        return InventoryFormat.OSQUERY
    if b"," in content.split(b"\n", 1)[0]:
        return InventoryFormat.CSV
    raise InventoryRejected(
        1, "", _("The file format is not recognised (osquery log, CycloneDX, SPDX or CSV).")
    )


def parse(fmt: str, content: bytes, *, host: str = "") -> Inventory:
    """Read `content` in format `fmt`; `host` names the endpoint of an SBOM that does not name it."""
    if not content[:65536].strip() and not content.strip():
        raise InventoryRejected(1, "", _("The file is empty."))
    readers: dict[str, Callable[[bytes, str], Inventory]] = {
        InventoryFormat.OSQUERY: parse_osquery,
        InventoryFormat.CYCLONEDX_JSON: parse_cyclonedx_json,
        InventoryFormat.CYCLONEDX_XML: parse_cyclonedx_xml,
        InventoryFormat.SPDX_JSON: parse_spdx_json,
        InventoryFormat.CSV: parse_csv,
    }
    if fmt not in readers:
        raise InventoryRejected(0, "format", _("Unknown format “%(fmt)s”.") % {"fmt": fmt})
    inventory = readers[fmt](content, host)
    if inventory.hosts.is_empty():
        raise InventoryRejected(1, "", _("The file describes no endpoint."))
    return inventory


def _frame(records: list[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(records, schema=schema, orient="row") if records else pl.DataFrame(schema=schema)


def infer_kind(os_name: pl.Expr) -> pl.Expr:
    """Servers: Windows Server and the server Linux distributions; everything else counts as a workstation."""
    lowered = os_name.str.to_lowercase().fill_null("")
    server = lowered.str.contains("server") | lowered.str.contains(
        r"red hat|rhel|centos|rocky|almalinux|oracle linux|suse linux enterprise server|debian"
    )
    return pl.when(server).then(pl.lit("server")).otherwise(pl.lit("workstation"))


# --- osquery -------------------------------------------------------------------------------------------

# The columns read from each osquery table (osquery logs every value as a string unless `numerics` is on).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "programs": ("name", "version", "publisher"),
    "deb_packages": ("name", "version", "maintainer"),
    "rpm_packages": ("name", "version", "release", "epoch", "vendor"),
    "windows_security_products": ("type", "name", "state", "signatures_up_to_date"),
    "services": ("name", "display_name", "status"),
    "systemd_units": ("id", "description", "active_state", "sub_state"),
    "patches": ("hotfix_id", "description"),
    "system_info": ("hostname", "hardware_serial", "uuid", "computer_name"),
    "os_version": ("name", "version"),
}
OSQUERY_TABLES = tuple(TABLE_COLUMNS)
DECORATIONS = ("host_uuid", "uuid", "hostname", "hardware_serial", "os_name", "os_version", "computer_name")
_ACTIONS = ("added", "removed", "snapshot")


def osquery_table(query_name: str) -> str | None:
    """The osquery table a scheduled query reads, from its name (`pack_<pack>_<table>` or the table)."""
    for table in OSQUERY_TABLES:
        if query_name == table or query_name.endswith(("_" + table, "/" + table, ":" + table)):
            return table
    return None


def _check_osquery_lines(content: bytes) -> None:
    """Line by line: the first line that is not an osquery result record raises InventoryRejected."""
    for number, raw in enumerate(content.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InventoryRejected(number, "", _("Not valid JSON: %(err)s") % {"err": exc}) from exc
        if not isinstance(record, dict):
            raise InventoryRejected(number, "", _("A result line must be a JSON object."))
        for key in ("name", "hostIdentifier"):
            if not isinstance(record.get(key), str) or not record[key].strip():
                raise InventoryRejected(number, key, _("Missing or empty."))
        unix = record.get("unixTime")
        if isinstance(unix, bool) or not (
            isinstance(unix, int) or (isinstance(unix, str) and unix.isdigit())
        ):
            raise InventoryRejected(number, "unixTime", _("Must be a Unix timestamp."))
        if "diffResults" in record:
            diff = record["diffResults"]
            if not isinstance(diff, dict) or not all(
                isinstance(diff.get(k, []), list) for k in ("added", "removed")
            ):
                raise InventoryRejected(number, "diffResults", _("Must hold lists “added” and “removed”."))
            continue
        action = record.get("action")
        if action not in _ACTIONS:
            raise InventoryRejected(
                number, "action", _("Must be one of added, removed, snapshot (got %(v)r).") % {"v": action}
            )
        if action == "snapshot":
            rows = record.get("snapshot")
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                raise InventoryRejected(number, "snapshot", _("A snapshot line needs a list of row objects."))
        elif not isinstance(record.get("columns"), dict):
            raise InventoryRejected(number, "columns", _("An event line needs a “columns” object."))


_NAME_KEY = b'"name":'


def _split_by_table(content: bytes) -> dict[str, list[bytes]]:
    """Result lines grouped by the table their query reads (other queries' lines are left out)."""
    groups: dict[str, list[bytes]] = {}
    tables: dict[bytes, str | None] = {}
    for line in content.splitlines():
        start = line.find(_NAME_KEY)
        if start < 0:
            if line.strip():
                _check_osquery_lines(content)
                raise InventoryRejected(0, "name", _("A line names no query."))
            continue
        begin = line.find(b'"', start + len(_NAME_KEY))
        end = line.find(b'"', begin + 1)
        name = line[begin + 1 : end]
        if name not in tables:
            tables[name] = osquery_table(name.decode("utf-8", "replace"))
        table = tables[name]
        if table is not None:
            groups.setdefault(table, []).append(line)
    return groups


def _struct_sql(columns: tuple[str, ...]) -> str:
    return "STRUCT(" + ", ".join(f'"{c}" VARCHAR' for c in columns) + ")"


def _read_table(con: Any, path: str, table: str) -> pl.DataFrame:
    """One table's lines through DuckDB's JSON reader, with only that table's columns."""
    struct = _struct_sql(TABLE_COLUMNS[table])
    decorations = _struct_sql(DECORATIONS)
    columns = {
        "hostIdentifier": "VARCHAR",
        "unixTime": "VARCHAR",
        "counter": "VARCHAR",
        "action": "VARCHAR",
        "decorations": decorations,
        "columns": struct,
        "snapshot": f"{struct}[]",
        "diffResults": f"STRUCT(added {struct}[], removed {struct}[])",
    }
    spec = "{" + ", ".join(f"'{k}': '{v}'" for k, v in columns.items()) + "}"
    arrow = con.sql(
        "SELECT * FROM read_json(?, format = 'newline_delimited', "  # noqa: S608  (our own schema)
        f"columns = {spec}, maximum_object_size = 268435456)",
        params=[path],
    ).to_arrow_table()
    return pl.from_arrow(arrow)  # type: ignore[return-value]  # a table gives a DataFrame


def _polars_struct(columns: tuple[str, ...]) -> pl.Struct:
    return pl.Struct(dict.fromkeys(columns, pl.Utf8))


def _text(value: Any) -> str | None:
    return None if value is None else value if isinstance(value, str) else orjson.dumps(value).decode()


def _read_table_small(lines: list[bytes], table: str) -> pl.DataFrame:
    """The frame `_read_table` gives, built in Python: cheaper than the JSON reader for a few lines."""
    names = TABLE_COLUMNS[table]
    struct = _polars_struct(names)

    def row(value: Any) -> dict[str, str | None] | None:
        if not isinstance(value, dict):
            return None
        return {c: _text(value.get(c)) for c in names}

    records = []
    for line in lines:
        record = orjson.loads(line)
        if not isinstance(record, dict):
            raise ValueError("not an object")
        diff = record.get("diffResults")
        decorations = record.get("decorations")
        snapshot = record.get("snapshot")
        records.append(
            {
                "hostIdentifier": _text(record.get("hostIdentifier")),
                "unixTime": _text(record.get("unixTime")),
                "counter": _text(record.get("counter")),
                "action": _text(record.get("action")),
                "decorations": {d: _text(decorations.get(d)) for d in DECORATIONS}
                if isinstance(decorations, dict)
                else None,
                "columns": row(record.get("columns")),
                "snapshot": [row(r) for r in snapshot] if isinstance(snapshot, list) else None,
                "diffResults": {
                    "added": [row(r) for r in diff.get("added") or []],
                    "removed": [row(r) for r in diff.get("removed") or []],
                }
                if isinstance(diff, dict)
                else None,
            }
        )
    schema: dict[str, Any] = {
        "hostIdentifier": pl.Utf8,
        "unixTime": pl.Utf8,
        "counter": pl.Utf8,
        "action": pl.Utf8,
        "decorations": _polars_struct(DECORATIONS),
        "columns": struct,
        "snapshot": pl.List(struct),
        "diffResults": pl.Struct({"added": pl.List(struct), "removed": pl.List(struct)}),
    }
    return pl.DataFrame(records, schema=schema)


SMALL_LOG = 2 * 2**20  # below this, lines are read in Python rather than by DuckDB


def _current_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """The table's current rows per host: the newest snapshot, then the events that came after it."""
    frame = frame.with_row_index("ln").with_columns(
        pl.col("unixTime").cast(pl.Int64).alias("ts"),
        pl.col("counter").cast(pl.Int64, strict=False).fill_null(0),
    )
    snapshot_lines = frame.filter((pl.col("action") == "snapshot") & pl.col("diffResults").is_null())
    # Per host, the newest snapshot line wins (chosen among lines, before their rows are unpacked).
    newest = (
        snapshot_lines.sort("ts", "counter", "ln")
        .group_by("hostIdentifier")
        .agg(pl.col("ln").last(), pl.col("ts").last().alias("snap"))
    )
    snapshot_rows = (
        snapshot_lines.join(newest.select("ln"), on="ln", how="semi")
        .select("hostIdentifier", pl.col("snapshot").alias("r"))
        .explode("r")
        .filter(pl.col("r").is_not_null())
    )
    events = frame.filter(pl.col("action").is_in(("added", "removed")) & pl.col("diffResults").is_null())
    batched = frame.filter(pl.col("diffResults").is_not_null())
    if events.is_empty() and batched.is_empty():
        return snapshot_rows.unnest("r")
    parts = [
        snapshot_rows.join(newest.select("hostIdentifier", "snap"), on="hostIdentifier").select(
            "hostIdentifier",
            pl.col("snap").alias("ts"),
            pl.lit(-1, pl.Int64).alias("counter"),
            pl.lit("snapshot").alias("act"),
            "r",
        )
    ]
    if not events.is_empty():
        parts.append(
            events.select(
                "hostIdentifier", "ts", "counter", pl.col("action").alias("act"), pl.col("columns").alias("r")
            )
        )
    for act in ("added", "removed") if not batched.is_empty() else ():
        parts.append(
            batched.select(
                "hostIdentifier",
                "ts",
                "counter",
                pl.lit(act).alias("act"),
                pl.col("diffResults").struct.field(act).alias("r"),
            ).explode("r")
        )
    rows = pl.concat(parts, how="vertical_relaxed").filter(pl.col("r").is_not_null())
    rows = rows.join(newest.select("hostIdentifier", "snap"), on="hostIdentifier", how="left").filter(
        pl.col("snap").is_null() | (pl.col("ts") >= pl.col("snap"))
    )
    # Differential events: for each row (all its columns), the last event decides whether it is there.
    keyed = rows.with_columns(pl.col("r").struct.json_encode().alias("key")).sort(
        "ts", "counter", maintain_order=True
    )
    last = keyed.group_by("hostIdentifier", "key", maintain_order=True).last()
    return last.filter(pl.col("act") != "removed").select("hostIdentifier", "r").unnest("r")


_BAD_RECORD = (
    pl.col("hostIdentifier").is_null()
    | (pl.col("hostIdentifier").str.strip_chars() == "")
    | ~pl.col("unixTime").fill_null("x").str.contains(r"^\d+$")
    | (
        pl.col("diffResults").is_null()
        & (
            ~pl.col("action").fill_null("").is_in(_ACTIONS)
            | ((pl.col("action") == "snapshot") & pl.col("snapshot").is_null())
            | ((pl.col("action") != "snapshot") & pl.col("columns").is_null())
        )
    )
)


def parse_osquery(content: bytes, host: str = "") -> Inventory:
    """osquery result logs: differential events, snapshots and batched diffResults, one JSON object a line.

    Lines are grouped by table, and each table is read by DuckDB's parallel JSON reader with only its own
    columns; a problem anywhere sends the file through the line-by-line check, which names the line."""
    import duckdb

    from qalxan.hygiene.conf import duckdb_threads

    groups = _split_by_table(content)
    if not groups:
        _check_osquery_lines(content)
        raise InventoryRejected(
            1,
            "name",
            _("No result of an inventory table (%(tables)s).") % {"tables": ", ".join(OSQUERY_TABLES)},
        )
    frames: dict[str, pl.DataFrame] = {}
    if len(content) < SMALL_LOG:
        try:
            frames = {table: _read_table_small(lines, table) for table, lines in groups.items()}
        except (orjson.JSONDecodeError, ValueError, AttributeError, TypeError) as exc:
            _check_osquery_lines(content)
            raise InventoryRejected(0, "", _("The log cannot be read: %(err)s") % {"err": exc}) from exc
        for frame in frames.values():
            if not frame.filter(_BAD_RECORD).is_empty():
                _check_osquery_lines(content)
                raise InventoryRejected(0, "", _("Not an osquery result record."))
        return _osquery_inventory(frames)
    con = duckdb.connect()
    con.execute(f"SET threads = {duckdb_threads()}")
    try:
        with tempfile.TemporaryDirectory(prefix="qalxan-osquery-") as folder:
            for table, lines in groups.items():
                path = Path(folder) / f"{table}.json"
                with path.open("wb") as out:
                    out.write(b"\n".join(lines))  # one write, not two per line
                    out.write(b"\n")
                del lines
                try:
                    frame = _read_table(con, str(path), table)
                except duckdb.Error as exc:
                    _check_osquery_lines(content)
                    raise InventoryRejected(
                        0, "", _("The log cannot be read: %(err)s") % {"err": exc}
                    ) from exc
                if not frame.filter(_BAD_RECORD).is_empty():
                    _check_osquery_lines(content)
                    raise InventoryRejected(0, "", _("Not an osquery result record."))
                frames[table] = frame
    finally:
        con.close()
    del groups
    return _osquery_inventory(frames)


def _osquery_inventory(frames: dict[str, pl.DataFrame]) -> Inventory:
    everything = pl.concat(
        [
            f.select("hostIdentifier", pl.col("unixTime").cast(pl.Int64).alias("ts"), "decorations")
            for f in frames.values()
        ]
    )
    hosts = everything.group_by("hostIdentifier").agg(
        pl.col("ts").max(),
        *[pl.col("decorations").struct.field(d).drop_nulls().last().alias(f"d_{d}") for d in DECORATIONS],
    )
    current = {table: _current_rows(frame) for table, frame in frames.items()}
    if "system_info" in current:
        hosts = hosts.join(
            current["system_info"]
            .group_by("hostIdentifier")
            .agg(
                pl.col("hostname").last().alias("s_hostname"),
                pl.col("hardware_serial").last().alias("s_serial"),
                pl.col("uuid").last().alias("s_uuid"),
            ),
            on="hostIdentifier",
            how="left",
        )
    if "os_version" in current:
        hosts = hosts.join(
            current["os_version"]
            .group_by("hostIdentifier")
            .agg(pl.col("name").last().alias("o_name"), pl.col("version").last().alias("o_version")),
            on="hostIdentifier",
            how="left",
        )
    for missing in ("s_hostname", "s_serial", "s_uuid", "o_name", "o_version"):
        if missing not in hosts.columns:
            hosts = hosts.with_columns(pl.lit(None, pl.Utf8).alias(missing))
    hosts = hosts.select(
        pl.col("hostIdentifier").alias("host"),
        pl.coalesce("s_hostname", "d_hostname", "d_computer_name", "hostIdentifier").alias("hostname"),
        pl.coalesce("s_serial", "d_hardware_serial").alias("serial"),
        pl.coalesce("s_uuid", "d_host_uuid", "d_uuid").alias("uuid"),
        pl.coalesce("o_name", "d_os_name").alias("os_name"),
        pl.coalesce("o_version", "d_os_version").alias("os_version"),
        pl.lit(None, pl.Utf8).alias("kind"),
        pl.from_epoch("ts", time_unit="s")
        .dt.replace_time_zone("UTC")
        .cast(pl.Datetime("us", "UTC"))
        .alias("seen_at"),
    ).with_columns(infer_kind(pl.col("os_name")).alias("kind"))

    parts = [
        _unified(table, rows) for table, rows in current.items() if table not in {"system_info", "os_version"}
    ]
    rows = pl.concat(parts, how="vertical_relaxed") if parts else pl.DataFrame(schema=ROW_SCHEMA)
    rows = rows.filter(pl.col("name").is_not_null() & (pl.col("name") != ""))
    return Inventory(InventoryFormat.OSQUERY, hosts.cast(HOST_SCHEMA), rows.cast(ROW_SCHEMA))  # type: ignore[arg-type]  # polars accepts a name → dtype mapping


def _unified(table: str, rows: pl.DataFrame) -> pl.DataFrame:
    """One osquery table's rows in the inventory's common columns."""
    null = pl.lit(None, pl.Utf8)
    no_bool = pl.lit(None, pl.Boolean)
    host = pl.col("hostIdentifier").alias("host")
    if table in {"programs", "deb_packages", "rpm_packages"}:
        if table == "rpm_packages":
            epoch = pl.col("epoch").fill_null("")
            version = (
                pl.when(epoch.is_in(("", "0", "(none)"))).then(pl.lit("")).otherwise(epoch + ":")
                + pl.col("version").fill_null("")
                + pl.when(pl.col("release").fill_null("") == "")
                .then(pl.lit(""))
                .otherwise("-" + pl.col("release"))
            )
            publisher = pl.col("vendor")
        else:
            version = pl.col("version")
            publisher = pl.col("publisher") if table == "programs" else pl.col("maintainer")
        ecosystem = {"programs": "generic", "deb_packages": "deb", "rpm_packages": "rpm"}[table]
        return rows.select(
            host,
            pl.lit("package").alias("table"),
            pl.lit(ecosystem).alias("ecosystem"),
            "name",
            version.alias("version"),
            publisher.alias("publisher"),
            null.alias("status"),
            no_bool.alias("signatures_ok"),
            null.alias("detail"),
        )
    if table == "windows_security_products":
        return rows.select(
            host,
            pl.lit("security").alias("table"),
            null.alias("ecosystem"),
            "name",
            null.alias("version"),
            null.alias("publisher"),
            pl.col("state").str.to_lowercase().alias("status"),
            (pl.col("signatures_up_to_date") == "1").alias("signatures_ok"),
            pl.col("type").alias("detail"),
        )
    if table == "services":
        return rows.select(
            host,
            pl.lit("service").alias("table"),
            null.alias("ecosystem"),
            "name",
            null.alias("version"),
            null.alias("publisher"),
            pl.col("status").str.to_lowercase().alias("status"),
            no_bool.alias("signatures_ok"),
            pl.col("display_name").alias("detail"),
        )
    if table == "systemd_units":
        running = (pl.col("active_state") == "active") & (pl.col("sub_state") == "running")
        return rows.select(
            host,
            pl.lit("service").alias("table"),
            null.alias("ecosystem"),
            pl.col("id").alias("name"),
            null.alias("version"),
            null.alias("publisher"),
            pl.when(running).then(pl.lit("running")).otherwise(pl.col("active_state")).alias("status"),
            no_bool.alias("signatures_ok"),
            pl.col("description").alias("detail"),
        )
    return rows.select(  # patches
        host,
        pl.lit("patch").alias("table"),
        null.alias("ecosystem"),
        pl.col("hotfix_id").alias("name"),
        null.alias("version"),
        null.alias("publisher"),
        null.alias("status"),
        no_bool.alias("signatures_ok"),
        pl.col("description").alias("detail"),
    )


# --- SBOMs ---------------------------------------------------------------------------------------------

_PURL_ECOSYSTEM = {
    "deb": "deb",
    "rpm": "rpm",
    "pypi": "pypi",
    "npm": "npm",
    "maven": "maven",
    "nuget": "nuget",
}


def purl_package(purl: str | None, name: str) -> tuple[str, str]:
    """Ecosystem and package name from a package URL (`pkg:maven/g/a@v` → maven, g:a)."""
    if not purl or not purl.startswith("pkg:"):
        return "generic", name
    body = purl[4:].split("?", 1)[0].split("#", 1)[0].split("@", 1)[0]
    kind, _sep, path = body.partition("/")
    ecosystem = _PURL_ECOSYSTEM.get(kind.lower(), "generic")
    parts = [p for p in path.split("/") if p]
    from urllib.parse import unquote

    parts = [unquote(p) for p in parts]
    if ecosystem == "maven" and len(parts) >= 2:
        return ecosystem, f"{parts[-2]}:{parts[-1]}"
    if ecosystem == "npm" and len(parts) >= 2:
        return ecosystem, f"{parts[-2]}/{parts[-1]}"
    return ecosystem, parts[-1] if parts else name


def _sbom_inventory(
    fmt: str, host: str, hostname: str, packages: list[dict[str, Any]], seen: dt.datetime | None
) -> Inventory:
    if not host:
        raise InventoryRejected(
            1, "host", _("The SBOM names no endpoint: give the host identifier with the upload.")
        )
    hosts = _frame(
        [
            {
                "host": host,
                "hostname": hostname or host,
                "serial": None,
                "uuid": None,
                "os_name": None,
                "os_version": None,
                "kind": "server",
                "seen_at": seen or dt.datetime.now(dt.UTC),
            }
        ],
        HOST_SCHEMA,
    )
    return Inventory(fmt, hosts, _frame(packages, ROW_SCHEMA))


def _cyclonedx_inventory(fmt: str, bom: Any, host: str, serial: str) -> Inventory:
    packages = []
    for component in bom.components:
        purl = str(component.purl) if component.purl else None
        ecosystem, name = purl_package(purl, component.name)
        packages.append(
            {
                "host": None,
                "table": "package",
                "ecosystem": ecosystem,
                "name": name,
                "version": component.version or "",
                "publisher": component.publisher or component.group or "",
                "status": None,
                "signatures_ok": None,
                "detail": None,
            }
        )
    meta = bom.metadata.component
    # The library invents a serial number when the document has none: only the document's own one names it.
    identity = host or (meta.name if meta is not None else "") or serial
    for p in packages:
        p["host"] = identity
    stamp = bom.metadata.timestamp
    return _sbom_inventory(fmt, identity, meta.name if meta is not None else "", packages, stamp)


def _json_document(content: bytes) -> Any:
    try:
        return json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InventoryRejected(1, "", _("The file is not UTF-8 text.")) from exc
    except json.JSONDecodeError as exc:
        raise InventoryRejected(exc.lineno, "", _("Not valid JSON: %(err)s") % {"err": exc.msg}) from exc


def parse_cyclonedx_json(content: bytes, host: str = "") -> Inventory:
    """A CycloneDX JSON SBOM (cyclonedx-python-lib), e.g. made by `cyclonedx-py environment`."""
    from cyclonedx.model.bom import Bom

    data = _json_document(content)
    if not isinstance(data, dict) or data.get("bomFormat") != "CycloneDX":
        raise InventoryRejected(
            1, "bomFormat", _("Not a CycloneDX document (bomFormat must be “CycloneDX”).")
        )
    for index, component in enumerate(data.get("components") or []):
        if not isinstance(component, dict) or not component.get("name"):
            raise InventoryRejected(f"components[{index}]", "name", _("Every component needs a name."))
    try:
        bom = Bom.from_json(data)  # type: ignore[attr-defined]  # added by the serializable decorator
    except Exception as exc:
        raise InventoryRejected(1, "", _("Not a valid CycloneDX document: %(err)s") % {"err": exc}) from exc
    return _cyclonedx_inventory(
        InventoryFormat.CYCLONEDX_JSON, bom, host, str(data.get("serialNumber") or "")
    )


def parse_cyclonedx_xml(content: bytes, host: str = "") -> Inventory:
    """A CycloneDX XML SBOM (cyclonedx-python-lib)."""
    from xml.etree import ElementTree

    from cyclonedx.model.bom import Bom
    from lxml import etree

    try:
        # lxml without network or entity expansion: an SBOM from an institution is untrusted input.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise InventoryRejected(
            exc.lineno or 1, "", _("Not well-formed XML: %(err)s") % {"err": exc.msg}
        ) from exc
    if not root.tag.startswith("{http://cyclonedx.org/schema/bom/"):
        raise InventoryRejected(1, "bom", _("Not a CycloneDX document."))
    for component in root.iter("{*}component"):
        name = component.find("{*}name")
        if name is None or not (name.text or "").strip():
            raise InventoryRejected(component.sourceline or 1, "name", _("Every component needs a name."))
    try:
        bom = Bom.from_xml(ElementTree.fromstring(etree.tostring(root)))  # type: ignore[attr-defined]  # serializable decorator  # noqa: S314  (re-parsed from lxml's safe tree)
    except Exception as exc:
        raise InventoryRejected(1, "", _("Not a valid CycloneDX document: %(err)s") % {"err": exc}) from exc
    return _cyclonedx_inventory(InventoryFormat.CYCLONEDX_XML, bom, host, str(root.get("serialNumber") or ""))


def parse_spdx_json(content: bytes, host: str = "") -> Inventory:
    """An SPDX 2.x JSON document (spdx-tools); packages' purl references give the ecosystem."""
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.parse_anything import parse_file

    _json_document(content)  # JSON syntax errors with their line
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventory.spdx.json"
        path.write_bytes(content)
        try:
            document = parse_file(str(path))
        except SPDXParsingError as exc:
            raise InventoryRejected(1, "", "; ".join(exc.get_messages())[:500]) from exc
        except Exception as exc:
            raise InventoryRejected(1, "", _("Not a valid SPDX document: %(err)s") % {"err": exc}) from exc
    identity = host or document.creation_info.name
    packages = []
    for package in document.packages:
        purl = next((r.locator for r in package.external_references if r.reference_type == "purl"), None)
        ecosystem, name = purl_package(purl, package.name)
        supplier = package.supplier
        packages.append(
            {
                "host": identity,
                "table": "package",
                "ecosystem": ecosystem,
                "name": name,
                "version": package.version or "",
                "publisher": getattr(supplier, "name", "") or "",
                "status": None,
                "signatures_ok": None,
                "detail": None,
            }
        )
    created = document.creation_info.created
    if created.tzinfo is None:
        created = created.replace(tzinfo=dt.UTC)
    return _sbom_inventory(
        InventoryFormat.SPDX_JSON, identity, document.creation_info.name, packages, created
    )


# --- CSV -----------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "host_identifier",
    "hostname",
    "hardware_serial",
    "hardware_uuid",
    "os_name",
    "os_version",
    "kind",
    "last_seen",
    "table",
    "ecosystem",
    "name",
    "version",
    "publisher",
    "status",
    "signatures_up_to_date",
)
CSV_REQUIRED = ("host_identifier", "name")
_TRUE = ("1", "true", "yes")


def _csv_line_check(content: bytes) -> None:
    """Line by line, for the reasons a vectorised check cannot place on a line (quoting, column counts)."""
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    for row in reader:
        if row and len(row) != len(header):
            raise InventoryRejected(
                reader.line_num,
                "",
                _("Expected %(n)d columns, found %(m)d.") % {"n": len(header), "m": len(row)},
            )


def parse_csv(content: bytes, host: str = "") -> Inventory:
    """A CSV inventory: a row per package, security product, service or patch (see docs/hygiene.md)."""
    try:
        first = content.split(b"\n", 1)[0].decode("utf-8-sig").strip("\r")
    except UnicodeDecodeError as exc:
        raise InventoryRejected(1, "", _("The file is not UTF-8 text.")) from exc
    header = [h.strip().lower() for h in next(csv.reader([first]), [])]
    unknown = sorted(set(header) - set(CSV_COLUMNS))
    if unknown:
        raise InventoryRejected(
            1, unknown[0], _("Unknown column; expected: %(cols)s.") % {"cols": ", ".join(CSV_COLUMNS)}
        )
    for column in CSV_REQUIRED:
        if column not in header:
            raise InventoryRejected(1, column, _("The required column is missing."))
    try:
        df = pl.read_csv(
            io.BytesIO(content),
            has_header=True,
            new_columns=header,
            schema_overrides=dict.fromkeys(header, pl.Utf8),
            infer_schema=False,
            encoding="utf8-lossy",
        )
    except Exception as exc:
        _csv_line_check(content)
        raise InventoryRejected(0, "", _("The CSV file cannot be read: %(err)s") % {"err": exc}) from exc
    for column in CSV_COLUMNS:
        if column not in df.columns:
            df = df.with_columns(pl.lit(None, pl.Utf8).alias(column))
    df = df.with_row_index("line", offset=2).with_columns(
        pl.col(c).str.strip_chars().replace("", None) for c in CSV_COLUMNS
    )
    df = df.with_columns(
        pl.col("table").fill_null("package").str.to_lowercase(),
        pl.col("ecosystem").str.to_lowercase(),
        pl.col("last_seen").str.to_datetime(time_zone="UTC", strict=False).alias("seen_at"),
    )
    checks: list[tuple[pl.Expr, str, str]] = [
        (pl.col("host_identifier").is_null(), "host_identifier", _("Required.")),
        (pl.col("name").is_null(), "name", _("Required.")),
        (
            ~pl.col("table").is_in(ROW_TABLES),
            "table",
            _("Must be one of: %(v)s.") % {"v": ", ".join(ROW_TABLES)},
        ),
        (
            (pl.col("table") == "package")
            & pl.col("ecosystem").is_not_null()
            & ~pl.col("ecosystem").is_in(ECOSYSTEMS),
            "ecosystem",
            _("Must be one of: %(v)s.") % {"v": ", ".join(ECOSYSTEMS)},
        ),
        (
            pl.col("kind").is_not_null() & ~pl.col("kind").is_in(("workstation", "server")),
            "kind",
            _("Must be workstation or server."),
        ),
        (
            pl.col("last_seen").is_not_null() & pl.col("seen_at").is_null(),
            "last_seen",
            _("Not an ISO 8601 date and time."),
        ),
    ]
    problems = []
    for expr, field, message in checks:
        hit = df.filter(expr).select("line").head(1)
        if not hit.is_empty():
            problems.append((int(hit["line"][0]), field, message))
    if problems:
        line, field, message = min(problems)
        raise InventoryRejected(line, field, message)
    now = dt.datetime.now(dt.UTC)
    hosts = df.group_by("host_identifier", maintain_order=True).agg(
        pl.col("hostname").drop_nulls().last(),
        pl.col("hardware_serial").drop_nulls().last(),
        pl.col("hardware_uuid").drop_nulls().last(),
        pl.col("os_name").drop_nulls().last(),
        pl.col("os_version").drop_nulls().last(),
        pl.col("kind").drop_nulls().last(),
        pl.col("seen_at").max(),
    )
    hosts = hosts.select(
        pl.col("host_identifier").alias("host"),
        pl.coalesce("hostname", "host_identifier").alias("hostname"),
        pl.col("hardware_serial").alias("serial"),
        pl.col("hardware_uuid").alias("uuid"),
        "os_name",
        "os_version",
        pl.coalesce("kind", infer_kind(pl.col("os_name"))).alias("kind"),
        pl.col("seen_at").fill_null(now).cast(pl.Datetime("us", "UTC")),
    )
    rows = df.select(
        pl.col("host_identifier").alias("host"),
        "table",
        pl.when(pl.col("table") == "package")
        .then(pl.col("ecosystem").fill_null("generic"))
        .otherwise(None)
        .alias("ecosystem"),
        "name",
        pl.col("version").fill_null(""),
        "publisher",
        pl.col("status").str.to_lowercase(),
        pl.when(pl.col("signatures_up_to_date").is_null())
        .then(pl.lit(None, pl.Boolean))
        .otherwise(pl.col("signatures_up_to_date").str.to_lowercase().is_in(_TRUE))
        .alias("signatures_ok"),
        pl.lit(None, pl.Utf8).alias("detail"),
    )
    return Inventory(InventoryFormat.CSV, hosts.cast(HOST_SCHEMA), rows.cast(ROW_SCHEMA))  # type: ignore[arg-type]  # polars accepts a name → dtype mapping


def pypi_normalise(name: str) -> str:
    """PEP 503 name normalisation (OSV and SBOMs spell PyPI names differently)."""
    return re.sub(r"[-_.]+", "-", name).lower()
