"""Warning lists: MISP-format lists of known-benign values, loaded as data, and the check against them.

A list is JSON as published by MISP (`{"name", "description", "type": "cidr"|"hostname"|"string",
"version", "list": [...]}`); the lists shipped with the platform are in `warninglists/*.json`.
"""

from __future__ import annotations

import bisect
import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.text import slugify

from qalxan.intel.choices import IndicatorKind, WarningListMatch
from qalxan.intel.normalize import InvalidValue, Value, hex_bound, host_of, normalise_domain, parent_domains

K = IndicatorKind
BUILTIN = Path(__file__).resolve().parent / "warninglists"


class WarningListError(ValueError):
    """A warning-list file that cannot be loaded, with the entry and the reason."""


@dataclass(frozen=True)
class ParsedList:
    slug: str
    name: str
    description: str
    match: str
    version: str
    entries: list[tuple[str, int | None, str, str]]  # value, ip version, first, last


def parse(data: Any, *, slug: str = "") -> ParsedList:
    """Validate a MISP warning list; every bad entry is named (index and value)."""
    if not isinstance(data, dict) or not isinstance(data.get("list"), list):
        raise WarningListError("A warning list is a JSON object with a “list” array.")
    kind = str(data.get("type", "string")).lower()
    match = {"cidr": WarningListMatch.CIDR, "hostname": WarningListMatch.HOSTNAME}.get(
        kind, WarningListMatch.STRING
    )
    if kind not in {"cidr", "hostname", "string", "substring", "regex"}:
        raise WarningListError(f"Unknown list type “{kind}”.")
    if kind in {"substring", "regex"}:
        raise WarningListError(f"List type “{kind}” is not supported; use cidr, hostname or string.")
    name = str(data.get("name") or "").strip()
    if not name:
        raise WarningListError("The list has no name.")
    entries: list[tuple[str, int | None, str, str]] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["list"], start=1):
        text = str(raw).strip()
        if not text:
            continue
        entry: tuple[str, int | None, str, str]
        try:
            if match == WarningListMatch.CIDR:
                network = ipaddress.ip_network(text, strict=False)
                entry = (
                    network.with_prefixlen,
                    network.version,
                    hex_bound(int(network.network_address)),
                    hex_bound(int(network.broadcast_address)),
                )
            elif match == WarningListMatch.HOSTNAME:
                host = text.lstrip("*.").rstrip(".").lower()
                host = (
                    host if "." not in host and host.isascii() and host.isalnum() else normalise_domain(host)
                )
                entry = (host, None, "", "")
            else:
                entry = (text.lower(), None, "", "")
        except (ValueError, InvalidValue) as exc:
            raise WarningListError(f"Entry {index} (“{text[:80]}”): {exc}") from exc
        if entry[0] not in seen:
            seen.add(entry[0])
            entries.append(entry)
    return ParsedList(
        slug=slug or slugify(name)[:80],
        name=name[:200],
        description=str(data.get("description") or ""),
        match=match,
        version=str(data.get("version") or "")[:40],
        entries=entries,
    )


def builtin_lists() -> list[ParsedList]:
    return [
        parse(json.loads(path.read_text("utf-8")), slug=path.stem) for path in sorted(BUILTIN.glob("*.json"))
    ]


def ensure_builtin(warning_list_model: Any, entry_model: Any) -> int:
    """Create the shipped lists that are missing (used by the data migration, tests and the demo)."""
    created = 0
    for parsed in builtin_lists():
        if warning_list_model.objects.filter(slug=parsed.slug).exists():
            continue
        wl = warning_list_model.objects.create(
            slug=parsed.slug,
            name=parsed.name,
            description=parsed.description,
            match=parsed.match,
            version=parsed.version,
        )
        entry_model.objects.bulk_create(
            entry_model(warning_list=wl, value=v, ip_version=ver, range_start=a, range_end=b)
            for v, ver, a, b in parsed.entries
        )
        created += 1
    return created


class Checker:
    """Checks values against the enabled lists; the ranges are kept sorted in memory for bisection."""

    def __init__(self) -> None:
        from qalxan.intel.models import WarningListEntry

        rows = WarningListEntry.objects.filter(
            warning_list__enabled=True, warning_list__match=WarningListMatch.CIDR
        ).values_list("ip_version", "range_start", "range_end", "warning_list_id")
        self.ranges: dict[int, list[tuple[int, int, int]]] = {4: [], 6: []}
        for version, start, end, list_id in rows:
            self.ranges[int(version or 4)].append((int(start, 16), int(end, 16), list_id))
        for ranges in self.ranges.values():
            ranges.sort()
        self.starts = {v: [r[0] for r in rs] for v, rs in self.ranges.items()}

    def _range(self, version: int, first: int, last: int) -> int | None:
        ranges, starts = self.ranges[version], self.starts[version]
        index = bisect.bisect_right(starts, first)
        # Ranges may nest: walk back over those starting at or before `first` (few: lists are small).
        for start, end, list_id in reversed(ranges[:index]):
            if start <= first and last <= end:
                return list_id
        return None

    def check(self, values: Iterable[Value]) -> dict[tuple[str, str], int]:
        """{(kind, value): warning list id} for the values on an enabled list."""
        from qalxan.intel.models import WarningListEntry
        from qalxan.intel.normalize import ip_bounds

        values = list(values)
        hits: dict[tuple[str, str], int] = {}
        hosts: dict[str, list[tuple[str, str]]] = {}
        exact: dict[str, list[tuple[str, str]]] = {}
        for value in values:
            bounds = ip_bounds(value.kind, value.value)
            if bounds is not None:
                list_id = self._range(*bounds)
                if list_id is not None:
                    hits[value.key] = list_id
                continue
            host = host_of(value)
            if host:
                for parent in parent_domains(host):
                    hosts.setdefault(parent, []).append(value.key)
            exact.setdefault(value.value, []).append(value.key)
        for chunk in _chunks(list(hosts), 500):
            for text, list_id in WarningListEntry.objects.filter(
                warning_list__enabled=True, warning_list__match=WarningListMatch.HOSTNAME, value__in=chunk
            ).values_list("value", "warning_list_id"):
                for key in hosts[text]:
                    hits.setdefault(key, list_id)
        for chunk in _chunks(list(exact), 500):
            for text, list_id in WarningListEntry.objects.filter(
                warning_list__enabled=True, warning_list__match=WarningListMatch.STRING, value__in=chunk
            ).values_list("value", "warning_list_id"):
                for key in exact[text]:
                    hits.setdefault(key, list_id)
        return hits


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
