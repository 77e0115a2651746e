"""Ingest: parsed inventories → endpoints (identity resolution) → normalisation → Parquet snapshot →
current state and results in the database (catalogued installs, coverage, findings) → figures.

Rows never pass through the ORM: frames are joined in polars, and the database receives only the current
state, with executemany / COPY. One call handles a batch of inventories (a national run), each item
becoming its own snapshot of its institution; everything happens in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.tenancy import require
from qalxan.hygiene import figures, matching, snapshots
from qalxan.hygiene.choices import AppliesTo, CoverageReason, TriageState
from qalxan.hygiene.models import (
    CoverageStatus,
    Endpoint,
    EssentialCategory,
    Finding,
    InventorySnapshot,
    LicensedProduct,
    ProductInstall,
)
from qalxan.hygiene.normalise import active_rules, mapping
from qalxan.hygiene.parsers import Inventory, InventoryRejected, detect_format, parse
from qalxan.hygiene.versions import at_least


@dataclass
class Upload:
    organization: Any
    filename: str
    content: bytes
    format: str = ""
    host: str = ""


Parsed = tuple[Upload, Inventory, str]  # an upload, its inventory, its SHA-256


@dataclass
class IngestResult:
    snapshots: list[InventorySnapshot] = field(default_factory=list)
    endpoints: int = 0
    rows: int = 0
    new_endpoints: int = 0
    findings: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def ingest(*, actor: Any, uploads: Sequence[Upload], system: bool = False) -> IngestResult:
    """Read, check and store inventories; any bad file refuses the whole call (InventoryRejected)."""
    _authorise(actor, uploads, system)
    clock = time.perf_counter()
    parsed = _parse_all(uploads)
    return _store(actor, parsed, {"parse": time.perf_counter() - clock})


def ingest_batches(
    *, actor: Any, batches: Iterable[Sequence[Upload]], system: bool = False
) -> Iterator[IngestResult]:
    """`ingest` of each batch in turn (its own transaction), the next batch being parsed in a thread while
    the current one is written: a national run keeps both cores busy, since parsing (DuckDB, polars) and
    writing (the database driver) release the GIL for most of their time.

    The results are `ingest`'s, batch by batch: a batch is committed before a later batch's rejection is
    raised, as when the batches are ingested one after the other. The `parse` timing of a batch after the
    first is the time spent waiting for it, i.e. the parse not hidden behind the previous batch's writes."""
    from django.utils import translation

    language = translation.get_language()

    def parse_in_thread(uploads: Sequence[Upload]) -> list[Parsed]:
        # Messages of a rejection in the caller's language (the active language is per thread).
        with translation.override(language):
            return _parse_all(uploads)

    iterator = iter(batches)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hygiene-parse") as pool:
        upcoming = next(iterator, None)
        if upcoming is None:
            return
        _authorise(actor, upcoming, system)
        future: Future[list[Parsed]] | None = pool.submit(parse_in_thread, upcoming)
        _prepare()
        while future is not None:
            clock = time.perf_counter()
            parsed = future.result()
            waited = time.perf_counter() - clock
            future = None
            upcoming = next(iterator, None)
            if upcoming is not None:
                _authorise(actor, upcoming, system)
                future = pool.submit(parse_in_thread, upcoming)
            try:
                result = _store(actor, parsed, {"parse": waited})
            except BaseException:
                if future is not None:
                    future.cancel()
                raise
            del parsed
            yield result


def _prepare() -> None:
    """What the first batch would otherwise do after its parse, done while it parses: the advisories'
    packages read (cached in the process until advisories change) and the URL configuration loaded (the
    notifications link to the findings)."""
    matching.advisory_packages()
    reverse("hygiene:finding_list")


def _authorise(actor: Any, uploads: Sequence[Upload], system: bool) -> None:
    for upload in uploads:
        if not system:
            require(actor, "hygiene.add_inventorysnapshot", organization_id=upload.organization.pk)


