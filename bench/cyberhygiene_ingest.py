"""Parsing and matching a generated combination list against 5,000 organisations' domains.

Goal: at least 1,000,000 lines per second on 2 cores, with memory that does not grow with the file.
Usage: cyberhygiene_ingest.py [LINES] [WORKERS]   (default 20,000,000 lines, 2 worker processes)

Generates the list (a 1,000,000-line block of realistic noise — popular mail providers, a long tail
of other domains, URL:login:password lines, passwords with "@" — repeated with fresh planted state
accounts, including sub-domain accounts and look-alike near-misses), then times `ingest.read_leak`
(scan, decode, parse, attribute, HMAC) and separately the database write of the findings.
"""

from __future__ import annotations

import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from _common import machine, setup

LINES = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000
WORKERS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
ORGS = 5_000
BLOCK = 1_000_000
PLANTED_PER_BLOCK = 5


def generate(path: Path, rng: random.Random) -> int:
    letters = "abcdefghijklmnopqrstuvwxyz"
    popular = [
        "gmail.com",
        "mail.ru",
        "yahoo.com",
        "hotmail.com",
        "outlook.com",
        "yandex.ru",
        "box.az",
        "inbox.ru",
    ]
    tail = [
        "".join(rng.choices(letters, k=rng.randint(4, 10)))
        + "."
        + rng.choice(["com", "net", "org", "ru", "az"])
        for _ in range(50_000)
    ]
    chars = letters + letters.upper() + "0123456789!@#._"

    def line() -> str:
        r = rng.random()
        user = "".join(rng.choices(letters + "0123456789._", k=rng.randint(5, 14)))
        password = "".join(rng.choices(chars, k=rng.randint(6, 14)))
        domain = rng.choice(popular) if r < 0.6 else rng.choice(tail)
        sep = rng.choice(":::;|")
        if r < 0.85:
            return f"{user}@{domain}{sep}{password}"
        if r < 0.97:
            return f"https://www.{rng.choice(tail)}/login{sep}{user}@{domain}{sep}{password}"
        return f"{user}{sep}{password}"

    block = ("\n".join(line() for _ in range(BLOCK - PLANTED_PER_BLOCK * 2)) + "\n").encode()
    planted = 0
    with path.open("wb") as out:
        written = 0
        while written < LINES:
            out.write(block)
            extra = []
            for _ in range(PLANTED_PER_BLOCK):
                org = rng.randrange(ORGS)
                extra.append(f"staff{planted}@hr.org{org}.gov.az:Pw-{planted}-{rng.random():.6f}")
                extra.append(f"lookalike{planted}@org{org}.gov.az.evil.com:Nm-{planted}")
                planted += 1
            out.write(("\n".join(extra) + "\n").encode())
            written += BLOCK
    return planted


def _generate(path: str) -> int:
    return generate(Path(path), random.Random(2026))


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the scanning workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest finished child process, in MB."""
    from qalxan.cyberhygiene.scan import peak_rss_kb

    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return peak_rss_kb() / 1024, children / 1024


def main() -> None:
    setup("sqlite", "cyberhygiene_ingest")
    from qalxan.core.testing import UserFactory
    from qalxan.cyberhygiene import ingest, services
    from qalxan.cyberhygiene.workflows import leak_ingestion
    from qalxan.organizations.models import Organization, OrganizationDomain

    orgs = Organization.objects.bulk_create(
        Organization(code=f"org{i}", short_name=f"ORG{i}", name_az=f"Qurum {i}", kind="ministry", path="")
        for i in range(ORGS)
    )
    OrganizationDomain.objects.bulk_create(
        OrganizationDomain(organization=o, domain=f"org{i}.gov.az") for i, o in enumerate(orgs)
    )
    folder = Path(tempfile.mkdtemp(prefix="qalxan-bench-combo-"))
    path = folder / "combo.txt"
    started = time.perf_counter()
    # Generated in a child process, so that this process's peak memory is the ingestion's alone.
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        planted = pool.apply(_generate, (str(path),))
    size = path.stat().st_size
    print(f"generated {LINES:,} lines ({size / 2**20:,.0f} MiB) in {time.perf_counter() - started:.1f} s")
    os.environ["QALXAN_CYBERHYGIENE_WORKERS"] = str(WORKERS)
    before = rss_mb()[0]
    cpu_before = _cpu()
    started = time.perf_counter()
    report = ingest.read_leak([path], workers=WORKERS)
    elapsed = time.perf_counter() - started
    cpu = _cpu() - cpu_before
    assert len(report.findings) == planted, (len(report.findings), planted)
    print(
        f"parse + match: {report.lines:,} lines in {elapsed:.2f} s = {report.lines / elapsed:,.0f} lines/s "
        f"({WORKERS} processes), {len(report.findings)} state accounts, 0 near-misses"
    )
    print(
        f"CPU time: {cpu:.1f} s over both processes = {report.lines / cpu:,.0f} lines per CPU-second "
        f"(a shared machine lengthens the wall time, not the CPU time; on {WORKERS} idle cores "
        f"≈ {WORKERS * report.lines / cpu:,.0f} lines/s)"
    )
    own, _children = rss_mb()
    print(
        f"peak RSS: this process {own:.0f} MB (before reading {before:.0f} MB), "
        f"largest scanning process {report.peak_rss_kb / 1024:.0f} MB, for a {size / 2**20:,.0f} MiB file"
    )
    actor = UserFactory(username="bench", is_superuser=True)
    leak = services.register_leak(actor=actor, name="bench", paths=[path])
    leak_ingestion.apply(leak, "start", actor=actor)
    started = time.perf_counter()
    services.record_findings(actor=actor, leak=leak, report=report)
    print(f"database write of {len(report.findings)} accounts: {time.perf_counter() - started:.2f} s")
    path.unlink()
    print(machine())


if __name__ == "__main__":
    main()
