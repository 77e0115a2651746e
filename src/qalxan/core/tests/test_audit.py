"""The audit log records who changed what, from where, and cannot be rewritten."""

import pytest
from django.db import DatabaseError, connection, transaction

from qalxan.core.models import AuditEntry
from qalxan.organizations import services


def test_update_records_actor_and_before_after(world):
    admin = world.users["admin"]
    services.update_organization(actor=admin, organization=world.ministry, phone="+994124000000")
    entry = AuditEntry.objects.filter(action="update", object_id=str(world.ministry.pk)).latest("timestamp")
    assert entry.actor == admin
    assert entry.organization_id == world.ministry.pk
    assert entry.before["phone"] == ""
    assert entry.after["phone"] == "+994124000000"
    assert "updated_at" in entry.after  # only changed fields are kept
    assert "name_az" not in entry.after


def test_request_address_is_recorded(world, client):
    admin = world.users["admin"]
    client.force_login(admin)
    response = client.post(
        f"/organizations/{world.ministry.pk}/edit/",
        {
            "code": "ministry-a",
            "short_name": "MIN-A",
            "name_az": "Nazirlik A",
            "kind": "ministry",
            "voen": "1400057421",
            "address": "Bakı",
        },
        REMOTE_ADDR="10.20.30.40",
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="update", object_id=str(world.ministry.pk)).latest("timestamp")
    assert entry.ip_address == "10.20.30.40"
    assert entry.after["name_az"] == "Nazirlik A"


def test_entries_cannot_be_changed_or_deleted_through_the_model(world):
    services.update_organization(actor=world.users["admin"], organization=world.ministry, phone="1")
    entry = AuditEntry.objects.latest("id")
    entry.message = "rewritten"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


@pytest.mark.django_db(transaction=True)
def test_database_refuses_updates_of_the_log(world):
    services.update_organization(actor=world.users["admin"], organization=world.ministry, phone="2")
    entry_id = AuditEntry.objects.latest("id").pk
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry_id).update(message="rewritten")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEntry.objects.filter(pk=entry_id).delete()
    assert AuditEntry.objects.get(pk=entry_id).message == ""


def test_sign_in_and_failed_sign_in_are_recorded(world, client):
    client.post("/account/login/", {"username": "officer.a", "password": "wrong-password"})
    assert AuditEntry.objects.filter(action="login_failed", actor_username="officer.a").exists()
    client.post("/account/login/", {"username": "officer.a", "password": "Test-password-2026"})
    assert AuditEntry.objects.filter(action="login", actor__username="officer.a").exists()


def test_auditor_page_filters_and_exports_csv(world, client):
    services.update_organization(actor=world.users["admin"], organization=world.other, phone="3")
    client.force_login(world.users["auditor"])
    page = client.get("/audit/", {"action": "update"})
    assert page.status_code == 200
    assert str(world.other) in page.content.decode()
    export = client.get("/audit/export.csv", {"action": "update"})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    header, *rows = body.strip().splitlines()
    assert header.startswith("id,timestamp,actor")
    assert rows and all(",update," in row for row in rows)
    assert AuditEntry.objects.filter(action="export", actor=world.users["auditor"]).exists()


def test_officer_reads_only_own_organisations_audit_trail(world, api):
    admin = world.users["admin"]
    services.update_organization(actor=admin, organization=world.ministry, phone="4")
    services.update_organization(actor=admin, organization=world.other, phone="5")
    data = api("officer_a").get("/api/v1/audit/", {"page_size": 500}).json()
    organizations = {row["organization"] for row in data["results"]}
    assert world.ministry.pk in organizations
    assert world.other.pk not in organizations
    assert api("officer_b").get(f"/api/v1/audit/?organization={world.ministry.pk}").json()["count"] == 0


def test_date_filters_take_any_offset_and_refuse_what_has_no_utc_time(world, api):
    client = api("auditor")
    # +23:53 is a valid ISO 8601 offset that PostgreSQL cannot store: the filter compares in UTC.
    assert client.get("/api/v1/audit/", {"until": "0362-11-30T19:01:51+23:53"}).status_code == 200
    assert client.get("/api/v1/audit/", {"since": "2026-01-01T00:00:00-15:30"}).status_code == 200
    refused = client.get("/api/v1/audit/", {"since": "0001-01-01T00:00:00+05:00"})
    assert refused.status_code == 400 and "since" in refused.json()
    assert client.get("/api/v1/audit/", {"organization": 2**70}).status_code == 400