def _parse_all(uploads: Sequence[Upload]) -> list[Parsed]:
    """Each upload parsed, with its SHA-256 (computed where the parse runs: `ingest_batches`' thread)."""
    parsed: list[Parsed] = []
    for upload in uploads:
        try:
            fmt = upload.format or detect_format(upload.filename, upload.content)
            inventory = parse(fmt, upload.content, host=upload.host)
        except InventoryRejected as exc:
            exc.filename = upload.filename
            raise
        parsed.append((upload, inventory, hashlib.sha256(upload.content).hexdigest()))
    return parsed


def _store(actor: Any, parsed: list[Parsed], timings: dict[str, float]) -> IngestResult:
    """Everything after the parse, in one transaction; the Parquet files written are removed if it fails."""
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = timings.get(name, 0.0) + now - clock
        clock = now

    result = IngestResult(timings=timings)
    written: list[Path] = []
    try:
        with transaction.atomic():
            _ingest_parsed(actor, parsed, result, written, lap)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    lap("commit")
    return result


def _ingest_parsed(
    actor: Any, parsed: list[Parsed], result: IngestResult, written: list[Path], lap: Any
) -> None:
    now = timezone.now()
    frames = []
    batch_endpoints: list[int] = []
    known: list[pl.DataFrame] = []  # the batch's endpoints as they are now (kind, last seen)
    orgs: dict[int, InventorySnapshot] = {}
    for upload, inventory, digest in parsed:
        snapshot = InventorySnapshot.objects.create(
            organization=upload.organization,
            format=inventory.format,
            filename=upload.filename[:255],
            sha256=digest,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            endpoint_count=inventory.hosts.height,
            row_count=inventory.rows.height,
        )
        ids, created = resolve_endpoints(upload.organization.pk, inventory, snapshot)
        result.new_endpoints += created
        frames.append(
            inventory.rows.join(ids, on="host", how="inner").with_columns(
                pl.lit(snapshot.pk, pl.Int64).alias("snapshot_id"),
                pl.lit(upload.organization.pk, pl.Int64).alias("organization_id"),
            )
        )
        batch_endpoints.extend(ids["endpoint_id"].to_list())
        known.append(
            inventory.hosts.unique("host", keep="last")
            .join(ids, on="host")
            .select(
                "endpoint_id",
                pl.lit(upload.organization.pk, pl.Int64).alias("organization_id"),
                pl.col("kind").fill_null("workstation"),
                pl.col("seen_at").alias("last_seen"),
            )
        )
        orgs[upload.organization.pk] = snapshot
        result.snapshots.append(snapshot)
    lap("endpoints")
    rows = pl.concat(frames, how="vertical_relaxed") if frames else pl.DataFrame()
    rows = annotate(rows, active_rules())
    lap("normalise")
    for snapshot in result.snapshots:
        path = snapshots.path_of(snapshot)
        written.append(path)  # before the write: removed if anything fails, written or half-written
        snapshot.path = str(path.relative_to(snapshots.root()))
    InventorySnapshot.objects.bulk_update(result.snapshots, ["path"])
    if rows.height < THREADED_PARQUET:  # one endpoint's re-ingest: a thread would cost more than it saves
        _write_snapshots(rows, result.snapshots)
        lap("parquet")
        _store_results(actor, rows, now, result, batch_endpoints, known, orgs, lap)
        return
    # The Parquet files are written in a thread (polars releases the GIL) while the database is written;
    # the transaction commits only once they are all written.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hygiene-parquet") as writer:
        parquet = writer.submit(_write_snapshots, rows, result.snapshots)
        lap("parquet")
        try:
            _store_results(actor, rows, now, result, batch_endpoints, known, orgs, lap)
        finally:
            wait([parquet])  # also when the rest failed: the files are removed only once written
        parquet.result()
        lap("parquet")


THREADED_PARQUET = 100_000  # rows from which a batch's Parquet files are written in a thread


