"""Incident intake through the API on PostgreSQL: reports per second sustained and p95 latency.

Goal: at least 200 reports/s with p95 under 100 ms on this 2-core machine.
Usage: incidents_intake.py [postgres|sqlite]
The server is `qalxan serve --no-worker` (gunicorn in serve's default layout, two sync workers per core;
QALXAN_BENCH_WORKERS / QALXAN_BENCH_THREADS for another) on a fresh database; the client is `wrk` (2
threads, 8 connections, 20 s or QALXAN_BENCH_DURATION) with a Lua script that POSTs a report with an
officer's token. The jobs each report starts (the analysts' notification, the indicator correlation) are
queued (QALXAN_HUEY_IMMEDIATE=0) and not run during the measurement: on PostgreSQL in the Redis queue of the
production layout (`docs/deployment.md`; QALXAN_BENCH_REDIS, default redis://127.0.0.1:6379/13, emptied
before and after), on SQLite in the embedded SQLite queue.
"""

from __future__ import annotations

import json
import os
import re
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from _common import ROOT, cpu_reference, machine, setup

DATABASE = sys.argv[1] if len(sys.argv) > 1 else "postgres"
# QALXAN_BENCH_DURATION for a longer run (wrk's duration syntax: 60s, 2m).
DURATION, CONNECTIONS = os.environ.get("QALXAN_BENCH_DURATION", "20s"), 8
# The server's layout: `qalxan serve`'s default (two sync workers per core) unless these say otherwise.
WORKERS = os.environ.get("QALXAN_BENCH_WORKERS", str(2 * (os.cpu_count() or 1)))
THREADS = os.environ.get("QALXAN_BENCH_THREADS", "1")

LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Token %(token)s"
wrk.body = [[%(body)s]]
done = function(summary, latency, requests)
  io.write(string.format(
    "RESULT requests=%%d seconds=%%.3f p50=%%.1f p95=%%.1f p99=%%.1f errors=%%d status=%%d\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.errors.status))
end
"""


def _empty_queue() -> None:
    import redis

    redis.Redis.from_url(os.environ["QALXAN_REDIS_URL"]).flushdb()


def _cpu(pids: set[int] | None = None, name: str = "") -> float:
    """CPU time (user + system, seconds) of the given processes, or of every process with that name,
    with that of their children that have ended and been waited for: a PostgreSQL backend that ends
    during the run (the web server's connections last `QALXAN_DB_CONN_MAX_AGE` seconds) leaves its
    time to the postmaster's count of its children, so the difference of two readings is the time
    spent between them by the processes alive at either."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)
            pid, comm = int(stat.parent.name), fields[0].split("(", 1)[1]
        except (OSError, IndexError, ValueError):
            continue
        if (pids is not None and pid in pids) or (name and comm == name):
            values = fields[1].split()
            total += sum(int(value) for value in values[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def _tree(root: int) -> set[int]:
    """The process and its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        found.add(pid)
        todo.extend(children.get(pid, []))
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    os.environ["QALXAN_HUEY_IMMEDIATE"] = "0"
    if DATABASE == "postgres":
        os.environ["QALXAN_REDIS_URL"] = os.environ.get("QALXAN_BENCH_REDIS", "redis://127.0.0.1:6379/13")
        os.environ["QALXAN_HUEY_NAME"] = "qalxan-bench-intake"
        _empty_queue()
    var = setup(DATABASE, "incidents_intake")
    from django.utils import timezone

    from qalxan.core.roles import Role
    from qalxan.core.services import issue_api_token
    from qalxan.core.testing import person
    from qalxan.incidents.models import Incident, TaxonomyType
    from qalxan.organizations.models import Organization, Sector
    from qalxan.registry.models import InformationSystem

    org = Organization.objects.create(
        code="bench-ministry", short_name="BENCH", name_az="Bench", kind="ministry"
    )
    officer = person(Role.INSTITUTION_OFFICER, org, username="officer.bench")
    authority = Organization.objects.create(
        code="bench-authority", short_name="AUTH", name_az="A", kind="authority"
    )
    person(Role.ANALYST, authority, username="analyst.bench")
    system = InformationSystem.objects.create(
        name_az="Portal",
        kind="website",
        sector=Sector.objects.first(),
        owner=org,
        hosting="azstatenet",
        state="designated",
        category="II",
    )
    token = issue_api_token(actor=officer, user=officer, name="bench")[1]
    body = json.dumps(
        {
            "organization": org.pk,
            "title": "DDoS hücumu portala",
            "detected_at": timezone.now().isoformat(),
            "description": "Portal cavab vermir.",
            "impact": "Xidmət dayanıb.",
            "indicators": "185.220.101.4",
            "taxonomy_type": TaxonomyType.objects.get(code="ddos").pk,
            "tlp": "AMBER",
            "pap": "GREEN",
            "severity": "medium",
            "affected_systems": [system.pk],
        }
    )
    script = Path(tempfile.mkdtemp()) / "post.lua"
    script.write_text(LUA % {"token": token, "body": body})
    port = _free_port()
    env = {
        **os.environ,
        "QALXAN_VAR_DIR": str(var),
        "QALXAN_LOG_LEVEL": "WARNING",
        "QALXAN_HUEY_IMMEDIATE": "0",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "qalxan.cli",
            "serve",
            "--no-worker",
            "--no-migrate",
            "--port",
            str(port),
            "--workers",
            WORKERS,
            "--threads",
            THREADS,
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                requests.get(base + "/account/login/", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.5)
        first = requests.post(
            base + "/api/v1/incidents/",
            data=body,
            timeout=30,
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        assert first.status_code == 201, first.text
        web_before = _cpu(_tree(server.pid))
        db_before, redis_before = _cpu(name="postgres"), _cpu(name="redis-server")
        client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        run = subprocess.run(
            [
                "/usr/bin/wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{DURATION}",
                "-s",
                str(script),
                base + "/api/v1/incidents/",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        match = re.search(
            r"RESULT requests=(\d+) seconds=([\d.]+) p50=([\d.]+) p95=([\d.]+) p99=([\d.]+) "
            r"errors=(\d+) status=(\d+)",
            run.stdout,
        )
        assert match, run.stdout + run.stderr
        requests_done, seconds = int(match.group(1)), float(match.group(2))
        client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cores = os.cpu_count() or 1
        web_cpu = (_cpu(_tree(server.pid)) - web_before) * 1000 / max(requests_done, 1)
        db_cpu = (_cpu(name="postgres") - db_before) * 1000 / max(requests_done, 1)
        redis_cpu = (_cpu(name="redis-server") - redis_before) * 1000 / max(requests_done, 1)
        wrk_cpu = (
            (client_after.ru_utime + client_after.ru_stime - client_before.ru_utime - client_before.ru_stime)
            * 1000
            / max(requests_done, 1)
        )
        stored = Incident.objects.count()
        print(
            f"incident intake, {DATABASE}, wrk {CONNECTIONS} connections, {DURATION}, {WORKERS} workers × "
            f"{THREADS} threads: {machine()}; "
            f"{cpu_reference()}"
        )
        print(
            f"  {requests_done / seconds:.0f} reports/s  p50 {match.group(3)} ms  p95 {match.group(4)} ms  "
            f"p99 {match.group(5)} ms  (socket errors {match.group(6)}, non-2xx {match.group(7)}, "
            f"{stored} incidents stored)"
        )
        print(
            f"  CPU per report: web server {web_cpu:.1f} ms, "
            + (f"PostgreSQL {db_cpu:.1f} ms, Redis {redis_cpu:.2f} ms, " if DATABASE == "postgres" else "")
            + f"wrk {wrk_cpu:.2f} ms; {cores * 1000 / max(requests_done / seconds, 1):.1f} ms of the "
            f"{cores} cores' time per report"
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        if DATABASE == "postgres":
            _empty_queue()


if __name__ == "__main__":
    main()
