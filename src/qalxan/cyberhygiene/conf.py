"""Settings of the cyber-hygiene app, read from the environment (see docs/cyberhygiene.md)."""

from __future__ import annotations

import os
import secrets
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def var_dir() -> Path:
    path = Path(settings.VAR_DIR) / "cyberhygiene"
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_dir() -> Path:
    """Where uploaded leak files wait for their ingestion job; they are removed when it ends."""
    path = var_dir() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


@cache
def hmac_key() -> bytes:
    """The key of the password and login hashes: never in the database.

    `QALXAN_CYBERHYGIENE_HMAC_KEY` (hex or text) when set, else the file `<var>/cyberhygiene/hmac.key`,
    created once with mode 0600. Every machine that ingests leaks must use the same key, or the same
    password would look new in every leak.
    """
    value = os.environ.get("QALXAN_CYBERHYGIENE_HMAC_KEY", "").strip()
    if value:
        try:
            key = bytes.fromhex(value)
        except ValueError:
            key = value.encode()
        if len(key) < 16:
            raise ImproperlyConfigured("QALXAN_CYBERHYGIENE_HMAC_KEY must hold at least 16 bytes")
        return key
    path = var_dir() / "hmac.key"
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it meanwhile
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return bytes.fromhex(path.read_text().strip())


def scan_workers() -> int:
    """Processes that scan one large combination list (QALXAN_CYBERHYGIENE_WORKERS, default 2)."""
    return max(1, int(os.environ.get("QALXAN_CYBERHYGIENE_WORKERS", "2")))


def auto_notify() -> bool:
    """Notify the affected institutions as soon as a leak is ingested (QALXAN_CYBERHYGIENE_AUTO_NOTIFY)."""
    return os.environ.get("QALXAN_CYBERHYGIENE_AUTO_NOTIFY", "1").lower() in {"1", "true", "yes", "on"}


def max_upload_bytes() -> int:
    """Largest leak file accepted through the web page or the API (QALXAN_CYBERHYGIENE_MAX_UPLOAD_BYTES)."""
    return int(os.environ.get("QALXAN_CYBERHYGIENE_MAX_UPLOAD_BYTES", str(2 * 1024**3)))
