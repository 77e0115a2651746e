"""The hygiene API: upload with an institution's token, reads inside the institution, triage, transfers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qalxan.hygiene.models import Endpoint, Finding, InventorySnapshot
from qalxan.hygiene.tests.factories import csv_inventory, endpoint_with_finding, registry

CHROME = ("Google LLC", "Google Chrome", "119.0.6045.160")


def _upload(client: Any, org: Any, content: bytes, name: str = "inventory.csv", **extra: Any) -> Any:
    return client.post(
        "/api/v1/hygiene/inventories/",
        {"organization": org.pk, "file": SimpleUploadedFile(name, content), **extra},
        format="multipart",
    )


@pytest.mark.django_db
def test_an_officer_uploads_with_a_token_and_sees_only_its_own(world: Any, api: Any) -> None:
    registry()
    officer = api("officer_a")
    response = _upload(officer, world.ministry, csv_inventory({"pc-1": [CHROME], "pc-2": [CHROME]}))
    assert response.status_code == 201, response.content
    assert response.json()["endpoint_count"] == 2 and response.json()["format"] == "csv"
    endpoint_with_finding(world.other)
    rows = officer.get("/api/v1/hygiene/endpoints/").json()["results"]
    assert {r["host_identifier"] for r in rows} == {"pc-1", "pc-2"}
    findings = officer.get("/api/v1/hygiene/vulnerabilities/", {"known_exploited": "true"}).json()["results"]
    assert len(findings) == 2 and findings[0]["advisory_id"] == "QLX-DEMO-0006"
    scores = officer.get("/api/v1/hygiene/scores/").json()["results"]
    assert {s["organization"] for s in scores} == {world.ministry.pk}
    software = officer.get(f"/api/v1/hygiene/endpoints/{rows[0]['id']}/software/").json()
    assert software[0]["name"] == "Google Chrome" and software[0]["product"] == "Chrome"
    coverage = officer.get("/api/v1/hygiene/coverage/", {"compliant": "false"}).json()["results"]
    assert {c["reason"] for c in coverage} == {"not_installed"}
    # Nationally, the analyst sees both institutions.
    assert api("analyst").get("/api/v1/hygiene/endpoints/").json()["count"] == 3


@pytest.mark.django_db
def test_rejections_and_refusals(world: Any, api: Any) -> None:
    registry()
    officer = api("officer_a")
    bad = csv_inventory({"pc-1": [CHROME]}) + b"pc-2,,,,,cobol,X,1,,,\n"
    response = _upload(officer, world.ministry, bad)
    assert response.status_code == 400
    assert response.json() == {"detail": response.json()["detail"], "line": "3", "field": "ecosystem"}
    malformed = (
        b'{"name":"pack_hygiene_programs","hostIdentifier":"h","unixTime":1,"action":"snapshot",'
        b'"snapshot":[]}\n{oops\n'
    )
    response = _upload(officer, world.ministry, malformed, name="osqueryd.results.log")
    assert response.status_code == 400 and response.json()["line"] == "2"
    response = _upload(officer, world.other, csv_inventory({"pc-9": [CHROME]}))
    assert response.status_code == 400 and "organization" in response.json()
    assert _upload(api("viewer_a"), world.ministry, csv_inventory({"pc-9": [CHROME]})).status_code == 403
    response = _upload(officer, world.ministry, b"", name="empty.csv")
    assert response.status_code == 400
    assert not InventorySnapshot.objects.exists() and not Endpoint.objects.exists()


@pytest.mark.django_db
def test_triage_through_the_api(world: Any, api: Any) -> None:
    finding = endpoint_with_finding(world.ministry)
    url = f"/api/v1/hygiene/vulnerabilities/{finding.pk}/triage/"
    officer = api("officer_a")
    assert officer.post(url, {"step": "dismiss"}, format="json").status_code == 400
    response = officer.post(
        url, {"step": "dismiss", "justification": "component_not_present", "note": "Silinib"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "not_affected"
    assert (
        officer.post(
            url, {"step": "dismiss", "justification": "component_not_present"}, format="json"
        ).status_code
        == 400
    )
    assert api("viewer_a").post(url, {"step": "reopen"}, format="json").status_code == 403
    assert api("officer_b").post(url, {"step": "reopen"}, format="json").status_code == 404
    assert Finding.objects.get(pk=finding.pk).state == "not_affected"


@pytest.mark.django_db
def test_entitlements_and_transfers(world: Any, api: Any) -> None:
    products = registry()
    admin = api("admin")
    response = admin.post(
        "/api/v1/hygiene/entitlements/",
        {
            "organization": world.authority.pk,
            "product": products["Microsoft Office"].pk,
            "pool": "central",
            "contract": "EA-9",
            "seats": 10,
            "valid_from": "2026-01-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    moved = admin.post(
        f"/api/v1/hygiene/entitlements/{pk}/transfer/",
        {"seats": 4, "to_organization": world.ministry.pk},
        format="json",
    )
    assert moved.status_code == 201
    too_many = admin.post(
        f"/api/v1/hygiene/entitlements/{pk}/transfer/",
        {"seats": 7, "to_organization": world.other.pk},
        format="json",
    )
    assert too_many.status_code == 400 and "seats" in too_many.json()
    bad_dates = admin.patch(
        f"/api/v1/hygiene/entitlements/{pk}/", {"valid_until": "2025-01-01"}, format="json"
    )
    assert bad_dates.status_code == 400 and "valid_until" in bad_dates.json()
    assert api("officer_a").post(
        f"/api/v1/hygiene/entitlements/{pk}/transfer/",
        {"seats": 1, "to_organization": world.ministry.pk},
        format="json",
    ).status_code in {403, 404}


@pytest.mark.django_db
def test_an_officer_transfers_seats_of_its_own_contract(world: Any, api: Any) -> None:
    products = registry()
    admin = api("admin")
    own = admin.post(
        "/api/v1/hygiene/entitlements/",
        {
            "organization": world.ministry.pk,
            "product": products["Microsoft Office"].pk,
            "pool": "institution",
            "contract": "MIN-7",
            "seats": 3,
            "valid_from": "2026-01-01",
        },
        format="json",
    ).json()["id"]
    url = f"/api/v1/hygiene/entitlements/{own}/transfer/"
    officer = api("officer_a")
    moved = officer.post(url, {"seats": 2, "to_organization": world.subordinate.pk}, format="json")
    assert moved.status_code == 201, moved.content
    assert moved.json()["from_organization"] is None and moved.json()["seats"] == 2
    too_many = officer.post(url, {"seats": 2, "to_organization": world.other.pk}, format="json")
    assert too_many.status_code == 400 and "seats" in too_many.json()
    assert api("officer_sub").post(url, {"seats": 1}, format="json").status_code in {403, 404}
    assert api("officer_b").post(url, {"seats": 1, "to_organization": world.other.pk}).status_code == 404
    assert api("viewer_a").post(url, {"seats": 1, "to_organization": world.other.pk}).status_code == 403
    back = officer.post(url, {"seats": 1, "from_organization": world.subordinate.pk}, format="json")
    assert back.status_code == 201
    positions = api("officer_sub").get("/api/v1/hygiene/licences/").json()["results"]
    assert [(p["organization"], p["seats"]) for p in positions] == [(world.subordinate.pk, 1)]


@pytest.mark.django_db
def test_rules_crud_and_preview(world: Any, api: Any) -> None:
    registry()
    from qalxan.hygiene.models import NormalisationRule
    from qalxan.hygiene.tests.factories import ingest

    zoom = ("Zoom Video Communications, Inc.", "Zoom", "5.16")
    ingest(world.ministry, csv_inventory({"pc-1": [zoom], "pc-2": [zoom, CHROME]}))
    admin = api("admin")
    count = NormalisationRule.objects.count()
    would_be = {"priority": 60, "name_pattern": "^Zoom$", "vendor": "Zoom", "product": "Workplace"}
    preview = admin.post("/api/v1/hygiene/rules/preview/", would_be, format="json")
    assert preview.status_code == 200, preview.content
    assert preview.json() == [
        {
            "publisher": "Zoom Video Communications, Inc.",
            "name": "Zoom",
            "installs": 2,
            "before": "Zoom Video Communications, Inc. Zoom",
            "after": "Zoom Workplace",
        }
    ]
    assert NormalisationRule.objects.count() == count  # nothing saved
    bad = admin.post("/api/v1/hygiene/rules/preview/", {**would_be, "name_pattern": "(oops"}, format="json")
    assert bad.status_code == 400 and "name_pattern" in bad.json()
    no_product = admin.post("/api/v1/hygiene/rules/preview/", {"name_pattern": "^Zoom$"}, format="json")
    assert no_product.status_code == 400 and "product" in no_product.json()
    chrome = NormalisationRule.objects.get(name_pattern=r"^Google Chrome$")
    ignore_chrome = admin.post(
        "/api/v1/hygiene/rules/preview/",
        {"rule": chrome.pk, "name_pattern": r"^Google Chrome$", "action": "ignore"},
        format="json",
    ).json()
    assert [(c["name"], c["before"], c["installs"]) for c in ignore_chrome] == [
        ("Google Chrome", "Google Chrome", 1)
    ]
    assert ignore_chrome[0]["after"] != "Google Chrome"  # "(ignored)", in the request's language
    created = admin.post("/api/v1/hygiene/rules/", would_be, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    changed = admin.patch(f"/api/v1/hygiene/rules/{pk}/", {"product": "Zoom Workplace"}, format="json")
    assert changed.status_code == 200 and changed.json()["product"] == "Zoom Workplace"
    assert admin.get("/api/v1/hygiene/rules/", {"q": "Workplace"}).json()["count"] == 1
    from qalxan.core.models import AuditEntry

    assert AuditEntry.objects.filter(object_id=str(pk), action__in=["create", "update"]).count() == 2
    # Reading: the authority's roles; writing and previewing: admin and supervisor.
    assert api("auditor").get(f"/api/v1/hygiene/rules/{pk}/").status_code == 200
    assert api("analyst").post("/api/v1/hygiene/rules/", would_be, format="json").status_code == 403
    assert api("analyst").post("/api/v1/hygiene/rules/preview/", would_be, format="json").status_code == 403
    assert api("officer_a").get("/api/v1/hygiene/rules/").status_code == 403
    assert api("supervisor").delete(f"/api/v1/hygiene/rules/{pk}/").status_code == 204
    assert not NormalisationRule.objects.filter(pk=pk).exists()