def _write_snapshots(rows: pl.DataFrame, batch: list[InventorySnapshot]) -> None:
    # Only the stored columns are filtered per snapshot (and nothing when the batch is one snapshot).
    stored = rows.select(*snapshots.COLUMNS, "snapshot_id")
    for snapshot in batch:
        snapshots.write(
            snapshot, stored if len(batch) == 1 else stored.filter(pl.col("snapshot_id") == snapshot.pk)
        )


def _store_results(
    actor: Any,
    rows: pl.DataFrame,
    now: dt.datetime,
    result: IngestResult,
    batch_endpoints: list[int],
    known: list[pl.DataFrame],
    orgs: dict[int, InventorySnapshot],
    lap: Any,
) -> None:
    # Lazy wherever a few columns of the batch's rows are wanted: a filter then copies only those.
    counts = rows.lazy().filter(pl.col("table") == "package").group_by("endpoint_id").len().collect()
    _executemany(
        "UPDATE hygiene_endpoint SET package_count = %s WHERE id = %s",
        [(n, e) for e, n in counts.iter_rows()],
    )
    installs = store_installs(rows, batch_endpoints)
    lap("installs")
    store_coverage(rows, installs, batch_endpoints, now, endpoints=pl.concat(known) if known else None)
    lap("coverage")
    result.findings, serious = store_findings(rows, batch_endpoints, now)
    for organization_id, count in serious.items():
        notify_serious(organization_id, count)
    lap("vulnerabilities")
    for org_id, snapshot in orgs.items():
        figures.recompute(organization_id=org_id, snapshot=snapshot, at=now)
    lap("figures")
    result.endpoints = len(batch_endpoints)
    result.rows = rows.height
    for snapshot in result.snapshots:
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            target=snapshot,
            message=f"hygiene.inventory: {snapshot.filename}: {snapshot.endpoint_count} endpoints, "
            f"{snapshot.row_count} rows",
            after={
                "format": snapshot.format,
                "endpoints": snapshot.endpoint_count,
                "rows": snapshot.row_count,
            },
        )


def annotate(rows: pl.DataFrame, rules: list[Any]) -> pl.DataFrame:
    """Canonical names, catalogue product, advisory name and whether any advisory names the package.

    Everything is worked out once per distinct (table, ecosystem, publisher, name) and joined back, so that
    millions of rows cost one join."""
    on = ["table", "ecosystem", "publisher", "name"]
    # One 64-bit hash per row stands for its four strings: unique and join on it, not on the strings.
    rows = rows.with_columns(pl.col("publisher").fill_null("")).with_columns(
        pl.struct(on).hash(seed=7).alias("_key")
    )
    keys = rows.select("_key", *on).unique("_key")
    named = keys.filter(pl.col("table").is_in(("package", "security")))
    canonical = mapping(named.select("publisher", "name").unique(), rules).drop("rule_id")
    keys = keys.join(canonical, on=["publisher", "name"], how="left", nulls_equal=True).with_columns(
        pl.col("ignored").fill_null(False)
    )
    catalogue = _catalogue()
    keys = keys.with_columns(
        pl.col("vendor").str.to_lowercase().alias("v"), pl.col("product").str.to_lowercase().alias("p")
    ).join(catalogue.rename({"vendor": "v", "product": "p"}), on=["v", "p"], how="left")
    keys = keys.with_columns(
        pl.when(pl.col("ignored")).then(None).otherwise(pl.col("product_id")).alias("product_id"),
        matching.match_name(pl.col("ecosystem"), pl.col("name"), pl.col("product")).alias("match_name"),
    ).drop("v", "p")
    listed = matching.advisory_packages()
    keys = keys.join(
        listed.with_columns(pl.lit(True).alias("has_advisory")), on=["ecosystem", "match_name"], how="left"
    ).with_columns(
        (pl.col("has_advisory").fill_null(False) & (pl.col("table") == "package")).alias("has_advisory")
    )
    return rows.join(keys.drop(on), on="_key", how="left").drop("_key")


# --- Endpoints -----------------------------------------------------------------------------------------

