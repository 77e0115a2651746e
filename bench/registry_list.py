"""Registry list page and API list with 50,000 systems: p95 latency at 20 concurrent clients.

Goal: p95 under 200 ms, on SQLite and on PostgreSQL. Usage: registry_list.py [sqlite|postgres] [--reuse]
(--reuse, PostgreSQL: measure again on the database an earlier run loaded, without reloading it.)
The server is `qalxan serve` in its default layout (gunicorn, two sync workers per core, one thread
each), or QALXAN_BENCH_WORKERS × QALXAN_BENCH_THREADS; the clients are wrk's 20 connections on the same
2-core machine, so the figure includes the clients' own share of the CPU.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from _common import ROOT, analyze, cpu_reference, machine, setup

DATABASE = next((arg for arg in sys.argv[1:] if not arg.startswith("--")), "sqlite")
REUSE = "--reuse" in sys.argv[1:] and DATABASE == "postgres"
# The server's layout (gunicorn workers × threads; one thread is gunicorn's sync worker).
WORKERS = os.environ.get("QALXAN_BENCH_WORKERS", str(2 * (os.cpu_count() or 1)))
THREADS = os.environ.get("QALXAN_BENCH_THREADS", "1")
CLIENTS, REQUESTS_EACH, PORT = 20, 20, 8765


WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("p50 %6.0f ms  p95 %6.0f ms  (%.0f req/s, %d requests, %d errors)",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    summary.requests / (summary.duration / 1e6), summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def _wrk(wrk: str, url: str, kwargs: dict) -> str:
    """Drive the URL with wrk (C, little CPU of its own) and return its p50/p95 line."""
    script = Path(tempfile.mkdtemp()) / "report.lua"
    script.write_text(WRK_REPORT)
    headers = []
    for name, value in kwargs.get("headers", {}).items():
        headers += ["-H", f"{name}: {value}"]
    if kwargs.get("cookies"):
        headers += ["-H", "Cookie: " + "; ".join(f"{k}={v}" for k, v in kwargs["cookies"].items())]
    result = subprocess.run(
        [wrk, "-t2", f"-c{CLIENTS}", "-d20s", "-s", str(script), *headers, url],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def in_process(targets: dict[str, tuple[str, dict]], token: str, repeat: int = 50) -> None:
    """CPU time per request inside one process (Django's test client, no HTTP server), which a busy
    machine disturbs far less than the wall-clock figures below."""
    from django.test import Client

    page = Client(HTTP_HOST="127.0.0.1")
    page.post("/account/login/", {"username": "supervisor", "password": "Bench-password-1"})
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")
    print(f"registry list, {DATABASE}, in process (best of 5 rounds of {repeat // 5} requests):")
    for label, (url, _kwargs) in targets.items():
        client = api if "/api/" in url else page
        path = url.split(str(PORT), 1)[1]
        assert client.get(path).status_code == 200, path
        rounds = []
        for _ in range(5):
            started = time.process_time()
            for _ in range(repeat // 5):
                client.get(path)
            rounds.append((time.process_time() - started) / (repeat // 5))
        print(f"  {label:<48} {min(rounds) * 1000:6.1f} ms of CPU per request")


def main() -> None:
    # The other modules' national demo data would take most of the run and play no part in the list.
    os.environ.setdefault("QALXAN_MODULES", "registry,incidents,commission,strategy")
    var = setup(DATABASE, "list", reuse=REUSE)
    from qalxan.core import demo
    from qalxan.core.services import issue_api_token
    from qalxan.organizations.models import Organization
    from qalxan.registry.models import Dependency, InformationSystem

    started = time.perf_counter()
    loaded = REUSE and InformationSystem.objects.count() >= 50_000
    if not loaded:
        demo.load(scale="national", password="Bench-password-1")
    print(
        f"demo data{' (reused)' if loaded else ''}: {InformationSystem.objects.count()} systems, "
        f"{Dependency.objects.count()} dependencies, {Organization.objects.count()} organisations "
        f"in {time.perf_counter() - started:.0f} s"
    )
    analyze()
    from django.contrib.auth import get_user_model

    supervisor = get_user_model().objects.get(username="supervisor")
    token = issue_api_token(actor=supervisor, user=supervisor, name="bench")[1]
    env = {**os.environ, "QALXAN_VAR_DIR": str(var), "QALXAN_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "qalxan.cli",
            "serve",
            "--no-worker",
            "--port",
            str(PORT),
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
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(60):
            try:
                requests.get(base + "/account/login/", timeout=10)
                break
            except requests.RequestException:  # not listening yet, or still starting
                time.sleep(0.5)
        session = requests.Session()
        session.get(base + "/account/login/")
        session.post(
            base + "/account/login/",
            data={
                "username": "supervisor",
                "password": "Bench-password-1",
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            headers={"Referer": base},
        )
        cookies = session.cookies.get_dict()
        targets = {
            "page /registry/": (base + "/registry/", {"cookies": cookies}),
            "page /registry/?state=designated&sector=energy": (
                base + "/registry/?state=designated&sector=energy",
                {"cookies": cookies},
            ),
            "API /api/v1/registry/systems/": (
                base + "/api/v1/registry/systems/",
                {"headers": {"Authorization": f"Token {token}"}},
            ),
            "API ?q=5000": (
                base + "/api/v1/registry/systems/?q=5000",
                {"headers": {"Authorization": f"Token {token}"}},
            ),
        }
        in_process(targets, token)
        wrk = shutil.which("wrk")
        mode = "wrk, 20 s each" if wrk else f"Python threads, {REQUESTS_EACH} requests each"
        print(
            f"registry list, {DATABASE}, {CLIENTS} concurrent clients ({mode}), {WORKERS} workers × "
            f"{THREADS} threads; {cpu_reference()}:"
        )
        for label, (url, kwargs) in targets.items():
            first = requests.get(url, timeout=30, **kwargs)
            assert first.status_code == 200, (url, first.status_code)
            if wrk:
                # The machine's speed changes within minutes: each line says how fast it was just before.
                reference = cpu_reference().removeprefix("CPU reference loop ")
                print(f"  {label:<48} {_wrk(wrk, url, kwargs)}  [loop {reference}]")
                continue
            timings: list[float] = []
            lock = threading.Lock()

            def client(
                url: str = url,
                kwargs: dict = kwargs,
                timings: list[float] = timings,
                lock: threading.Lock = lock,
            ) -> None:
                with requests.Session() as http:
                    for _ in range(REQUESTS_EACH):
                        t = time.perf_counter()
                        response = http.get(url, timeout=60, **kwargs)
                        elapsed = time.perf_counter() - t
                        assert response.status_code == 200
                        with lock:
                            timings.append(elapsed)

            threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
            wall = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - wall
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(
                f"  {label:<48} p50 {statistics.median(timings) * 1000:6.0f} ms  p95 {p95 * 1000:6.0f} ms  "
                f"({len(timings) / wall:.0f} req/s)"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"  machine: {machine()}; after the runs: {cpu_reference()}")


if __name__ == "__main__":
    main()
