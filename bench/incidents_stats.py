"""The incident statistics page over 100,000 incidents: time of the page and of its queries.

Goal: under 500 ms. Usage: incidents_stats.py [postgres|sqlite]
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
import time

from _common import machine, setup

DATABASE = sys.argv[1] if len(sys.argv) > 1 else "postgres"
COUNT = 100_000


def main() -> None:
    setup(DATABASE, "incidents_stats")
    from django.test import Client
    from django.utils import timezone

    from qalxan.core.roles import Role
    from qalxan.core.testing import person
    from qalxan.incidents.choices import IncidentState, Severity
    from qalxan.incidents.models import Incident, Measure, TaxonomyType
    from qalxan.incidents.queries import statistics as figures
    from qalxan.organizations.models import Organization, Sector

    rng = random.Random(2026)
    sectors = list(Sector.objects.all())
    orgs = [
        Organization.objects.create(
            code=f"org-{i}", short_name=f"ORG-{i}", name_az=f"Qurum {i}", kind="ministry"
        )
        for i in range(60)
    ]
    authority = Organization.objects.create(code="auth", short_name="AUTH", name_az="A", kind="authority")
    analyst = person(Role.ANALYST, authority, username="analyst.bench")
    officer = person(Role.INSTITUTION_OFFICER, orgs[0], username="officer.bench")
    types = list(TaxonomyType.objects.all())
    now = timezone.now()
    states = [s for s in IncidentState.values if s != IncidentState.DRAFT]
    started = time.perf_counter()
    batch = []
    for i in range(COUNT):
        reported = now - dt.timedelta(minutes=rng.randint(60, 365 * 24 * 60))
        kind = rng.choice(types)
        state = rng.choice(states)
        triage = rng.randint(60, 200_000) if state != IncidentState.REPORTED else None
        resolve = (
            rng.randint(3600, 2_000_000) if state in {IncidentState.RESOLVED, IncidentState.CLOSED} else None
        )
        batch.append(
            Incident(
                organization=orgs[i % len(orgs)],
                sector=rng.choice(sectors),
                title=f"Incident {i}",
                detected_at=reported - dt.timedelta(hours=rng.randint(0, 100)),
                reported_at=reported,
                taxonomy_type=kind,
                taxonomy_class_id=kind.taxonomy_class_id,
                severity=rng.choice(Severity.values),
                state=state,
                report_late=rng.random() < 0.1,
                triage_seconds=triage,
                resolve_seconds=resolve,
            )
        )
        if len(batch) == 5000:
            Incident.objects.bulk_create(batch)
            batch = []
    Incident.objects.bulk_create(batch)
    open_ids = list(
        Incident.objects.filter(state=IncidentState.IN_PROGRESS).values_list("pk", flat=True)[:3000]
    )
    Measure.objects.bulk_create(Measure(incident_id=pk, kind="patch", description="x") for pk in open_ids)
    if DATABASE == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{COUNT} incidents created in {time.perf_counter() - started:.0f} s; {machine()}")
    for who, user in (("analyst (all)", analyst), ("officer (own)", officer)):
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)
        timings, query_timings = [], []
        for _ in range(7):
            t = time.perf_counter()
            response = client.get("/incidents/statistics/")
            timings.append(time.perf_counter() - t)
            assert response.status_code == 200
            t = time.perf_counter()
            figures(user)
            query_timings.append(time.perf_counter() - t)
        print(
            f"  statistics page, {DATABASE}, {who}: median {statistics.median(timings) * 1000:.0f} ms, "
            f"max {max(timings) * 1000:.0f} ms; "
            f"queries alone median {statistics.median(query_timings) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