_ENDPOINT_COLUMNS = ("id", "host_identifier", "hardware_uuid", "hardware_serial", "hostname")


def _existing(organization_id: int, hosts: pl.DataFrame) -> pl.DataFrame:
    """The institution's endpoints that any incoming identity could be (all of them for a large file)."""
    from django.db.models import Q

    queryset = Endpoint.objects.filter(organization_id=organization_id)
    if hosts.height <= 500:
        query = Q(host_identifier__in=hosts["host"].to_list()) | Q(
            hostname__in=hosts["hostname"].drop_nulls().to_list()
        )
        for column, field_name in (("uuid", "hardware_uuid"), ("serial", "hardware_serial")):
            values = [v for v in hosts[column].drop_nulls().to_list() if v]
            if values:
                query |= Q(**{f"{field_name}__in": values})
        queryset = queryset.filter(query)
    data = list(queryset.values_list(*_ENDPOINT_COLUMNS))
    schema = {
        "endpoint_id": pl.Int64,
        "e_host": pl.Utf8,
        "e_uuid": pl.Utf8,
        "e_serial": pl.Utf8,
        "e_hostname": pl.Utf8,
    }
    return pl.DataFrame(data, schema=schema, orient="row")


def resolve_endpoints(
    organization_id: int, inventory: Inventory, snapshot: InventorySnapshot
) -> tuple[pl.DataFrame, int]:
    """(host → endpoint_id, created): by host identifier, then hardware UUID, serial, then host name."""
    hosts = inventory.hosts.unique("host", keep="last")
    existing = _existing(organization_id, hosts)
    resolved = pl.DataFrame(schema={"host": pl.Utf8, "endpoint_id": pl.Int64})
    remaining = hosts
    for mine, theirs in (
        ("host", "e_host"),
        ("uuid", "e_uuid"),
        ("serial", "e_serial"),
        ("hostname", "e_hostname"),
    ):
        if remaining.is_empty() or existing.is_empty():
            break
        keyed = (
            existing.filter(pl.col(theirs).is_not_null() & (pl.col(theirs) != ""))
            .select(pl.col(theirs).str.to_lowercase().alias("k"), "endpoint_id")
            .unique("k", keep="first")
        )
        taken = resolved["endpoint_id"]
        keyed = keyed.filter(~pl.col("endpoint_id").is_in(taken.implode()))
        hit = remaining.with_columns(pl.col(mine).str.to_lowercase().alias("k")).join(
            keyed, on="k", how="inner"
        )
        hit = hit.unique("endpoint_id", keep="first")
        resolved = pl.concat([resolved, hit.select("host", "endpoint_id")])
        remaining = remaining.filter(~pl.col("host").is_in(hit["host"].implode()))
    created = 0
    if not remaining.is_empty():
        stamp = _stamp(timezone.now())
        fresh = remaining.select(
            pl.lit(stamp).alias("created_at"),
            pl.lit(stamp).alias("updated_at"),
            pl.lit(organization_id, pl.Int64).alias("organization_id"),
            pl.col("host").str.slice(0, 255),
            pl.col("hostname").fill_null("").str.slice(0, 255),
            pl.col("serial").fill_null("").str.slice(0, 128),
            pl.col("uuid").fill_null("").str.slice(0, 64),
            pl.col("os_name").fill_null("").str.slice(0, 120),
            pl.col("os_version").fill_null("").str.slice(0, 60),
            pl.col("kind").fill_null("workstation"),
            pl.lit(inventory.format).alias("source"),
            "seen_at",
            pl.lit(snapshot.pk, pl.Int64).alias("last_snapshot_id"),
            pl.lit(0, pl.Int64).alias("package_count"),
        )
        _insert(
            Endpoint._meta.db_table,
            (
                "created_at",
                "updated_at",
                "organization_id",
                "host_identifier",
                "hostname",
                "hardware_serial",
                "hardware_uuid",
                "os_name",
                "os_version",
                "kind",
                "source",
                "last_seen",
                "last_snapshot_id",
                "package_count",
            ),
            fresh.iter_rows(),
        )
        created = fresh.height
        ids = dict(
            Endpoint.objects.filter(organization_id=organization_id, last_snapshot=snapshot).values_list(
                "host_identifier", "id"
            )
        )
        resolved = pl.concat(
            [
                resolved,
                pl.DataFrame({"host": list(ids), "endpoint_id": list(ids.values())}, schema=resolved.schema),
            ]
        ).unique("host", keep="first")
    update = hosts.join(resolved, on="host").join(
        existing.select("endpoint_id"), on="endpoint_id", how="semi"
    )
    _executemany(
        "UPDATE hygiene_endpoint SET host_identifier = %s, hostname = COALESCE(NULLIF(%s, ''), hostname), "
        "hardware_serial = COALESCE(NULLIF(%s, ''), hardware_serial), "
        "hardware_uuid = COALESCE(NULLIF(%s, ''), hardware_uuid), "
        "os_name = COALESCE(NULLIF(%s, ''), os_name), "
        "os_version = COALESCE(NULLIF(%s, ''), os_version), kind = %s, "
        "source = %s, last_seen = %s, last_snapshot_id = %s, updated_at = %s WHERE id = %s",
        [
            (
                h["host"][:255],
                (h["hostname"] or "")[:255],
                (h["serial"] or "")[:128],
                (h["uuid"] or "")[:64],
                (h["os_name"] or "")[:120],
                (h["os_version"] or "")[:60],
                h["kind"] or "workstation",
                inventory.format,
                h["seen_at"],
                snapshot.pk,
                timezone.now(),
                h["endpoint_id"],
            )
            for h in update.iter_rows(named=True)
        ],
    )
    return resolved, created


