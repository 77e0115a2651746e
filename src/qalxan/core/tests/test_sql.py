"""core.sql: inserts and look-ups written once, held to what the ORM's own save() and queries give."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qalxan.core import sql
from qalxan.core.models import AuditEntry
from qalxan.incidents.models import Incident, TimelineEntry
from qalxan.registry.models import InformationSystem
from qalxan.registry.tests.factories import system

NOW = timezone.now()


def _report(world: Any, **extra: Any) -> Incident:
    return Incident(
        organization=world.ministry,
        title="Phishing",
        detected_at=NOW - dt.timedelta(hours=2),
        reported_at=NOW,
        reported_by=world.users["officer_a"],
        indicators="evil.example",
        **extra,
    )


def _stored(obj: Any) -> dict[str, Any]:
    fresh = type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields}


def test_insert_stores_what_save_stores(world: Any) -> None:
    by_save, by_insert = _report(world), _report(world)
    by_save.save()
    sql.insert([by_insert])
    assert by_insert.pk is not None and by_insert.pk != by_save.pk
    assert not by_insert._state.adding and by_insert._state.db == "default"
    assert by_insert.created_at is not None and by_insert.updated_at is not None  # the fields' pre_save
    ignored = {"id", "created_at", "updated_at"}
    stored_save = {k: v for k, v in _stored(by_save).items() if k not in ignored}
    stored_insert = {k: v for k, v in _stored(by_insert).items() if k not in ignored}
    assert stored_insert == stored_save
    # What the object holds after the insert is what was stored.
    assert {f.attname: getattr(by_insert, f.attname) for f in Incident._meta.concrete_fields} == _stored(
        by_insert
    )


def test_insert_sends_the_signals_save_sends(world: Any) -> None:
    seen: list[tuple[str, Any, Any]] = []

    def before(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(("pre", instance.pk, kwargs["raw"]))

    def after(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
        seen.append(("post", instance.pk, created))

    pre_save.connect(before, sender=Incident)
    post_save.connect(after, sender=Incident)
    try:
        report = _report(world)
        sql.insert([report])
    finally:
        pre_save.disconnect(before, sender=Incident)
        post_save.disconnect(after, sender=Incident)
    assert seen == [("pre", None, False), ("post", report.pk, True)]


def test_insert_writes_many_rows_in_batches_the_database_allows(world: Any) -> None:
    report = _report(world)
    report.save()
    entries = [TimelineEntry(incident=report, kind="comment", message=f"note {i}") for i in range(1500)]
    with CaptureQueriesContext(connection) as queries:
        sql.insert(entries)
    size = connection.ops.bulk_batch_size(list(TimelineEntry._meta.concrete_fields)[1:], entries)
    assert len(queries) == -(-1500 // size)
    assert len({e.pk for e in entries}) == 1500
    stored = dict(TimelineEntry.objects.filter(incident=report).values_list("pk", "message"))
    assert all(stored[e.pk] == e.message for e in entries)


def test_insert_binds_no_more_values_per_statement_than_the_database_takes(world: Any) -> None:
    report = _report(world)
    report.save()
    entries = [TimelineEntry(incident=report, kind="comment", message=f"note {i}") for i in range(14000)]
    written = len(sql._insert_plan(TimelineEntry, "default").fields)  # type: ignore[union-attr]
    assert len(entries) * written > 65535  # more than one PostgreSQL statement can bind
    with CaptureQueriesContext(connection) as queries:
        sql.insert(entries)
    assert len(_writes(queries)) > 1
    stored = dict(TimelineEntry.objects.filter(incident=report).values_list("pk", "message"))
    assert len(stored) == 14000 and all(stored[e.pk] == e.message for e in entries)


def test_together_splits_what_one_statement_cannot_bind(world: Any) -> None:
    report = _report(world)
    report.save()
    first = [TimelineEntry(incident=report, kind="comment", message=f"a {i}") for i in range(8000)]
    second = [TimelineEntry(incident=report, kind="event", message=f"b {i}") for i in range(8000)]
    entry = AuditEntry(action="create", actor_username="x")
    with CaptureQueriesContext(connection) as queries, sql.together():
        sql.insert(first)
        sql.insert(second)
        sql.insert([entry])
    if (
        connection.vendor == "postgresql"
    ):  # 40,000 values each: two statements, the audit entry with the second
        assert len(_writes(queries)) == 2
    stored = dict(TimelineEntry.objects.filter(incident=report).values_list("pk", "message"))
    assert len(stored) == 16000 and all(stored[e.pk] == e.message for e in [*first, *second])
    assert AuditEntry.objects.get(pk=entry.pk).actor_username == "x"


def test_by_pk_reads_more_keys_than_one_statement_can_bind(world: Any) -> None:
    portal = system(world.users["supervisor"], world.ministry)
    missing = range(10**9, 10**9 + 70000)
    found = sql.by_pk(InformationSystem, [*missing, portal.pk], ["owner"])
    assert list(found) == [portal.pk]


def test_insert_refuses_stored_objects_and_mixed_models(world: Any) -> None:
    report = _report(world)
    report.save()
    with pytest.raises(ValueError):
        sql.insert([report])
    with pytest.raises(ValueError):
        sql.insert([_report(world), TimelineEntry(kind="comment", message="x")])
    entry = AuditEntry(action="create", actor_username="x")
    sql.insert([entry])
    with pytest.raises(ValueError):
        sql.insert([entry])  # the audit log stays append-only


def test_insert_refuses_an_unsaved_related_object_as_save_does(world: Any) -> None:
    unsaved = Incident(organization=world.ministry, title="x", detected_at=timezone.now())
    with pytest.raises(ValueError, match="unsaved related object"):
        sql.insert([TimelineEntry(incident=unsaved, kind="comment", message="x")])


def test_insert_falls_back_to_save_where_the_statement_cannot_do_it(world: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    sql._insert_plan.cache_clear()
    try:
        assert sql._insert_plan(Incident, "default") is None
        report = _report(world)
        with CaptureQueriesContext(connection) as queries:
            sql.insert([report])
        assert report.pk is not None and Incident.objects.filter(pk=report.pk).exists()
        assert any(q["sql"].startswith("INSERT") for q in queries)
    finally:
        sql._insert_plan.cache_clear()


def test_by_pk_reads_only_the_named_fields(world: Any) -> None:
    supervisor = world.users["supervisor"]
    first, second = system(supervisor, world.ministry), system(supervisor, world.other)
    with CaptureQueriesContext(connection) as queries:
        found = sql.by_pk(InformationSystem, [second.pk, first.pk, 987654], ["state", "owner"])
    assert len(queries) == 1
    assert set(found) == {first.pk, second.pk}
    assert found[first.pk].owner_id == world.ministry.pk and found[second.pk].state == second.state
    assert "name_az" in found[first.pk].get_deferred_fields()
    orm = InformationSystem.objects.only("state", "owner").get(pk=first.pk)
    assert found[first.pk].get_deferred_fields() == orm.get_deferred_fields()
    assert sql.by_pk(InformationSystem, [], ["state"]) == {}


def test_logged_statements_keep_their_text_once_prepared(db: Any) -> None:
    """After five runs PostgreSQL prepares the statement, and psycopg then keeps no text of it: the
    query log (tests, DEBUG) still shows each statement with its values."""
    with CaptureQueriesContext(connection) as queries:
        for step in range(8):
            assert sql.rows(sql.select(AuditEntry, [("object_id", "=")]), [f"none-{step}"]) == []
    assert len(queries) == 8
    assert all(q["sql"] and "none-" in q["sql"] and "core_auditentry" in q["sql"] for q in queries)


@pytest.mark.django_db
def test_values_sent_as_they_are_are_what_the_fields_would_send() -> None:
    """Where insert() sends an attribute unchanged, the field's own pre_save and get_db_prep_save give
    the same value; the fields it skips them for are the plain kinds, and only for their own types."""
    from django.apps import apps

    samples: list[Any] = ["", "text", 0, 7, -3, True, False, None, 1.5, NOW, NOW.date(), [1], {"a": 1}]
    kept_kinds: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.local_concrete_fields:
            as_is = sql._kept_as_is(field, "default")
            if not as_is:
                continue
            kept_kinds.add(type(field).__name__)
            for value in samples:
                if type(value) not in as_is:
                    continue
                obj = model()
                obj.__dict__[field.attname] = value
                sent = sql._db_value(field, obj, connection, as_is)
                assert sent is value
                expected = field.get_db_prep_save(field.pre_save(obj, True), connection)
                assert (type(expected), expected) == (type(value), value), (model, field)
    assert {"CharField", "TextField", "BooleanField", "ForeignKey"} <= kept_kinds
    assert not kept_kinds & {"JSONField", "GenericIPAddressField", "DecimalField", "UUIDField", "FileField"}
    created = Incident._meta.get_field("created_at")
    assert sql._kept_as_is(created, "default") == ()  # auto_now_add: pre_save sets it
    assert sql._kept_as_is(Incident._meta.get_field("detected_at"), "default") == (type(None),)


def test_a_field_class_that_changes_a_step_keeps_the_orm_s_path() -> None:
    from django.db import models

    class Stamped(models.DateTimeField):
        def pre_save(self, model_instance: Any, add: bool) -> Any:
            return NOW

    class Upper(models.CharField):
        def get_prep_value(self, value: Any) -> Any:
            return value.upper() if isinstance(value, str) else value

    class Flag(models.BooleanField):
        def to_python(self, value: Any) -> Any:
            return not value

    assert sql._kept_as_is(Stamped(), "default") == ()
    assert sql._kept_as_is(Upper(max_length=3), "default") == ()
    assert sql._kept_as_is(Flag(), "default") == ()
    assert sql._kept_as_is(models.DateTimeField(), "default") == (type(None),)
    assert sql._kept_as_is(models.CharField(max_length=3), "default") == (str, type(None))


def _writes(queries: Any) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "WITH"))]


def test_together_sends_the_block_s_inserts_at_its_end_with_their_keys(world: Any) -> None:
    report = _report(world)
    report.save()
    entries = [TimelineEntry(incident=report, kind="comment", message=f"note {i}") for i in range(3)]
    audits = [AuditEntry(action="create", actor_username=f"user {i}") for i in range(2)]
    portal = system(world.users["supervisor"], world.ministry)
    links = [Incident.affected_systems.through(incident=report, informationsystem=portal)]
    before = TimelineEntry.objects.count()
    with CaptureQueriesContext(connection) as queries, sql.together():
        sql.insert(entries)
        sql.insert(audits)
        sql.insert(links)
        assert all(e.pk is None for e in entries) and not _writes(queries)  # nothing sent yet
        assert TimelineEntry.objects.count() == before
    sent = _writes(queries)
    # PostgreSQL: one statement, each INSERT a data-modifying WITH; elsewhere one statement per model.
    assert len(sent) == (1 if connection.vendor == "postgresql" else 3)
    for obj in [*entries, *audits, *links]:
        assert obj.pk is not None and not obj._state.adding and obj._state.db == "default"
    assert dict(TimelineEntry.objects.filter(incident=report).values_list("pk", "message")) == {
        e.pk: e.message for e in entries
    }
    assert {a.pk: a.actor_username for a in audits} == dict(
        AuditEntry.objects.filter(pk__in=[a.pk for a in audits]).values_list("pk", "actor_username")
    )
    assert list(report.affected_systems.all()) == [portal]


def test_together_sends_post_save_once_the_keys_are_known(world: Any) -> None:
    seen: list[tuple[str, Any]] = []

    def before(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(("pre", instance.pk))

    def after(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(("post", instance.pk))

    pre_save.connect(before, sender=AuditEntry)
    post_save.connect(after, sender=AuditEntry)
    try:
        entry = AuditEntry(action="create", actor_username="x")
        with sql.together():
            sql.insert([entry])
            sql.insert([AuditEntry(action="update", actor_username="y")])
            assert seen == [("pre", None), ("pre", None)]
    finally:
        pre_save.disconnect(before, sender=AuditEntry)
        post_save.disconnect(after, sender=AuditEntry)
    assert seen[2] == ("post", entry.pk) and entry.pk is not None and len(seen) == 4


def test_together_drops_its_writes_when_the_block_fails(world: Any) -> None:
    before = AuditEntry.objects.count()
    entry = AuditEntry(action="create", actor_username="x")
    with pytest.raises(RuntimeError), sql.together():
        sql.insert([entry])
        raise RuntimeError("the change failed")
    assert entry.pk is None and AuditEntry.objects.count() == before
    sql.insert([AuditEntry(action="create", actor_username="after")])  # not held by the failed block
    assert AuditEntry.objects.count() == before + 1


def test_together_writes_nothing_of_the_block_when_one_row_is_refused(world: Any) -> None:
    from django.db import IntegrityError, transaction

    report = _report(world)
    report.save()
    portal = system(world.users["supervisor"], world.ministry)
    Incident.affected_systems.through(incident=report, informationsystem=portal).save()
    audits, entries = AuditEntry.objects.count(), TimelineEntry.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic(), sql.together():
        sql.insert([AuditEntry(action="create", actor_username="x")])
        sql.insert([TimelineEntry(incident=report, kind="comment", message="x")])
        # the same system twice: refused by the pair's unique constraint
        sql.insert([Incident.affected_systems.through(incident=report, informationsystem=portal)])
    assert (AuditEntry.objects.count(), TimelineEntry.objects.count()) == (audits, entries)


def test_together_blocks_nest_each_sending_its_own(world: Any) -> None:
    outer, inner = (
        AuditEntry(action="create", actor_username="o"),
        AuditEntry(action="create", actor_username="i"),
    )
    with sql.together():
        sql.insert([outer])
        with sql.together():
            sql.insert([inner])
        assert inner.pk is not None and outer.pk is None
    assert outer.pk is not None


def test_together_saves_at_once_what_only_the_orm_can_insert(world: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    sql._insert_plan.cache_clear()
    try:
        entry = AuditEntry(action="create", actor_username="x")
        with sql.together():
            sql.insert([entry])
            assert entry.pk is not None  # saved by the ORM inside the block
    finally:
        sql._insert_plan.cache_clear()


def test_one_insert_outside_a_transaction_is_one_statement_and_no_transaction(transactional_db: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        sql.insert([AuditEntry(action="create", actor_username="alone")])
    assert [q["sql"].split()[0] for q in queries] == ["INSERT"]
    assert AuditEntry.objects.filter(actor_username="alone").exists()
