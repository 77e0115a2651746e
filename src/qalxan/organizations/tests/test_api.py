"""The organisations API: reads through tenancy, writes through services, clear 4xx errors."""

from qalxan.core.models import AuditEntry
from qalxan.organizations.models import Organization


def test_admin_creates_with_warning_and_field_errors(world, api):
    client = api("admin")
    response = client.post(
        "/api/v1/organizations/",
        {
            "code": "api-org",
            "short_name": "API",
            "name_az": "API Təşkilatı",
            "kind": "state_company",
            "voen": "1400057424",
            "sectors": ["energy"],
            "domains": ["api-org.az"],
            "parent": world.ministry.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["voen_checksum_ok"] is False and body["warnings"]
    assert body["domains"] == ["api-org.az"] and body["sectors"] == ["energy"]
    bad = client.post(
        "/api/v1/organizations/", {"code": "Bad Code", "kind": "planet", "sectors": ["mars"]}, format="json"
    )
    assert bad.status_code == 400
    assert {"code", "kind", "sectors", "short_name", "name_az"} <= set(bad.json())


def test_officer_lists_only_own_subtree(world, api):
    data = api("officer_a").get("/api/v1/organizations/").json()
    assert {row["code"] for row in data["results"]} == {"ministry-a", "ministry-a-sub"}


def test_officer_cannot_read_or_change_another_institution(world, api):
    client = api("officer_a")
    assert client.get(f"/api/v1/organizations/{world.other.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/organizations/{world.other.pk}/", {"phone": "1"}, format="json").status_code
        == 404
    )
    world.other.refresh_from_db()
    assert world.other.phone == ""


def test_officer_patches_own_phone_but_not_kind(world, api):
    client = api("officer_a")
    ok = client.patch(
        f"/api/v1/organizations/{world.ministry.pk}/", {"phone": "+994125550000"}, format="json"
    )
    assert ok.status_code == 200
    refused = client.patch(
        f"/api/v1/organizations/{world.ministry.pk}/", {"kind": "state_company"}, format="json"
    )
    assert refused.status_code == 403
    world.ministry.refresh_from_db()
    assert world.ministry.kind == "ministry" and world.ministry.phone == "+994125550000"


def test_viewer_cannot_write(world, api):
    response = api("viewer_a").patch(
        f"/api/v1/organizations/{world.ministry.pk}/", {"phone": "1"}, format="json"
    )
    assert response.status_code == 403


def test_filters_are_shared_with_the_ui(world, api):
    client = api("admin")
    assert {
        r["code"] for r in client.get("/api/v1/organizations/?kind=subordinate_body").json()["results"]
    } == {"ministry-a-sub"}
    assert client.get("/api/v1/organizations/?q=MIN-B").json()["count"] == 1
    assert client.get("/api/v1/organizations/?kind=planet").status_code == 400


def test_import_endpoint_dry_run_and_commit(world, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api("admin")
    csv = b"code,short_name,name_az,kind\napi-imp,AI,Idxal,ministry\n"
    dry = client.post(
        "/api/v1/organizations/import/",
        {"file": SimpleUploadedFile("o.csv", csv), "dry_run": True},
        format="multipart",
    )
    assert dry.status_code == 200 and dry.json()["committed"] is False
    assert not Organization.objects.filter(code="api-imp").exists()
    bad = client.post(
        "/api/v1/organizations/import/",
        {"file": SimpleUploadedFile("o.csv", b"code,short_name,name_az,kind\nX Y,A,B,moon\n")},
        format="multipart",
    )
    assert bad.status_code == 400
    assert {(e["row"], e["field"]) for e in bad.json()["errors"]} == {(2, "code"), (2, "kind")}
    done = client.post(
        "/api/v1/organizations/import/", {"file": SimpleUploadedFile("o.csv", csv)}, format="multipart"
    )
    assert done.status_code == 200 and done.json()["created"] == 1
    assert (
        api("officer_a")
        .post("/api/v1/organizations/import/", {"file": SimpleUploadedFile("o.csv", csv)}, format="multipart")
        .status_code
        == 403
    )


def test_contacts_are_scoped(world, api):
    client = api("officer_a")
    created = client.post(
        "/api/v1/contacts/",
        {"organization": world.ministry.pk, "full_name": "Elvin Quliyev", "is_security_contact": True},
        format="json",
    )
    assert created.status_code == 201
    refused = client.post(
        "/api/v1/contacts/", {"organization": world.other.pk, "full_name": "X"}, format="json"
    )
    assert refused.status_code == 400  # another institution is not even a valid choice
    assert api("officer_b").get(f"/api/v1/contacts/{created.json()['id']}/").status_code == 404
    assert AuditEntry.objects.filter(action="create", object_repr="Elvin Quliyev").exists()


def test_unauthenticated_requests_are_401(world):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/organizations/").status_code == 401


def test_officer_edits_and_deletes_own_contacts(world, api):
    from qalxan.organizations.models import Contact

    contact = Contact.objects.create(organization=world.ministry, full_name="Rəşad Əliyev")
    client = api("officer_a")
    assert (
        client.patch(f"/api/v1/contacts/{contact.pk}/", {"phone": "+994501112233"}, format="json").status_code
        == 200
    )
    assert client.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 204
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert api("viewer_a").get("/api/v1/contacts/").status_code == 200


def test_officer_may_put_own_card_with_unchanged_structure(world, api):
    client = api("officer_a")
    current = client.get(f"/api/v1/organizations/{world.ministry.pk}/").json()
    current.update(phone="+994127778899", sectors=[], domains=[])
    current.pop("warnings")
    response = client.put(f"/api/v1/organizations/{world.ministry.pk}/", current, format="json")
    assert response.status_code == 200, response.json()


def test_bad_domains_are_refused_everywhere(world, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api("admin")
    bad = client.patch(
        f"/api/v1/organizations/{world.ministry.pk}/",
        {"domains": ["not a domain", "ok.gov.az"]},
        format="json",
    )
    assert bad.status_code == 400 and "domains" in bad.json()
    assert not world.ministry.domains.exists()
    csv = b"code,short_name,name_az,kind,domains\nnew-org,N,Yeni,ministry,good.az;bad_domain\n"
    result = client.post(
        "/api/v1/organizations/import/", {"file": SimpleUploadedFile("o.csv", csv)}, format="multipart"
    ).json()
    assert [(e["row"], e["field"]) for e in result["errors"]] == [(2, "domains")]
    ok = client.patch(
        f"/api/v1/organizations/{world.ministry.pk}/",
        {"domains": ["Nazirlik.GOV.az.", "bakı.az"]},
        format="json",
    )
    assert sorted(ok.json()["domains"]) == ["nazirlik.gov.az", "xn--bak-lua.az"]