# --- Catalogued installs, coverage, findings -----------------------------------------------------------


def _catalogue() -> pl.DataFrame:
    data = list(LicensedProduct.objects.values_list("id", "vendor", "product"))
    frame = pl.DataFrame(
        data, schema={"product_id": pl.Int64, "vendor": pl.Utf8, "product": pl.Utf8}, orient="row"
    )
    return frame.with_columns(pl.col("vendor").str.to_lowercase(), pl.col("product").str.to_lowercase())


def store_installs(rows: pl.DataFrame, endpoint_ids: list[int]) -> pl.DataFrame:
    """Catalogued products per endpoint (packages, security products), replacing the previous ones."""
    found = (
        rows.lazy()
        .filter(pl.col("product_id").is_not_null())
        .group_by("endpoint_id", "product_id")
        .agg(
            pl.col("organization_id").first(),
            pl.col("version")
            .filter(pl.col("version").is_not_null() & (pl.col("version") != ""))
            .max()
            .alias("version"),
            pl.col("edition")
            .filter(pl.col("edition").is_not_null() & (pl.col("edition") != ""))
            .first()
            .alias("edition"),
        )
        .collect()
    )
    _delete_for(ProductInstall._meta.db_table, endpoint_ids)
    _insert(
        ProductInstall._meta.db_table,
        ("endpoint_id", "organization_id", "product_id", "version", "edition"),
        # In index order: the B-trees are appended to rather than written all over.
        found.sort("endpoint_id", "product_id")
        .select(
            "endpoint_id",
            "organization_id",
            "product_id",
            pl.col("version").fill_null("").str.slice(0, 100),
            pl.col("edition").fill_null("").str.slice(0, 120),
        )
        .iter_rows(),
    )
    return found


