"""The sweep engine over JSON-lines DNS and proxy logs against 1,000,000 indicators.

Goal: at least 3,000,000 log events per second on 2 cores, peak memory under 2 GB. In the same run, on
the same files: `grep -F -f` with the indicator values, and a one-line-at-a-time Python matcher (orjson
plus set look-ups of the domain and its parents). The planted matches are counted to check the result.

Usage: sweep.py [lines per log, default 3000000] [indicators, default 1000000]
"""

from __future__ import annotations

import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
from _common import ROOT, machine

LINES = int(sys.argv[1]) if len(sys.argv) > 1 else 3_000_000
INDICATORS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
PLANT_EVERY = 997


def label(rng: random.Random, n: int = 8) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def make_indicators(folder: Path, rng: random.Random) -> tuple[list[str], list[str]]:
    domains = [
        f"{label(rng)}.{label(rng, 6)}.{rng.choice(['az', 'com', 'net', 'ru', 'info'])}"
        for _ in range(int(INDICATORS * 0.8))
    ]
    ips = [
        f"{rng.randrange(11, 198)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        for _ in range(int(INDICATORS * 0.15))
    ]
    cidrs = [
        f"{rng.randrange(11, 198)}.{rng.randrange(256)}.{rng.randrange(256)}.0/24"
        for _ in range(int(INDICATORS * 0.02))
    ]
    urls = [
        f"http://{label(rng)}.{label(rng, 5)}.com/{label(rng, 6)}"
        for _ in range(INDICATORS - len(domains) - len(ips) - len(cidrs))
    ]
    values = list(dict.fromkeys(domains + ips + cidrs + urls))
    (folder / "indicators.txt").write_text("\n".join(values) + "\n")
    return domains, urls


def make_logs(folder: Path, rng: random.Random, domains: list[str], urls: list[str]) -> int:
    planted = 0
    with (folder / "dns.jsonl").open("wb") as dns:
        for i in range(LINES):
            if i % PLANT_EVERY == 0:
                query, planted = f"www.{rng.choice(domains)}", planted + 1
            else:
                query = f"h{rng.randrange(10**7)}.s{rng.randrange(10**5)}.example{rng.randrange(50)}.org"
            dns.write(
                orjson.dumps(
                    {
                        "ts": 1764576000 + i,
                        "client": f"10.1.{i % 250}.{i % 200}",
                        "query": query,
                        "qtype": "A",
                        "rcode": "NOERROR",
                        "answer": f"198.18.{i % 250}.{i % 199}",
                    }
                )
                + b"\n"
            )
    with (folder / "proxy.jsonl").open("wb") as proxy:
        for i in range(LINES):
            if i % PLANT_EVERY == 0:
                url, planted = rng.choice(urls), planted + 1
            else:
                url = f"http://w{rng.randrange(10**6)}.site{rng.randrange(10**5)}.example.org/p/{rng.randrange(10**6)}?q={i}"
            host = url.split("/")[2]
            proxy.write(
                orjson.dumps(
                    {
                        "ts": 1764576000 + i,
                        "client": f"10.2.{i % 250}.{i % 200}",
                        "method": "GET",
                        "url": url,
                        "host": host,
                        "status": 200,
                        "bytes": 1000 + i % 5000,
                        "dst_ip": f"198.19.{i % 250}.{i % 199}",
                    }
                )
                + b"\n"
            )
    return planted


def python_loop(paths: list[Path], indicators: Path) -> tuple[int, int, float]:
    values = set(indicators.read_text().split())
    events = hits = 0
    started = time.perf_counter()
    for path in paths:
        with path.open("rb") as f:
            for line in f:
                events += 1
                record = orjson.loads(line)
                host = (record.get("query") or record.get("host") or "").lower().rstrip(".")
                labels = host.split(".")
                if (
                    any(".".join(labels[i:]) in values for i in range(len(labels) - 1))
                    or record.get("url") in values
                ):
                    hits += 1
    return events, hits, time.perf_counter() - started


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="qalxan-sweep-"))
    rng = random.Random(2026)
    started = time.perf_counter()
    domains, urls = make_indicators(folder, rng)
    planted = make_logs(folder, rng, domains, urls)
    print(
        f"generated {INDICATORS:,} indicators and 2 x {LINES:,} log lines "
        f"in {time.perf_counter() - started:.0f} s ({folder})"
    )
    logs = [folder / "dns.jsonl", folder / "proxy.jsonl"]
    env = dict(
        os.environ,
        QALXAN_VAR_DIR=str(folder / "var"),
        QALXAN_MODULES="registry,incidents,intel",
        DJANGO_SETTINGS_MODULE="qalxan.settings",
    )
    command = [
        str(ROOT / ".venv/bin/qalxan"),
        "sweep",
        "--indicators",
        str(folder / "indicators.txt"),
        *map(str, logs),
        "-o",
        str(folder / "sightings.jsonl"),
    ]
    run = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(run.stdout.strip())
    total = re.search(r"total: (\d+) events, (\d+) malformed, (\d+) matches in ([\d.]+) s", run.stdout)
    assert total is not None
    events, matches, seconds = int(total.group(1)), int(total.group(3)), float(total.group(4))
    engine_rate = events / seconds
    print(f"planted matches: {planted:,}; found: {matches:,}")
    grep_started = time.perf_counter()
    grep_lines = 0
    for path in logs:
        subprocess.run(
            ["grep", "-F", "-c", "-f", str(folder / "indicators.txt"), str(path)],
            capture_output=True,
            check=False,
        )
        grep_lines += LINES
    grep_rate = grep_lines / (time.perf_counter() - grep_started)
    py_events, py_hits, py_seconds = python_loop(logs, folder / "indicators.txt")
    py_rate = py_events / py_seconds
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    print(machine())
    print(f"sweep engine: {engine_rate / 1e6:.2f} M events/s (scan only), peak memory {peak_mb:,.0f} MB")
    print(f"grep -F -f:   {grep_rate / 1e6:.2f} M lines/s  -> engine is {engine_rate / grep_rate:.1f}x")
    print(
        f"Python loop:  {py_rate / 1e6:.2f} M events/s ({py_hits:,} matching lines) "
        f"-> engine is {engine_rate / py_rate:.1f}x"
    )
    goal = engine_rate >= 3_000_000 and peak_mb < 2048
    print(f"goal (>= 3 M events/s, < 2 GB): {'met' if goal else 'NOT met'}")


if __name__ == "__main__":
    main()
