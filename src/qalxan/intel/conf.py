"""Settings of the intel app, read from the environment (see docs/intel.md)."""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def expiry_days() -> int:
    """Days an indicator stays active after it was last seen (QALXAN_INTEL_EXPIRY_DAYS, 90)."""
    return max(1, _int("QALXAN_INTEL_EXPIRY_DAYS", 90))


def correlation_limit() -> int:
    """An indicator in more incidents than this links nothing (QALXAN_INTEL_CORRELATION_LIMIT, 25)."""
    return max(2, _int("QALXAN_INTEL_CORRELATION_LIMIT", 25))


def sighting_incidents() -> bool:
    """Whether uploaded sightings open an incident for the institution (QALXAN_INTEL_SIGHTING_INCIDENTS)."""
    return _bool("QALXAN_INTEL_SIGHTING_INCIDENTS")


def taxii_page_size() -> int:
    """Largest page of a TAXII objects or manifest answer (QALXAN_INTEL_TAXII_PAGE_SIZE, 500)."""
    return max(1, _int("QALXAN_INTEL_TAXII_PAGE_SIZE", 500))


def max_text_bytes() -> int:
    """Largest pasted text or uploaded exchange file (QALXAN_INTEL_MAX_TEXT_BYTES, 10 MiB)."""
    return max(1024, _int("QALXAN_INTEL_MAX_TEXT_BYTES", 10 * 1024 * 1024))