def store_coverage(
    rows: pl.DataFrame,
    installs: pl.DataFrame,
    endpoint_ids: list[int],
    now: dt.datetime,
    endpoints: pl.DataFrame | None = None,
) -> None:
    """Every active essential-software category evaluated for the batch's endpoints, with the reason."""
    _delete_for(CoverageStatus._meta.db_table, endpoint_ids)
    endpoints = endpoints if endpoints is not None else endpoint_frame(endpoint_ids)
    if endpoints.is_empty():
        return
    records = []
    for category in EssentialCategory.objects.filter(is_active=True).prefetch_related("approved_products"):
        approved = {p.pk: str(p) for p in category.approved_products.all()}
        records.append(evaluate_category(category, approved, endpoints, rows, installs, now))
    if records:
        frame = pl.concat(records)
        _insert(
            CoverageStatus._meta.db_table,
            (
                "endpoint_id",
                "organization_id",
                "category_id",
                "compliant",
                "reason",
                "product",
                "version",
                "computed_at",
            ),
            frame.select(
                "endpoint_id",
                "organization_id",
                "category_id",
                "compliant",
                "reason",
                "product",
                "version",
                pl.lit(_stamp(now)).alias("at"),
            ).iter_rows(),
        )


def endpoint_frame(endpoint_ids: Iterable[int]) -> pl.DataFrame:
    ids = list(endpoint_ids)
    data: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), 20000):
        data.extend(
            Endpoint.objects.filter(pk__in=ids[start : start + 20000]).values_list(
                "id", "organization_id", "kind", "last_seen"
            )
        )
    return pl.DataFrame(
        data,
        schema={
            "endpoint_id": pl.Int64,
            "organization_id": pl.Int64,
            "kind": pl.Utf8,
            "last_seen": pl.Datetime("us", "UTC"),
        },
        orient="row",
    )


def evaluate_category(
    category: EssentialCategory,
    approved: dict[int, str],
    endpoints: pl.DataFrame,
    rows: pl.DataFrame,
    installs: pl.DataFrame,
    now: dt.datetime,
) -> pl.DataFrame:
    """One row per endpoint: compliant, the first failing requirement as the reason, the product found."""
    mine = installs.filter(pl.col("product_id").is_in(list(approved)))
    best = (
        mine.sort("version", nulls_last=True)
        .group_by("endpoint_id")
        .agg(pl.col("product_id").last(), pl.col("version").last())
    )
    if category.min_version:
        distinct = best["version"].drop_nulls().unique().to_list()
        meets = {v: at_least("generic", v, category.min_version) for v in distinct}
        best = best.with_columns(
            pl.col("version")
            .replace_strict(meets, default=False, return_dtype=pl.Boolean)
            .alias("version_ok")
        )
    else:
        best = best.with_columns(pl.lit(True).alias("version_ok"))
    services = {s.lower() for s in category.service_names}
    running = (
        rows.lazy()
        .filter(
            (pl.col("table") == "service")
            & (pl.col("status") == "running")
            & pl.col("name").str.to_lowercase().is_in(list(services))
        )
        .select("endpoint_id")
        .unique()
        .with_columns(pl.lit(True).alias("running"))
        .collect()
    )
    approved_names = [n.lower() for n in approved.values()]
    security = (
        rows.lazy()
        .filter(pl.col("table") == "security")
        .with_columns(
            (pl.col("vendor").fill_null("") + " " + pl.col("product").fill_null(""))
            .str.to_lowercase()
            .alias("canon")
        )
        .filter(pl.col("canon").is_in(approved_names))
        .group_by("endpoint_id")
        .agg(
            pl.col("signatures_ok").fill_null(False).any().alias("signatures"),
            (pl.col("status") == "on").any().alias("enabled"),
        )
        .collect()
    )
    reported = (
        rows.lazy()
        .filter(pl.col("table") == "security")
        .select("endpoint_id")
        .unique()
        .with_columns(pl.lit(True).alias("reports"))
        .collect()
    )
    cutoff = now - dt.timedelta(days=category.max_age_days)
    frame = (
        endpoints.join(best, on="endpoint_id", how="left")
        .join(running, on="endpoint_id", how="left")
        .join(security, on="endpoint_id", how="left")
        .join(reported, on="endpoint_id", how="left")
    )
    applicable = (pl.lit(category.applies_to) == AppliesTo.ALL) | (pl.col("kind") == "workstation")
    # Servers and non-Windows hosts do not report windows_security_products: their signatures go unchecked.
    checks_signatures = (
        category.require_signatures & (pl.col("kind") == "workstation") & pl.col("reports").fill_null(False)
    )
    reason = (
        pl.when(~applicable)
        .then(pl.lit(CoverageReason.NOT_APPLICABLE.value))
        .when(pl.col("product_id").is_null() & pl.col("signatures").is_null())
        .then(pl.lit(CoverageReason.NOT_INSTALLED.value))
        .when(
            pl.lit(bool(services)) & ~pl.col("running").fill_null(False) & ~pl.col("enabled").fill_null(False)
        )
        .then(pl.lit(CoverageReason.SERVICE_NOT_RUNNING.value))
        .when(pl.col("product_id").is_not_null() & ~pl.col("version_ok").fill_null(False))
        .then(pl.lit(CoverageReason.VERSION_BELOW_BASELINE.value))
        .when(checks_signatures & ~pl.col("signatures").fill_null(False))
        .then(pl.lit(CoverageReason.SIGNATURES_OUTDATED.value))
        .when(pl.col("last_seen").is_null() | (pl.col("last_seen") < cutoff))
        .then(pl.lit(CoverageReason.NOT_SEEN.value))
        .otherwise(pl.lit(CoverageReason.OK.value))
    )
    names = {k: v[:250] for k, v in approved.items()}
    return frame.select(
        "endpoint_id",
        "organization_id",
        pl.lit(category.pk, pl.Int64).alias("category_id"),
        (reason == CoverageReason.OK.value).alias("compliant"),
        reason.alias("reason"),
        pl.col("product_id")
        .replace_strict(names, default="", return_dtype=pl.Utf8)
        .fill_null("")
        .alias("product"),
        pl.col("version").fill_null("").str.slice(0, 100).alias("version"),
    )


