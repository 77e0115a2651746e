"""Settings of the exposure scanner: Django settings first, then the environment, then the defaults."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Days between two scheduled scans of a site (twice a year).
    "SCAN_INTERVAL_DAYS": 182,
    # A certificate that expires within this many days is reported.
    "CERT_WARNING_DAYS": 30,
    "MAX_PAGES": 50,
    "MAX_DEPTH": 3,
    "MAX_DOCUMENTS": 20,
    # Seconds between two requests to the same host.
    "HOST_DELAY": 0.5,
    # "obey" or "ignore" the sites' robots.txt.
    "ROBOTS": "obey",
    "TIMEOUT": 10.0,
    "SITE_TIMEOUT": 300.0,
    "MAX_PAGE_BYTES": 5 * 1024 * 1024,
    "MAX_DOCUMENT_BYTES": 20 * 1024 * 1024,
    # Sites scanned at the same time by one job, and connections per host.
    "CONCURRENCY": 20,
    "PER_HOST": 2,
    # host=address[@http_port/https_port], separated by commas or spaces; "*.example" matches subdomains.
    "RESOLVE": "",
    # Ask DNS for hosts that RESOLVE does not name.
    "DNS": True,
    # Networks the scanner may connect to (CIDRs); empty: public addresses only.
    "ALLOW_NETWORKS": "",
    # CA bundle used to verify certificates (empty: the system's).
    "CA_BUNDLE": "",
    # Key of the hash kept for personal data found (empty: derived from the secret key).
    "HASH_KEY": "",
    "USER_AGENT": "Qalxan-exposure/1.0 (+state website audit)",
}


def get(name: str) -> Any:
    """`EXPOSURE_<NAME>` from settings, else `QALXAN_EXPOSURE_<NAME>` from the environment, else default."""
    default = DEFAULTS[name]
    value = getattr(settings, f"EXPOSURE_{name}", None)
    if value is None:
        raw = os.environ.get(f"QALXAN_EXPOSURE_{name}")
        if raw is None:
            return default
        value = raw
    if isinstance(default, bool):
        return value if isinstance(value, bool) else str(value).strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return str(value)
