"""Personal-data detectors over a large text: MB of text per second.

Goal: at least 50 MB/s. Usage: exposure_detectors.py [MB]  (default 200)
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from _common import machine

from qalxan.exposure import detectors

SIZE_MB = int(sys.argv[1]) if len(sys.argv) > 1 else 200
WORDS = [
    "Azərbaycan",
    "Respublikası",
    "Nazirliyi",
    "xidmət",
    "vətəndaş",
    "məlumat",
    "qərar",
    "saylı",
    "əsasən",
    "portal",
    "ünvan",
    "şöbə",
    "müdiri",
    "telefon",
    "əlaqə",
    "sənəd",
    "il",
    "tarixli",
    "müraciət",
    "Finans",
    "hesabat",
    "elektron",
    "xidmətlər",
    "qaydası",
    "təsdiq",
    "edilmişdir",
    "2024-cü",
    "12",
    "mart",
    "15:30",
    "№",
    "145",
    "Bakı",
    "şəhəri,",
    "Nizami",
    "küçəsi",
    "7",
    "www.gov.az",
    "info",
    "sayt",
    "haqqında",
]
PLANTED = (
    "FİN: 5ZX8K2M",
    "tel. +994 50 123 45 67",
    "VÖEN 1400057421",
    "IBAN AZ21NABZ00000000137010001944",
    "e-poçt aysel@example.az",
    "vəsiqə AZE12345678",
)


def main() -> None:
    rng = random.Random(2026)
    lines = []
    size = 0
    planted = 0
    while size < SIZE_MB * 1_000_000:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        if rng.random() < 0.002:
            words.insert(rng.randrange(len(words)), rng.choice(PLANTED))
            planted += 1
        line = " ".join(words)
        lines.append(line)
        size += len(line.encode()) + 1
    text = "\n".join(lines)
    mb = len(text.encode()) / 1_000_000
    detectors.detect(text[:100000])  # warm up the pattern cache
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        hits = detectors.detect(text)
        runs.append(time.perf_counter() - started)
    best = min(runs)
    print(f"machine: {machine()}")
    print(f"text: {mb:.0f} MB, {planted} planted values, {len(hits)} found")
    print(f"detectors: {mb / best:.0f} MB/s (best of 3; {', '.join(f'{r:.2f}' for r in runs)} s)")


if __name__ == "__main__":
    main()