def store_findings(
    rows: pl.DataFrame, endpoint_ids: list[int], now: dt.datetime
) -> tuple[int, dict[int, int]]:
    """Match the batch's packages and merge with the endpoints' findings, keeping every triage decision."""
    packages = (
        rows.lazy()
        .filter(pl.col("has_advisory") & pl.col("version").is_not_null() & (pl.col("version") != ""))
        .select("endpoint_id", "organization_id", "ecosystem", "match_name", "name", "version")
        .collect()
    )
    triples = packages.select("ecosystem", "match_name", "version").unique()
    matches = matching.match(triples)
    found = packages.join(matches, on=["ecosystem", "match_name", "version"], how="inner").unique(
        ["endpoint_id", "advisory_id", "name", "version"]
    )
    existing_rows: list[tuple[Any, ...]] = []
    for start in range(0, len(endpoint_ids), 20000):
        existing_rows.extend(
            Finding.objects.filter(endpoint_id__in=endpoint_ids[start : start + 20000]).values_list(
                "id", "endpoint_id", "advisory_id", "package", "version", "present"
            )
        )
    existing = pl.DataFrame(
        existing_rows,
        schema={
            "id": pl.Int64,
            "endpoint_id": pl.Int64,
            "advisory_id": pl.Int64,
            "package": pl.Utf8,
            "version": pl.Utf8,
            "present": pl.Boolean,
        },
        orient="row",
    )
    # The merge as joins on the unique key (endpoint, advisory, package, version), the stored lengths.
    key = ["endpoint_id", "advisory_id", "package", "version"]
    matched = found.select(
        "endpoint_id",
        "organization_id",
        "advisory_id",
        "ecosystem",
        pl.col("name").str.slice(0, 250).alias("package"),
        pl.col("version").str.slice(0, 100),
        pl.col("fixed_version").fill_null("").str.slice(0, 100),
        "severity",
        "known_exploited",
    )
    # New findings in the unique index's order: appended, not scattered.
    new = matched.join(existing, on=key, how="anti").sort(key)
    kept = existing.join(matched.select(key), on=key, how="semi")
    seen_again = kept.filter(~pl.col("present"))["id"].to_list()
    stamp = _stamp(now)
    tail = (TriageState.UNDER_INVESTIGATION.value, "", "", True, stamp, stamp)
    _insert(
        Finding._meta.db_table,
        (
            "endpoint_id",
            "organization_id",
            "advisory_id",
            "ecosystem",
            "package",
            "version",
            "fixed_version",
            "severity",
            "known_exploited",
            "state",
            "justification",
            "note",
            "present",
            "created_at",
            "updated_at",
        ),
        (row + tail for row in new.iter_rows()),
    )
    # Known exploited, or critical: per institution, in the order the institutions first appear.
    serious = dict(
        new.filter(pl.col("known_exploited") | (pl.col("severity") == "critical"))
        .group_by("organization_id", maintain_order=True)
        .len()
        .iter_rows()
    )
    gone = existing.join(matched.select(key), on=key, how="anti").filter(pl.col("present"))["id"].to_list()
    # Software no longer installed (or upgraded past the range): the finding is fixed by the new inventory.
    for start in range(0, len(gone), 5000):
        chunk = gone[start : start + 5000]
        Finding.objects.filter(pk__in=chunk).update(present=False, updated_at=now)
        Finding.objects.filter(
            pk__in=chunk, state__in=(TriageState.UNDER_INVESTIGATION, TriageState.AFFECTED)
        ).update(state=TriageState.FIXED, note="", updated_at=now)
    for start in range(0, len(seen_again), 5000):
        chunk = seen_again[start : start + 5000]
        Finding.objects.filter(pk__in=chunk).update(present=True, updated_at=now)
        Finding.objects.filter(pk__in=chunk, state=TriageState.FIXED).update(
            state=TriageState.UNDER_INVESTIGATION, updated_at=now
        )
    return found.height, serious


