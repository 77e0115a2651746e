"""Version comparison per ecosystem (univers) and OSV range evaluation.

OSV ranges are lists of events (`introduced`, `fixed`, `last_affected`, `limit`) in version order; a version
is affected when it lies in an introduced → fixed (exclusive) or introduced → last_affected (inclusive)
interval, or is listed under `versions`. Comparison uses the ecosystem's own rules: Debian epochs and
tildes, RPM epoch-version-release, PEP 440 pre-releases, semver for npm, Maven and NuGet orderings.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from univers import versions as uv

VERSION_CLASSES: dict[str, type[uv.Version]] = {
    "deb": uv.DebianVersion,
    "rpm": uv.RpmVersion,
    "pypi": uv.PypiVersion,
    "npm": uv.SemverVersion,
    "maven": uv.MavenVersion,
    "nuget": uv.NugetVersion,
    "generic": uv.GenericVersion,
}

# OSV ecosystem names → the inventory ecosystem whose version rules apply.
OSV_ECOSYSTEMS = {
    "debian": "deb",
    "ubuntu": "deb",
    "red hat": "rpm",
    "rocky linux": "rpm",
    "almalinux": "rpm",
    "opensuse": "rpm",
    "suse": "rpm",
    "mageia": "rpm",
    "pypi": "pypi",
    "npm": "npm",
    "maven": "maven",
    "nuget": "nuget",
}


def inventory_ecosystem(osv_ecosystem: str) -> str | None:
    """`Debian:12` → deb, `PyPI` → pypi; None for ecosystems no inventory reports."""
    base = osv_ecosystem.split(":", 1)[0].strip().lower()
    if base in OSV_ECOSYSTEMS:
        return OSV_ECOSYSTEMS[base]
    if base in {"generic", "windows"}:
        return "generic"
    return None


class _Unparsable:
    """A version string the ecosystem's rules reject: equal only to itself, never inside a range."""


@lru_cache(maxsize=500_000)
def parse_version(ecosystem: str, value: str) -> Any:
    cls = VERSION_CLASSES.get(ecosystem, uv.GenericVersion)
    text = value.strip()
    if ecosystem == "npm" and text.startswith("v"):
        text = text[1:]
    try:
        return cls(text)
    except Exception:
        if ecosystem == "npm":
            try:
                return uv.GenericVersion(text)
            except Exception:
                return _Unparsable()
        return _Unparsable()


def compare(ecosystem: str, a: str, b: str) -> int | None:
    """-1, 0 or 1; None when either version cannot be read under the ecosystem's rules."""
    va, vb = parse_version(ecosystem, a), parse_version(ecosystem, b)
    if isinstance(va, _Unparsable) or isinstance(vb, _Unparsable):
        return None
    if va < vb:
        return -1
    return 1 if va > vb else 0


def at_least(ecosystem: str, version: str, baseline: str) -> bool:
    """Whether `version` is at or above `baseline` (an unreadable version does not meet a baseline)."""
    result = compare(ecosystem, version, baseline)
    return result is not None and result >= 0


def is_affected(ecosystem: str, version: str, events: list[dict[str, str]], listed: list[str]) -> bool:
    """OSV's algorithm: explicit versions, then the introduced/fixed/last_affected intervals."""
    if version in listed:
        return True
    if not events:
        return False
    current = parse_version(ecosystem, version)
    if isinstance(current, _Unparsable):
        return False
    affected = False
    # Events are evaluated in version order, as OSV requires (introduced "0" is below everything).
    ordered = sorted(events, key=lambda e: _event_key(ecosystem, e))
    for event in ordered:
        if "introduced" in event:
            start = event["introduced"]
            if start == "0" or _le(ecosystem, start, current):
                affected = True
        elif "fixed" in event:
            if _le(ecosystem, event["fixed"], current):
                affected = False
        elif "last_affected" in event:
            bound = parse_version(ecosystem, event["last_affected"])
            if not isinstance(bound, _Unparsable) and bound < current:
                affected = False
        elif "limit" in event and event["limit"] != "*" and _le(ecosystem, event["limit"], current):
            affected = False
    return affected


def _le(ecosystem: str, bound: str, current: Any) -> bool:
    parsed = parse_version(ecosystem, bound)
    return not isinstance(parsed, _Unparsable) and parsed <= current


def _event_key(ecosystem: str, event: dict[str, str]) -> tuple[int, Any]:
    value = next(iter(event.values()))
    if value in {"0", "*"}:
        return (0 if value == "0" else 2, 0)
    parsed = parse_version(ecosystem, value)
    return (1, _Sortable(parsed))


class _Sortable:
    """Orders versions, putting unreadable ones last, so that sorting events never raises."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Sortable) -> bool:
        if isinstance(self.value, _Unparsable):
            return False
        if isinstance(other.value, _Unparsable):
            return True
        return bool(self.value < other.value)


def fixed_version(ecosystem: str, version: str, events: list[dict[str, str]]) -> str:
    """The lowest `fixed` event above `version` (what to upgrade to), or ''."""
    current = parse_version(ecosystem, version)
    best: tuple[Any, str] | None = None
    for event in events:
        if "fixed" not in event:
            continue
        parsed = parse_version(ecosystem, event["fixed"])
        if isinstance(parsed, _Unparsable) or isinstance(current, _Unparsable) or not parsed > current:
            continue
        if best is None or parsed < best[0]:
            best = (parsed, event["fixed"])
    return best[1] if best else ""


# --- CVSS v3.x base score (FIRST specification, section 7), for advisories that give only a vector.

_W = {
    "AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
    "AC": {"L": 0.77, "H": 0.44},
    "UI": {"N": 0.85, "R": 0.62},
    "C": {"H": 0.56, "L": 0.22, "N": 0.0},
}
_PR = {"U": {"N": 0.85, "L": 0.62, "H": 0.27}, "C": {"N": 0.85, "L": 0.68, "H": 0.5}}


def _roundup(value: float) -> float:
    integer = round(value * 100000)
    if integer % 10000 == 0:
        return integer / 100000.0
    return (integer // 10000 + 1) / 10.0


def cvss3_base_score(vector: str) -> float | None:
    """Base score of a `CVSS:3.x/AV:N/AC:L/...` vector; None when the vector is not CVSS v3."""
    if not vector.startswith("CVSS:3"):
        return None
    try:
        metrics = dict(part.split(":", 1) for part in vector.split("/")[1:])
        scope = metrics["S"]
        impact_sub = 1 - (
            (1 - _W["C"][metrics["C"]]) * (1 - _W["C"][metrics["I"]]) * (1 - _W["C"][metrics["A"]])
        )
        if scope == "U":
            impact = 6.42 * impact_sub
        else:
            impact = 7.52 * (impact_sub - 0.029) - 3.25 * (impact_sub - 0.02) ** 15
        exploitability = (
            8.22
            * _W["AV"][metrics["AV"]]
            * _W["AC"][metrics["AC"]]
            * _PR[scope][metrics["PR"]]
            * _W["UI"][metrics["UI"]]
        )
    except (KeyError, ValueError):
        return None
    if impact <= 0:
        return 0.0
    if scope == "U":
        return _roundup(min(impact + exploitability, 10))
    return _roundup(min(1.08 * (impact + exploitability), 10))


def severity_of(score: float | None) -> str:
    if score is None:
        return "unknown"
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    return "low" if score > 0 else "unknown"
