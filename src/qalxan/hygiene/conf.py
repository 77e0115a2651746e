"""Settings of the hygiene module, read from the environment (documented in docs/hygiene.md)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def data_dir() -> Path:
    """Where snapshots (Parquet) live: `<VAR_DIR>/hygiene`, or QALXAN_HYGIENE_DIR (shared storage)."""
    configured = os.environ.get("QALXAN_HYGIENE_DIR")
    path = Path(configured) if configured else Path(settings.VAR_DIR) / "hygiene"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_max_bytes() -> int:
    """Largest inventory file accepted over the API (the CLI has no limit)."""
    return int(os.environ.get("QALXAN_HYGIENE_UPLOAD_MAX_BYTES", str(256 * 2**20)))


def duckdb_threads() -> int:
    return int(os.environ.get("QALXAN_HYGIENE_THREADS", str(os.cpu_count() or 2)))
