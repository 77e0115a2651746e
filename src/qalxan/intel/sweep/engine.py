"""The sweep engine: match log files against an indicator set.

JSON-lines logs (optionally gzip-compressed) go through the line scanner (`_scan.c`): the file is cut
into blocks of whole lines, which the threads of a pool scan in parallel without the GIL. The scanner
validates every line as JSON, extracts the mapped fields and the time, and keeps only the *candidates*:
values that may match because a cheap exact test says so (a domain or a parent domain in the set, the
host of an indicator URL, an address inside an indicator range, ...) or because they are unusual
(non-ASCII, IPv6, ...). Candidates are then confirmed here, in polars, by the same normalisation the
platform uses, so the scanner can only ever drop what certainly does not match. Lines whose mapped
values are objects or arrays are handed over whole and parsed with orjson.

CSV logs are read by DuckDB, projecting only the mapped fields and the time, and matched as columns:
values are normalised as columns; domains are expanded to their parent domains on the *distinct* values
only; exact values are hash-joined (`is_in`) with the indicator set; IPv4 containment in CIDR ranges is
a binary search (`numpy.searchsorted`) over sorted integer ranges. Line numbers are exact: when a CSV
file cannot be read in one go (a malformed line, a blank line), it is read again in blocks of lines and
only a block that fails is parsed line by line. Either way malformed lines are counted and reported,
never fatal.
"""

from __future__ import annotations

import csv
import gzip
import io
import ipaddress
import mmap
import os
import re
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import orjson
import polars as pl
import pyarrow as pa

from qalxan.intel.normalize import InvalidValue, normalise_domain, normalise_url
from qalxan.intel.sweep import _scan
from qalxan.intel.sweep.indicators import IndicatorSet
from qalxan.intel.sweep.mappings import LogType

SCAN_KINDS = {
    "domain": _scan.DOMAIN,
    "url": _scan.URL,
    "ip": _scan.IP,
    "hash": _scan.HASH,
    "filename": _scan.FILENAME,
    "email": _scan.EMAIL,
}
SCAN_BYTES = 1 << 24  # a block of whole lines handed to one scanning thread
MATCH_SCHEMA = pl.Schema(
    {
        "_line": pl.UInt64,
        "observed": pl.String,
        "timestamp": pl.String,
        "indicator": pl.String,
        "field": pl.String,
        "kind": pl.String,
    }
)
BATCH_ROWS = 1 << 22
WHOLE_FILE_BYTES = 1 << 30
BLOCK_LINES = 1 << 18
MAX_EXAMPLES = 20


@dataclass
class Match:
    file: str
    line: int
    log_type: str
    field: str
    kind: str
    indicator: str
    observed: str
    timestamp: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "log_type": self.log_type,
            "field": self.field,
            "kind": self.kind,
            "indicator": self.indicator,
            "observed": self.observed,
            "timestamp": self.timestamp,
        }


@dataclass
class FileStats:
    path: str
    log_type: str
    lines: int = 0
    events: int = 0
    malformed: int = 0
    matches: int = 0
    seconds: float = 0.0
    examples: list[tuple[int, str]] = field(default_factory=list)
    by_field: Counter[str] = field(default_factory=Counter)


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(2) == b"\x1f\x8b"


def _open(path: Path) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if _is_gzip(path) else path.open("rb")


def _count_lines(path: Path) -> tuple[int, bool]:
    """Lines in the file, and whether a blank line occurs (DuckDB skips those, shifting numbers)."""
    lines = 0
    blank = False
    tail = b"\n"
    with _open(path) as f:
        while chunk := f.read(1 << 26):
            lines += chunk.count(b"\n")
            if not blank:
                blank = (tail == b"\n" and chunk[:1] in (b"\n", b"\r")) or chunk.find(b"\n\n") >= 0
                blank = blank or chunk.find(b"\n\r\n") >= 0
            tail = chunk[-1:]
    if tail != b"\n":
        lines += 1
    return lines, blank


def _count_newlines(path: Path) -> int:
    """Lines of an uncompressed file (a last line without a newline counts)."""
    lines = 0
    last = b"\n"
    with path.open("rb") as f:
        while block := f.read(1 << 26):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


