"""1,000 loopback sites with planted problems scanned — TLS, headers, exposed paths and 10 pages each —
and the results recorded as findings: wall time.

Goal: under 120 s on a 2-core machine.
Usage: exposure_scan.py [sites] [sqlite|postgres]  (default: 1000 sqlite)
The sites are served by a separate process on 127.0.0.1 (one HTTP, one HTTPS and one TLS 1.0 listener,
a certificate per site by SNI); nothing leaves the machine.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from typing import Any

from _common import machine, setup

SITES = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
DATABASE = sys.argv[2] if len(sys.argv) > 2 else "sqlite"
PAGES = 10


def build_sites(count: int) -> list[Any]:
    from qalxan.exposure.testserver import Page, TestSite

    good = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Strict-Transport-Security", "max-age=31536000"),
        ("Content-Security-Policy", "default-src 'self'"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    sites = []
    for i in range(count):
        host = f"site{i}.bench.test"
        links = " ".join(f"<a href='/page{p}'>Bölmə {p}</a>" for p in range(1, PAGES))
        body = "<p>" + "Nazirliyin xidmətləri və elektron müraciət qaydası haqqında məlumat. " * 40 + "</p>"
        pages = {
            "/": Page(
                f"<html><body><nav>{links} <a href='/privacy'>Məxfilik siyasəti</a></nav>"
                f"{body}</body></html>",
                headers=good
                + [("Server", "Apache/2.4.41")]
                + ([("Set-Cookie", "sid=1; Path=/")] if i % 3 == 0 else []),
            ),
        }
        for p in range(1, PAGES):
            extra = (
                f"<p>Əlaqə: +994 50 {i % 900 + 100} {p:02d} 67, FİN: {i % 10}ZX8K{p % 10}M</p>"
                if p == 3 and i % 4 == 0
                else ""
            )
            mixed = "<img src='http://cdn.example/logo.png'>" if p == 2 and i % 5 == 0 else ""
            pages[f"/page{p}"] = Page(
                f"<html><body><h1>Bölmə {p}</h1>{body}{extra}{mixed}<a href='/'>Əsas</a></body></html>",
                headers=good,
            )
        if i % 7 == 0:
            pages["/.git/HEAD"] = Page("ref: refs/heads/main\n", headers=[("Content-Type", "text/plain")])
        sites.append(
            TestSite(
                host,
                pages,
                certificate="expired" if i % 11 == 0 else "valid",
                legacy_tls=i % 10 == 0,
                http="serve" if i % 6 == 0 else "redirect",
            )
        )
    return sites


def serve(count: int, pipe: Any) -> None:
    from qalxan.exposure.testserver import LoopbackServer

    server = LoopbackServer(build_sites(count))
    for site in server.sites.values():  # make every certificate before the clock starts
        server._context(site, site.legacy_tls)
    server.serve_forever(lambda s: pipe.send((s.endpoints(), s.ca_file)))


def main() -> None:
    setup(DATABASE, "exposure_scan")
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve, args=(SITES, child), daemon=True)
    process.start()

    from qalxan.exposure import services
    from qalxan.exposure.models import Finding, HostingRange, Scan, Site
    from qalxan.exposure.scanner.net import Resolver, parse_networks
    from qalxan.organizations.models import Organization, Sector
    from qalxan.registry.models import InformationSystem, SystemDomain

    sector = Sector.objects.get(code="public_administration")
    orgs = [
        Organization.objects.create(
            code=f"org-{i}", short_name=f"ORG-{i}", name_az=f"Qurum {i}", kind="ministry"
        )
        for i in range(50)
    ]
    systems = InformationSystem.objects.bulk_create(
        InformationSystem(
            name_az=f"Sayt {i}", kind="website", sector=sector, owner=orgs[i % 50], hosting="azstatenet"
        )
        for i in range(SITES)
    )
    SystemDomain.objects.bulk_create(
        SystemDomain(system=s, domain=f"site{i}.bench.test") for i, s in enumerate(systems)
    )
    HostingRange.objects.create(cidr="127.0.0.0/8", label="bench")
    services.sync_sites()
    endpoints, ca_file = parent.recv()
    config = services.scan_config(
        resolver=Resolver(endpoints, dns=False, allowed=parse_networks("127.0.0.0/8")),
        ca_file=ca_file,
        max_pages=PAGES,
        host_delay=0.0,
        concurrency=64,
        timeout=20.0,
    )
    scans = [
        services.request_scan(actor=None, site=site, enqueue=False) for site in Site.objects.order_by("id")
    ]
    started = time.perf_counter()
    done = []
    for start in range(0, len(scans), 250):
        done.extend(services.run_scans(scans[start : start + 250], config))
    elapsed = time.perf_counter() - started
    process.terminate()
    finished = Scan.objects.filter(state="finished").count()
    pages = sum(s.pages for s in done)
    requests = sum(s.requests for s in done)
    print(f"machine: {machine()}, database: {DATABASE}")
    print(
        f"sites: {SITES}, finished: {finished}, pages: {pages}, requests: {requests}, "
        f"findings: {Finding.objects.count()}"
    )
    print(f"scan of {SITES} sites: {elapsed:.1f} s ({requests / elapsed:.0f} requests/s)")


if __name__ == "__main__":
    main()
