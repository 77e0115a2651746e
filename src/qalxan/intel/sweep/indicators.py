"""The indicator set a sweep matches against, in columnar form (polars Series and sorted integer ranges).

Read from a platform export (STIX 2.1 bundle or MISP event, a file or the platform's export URL) or a
plain text file with one value per line (the kind is recognised).
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit

import numpy as np
import polars as pl

from qalxan.intel.choices import IndicatorKind as K
from qalxan.intel.normalize import FILE_EXTENSIONS, InvalidValue, Value, detect, normalise


@dataclass
class IndicatorSet:
    domains: pl.Series
    urls: pl.Series
    hashes: pl.Series
    filenames: pl.Series
    emails: pl.Series
    ipv4: pl.Series  # exact IPv4 addresses as UInt32
    v4_starts: np.ndarray  # CIDR ranges, sorted by start (uint64)
    v4_ends: np.ndarray
    v4_prefix_max: np.ndarray  # running maximum of the ends, for containment of nested ranges
    v4_ranges: list[ipaddress.IPv4Network]
    ipv6: frozenset[str]
    v6_ranges: list[ipaddress.IPv6Network]
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    max_labels: int = 0
    suffixes: pl.Series = field(default_factory=lambda: pl.Series("v", [], dtype=pl.String))
    url_hosts: pl.Series = field(default_factory=lambda: pl.Series("v", [], dtype=pl.String))
    reversed_suffixes: pl.Series = field(default_factory=lambda: pl.Series("v", [], dtype=pl.String))

    @property
    def size(self) -> int:
        return (
            len(self.domains)
            + len(self.urls)
            + len(self.hashes)
            + len(self.filenames)
            + len(self.emails)
            + len(self.ipv4)
            + len(self.v4_ranges)
            + len(self.ipv6)
            + len(self.v6_ranges)
        )

    @classmethod
    def from_values(
        cls, values: list[Value], rejected: list[tuple[int, str, str]] | None = None
    ) -> IndicatorSet:
        by_kind: dict[str, list[str]] = {}
        for v in values:
            by_kind.setdefault(str(v.kind), []).append(v.value)
        return cls.from_columns(
            {k: pl.Series("v", vs, dtype=pl.String) for k, vs in by_kind.items()}, rejected
        )

    @classmethod
    def from_columns(
        cls, by_kind: dict[str, pl.Series], rejected: list[tuple[int, str, str]] | None = None
    ) -> IndicatorSet:
        """From normalised values, one column per kind (duplicates allowed): sorted and indexed as
        columns, so that a million indicators load in a moment."""

        def column(*kinds: str) -> pl.Series:
            parts = [by_kind[k] for k in kinds if k in by_kind]
            if not parts:
                return pl.Series("v", [], dtype=pl.String)
            return pl.concat(parts).rename("v").unique().sort()

        v4 = column(K.IPV4).str.split_exact(".", 3).struct.unnest().cast(pl.UInt32)
        ipv4 = (
            v4.select(
                (
                    pl.col("field_0") * 16777216
                    + pl.col("field_1") * 65536
                    + pl.col("field_2") * 256
                    + pl.col("field_3")
                )
                .cast(pl.UInt32)
                .sort()
                .alias("v")
            ).to_series()
            if v4.width
            else pl.Series("v", [], dtype=pl.UInt32)
        )
        ranges4: list[ipaddress.IPv4Network] = []
        ranges6: list[ipaddress.IPv6Network] = []
        for text in column(K.CIDR).to_list():
            network = ipaddress.ip_network(text)
            (ranges4 if network.version == 4 else ranges6).append(network)  # type: ignore[arg-type]  # by version
        ranges4.sort(key=lambda n: int(n.network_address))
        starts = np.array([int(n.network_address) for n in ranges4], dtype=np.uint64)
        ends = np.array([int(n.broadcast_address) for n in ranges4], dtype=np.uint64)
        domains = column(K.DOMAIN)
        urls = column(K.URL)
        suffixes = domains.str.extract(r"([^.]+\.[^.]+)$", 1).drop_nulls().unique().sort()
        return cls(
            domains=domains,
            urls=urls,
            hashes=column(K.MD5, K.SHA1, K.SHA256),
            filenames=column(K.FILENAME),
            emails=column(K.EMAIL),
            ipv4=ipv4,
            v4_starts=starts,
            v4_ends=ends,
            v4_prefix_max=np.maximum.accumulate(ends) if len(ends) else ends,
            v4_ranges=ranges4,
            ipv6=frozenset(column(K.IPV6).to_list()),
            v6_ranges=ranges6,
            rejected=rejected or [],
            max_labels=int(cast(int, domains.str.count_matches(".", literal=True).max() or 0)) + 1
            if len(domains)
            else 0,
            suffixes=suffixes,
            reversed_suffixes=suffixes.str.reverse().sort(),
            url_hosts=pl.Series(
                "v", sorted({urlsplit(u).hostname or "" for u in urls.to_list()}), dtype=pl.String
            ),
        )


_PLAIN_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_PLAIN_IPV4 = re.compile(r"^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$")


def _from_text(text: str) -> IndicatorSet:
    lines = pl.Series("line", text.splitlines(), dtype=pl.String).str.strip_chars()
    numbered = pl.DataFrame({"line": lines}).with_row_index("number", offset=1)
    numbered = numbered.filter((pl.col("line") != "") & ~pl.col("line").str.starts_with("#"))
    # Values already in normal form (the platform's exports) are classified as columns; the rest, one
    # by one, by the general detector.
    tld = pl.col("line").str.extract(r"\.([a-z]{2,63})$", 1)
    plain_domain = pl.col("line").str.contains(_PLAIN_DOMAIN.pattern) & ~tld.is_in(sorted(FILE_EXTENSIONS))
    plain_ipv4 = pl.col("line").str.contains(_PLAIN_IPV4.pattern)
    classified = numbered.with_columns(
        pl.when(plain_domain).then(pl.lit("domain")).when(plain_ipv4).then(pl.lit("ipv4")).alias("kind")
    )
    plain = classified.filter(pl.col("kind").is_not_null())
    columns = {
        str(kind): plain.filter(pl.col("kind") == kind)["line"].rename("v") for kind in (K.DOMAIN, K.IPV4)
    }
    values: list[Value] = []
    rejected: list[tuple[int, str, str]] = []
    for number, item in classified.filter(pl.col("kind").is_null()).select("number", "line").iter_rows():
        if "," in item and item.split(",", 1)[0].strip() in K.values:
            kind, raw = (p.strip() for p in item.split(",", 1))
            try:
                values.append(normalise(kind, raw))
            except InvalidValue as exc:
                rejected.append((number, item[:200], str(exc)))
            continue
        try:
            values.append(detect(item))
        except InvalidValue as exc:
            rejected.append((number, item[:200], str(exc)))
    others: dict[str, list[str]] = {}
    for v in values:
        others.setdefault(str(v.kind), []).append(v.value)
    for kind, items in others.items():
        extra = pl.Series("v", items, dtype=pl.String)
        columns[kind] = pl.concat([columns[kind], extra]) if kind in columns else extra
    return IndicatorSet.from_columns(columns, rejected)


def from_content(content: str) -> IndicatorSet:
    """Recognise a STIX bundle, a MISP event or plain text."""
    stripped = content.lstrip()
    if stripped.startswith("{"):
        from qalxan.intel.exchange import read_misp, read_stix

        data = json.loads(content)
        parsed = read_stix(content) if data.get("type") == "bundle" else read_misp(content)
        rejected = [(0, str(e.get("value", "")), str(e.get("message", ""))) for e in parsed.errors]
        return IndicatorSet.from_values([i.value for i in parsed.items], rejected)
    return _from_text(content)


def load(source: str, *, token: str = "") -> IndicatorSet:
    """A file path, or an http(s) URL of the platform's STIX export (read with an API token)."""
    if source.startswith(("http://", "https://")):
        import httpx

        headers = {"Authorization": f"Token {token}"} if token else {}
        response = httpx.get(source, headers=headers, timeout=300, follow_redirects=False)
        response.raise_for_status()
        return from_content(response.text)
    return from_content(Path(source).read_text("utf-8"))
