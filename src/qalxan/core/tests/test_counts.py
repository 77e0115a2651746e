"""Row counts kept by PostgreSQL triggers (core.counts) are the table's `COUNT(*)` after every kind of
change, inside and after transactions; anything but a whole-table count is counted as before."""

import pytest
from django.db import connection, transaction

from qalxan.core import counts
from qalxan.core.models import RowCount
from qalxan.registry.models import InformationSystem
from qalxan.registry.tests.factories import system

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")


def _real(where: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM registry_informationsystem {where}")  # noqa: S608  (fixed text)
        return int(cursor.fetchone()[0])


def _entries() -> int:
    return RowCount.objects.filter(table_name="registry_informationsystem").count()


@postgres_only
def test_kept_count_follows_inserts_deletes_rollbacks_compaction_and_truncate(world):
    supervisor = world.users["supervisor"]
    assert counts.kept_count(InformationSystem) == _real()
    made = [system(supervisor, world.ministry, f"Sistem {n}") for n in range(4)]
    assert counts.kept_count(InformationSystem) == _real() == InformationSystem.objects.count()
    assert _real() >= 4

    InformationSystem.objects.filter(pk__in=[made[0].pk, made[1].pk]).delete()
    assert InformationSystem.objects.count() == _real()

    with pytest.raises(RuntimeError), transaction.atomic():
        system(supervisor, world.ministry, "Geri alınan")
        assert InformationSystem.objects.count() == _real()
        raise RuntimeError
    assert InformationSystem.objects.count() == _real()

    assert _entries() > 1
    assert counts.compact() >= 1
    assert _entries() == 1 and InformationSystem.objects.count() == _real()
    assert counts.compact() == 0  # nothing left to fold

    # A count with conditions, a slice or a union is Django's own.
    assert InformationSystem.objects.filter(owner=world.ministry).count() == _real(
        f"WHERE owner_id = {int(world.ministry.pk)}"
    )
    assert InformationSystem.objects.all()[:1].count() == 1
    assert InformationSystem.objects.none().count() == 0

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # deferred key checks would forbid TRUNCATE here
        cursor.execute("TRUNCATE registry_informationsystem CASCADE")
    assert InformationSystem.objects.count() == 0 == _real()
    system(supervisor, world.ministry, "Sonra")
    assert InformationSystem.objects.count() == 1 == _real()


@postgres_only
def test_whole_registry_count_reads_no_rows_of_the_table(world):
    from django.test.utils import CaptureQueriesContext

    system(world.users["supervisor"], world.ministry, "Sistem")
    expected = _real()
    with CaptureQueriesContext(connection) as queries:
        assert InformationSystem.objects.count() == expected
    assert len(queries) == 1 and "core_rowcount" in queries[0]["sql"]


@postgres_only
def test_without_entries_the_count_is_djangos_until_the_next_change_starts_again(world):
    supervisor = world.users["supervisor"]
    system(supervisor, world.ministry, "Sistem")
    gone = system(supervisor, world.ministry, "Silinəcək")
    RowCount.objects.all().delete()
    assert counts.kept_count(InformationSystem) is None
    assert InformationSystem.objects.count() == _real() >= 2
    system(supervisor, world.ministry, "Yeni")  # the next insert starts from the whole count
    assert counts.kept_count(InformationSystem) == _real() == InformationSystem.objects.count()
    RowCount.objects.all().delete()
    InformationSystem.objects.filter(pk=gone.pk).delete()  # ... and so does a delete
    assert counts.kept_count(InformationSystem) == _real()


def test_sqlite_and_postgresql_give_the_same_counts_on_the_list(world, client):
    supervisor = world.users["supervisor"]
    for n in range(3):
        system(supervisor, world.ministry, f"Sistem {n}")
    client.force_login(supervisor)
    total = _real()
    assert InformationSystem.objects.count() == total
    page = client.get("/api/v1/registry/systems/").json()
    assert page["count"] == total


def test_install_refuses_what_is_not_a_table_name():
    with pytest.raises(ValueError, match="not a table name"):
        counts.install_sql("x'; DROP TABLE y; --")
