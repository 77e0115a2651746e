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

from qalxan.core.testing import OrganizationFactory
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


def _state(org: Any) -> dict[str, Any]:
    """An institution's current state, keyed by host identifier (endpoint ids differ between institutions)."""
    from qalxan.hygiene.models import LicencePosition

    host = "endpoint__host_identifier"
    return {
        "endpoints": sorted(
            Endpoint.objects.filter(organization=org).values_list(
                "host_identifier", "hostname", "kind", "package_count", "last_seen"
            )
        ),
        "installs": sorted(
            ProductInstall.objects.filter(organization=org).values_list(
                host, "product_id", "version", "edition"
            )
        ),
        "coverage": sorted(
            CoverageStatus.objects.filter(organization=org).values_list(
                host, "category_id", "compliant", "reason", "product", "version"
            )
        ),
        "findings": sorted(
            Finding.objects.filter(organization=org).values_list(
                host,
                "advisory_id",
                "package",
                "version",
                "fixed_version",
                "severity",
                "known_exploited",
                "state",
                "present",
            )
        ),
        "positions": sorted(
            LicencePosition.objects.filter(organization=org).values_list("product_id", "installs", "status")
        ),
        "evidence": InstitutionScore.objects.filter(organization=org).latest().evidence,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("small", [False, True], ids=["duckdb", "python"])
def test_batches_parsed_ahead_give_what_batches_one_after_another_give(
    world: Any, monkeypatch: Any, small: bool
) -> None:
    from qalxan.hygiene import parsers

    if not small:
        monkeypatch.setattr(parsers, "SMALL_LOG", 0)  # every log through DuckDB's reader, in the thread
        monkeypatch.setattr(pipeline, "THREADED_PARQUET", 0)  # and the Parquet files written in a thread
    registry()
    now = timezone.now()
    cat = generator.Catalogue()
    logs = [
        generator.osquery_log(code, 25, random.Random(seed), now, packages=40, cat=cat)
        for code, seed in (("a", 1), ("b", 2), ("c", 3))
    ]
    ahead = [world.ministry, world.other, world.agency]
    sequential = [world.subordinate, world.authority, OrganizationFactory(code="third", kind="ministry")]
    results = list(
        pipeline.ingest_batches(
            actor=None,
            batches=(
                [pipeline.Upload(org, f"{i}.log", log)]
                for i, (org, log) in enumerate(zip(ahead, logs, strict=True))
            ),
            system=True,
        )
    )
    assert [r.rows for r in results] == [
        pipeline.ingest(actor=None, uploads=[pipeline.Upload(org, f"{i}.log", log)], system=True).rows
        for i, (org, log) in enumerate(zip(sequential, logs, strict=True))
    ]
    assert all(set(r.timings) >= {"parse", "installs", "vulnerabilities", "figures"} for r in results)
    assert Finding.objects.filter(organization=world.ministry).exists()
    for mine, theirs in zip(ahead, sequential, strict=True):
        assert _state(mine) == _state(theirs)


@pytest.mark.django_db(transaction=True)
def test_a_bad_batch_parsed_ahead_is_refused_after_the_previous_batch_is_committed(world: Any) -> None:
    from django.utils import translation

    from qalxan.hygiene.models import InventorySnapshot
    from qalxan.hygiene.parsers import InventoryRejected
    from qalxan.hygiene.tests.factories import csv_inventory

    registry()
    good = csv_inventory({"pc-1": [("Google LLC", "Google Chrome", "119.0.6045.160")]})
    bad = good + b"pc-2,pc-2.gov.az,Windows,2026-11-30T10:00:00,package,cobol,X,1,Y,,\n"
    batches = [
        [pipeline.Upload(world.ministry, "good.csv", good)],
        [pipeline.Upload(world.other, "bad.csv", bad)],
        [pipeline.Upload(world.agency, "never.csv", good)],
    ]
    messages = {}
    for language in ("en", "ru"):
        with pytest.raises(InventoryRejected) as direct, translation.override(language):
            pipeline.ingest(actor=None, uploads=batches[1], system=True)
        messages[language] = (direct.value.line, direct.value.field, direct.value.reason)
    assert messages["en"][2] != messages["ru"][2]
    for language in ("en", "ru"):
        stored = []
        with pytest.raises(InventoryRejected) as caught, translation.override(language):
            for result in pipeline.ingest_batches(actor=None, batches=iter(batches), system=True):
                stored.append(result)  # noqa: PERF402  (what came before the refusal)
        assert (caught.value.line, caught.value.field, caught.value.reason) == messages[language]
        assert len(stored) == 1
    assert set(InventorySnapshot.objects.values_list("organization_id", flat=True)) == {world.ministry.pk}
    assert (
        InventorySnapshot.objects.count() == 2
        and Endpoint.objects.filter(organization=world.ministry).count() == 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("threaded", [True, False], ids=["threaded", "inline"])
@pytest.mark.parametrize("failing", ["store_findings", "write"])
def test_a_failed_ingest_leaves_no_snapshot_file_and_no_row(
    world: Any, monkeypatch: Any, failing: str, threaded: bool
) -> None:
    """The Parquet files are written in a thread while the database is written: a failure on either side
    rolls the transaction back and removes the files, once the writer has finished."""
    from qalxan.hygiene import snapshots
    from qalxan.hygiene.models import InventorySnapshot

    registry()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    if threaded:
        monkeypatch.setattr(pipeline, "THREADED_PARQUET", 0)
    if failing == "write":
        monkeypatch.setattr(snapshots, "write", fail)
    else:
        monkeypatch.setattr(pipeline, failing, fail)
    log = generator.osquery_log(
        "a", 5, random.Random(1), timezone.now(), packages=20, cat=generator.Catalogue()
    )
    with pytest.raises(RuntimeError, match="boom"):
        pipeline.ingest(
            actor=None,
            uploads=[
                pipeline.Upload(world.ministry, "a.log", log),
                pipeline.Upload(world.other, "b.log", log),
            ],
            system=True,
        )
    assert not InventorySnapshot.objects.exists() and not Endpoint.objects.exists()
    assert not [p for p in snapshots.root().rglob("*") if p.is_file()]
    monkeypatch.undo()
    pipeline.ingest(actor=None, uploads=[pipeline.Upload(world.ministry, "a.log", log)], system=True)
    (snapshot,) = InventorySnapshot.objects.all()
    assert (snapshots.root() / snapshot.path).is_file()
    assert [p.name for p in snapshots.root().rglob("*") if p.is_file()] == [f"{snapshot.pk}.parquet"]