def _has_blank_line(path: Path) -> bool:
    """Whether an uncompressed file may have an empty or whitespace-only line (DuckDB skips those).

    Plain substring searches, block by block; a line starting with white space also counts, which only
    sends such (unusual) files down the careful path."""
    needles = (b"\n\n", b"\n\r", b"\n ", b"\n\t")
    with path.open("rb") as f:
        first = True
        tail = b""
        while block := f.read(1 << 27):
            if first and block[:1] in (b"\n", b"\r", b" ", b"\t"):
                return True
            first = False
            data = tail + block
            if any(data.find(needle) >= 0 for needle in needles):
                return True
            tail = block[-1:]
    return False


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _text(value: Any) -> str | None:
    """A JSON value as the text the matchers see (objects and arrays as compact JSON)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    return str(value)


def _gzip_blocks(path: Path) -> Iterator[bytes]:
    """A gzip file, decompressed, as blocks of whole lines (the last may lack its newline)."""
    with gzip.open(path, "rb") as f:
        tail = b""
        while block := f.read(SCAN_BYTES):
            data = tail + block
            cut = data.rfind(b"\n") + 1
            if cut:
                yield data[:cut]
            tail = data[cut:]
        if tail:
            yield tail


def _line_blocks(mapped: mmap.mmap, size: int) -> Iterator[tuple[int, int]]:
    """(start, stop) of blocks of whole lines of a mapped file."""
    start = 0
    while start < size:
        stop = min(start + SCAN_BYTES, size)
        if stop < size:
            newline = mapped.find(b"\n", stop)
            stop = size if newline < 0 else newline + 1
        yield start, stop
        start = stop


class Engine:
    def __init__(self, indicators: IndicatorSet, *, threads: int | None = None) -> None:
        self.ind = indicators
        self.threads = threads or os.cpu_count() or 1
        self.con = duckdb.connect()
        if threads:
            self.con.execute(f"SET threads TO {int(threads)}")
        self.con.execute("SET preserve_insertion_order = true")
        self._matcher: Any = None
        self._sets: dict[str, frozenset[str]] = {}

    def prepare(self) -> None:
        """Build the scanner's tables and the confirmation sets now (they are part of loading)."""
        self.matcher  # noqa: B018
        for name in ("domains", "urls", "hashes", "filenames", "emails"):
            self._set(name)

    @property
    def matcher(self) -> Any:
        """The scanner's copy of the indicator sets, built on first use."""
        if self._matcher is None:
            ind = self.ind
            self._matcher = _scan.Matcher(
                domains=ind.domains.to_list(),
                suffixes=ind.suffixes.to_list(),
                url_hosts=ind.url_hosts.to_list(),
                hashes=ind.hashes.to_list(),
                filenames=ind.filenames.to_list(),
                emails=ind.emails.to_list(),
                ipv4=np.sort(ind.ipv4.to_numpy().astype(np.uint32)).tobytes(),
                v4_starts=ind.v4_starts.astype(np.uint64).tobytes(),
                v4_prefix_max=ind.v4_prefix_max.astype(np.uint64).tobytes(),
            )
        return self._matcher

    # --- JSON lines: the scanner ----------------------------------------------------------------

    def _sweep_json(self, path: Path, log_type: LogType, stats: FileStats) -> list[pl.DataFrame]:
        fields = list(log_type.fields.items())
        spec = [(name, SCAN_KINDS[kind]) for name, kind in fields]
        matcher = self.matcher

        def scan(block: bytes | memoryview) -> tuple[Any, ...]:
            return matcher.scan(block, spec, log_type.time)

        results: list[tuple[Any, ...]] = []
        with ThreadPoolExecutor(self.threads) as pool:
            pending: deque[Future[tuple[Any, ...]]] = deque()

            def submit(block: bytes | memoryview) -> None:
                pending.append(pool.submit(scan, block))
                while len(pending) > 2 * self.threads:
                    results.append(pending.popleft().result())

            def drain() -> None:
                while pending:
                    results.append(pending.popleft().result())

            if _is_gzip(path):
                for block in _gzip_blocks(path):
                    submit(block)
                drain()
            elif size := path.stat().st_size:
                with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                    whole = memoryview(mapped)
                    views = [whole[start:stop] for start, stop in _line_blocks(mapped, size)]
                    try:
                        for view in views:
                            submit(view)
                        drain()
                    finally:
                        drain()  # the views are released only when no scan holds them
                        for view in views:
                            view.release()
                        whole.release()
        found: dict[int, list[tuple[int, str, str | None]]] = {}
        slow: list[tuple[int, bytes]] = []
        base = 0
        for lines, events, malformed, examples, candidates, slow_lines in results:
            stats.events += events
            stats.malformed += malformed
            for line, text in examples:
                if len(stats.examples) < MAX_EXAMPLES:
                    stats.examples.append((base + line, text))
            for line, index, value, when in candidates:
                found.setdefault(index, []).append((base + line, value, when))
            slow.extend((base + line, raw) for line, raw in slow_lines)
            base += lines
        stats.lines = base
        tables = []
        for index, rows in found.items():
            name, kind = fields[index]
            frame = pl.DataFrame(
                rows, schema={"_line": pl.UInt64, "observed": pl.String, "timestamp": pl.String}, orient="row"
            )
            table = self._confirm(kind, frame["observed"].unique().to_list())
            if table.height:
                tables.append(
                    frame.join(table, on="observed", how="inner").with_columns(
                        pl.lit(name).alias("field"), pl.lit(kind).alias("kind")
                    )
                )
        if slow:
            frame = self._slow_frame(slow, log_type, stats)
            if frame.height:
                matches = self.match_frame(frame, log_type, str(path))
                if matches.height:
                    tables.append(matches)
        if not tables:
            return []
        return [pl.concat([t.select(list(MATCH_SCHEMA)).cast(MATCH_SCHEMA) for t in tables]).sort("_line")]

    def _set(self, name: str) -> frozenset[str]:
        """An indicator column as a Python set, built once: candidates are few, the columns are large."""
        cached = self._sets.get(name)
        if cached is None:
            cached = self._sets[name] = frozenset(getattr(self.ind, name).to_list())
        return cached

    def _confirm(self, kind: str, values: list[str]) -> pl.DataFrame:
        """(observed, indicator) for the scanner's candidates: the platform's normalisation decides."""
        rows: list[tuple[str, str]] = []
        if kind == "ip":
            return self._ips(pl.Series("observed", values, dtype=pl.String))
        if kind == "domain":
            domains = self._set("domains")
            for observed in values:
                try:
                    current = normalise_domain(observed)
                except InvalidValue:
                    continue
                while "." in current:
                    if current in domains:
                        rows.append((observed, current))
                    current = current.split(".", 1)[1]
        elif kind == "url":
            urls = self._set("urls")
            for observed in values:
                try:
                    normal = normalise_url(observed)
                except InvalidValue:
                    continue
                if normal in urls:
                    rows.append((observed, normal))
        else:
            wanted = self._set({"hash": "hashes", "filename": "filenames", "email": "emails"}[kind])
            for observed in values:
                text = observed
                if kind == "filename":
                    base = _BASENAME.search(observed)
                    if base is None:
                        continue
                    text = base.group(1)
                text = text.strip().lower()
                if text in wanted:
                    rows.append((observed, text))
        return pl.DataFrame(rows, schema={"observed": pl.String, "indicator": pl.String}, orient="row")

    def _slow_frame(
        self, lines: list[tuple[int, bytes]], log_type: LogType, stats: FileStats
    ) -> pl.DataFrame:
        """Lines the scanner handed over whole (mapped values that are objects or arrays), via orjson."""
        columns = self._columns(log_type)
        rows: dict[str, list[str | None]] = {c: [] for c in columns}
        numbers: list[int] = []
        for number, raw in lines:
            try:
                record = self._parse_line(raw, "json", None)
            except ValueError:
                stats.events -= 1
                stats.malformed += 1
                if len(stats.examples) < MAX_EXAMPLES:
                    stats.examples.append((number, raw[:200].decode("utf-8", "replace")))
                continue
            numbers.append(number)
            for c in columns:
                rows[c].append(_text(record.get(c)))
        frame = pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String))
        return frame.with_columns(pl.Series("_line", numbers, dtype=pl.UInt64))

    # --- reading -------------------------------------------------------------------------------

    def _columns(self, log_type: LogType) -> list[str]:
        return list(dict.fromkeys([*log_type.fields, log_type.time]))

    def _fast_batches(self, path: Path, log_type: LogType, fmt: str) -> Iterator[pa.RecordBatch]:
        columns = self._columns(log_type)
        if fmt == "csv":
            header = self._csv_header(path)
            present = [c for c in columns if c in header]
            select = ", ".join(
                _quote(c) if c in present else f"NULL::VARCHAR AS {_quote(c)}" for c in columns
            )
            options = "header=true, all_varchar=true, strict_mode=true, parallel=true"
            source = f"read_csv({_literal(str(path))}, {options})"
        else:
            spec = ", ".join(f"{_literal(c)}: 'VARCHAR'" for c in columns)
            select = ", ".join(_quote(c) for c in columns)
            source = (
                f"read_json({_literal(str(path))}, columns={{{spec}}}, format='newline_delimited', "
                "ignore_errors=false, maximum_object_size=16777216)"
            )
        # Column names come from the declared mapping and are quoted; the path is a quoted literal.
        query = f"SELECT {select} FROM {source}"  # noqa: S608
        relation = self.con.sql(query)
        if path.stat().st_size <= WHOLE_FILE_BYTES:
            # One parallel read of the projection; matching then runs over few, large chunks.
            yield from relation.to_arrow_table().combine_chunks().to_batches(max_chunksize=BATCH_ROWS)
            return
        pending: list[pa.RecordBatch] = []
        rows = 0
        for batch in relation.to_arrow_reader(1 << 17):
            pending.append(batch)
            rows += batch.num_rows
            if rows >= BATCH_ROWS:
                yield from pa.Table.from_batches(pending).combine_chunks().to_batches()
                pending, rows = [], 0
        if pending:
            yield from pa.Table.from_batches(pending).combine_chunks().to_batches()

    def _csv_header(self, path: Path) -> list[str]:
        with _open(path) as f:
            first = f.readline().decode("utf-8", "replace")
        return next(csv.reader([first]), [])

    def _blocks(
        self, path: Path, log_type: LogType, fmt: str, stats: FileStats
    ) -> Iterator[tuple[int, pl.DataFrame]]:
        """(number of the first line, frame with a `_line` column): the careful path, block by block."""
        columns = self._columns(log_type)
        schema = dict.fromkeys(columns, pl.String)
        header: list[str] | None = None
        number = 0
        with _open(path) as f:
            while True:
                lines = f.readlines(BLOCK_LINES * 128)
                if not lines:
                    stats.lines = number
                    break
                start = number + 1
                number += len(lines)
                if fmt == "csv" and header is None:
                    header = next(csv.reader([lines[0].decode("utf-8", "replace")]), [])
                    lines, start = lines[1:], start + 1
                rows: dict[str, list[Any]] = {c: [] for c in columns}
                line_numbers: list[int] = []
                for offset, raw in enumerate(lines):
                    text = raw.strip()
                    if not text:
                        continue
                    try:
                        record = self._parse_line(text, fmt, header)
                    except ValueError:
                        stats.malformed += 1
                        if len(stats.examples) < MAX_EXAMPLES:
                            stats.examples.append((start + offset, text[:200].decode("utf-8", "replace")))
                        continue
                    line_numbers.append(start + offset)
                    for c in columns:
                        rows[c].append(_text(record.get(c)))
                frame = pl.DataFrame(rows, schema=schema).with_columns(
                    pl.Series("_line", line_numbers, dtype=pl.UInt64)
                )
                yield start, frame

    @staticmethod
    def _parse_line(text: bytes, fmt: str, header: list[str] | None) -> dict[str, Any]:
        if fmt == "csv":
            values = next(csv.reader([text.decode("utf-8", "replace")]))
            if header is None or len(values) != len(header):
                raise ValueError("wrong number of fields")
            return dict(zip(header, values, strict=True))
        try:
            record = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise ValueError(str(exc)) from exc
        if not isinstance(record, dict):
            raise ValueError("not a JSON object")
        return record

    def frames(self, path: Path, log_type: LogType, stats: FileStats) -> Iterator[pl.DataFrame]:
        """Frames with the mapped columns and `_line`; exact line numbers either way."""
        name = path.name.lower().removesuffix(".gz")
        fmt = "csv" if name.endswith((".csv", ".tsv")) else "json"
        plain = not _is_gzip(path)
        header_lines = 1 if fmt == "csv" else 0
        if plain and path.stat().st_size <= WHOLE_FILE_BYTES:
            # Read at once; the rows are the lines exactly when their number is the number of lines
            # (DuckDB skips blank lines), which one fast count of newlines tells.
            try:
                batches = list(self._fast_batches(path, log_type, fmt))
            except duckdb.Error:
                batches = None
            stats.lines = _count_newlines(path)
            if batches is not None and sum(b.num_rows for b in batches) + header_lines == stats.lines:
                first = header_lines + 1
                for batch in batches:
                    frame = pl.from_arrow(batch)
                    assert isinstance(frame, pl.DataFrame)
                    yield frame.with_columns(
                        pl.int_range(first, first + frame.height, dtype=pl.UInt64).alias("_line")
                    )
                    first += frame.height
                return
            blank = True
        elif plain:
            blank = _has_blank_line(path)
        else:
            stats.lines, blank = _count_lines(path)
        yielded = 0  # data rows handed out by the fast path, all with exact line numbers
        if not blank:
            try:
                for batch in self._fast_batches(path, log_type, fmt):
                    frame = pl.from_arrow(batch)
                    assert isinstance(frame, pl.DataFrame)
                    first = header_lines + yielded + 1
                    frame = frame.with_columns(
                        pl.int_range(first, first + frame.height, dtype=pl.UInt64).alias("_line")
                    )
                    yielded += frame.height
                    yield frame
                if plain:
                    stats.lines = yielded + header_lines
                return
            except duckdb.Error:
                pass  # a malformed line: go on carefully after what was handed out
        for _start, frame in self._blocks(path, log_type, fmt, stats):
            if yielded:
                frame = frame.filter(pl.col("_line") > header_lines + yielded)
            if frame.height:
                yield frame

    # --- matching ------------------------------------------------------------------------------

    def _domains(self, column: pl.Series) -> pl.DataFrame:
        """Observed values → (observed, indicator) for the value and each parent domain."""
        ind = self.ind.domains
        empty = pl.DataFrame(schema={"observed": pl.String, "indicator": pl.String})
        if not len(ind):
            return empty
        values = column.drop_nulls()
        low = values.str.to_lowercase()
        # A value can only match if its last two labels are those of some indicator: one hash look-up
        # over the whole column leaves the few candidates, which are then normalised and walked up.
        suffix = low.str.extract(r"([^.]+\.[^.]+)\.*$", 1)
        ascii_only = low.str.len_bytes() == low.str.len_chars()
        odd = ~ascii_only | low.str.contains(" ", literal=True) | low.str.contains("\t", literal=True)
        keep = (suffix.is_in(self.ind.suffixes.implode()) & ascii_only).fill_null(False) | odd
        candidates = values.filter(keep).unique()
        if not len(candidates):
            return empty
        rows = []
        for observed in candidates.to_list():
            try:
                rows.append((observed, normalise_domain(observed)))
            except InvalidValue:
                continue
        frame = pl.DataFrame(rows, schema={"observed": pl.String, "cur": pl.String}, orient="row")
        hits = []
        for _level in range(max(self.ind.max_labels, 1) + 64):
            frame = frame.filter(pl.col("cur").str.contains(".", literal=True))
            if not frame.height:
                break
            found = frame.filter(pl.col("cur").is_in(ind.implode()))
            if found.height:
                hits.append(found.rename({"cur": "indicator"}))
            frame = frame.with_columns(pl.col("cur").str.replace(r"^[^.]*\.", ""))
        return pl.concat(hits) if hits else empty

    def _urls(self, column: pl.Series) -> pl.DataFrame:
        """Observed URLs → (observed, indicator), normalised exactly as the platform stores them."""
        empty = pl.DataFrame(schema={"observed": pl.String, "indicator": pl.String})
        if not len(self.ind.urls):
            return empty
        values = column.drop_nulls()
        # Only a URL whose host is the host of some indicator URL can match: one hash look-up over the
        # column, then the few candidates go through the platform's own normalisation.
        authority = values.str.split_exact("/", 3).struct.field("field_2")
        hosts = (
            authority.str.to_lowercase()
            .str.split_exact(":", 1)
            .struct.field("field_0")
            .str.strip_chars_end(".")
        )
        unusual = (
            (values.str.len_bytes() != values.str.len_chars())
            | authority.str.contains("[", literal=True)
            | authority.str.contains("@", literal=True)
            | ~values.str.contains("://", literal=True)
        )
        keep = hosts.is_in(self.ind.url_hosts.implode()) | unusual.fill_null(False)
        wanted = set(self.ind.urls.to_list()) if keep.any() else set()
        rows = []
        for observed in values.filter(keep).unique().to_list():
            try:
                normal = normalise_url(observed)
            except InvalidValue:
                continue
            if normal in wanted:
                rows.append((observed, normal))
        return pl.DataFrame(rows, schema=empty.schema, orient="row") if rows else empty

    def _exact(self, column: pl.Series, ind: pl.Series, transform: Any) -> pl.DataFrame:
        if not len(ind):
            return pl.DataFrame(schema={"observed": pl.String, "indicator": pl.String})
        distinct = column.drop_nulls().unique()
        frame = pl.DataFrame({"observed": distinct}).with_columns(
            transform(pl.col("observed")).alias("indicator")
        )
        return frame.filter(pl.col("indicator").is_in(ind.implode()))

    def _ips(self, column: pl.Series) -> pl.DataFrame:
        ind = self.ind
        empty = pl.DataFrame(schema={"observed": pl.String, "indicator": pl.String})
        if not (len(ind.ipv4) or len(ind.v4_starts) or ind.ipv6 or ind.v6_ranges):
            return empty
        distinct = column.drop_nulls().unique()
        frame = pl.DataFrame({"observed": distinct})
        octets = (
            frame["observed"]
            .str.strip_chars()
            .str.extract_groups(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")
        )
        v4 = frame.with_columns(octets.struct.unnest()).rename({"1": "a", "2": "b", "3": "c", "4": "d"})
        v4 = v4.filter(pl.col("a").is_not_null()).with_columns(
            pl.col(["a", "b", "c", "d"]).cast(pl.UInt32, strict=False)
        )
        v4 = v4.filter(pl.all_horizontal(pl.col(["a", "b", "c", "d"]) <= 255)).with_columns(
            (pl.col("a") * 16777216 + pl.col("b") * 65536 + pl.col("c") * 256 + pl.col("d"))
            .cast(pl.UInt32)
            .alias("n")
        )
        hits = []
        if len(ind.ipv4):
            exact = v4.filter(pl.col("n").is_in(ind.ipv4.implode()))
            if exact.height:
                hits.append(
                    exact.select(
                        "observed",
                        pl.concat_str(
                            [
                                pl.col("a").cast(pl.String),
                                pl.col("b").cast(pl.String),
                                pl.col("c").cast(pl.String),
                                pl.col("d").cast(pl.String),
                            ],
                            separator=".",
                        ).alias("indicator"),
                    )
                )
        if len(ind.v4_starts):
            numbers = v4["n"].to_numpy().astype(np.uint64)
            idx = np.searchsorted(ind.v4_starts, numbers, side="right") - 1
            inside = (idx >= 0) & (ind.v4_prefix_max[np.maximum(idx, 0)] >= numbers)
            if inside.any():
                rows = []
                for observed, number, top in zip(
                    v4["observed"].filter(pl.Series(inside)).to_list(),
                    numbers[inside].tolist(),
                    idx[inside].tolist(),
                    strict=True,
                ):
                    for k in range(top, -1, -1):  # the ranges holding the address (nested ones included)
                        if int(ind.v4_starts[k]) <= number <= int(ind.v4_ends[k]):
                            rows.append((observed, ind.v4_ranges[k].with_prefixlen))
                        elif int(ind.v4_prefix_max[k]) < number:
                            break
                hits.append(
                    pl.DataFrame(rows, schema={"observed": pl.String, "indicator": pl.String}, orient="row")
                )
        others = frame.filter(~pl.col("observed").is_in(v4["observed"].implode()))["observed"].to_list()
        if others and (ind.ipv6 or ind.v6_ranges or len(ind.ipv4) or len(ind.v4_starts)):
            rows = []
            for observed in others:
                text = observed.strip().strip("[]").split("%", 1)[0]
                try:
                    address = ipaddress.ip_address(text)
                except ValueError:
                    continue
                if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
                    address = address.ipv4_mapped
                if address.version == 6:
                    if address.compressed in ind.ipv6:
                        rows.append((observed, address.compressed))
                    rows.extend((observed, n.with_prefixlen) for n in ind.v6_ranges if address in n)
                else:
                    number = int(address)
                    if number in set(ind.ipv4.to_list()):
                        rows.append((observed, address.compressed))
                    rows.extend((observed, n.with_prefixlen) for n in ind.v4_ranges if address in n)
            if rows:
                hits.append(
                    pl.DataFrame(rows, schema={"observed": pl.String, "indicator": pl.String}, orient="row")
                )
        return pl.concat(hits) if hits else empty

    def _table(self, kind: str, column: pl.Series) -> pl.DataFrame:
        """(observed, indicator) for the values of a column of one kind."""
        if kind == "domain":
            return self._domains(column)
        if kind == "url":
            return self._urls(column)
        if kind == "ip":
            return self._ips(column)
        if kind == "hash":
            return self._exact(column, self.ind.hashes, lambda c: c.str.strip_chars().str.to_lowercase())
        if kind == "filename":
            return self._exact(
                column,
                self.ind.filenames,
                lambda c: c.str.extract(r"([^\\/]+)$", 1).str.strip_chars().str.to_lowercase(),
            )
        return self._exact(column, self.ind.emails, lambda c: c.str.strip_chars().str.to_lowercase())

    def match_frame(self, frame: pl.DataFrame, log_type: LogType, path: str) -> pl.DataFrame:
        """Matches of one frame: line, field, kind, indicator, observed value, time."""
        found = []
        for name, kind in log_type.fields.items():
            if name not in frame.columns:
                continue
            table = self._table(kind, frame[name])
            if not table.height:
                continue
            rows = frame.select(
                pl.col("_line"), pl.col(name).alias("observed"), pl.col(log_type.time).alias("timestamp")
            ).join(table, on="observed", how="inner")
            found.append(rows.with_columns(pl.lit(name).alias("field"), pl.lit(kind).alias("kind")))
        if not found:
            return pl.DataFrame()
        return pl.concat(found).sort("_line")

    def sweep_file(self, path: Path, log_type: LogType) -> tuple[FileStats, list[pl.DataFrame]]:
        stats = FileStats(str(path), log_type.name)
        started = time.perf_counter()
        name = path.name.lower().removesuffix(".gz")
        if not name.endswith((".csv", ".tsv")):
            results = self._sweep_json(path, log_type, stats)
            for frame in results:
                stats.matches += frame.height
                for field_name, count in frame.group_by("field").len().iter_rows():
                    stats.by_field[field_name] += count
            stats.seconds = time.perf_counter() - started
            return stats, results
        results = []
        for frame in self.frames(path, log_type, stats):
            stats.events += frame.height
            matches = self.match_frame(frame, log_type, str(path))
            if matches.height:
                results.append(matches)
                stats.matches += matches.height
                for name, count in matches.group_by("field").len().iter_rows():
                    stats.by_field[name] += count
        stats.seconds = time.perf_counter() - started
        return stats, results


def write_matches(out: Any, path: str, log_type: str, frames: list[pl.DataFrame]) -> None:
    """Sightings as JSON lines: file, line, log type, field, kind, indicator, observed value, timestamp."""
    for frame in frames:
        for line, observed, timestamp, indicator, name, kind in frame.select(
            "_line", "observed", "timestamp", "indicator", "field", "kind"
        ).iter_rows():
            out.write(
                orjson.dumps(
                    {
                        "file": path,
                        "line": line,
                        "log_type": log_type,
                        "field": name,
                        "kind": kind,
                        "indicator": indicator,
                        "observed": observed,
                        "timestamp": timestamp,
                    }
                )
                + b"\n"
            )


_BASENAME = re.compile(r"([^\\/]+)$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def iso_time(value: str | None) -> str:
    import datetime as dt

    if not value:
        return ""
    if _NUMBER.match(value):
        number = float(value)
        if number > 1e12:
            number /= 1000  # milliseconds
        return dt.datetime.fromtimestamp(number, tz=dt.UTC).isoformat()
    return value
