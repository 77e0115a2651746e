"""Shared set-up of the benchmarks: a fresh database (SQLite in a temporary folder, or PostgreSQL)."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(database: str = "sqlite", name: str = "bench", *, reuse: bool = False) -> Path:
    """Point Qalxan at a new empty database and a temporary var/ folder, migrate, return the folder.
    With `reuse` (PostgreSQL), an existing database of that name is kept as it is (then migrated)."""
    var = Path(tempfile.mkdtemp(prefix=f"qalxan-{name}-"))
    os.environ["QALXAN_VAR_DIR"] = str(var)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qalxan.settings"
    os.environ.setdefault("QALXAN_HUEY_IMMEDIATE", "1")
    if database == "postgres":
        import psycopg

        base = os.environ.get("QALXAN_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
        db = f"qalxan_{name}"
        with psycopg.connect(base, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone()
            if not (reuse and exists):
                conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
                conn.execute(f'CREATE DATABASE "{db}"')
        os.environ["QALXAN_DATABASE_URL"] = base.rsplit("/", 1)[0] + f"/{db}"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return var


def machine() -> str:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in subprocess.run(
                ["lscpu"], capture_output=True, text=True, check=False
            ).stdout.splitlines()
            if "Model name" in line
        )
    except StopIteration:
        cpu = platform.processor()
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def cpu_reference() -> str:
    """How fast this machine runs plain Python right now: the best of three 10,000,000-step loops.
    The same virtual machine has measured from 1.2 to 1.8 s within one afternoon, as its host's load
    changes; printed beside the figures so that runs of different days and hours can be compared."""
    import time

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for step in range(10_000_000):
            total += step
        best = min(best, time.perf_counter() - started)
    return f"CPU reference loop {best:.2f} s"


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum (PostgreSQL) or
    `PRAGMA optimize` (SQLite) does on a database in service; without them PostgreSQL plans
    the freshly loaded tables as if they were empty (sequential scans for indexed look-ups)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
