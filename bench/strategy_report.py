"""Benchmark: the annual monitoring report (DOCX and PDF) over the national demo data (target: under 5 s).

Run: .venv/bin/python bench/strategy_report.py
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from strategy_recompute import load_national_demo, setup


def main() -> None:
    setup()
    load_national_demo()
    from qalxan.strategy import documents
    from qalxan.strategy.models import Strategy

    strategy = Strategy.objects.get(code="strategy-2023-2027")
    for label, render in (("DOCX", documents.annual_report_docx), ("PDF", documents.annual_report_pdf)):
        runs = []
        size = 0
        for _ in range(3):
            started = time.perf_counter()
            size = len(render(strategy, 2025, "az"))
            runs.append(time.perf_counter() - started)
        print(
            f"annual report {label}: best {min(runs):.2f} s, worst {max(runs):.2f} s, {size // 1024} KiB "
            f"(target < 5 s)"
        )
    print(
        f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()
