"""Correlation of a new incident against 1,000,000 stored indicators and 100,000 incidents.

Goal: under 200 ms. Usage: intel_correlation.py [sqlite|postgres] [indicators] [incidents]
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time
import uuid

from _common import machine, setup

DATABASE = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
INDICATORS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
INCIDENTS = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
PER_INCIDENT = 3


def main() -> None:
    import os

    os.environ.setdefault("QALXAN_MODULES", "registry,incidents,intel")
    setup(DATABASE, "intel_correlation")
    from django.db import connection, transaction
    from django.utils import timezone

    from qalxan.incidents.models import Incident
    from qalxan.intel.correlation import correlate
    from qalxan.intel.models import Indicator, IndicatorReport
    from qalxan.intel.normalize import Value
    from qalxan.intel.services import STIX_NAMESPACE, add_indicators, key_of
    from qalxan.organizations.models import Organization

    rng = random.Random(2026)
    started = time.perf_counter()
    orgs = [
        Organization.objects.create(
            code=f"org-{i}", short_name=f"ORG-{i}", name_az=f"Qurum {i}", kind="ministry"
        )
        for i in range(80)
    ]
    now = timezone.now()
    values = [f"h{i}.d{rng.randrange(10**6)}.az" for i in range(INDICATORS)]
    table = Indicator._meta.db_table
    columns = (
        "kind, value, key, stix_uuid, tlp, confidence, first_seen, last_seen, expires_at, source, "
        "description, ip_version, range_start, range_end, suppressed, incident_count, organization_count, "
        "sighting_count, created_at, updated_at"
    )
    placeholders = ", ".join(["%s"] * 20)
    expires = now + dt.timedelta(days=90)
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, INDICATORS, 20_000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                [
                    (
                        "domain",
                        v,
                        key_of("domain", v),
                        str(uuid.uuid5(STIX_NAMESPACE, v))
                        if DATABASE == "postgres"
                        else uuid.uuid5(STIX_NAMESPACE, v).hex,
                        "AMBER",
                        50,
                        now,
                        now,
                        expires,
                        "bench",
                        "",
                        None,
                        "",
                        "",
                        False,
                        0,
                        0,
                        0,
                        now,
                        now,
                    )
                    for v in values[start : start + 20_000]
                ],
            )
    ids = list(Indicator.objects.order_by("pk").values_list("pk", flat=True))
    incidents = Incident.objects.bulk_create(
        (
            Incident(
                organization=orgs[i % len(orgs)],
                title=f"Bench {i}",
                detected_at=now - dt.timedelta(minutes=i),
                reported_at=now,
                state="triaged",
            )
            for i in range(INCIDENTS)
        ),
        batch_size=5000,
    )
    reports = []
    for incident in incidents:
        for _ in range(PER_INCIDENT):
            reports.append(
                IndicatorReport(
                    indicator_id=rng.choice(ids),
                    organization_id=incident.organization_id,
                    incident_id=incident.pk,
                )
            )
    IndicatorReport.objects.bulk_create(reports, batch_size=5000, ignore_conflicts=True)
    with connection.cursor() as cursor:  # the counts the correlation reads
        cursor.execute(
            f"UPDATE {table} SET incident_count = (SELECT COUNT(DISTINCT incident_id) "
            f"FROM intel_indicatorreport r WHERE r.indicator_id = {table}.id)"
        )
    reported = sorted({r.indicator_id for r in reports})
    value_of = dict(Indicator.objects.filter(pk__in=reported[:2000]).values_list("pk", "value"))
    reported = list(value_of)
    print(
        f"loaded {INDICATORS:,} indicators, {INCIDENTS:,} incidents, {len(reports):,} reports in "
        f"{time.perf_counter() - started:.0f} s ({DATABASE})"
    )
    timings = []
    for run in range(20):
        org = orgs[run % len(orgs)]
        incident = Incident.objects.create(
            organization=org, title=f"New {run}", detected_at=now, reported_at=now, state="reported"
        )
        shared = [Value("domain", value_of[rng.choice(reported)]) for _ in range(5)]
        fresh = [Value("domain", f"new{run}-{k}.evil.az") for k in range(5)]
        add_indicators(actor=None, values=shared + fresh, organization=org, incident=incident)
        t0 = time.perf_counter()
        result = correlate(incident)
        timings.append((time.perf_counter() - t0) * 1000)
        assert result.linked, "the shared indicators must link other incidents"
    print(machine())
    print(
        f"correlate(): median {statistics.median(timings):.1f} ms, "
        f"max {max(timings):.1f} ms over 20 new incidents"
    )
    print(f"goal (< 200 ms): {'met' if statistics.median(timings) < 200 else 'NOT met'}")


if __name__ == "__main__":
    main()
