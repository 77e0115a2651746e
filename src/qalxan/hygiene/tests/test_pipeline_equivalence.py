"""The fast paths give what the straightforward computations give: figures after a re-ingest equal a full
recomputation written out query by query."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from qalxan.hygiene import figures, generator, pipeline
from qalxan.hygiene.choices import OPEN_TRIAGE, CoverageReason
from qalxan.hygiene.models import CoverageStatus, Endpoint, Finding, InstitutionScore, ProductInstall
from qalxan.hygiene.tests.factories import registry


def _reference(organization_id: int, at: dt.datetime) -> dict[str, Any]:
    """The score's evidence counted one query at a time, as the figures were first computed."""
    w = figures.weights()
    endpoints = Endpoint.objects.filter(organization_id=organization_id)
    total = endpoints.count()
    fresh = endpoints.filter(last_seen__gte=at - dt.timedelta(days=w.stale_days)).count()
    checks = CoverageStatus.objects.filter(organization_id=organization_id).exclude(
        reason=CoverageReason.NOT_APPLICABLE
    )
    reasons = dict(
        checks.filter(compliant=False).values("reason").annotate(n=Count("id")).values_list("reason", "n")
    )
    open_findings = Finding.objects.filter(
        organization_id=organization_id, present=True, state__in=OPEN_TRIAGE
    )
    serious = open_findings.filter(Q(severity__in=figures.SERIOUS) | Q(known_exploited=True))
    return {
        "coverage": {
            "checked": checks.count(),
            "compliant": checks.filter(compliant=True).count(),
            "reasons": reasons,
        },
        "exposure": {
            "endpoints": total,
            "exposed": serious.values("endpoint_id").distinct().count(),
            "open_by_severity": dict(
                open_findings.values("severity").annotate(n=Count("id")).values_list("severity", "n")
            ),
            "known_exploited": serious.filter(known_exploited=True).count(),
        },
        "freshness": {"endpoints": total, "fresh": fresh, "stale_days": w.stale_days},
    }


def _installs(organization_id: int) -> dict[int, int]:
    return dict(
        ProductInstall.objects.filter(organization_id=organization_id, product__is_commercial=True)
        .values("product_id")
        .annotate(n=Count("endpoint_id", distinct=True))
        .values_list("product_id", "n")
    )


@pytest.mark.django_db
def test_figures_after_a_reingest_equal_a_full_recomputation(world: Any) -> None:
    registry()
    org = world.ministry
    rng = random.Random(5)
    cat = generator.Catalogue()
    now = timezone.now()
    log = generator.osquery_log(org.code, 60, rng, now, packages=40, cat=cat)
    pipeline.ingest(actor=None, uploads=[pipeline.Upload(org, "all.log", log)], system=True)
    assert Finding.objects.filter(organization=org).exists()
    # Triage moves some findings out of the open states; some endpoints go stale.
    for finding in Finding.objects.filter(organization=org)[:5]:
        finding.state = "not_affected"
        finding.save()
    covered = CoverageStatus.objects.filter(organization=org, compliant=True).values_list("endpoint_id")
    stale = list(covered[:3]) + list(Endpoint.objects.filter(organization=org).values_list("pk")[:4])
    Endpoint.objects.filter(pk__in=[pk for (pk,) in stale]).update(last_seen=now - dt.timedelta(days=60))
    # One endpoint reports again.
    one = generator.osquery_log(org.code, 1, random.Random(9), timezone.now(), packages=40, cat=cat)
    pipeline.ingest(actor=None, uploads=[pipeline.Upload(org, "one.log", one)], system=True)
    at = timezone.now()
    score = figures.recompute(organization_id=org.pk, at=at)
    expected = _reference(org.pk, at)
    for part in ("coverage", "exposure", "freshness"):
        assert score.evidence[part] == expected[part], part
    assert score.evidence["coverage"]["reasons"].get("not_seen", 0) >= 1
    assert score.evidence["exposure"]["exposed"] > 0
    positions = {p.product_id: p.installs for p in figures.reconcile(organization_id=org.pk)}
    assert {k: v for k, v in positions.items() if v} == _installs(org.pk)
    latest = InstitutionScore.objects.filter(organization=org).latest()
    assert latest.score == score.score and isinstance(score.score, Decimal)


@pytest.mark.django_db
def test_bulk_timestamps_are_stored_as_the_driver_would_store_them(world: Any) -> None:
    """The bulk writers pass a constant timestamp once, pre-formatted on SQLite: the stored text and the
    value read back are those of the datetime passed row by row."""
    from django.db import connection

    from qalxan.hygiene.pipeline import _stamp

    for moment in (
        dt.datetime(2026, 12, 1, 13, 40, 27, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 1, 13, 40, 27, tzinfo=dt.UTC),
        timezone.now(),
    ):
        if connection.vendor == "sqlite":
            from django.db.backends.sqlite3.base import adapt_datetime

            assert _stamp(moment) == adapt_datetime(moment)
        else:
            assert _stamp(moment) is moment
    registry()
    from qalxan.hygiene.tests.factories import csv_inventory, ingest

    ingest(world.ministry, csv_inventory({"pc-1": [("Google LLC", "Google Chrome", "119.0.6045.160")]}))
    finding = Finding.objects.get()
    status = CoverageStatus.objects.get()
    endpoint = Endpoint.objects.get()
    assert finding.created_at == finding.updated_at == status.computed_at
    assert endpoint.created_at.tzinfo is not None and finding.created_at.tzinfo is not None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT created_at || '' FROM hygiene_finding")
            (raw,) = cursor.fetchone()
        assert raw == finding.created_at.isoformat(" ")


@pytest.mark.django_db
def test_affected_packages_read_by_the_cursor_equal_the_orm_rows(world: Any) -> None:
    import orjson

    from qalxan.hygiene import advisories, matching
    from qalxan.hygiene.models import AffectedPackage

    registry()
    advisories.import_osv(
        actor=None,
        filename="more.json",
        content=orjson.dumps(generator.osv_documents(300, random.Random(4))),
        system=True,
    )
    expected = list(
        AffectedPackage.objects.values_list("ecosystem", "name", "events", "versions", "advisory_id")
    )
    assert len(expected) > 300
    assert list(matching._affected_rows()) == expected