def notify_serious(organization_id: int, count: int) -> None:
    """Tell the institution's officers, after the commit, about new critical or known-exploited findings."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    from qalxan.core.roles import Role
    from qalxan.core.services import notify
    from qalxan.organizations.models import Membership

    officers = [
        m.user
        for m in Membership.objects.filter(
            organization_id=organization_id, role=Role.INSTITUTION_OFFICER
        ).select_related("user")
    ]
    by_language: dict[str, list[Any]] = {}
    for user in officers:
        by_language.setdefault(user.preferred_language or "az", []).append(user)
    url = (
        reverse("hygiene:finding_list")
        + f"?organization={organization_id}&state=under_investigation&present=true"
    )
    for language, users in by_language.items():
        with translation.override(language):
            notify(
                recipients=users,
                subject=_("%(n)d new critical or known-exploited vulnerable packages") % {"n": count},
                body=_("The latest inventory shows vulnerable software that needs triage."),
                url=url,
                organization_id=organization_id,
            )


# --- Bulk SQL ------------------------------------------------------------------------------------------


def _stamp(moment: dt.datetime) -> Any:
    """A timestamp as the bulk writers pass it: on SQLite the text Django's adapter would make of it, once
    for a column of one value rather than once a row."""
    return moment.isoformat(" ") if connection.vendor == "sqlite" else moment


def _executemany(sql: str, params: list[tuple[Any, ...]]) -> None:
    if not params:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(params), 50000):
            cursor.executemany(sql, params[start : start + 50000])


def _delete_for(table: str, endpoint_ids: list[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(endpoint_ids), 900):
            chunk = endpoint_ids[start : start + 900]
            cursor.execute(
                f"DELETE FROM {table} WHERE endpoint_id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608  (table names are ours)
                chunk,
            )


def _insert(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany elsewhere."""
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['?'] * len(columns))})"  # noqa: S608  (table names are ours)
    connection.ensure_connection()
    # The driver's own executemany: Django's wrapper would rewrite every row's parameters in Python.
    raw = connection.connection
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 50000:
            raw.executemany(sql, batch)
            batch = []
    if batch:
        raw.executemany(sql, batch)


__all__ = ["IngestResult", "Upload", "ingest", "ingest_batches", "io"]
