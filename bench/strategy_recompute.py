"""Benchmark: recompute every computed strategy indicator over the national demo data (target: under 10 s).

Run: .venv/bin/python bench/strategy_recompute.py
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    """A fresh SQLite database in a temporary folder, migrated."""
    os.environ["QALXAN_VAR_DIR"] = tempfile.mkdtemp(prefix="qalxan-strategy-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "qalxan.settings"
    os.environ.setdefault("QALXAN_HUEY_IMMEDIATE", "1")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load_national_demo() -> None:
    from qalxan.core import demo

    started = time.perf_counter()
    demo.load(scale="national")
    print(f"national demo data loaded in {time.perf_counter() - started:.1f} s")


def main() -> None:
    setup()
    load_national_demo()
    from qalxan.strategy import services
    from qalxan.strategy.models import Action, Indicator, IndicatorValue

    computed = Indicator.objects.exclude(metric="").count()
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        counts = services.compute_all(scheduled=True)
        runs.append(time.perf_counter() - started)
    print(
        f"actions: {Action.objects.count()}, computed indicators: {computed}, "
        f"values stored: {IndicatorValue.objects.count()}, last run: {counts}"
    )
    print(
        f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(
        f"recompute all computed indicators: best {min(runs):.3f} s, worst {max(runs):.3f} s (target < 10 s)"
    )


if __name__ == "__main__":
    main()
