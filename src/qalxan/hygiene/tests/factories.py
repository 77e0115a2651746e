"""Test data of the hygiene module: inventories written the way the tools write them, and the registry."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import orjson
from django.utils import timezone

from qalxan.hygiene import advisories, generator, pipeline
from qalxan.hygiene.demo import ensure_registry
from qalxan.hygiene.models import Endpoint, Finding, LicensedProduct


def registry() -> dict[str, LicensedProduct]:
    """Rules, products, the antivirus category, and the demo advisories with the KEV entry."""
    products = ensure_registry()
    from qalxan.hygiene.models import Advisory

    if not Advisory.objects.exists():
        advisories.import_known_exploited(
            actor=None, filename="kev.json", content=orjson.dumps(generator.kev_document()), system=True
        )
        advisories.import_osv(
            actor=None, filename="osv.json", content=orjson.dumps(generator.osv_documents()), system=True
        )
    return products


def csv_inventory(
    hosts: dict[str, list[tuple[str, str, str]]],
    *,
    seen: dt.datetime | None = None,
    os_name: str = "Microsoft Windows 11 Pro",
) -> bytes:
    """A CSV inventory: host → [(publisher, name, version)] installed programs."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "host_identifier",
            "hostname",
            "os_name",
            "last_seen",
            "table",
            "ecosystem",
            "name",
            "version",
            "publisher",
            "status",
            "signatures_up_to_date",
        ]
    )
    stamp = (seen or timezone.now()).isoformat()
    for host, programs in hosts.items():
        for publisher, name, version in programs:
            writer.writerow(
                [
                    host,
                    f"{host}.gov.az",
                    os_name,
                    stamp,
                    "package",
                    "generic",
                    name,
                    version,
                    publisher,
                    "",
                    "",
                ]
            )
    return out.getvalue().encode()


def osquery_lines(*records: dict[str, Any]) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def snapshot_line(
    host: str, query: str, rows: list[dict[str, str]], unix: int = 1796108400, **extra: Any
) -> dict[str, Any]:
    return {
        "name": f"pack_hygiene_{query}",
        "hostIdentifier": host,
        "calendarTime": "Tue Dec  1 07:00:00 2026 UTC",
        "unixTime": unix,
        "epoch": 0,
        "counter": 0,
        "numerics": False,
        "action": "snapshot",
        "snapshot": rows,
        **extra,
    }


def event_line(
    host: str, query: str, action: str, columns: dict[str, str], unix: int = 1796108400
) -> dict[str, Any]:
    return {
        "name": f"pack_hygiene_{query}",
        "hostIdentifier": host,
        "calendarTime": "Tue Dec  1 07:00:00 2026 UTC",
        "unixTime": unix,
        "epoch": 0,
        "counter": 1,
        "numerics": False,
        "action": action,
        "columns": columns,
    }


def ingest(
    org: Any, content: bytes, filename: str = "inventory.csv", actor: Any = None, **kwargs: Any
) -> pipeline.IngestResult:
    return pipeline.ingest(
        actor=actor,
        uploads=[pipeline.Upload(organization=org, filename=filename, content=content, **kwargs)],
        system=actor is None,
    )


def endpoint_with_finding(org: Any) -> Finding:
    """One endpoint of `org` with the demo Chrome finding (through a real ingest)."""
    registry()
    host = f"walk-{org.code}-{Endpoint.objects.count()}"
    ingest(org, csv_inventory({host: [("Google LLC", "Google Chrome", "119.0.6045.160")]}))
    return Finding.objects.filter(organization=org, endpoint__host_identifier=host).first()  # type: ignore[return-value]
