"""Pages: each role sees what it may, and nothing of another institution."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qalxan.hygiene.models import Finding, LicencePosition
from qalxan.hygiene.tests.factories import csv_inventory, endpoint_with_finding, ingest, registry


def _client(world: Any, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


@pytest.mark.django_db
def test_pages_render_for_the_authority_and_the_institution(world: Any) -> None:
    registry()
    finding = endpoint_with_finding(world.ministry)
    ingest(world.ministry, csv_inventory({"pc-1": [("win.rar GmbH", "WinRAR 6.24 (64-bit)", "6.24.0")]}))
    position = LicencePosition.objects.get(organization=world.ministry, product__product="WinRAR")
    endpoint = finding.endpoint
    admin = _client(world, "admin")
    for url in [
        "/hygiene/",
        f"/hygiene/institutions/{world.ministry.pk}/",
        "/hygiene/endpoints/",
        f"/hygiene/endpoints/{endpoint.pk}/",
        "/hygiene/upload/",
        "/hygiene/licences/",
        f"/hygiene/licences/{world.ministry.pk}/{position.product_id}/",
        "/hygiene/coverage/",
        "/hygiene/vulnerabilities/",
        f"/hygiene/vulnerabilities/{finding.pk}/",
        "/hygiene/rules/",
        "/hygiene/rules/add/",
        "/hygiene/advisories/",
    ]:
        assert admin.get(url).status_code == 200, url
    xlsx = admin.get("/hygiene/licences/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = admin.get("/hygiene/licences/report.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    officer = _client(world, "officer_a")
    assert officer.get(f"/hygiene/endpoints/{endpoint.pk}/").status_code == 200
    assert officer.get("/hygiene/rules/").status_code == 403
    other = _client(world, "officer_b")
    assert other.get(f"/hygiene/endpoints/{endpoint.pk}/").status_code == 404
    assert other.get(f"/hygiene/institutions/{world.ministry.pk}/").status_code == 404
    assert other.get(f"/hygiene/vulnerabilities/{finding.pk}/").status_code == 404
    assert other.get(f"/hygiene/licences/{world.ministry.pk}/{position.product_id}/").status_code == 404
    assert b"WinRAR" not in other.get("/hygiene/licences/").content
    assert b"WinRAR" not in other.get("/hygiene/licences/report.xlsx").content


@pytest.mark.django_db
def test_upload_page_shows_the_rejected_line_and_triage_form_works(world: Any) -> None:
    registry()
    officer = _client(world, "officer_a")
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = (
        csv_inventory({"pc-1": [("Zoom", "Zoom", "5")]})
        + b",,,,,,,,,,\n"
        + b"pc-2,,,,package,generic,,1,,,\n"
    )
    response = officer.post(
        "/hygiene/upload/", {"organization": world.ministry.pk, "file": SimpleUploadedFile("x.csv", bad)}
    )
    assert response.status_code == 400 and b'data-testid="rejected"' in response.content
    finding = endpoint_with_finding(world.ministry)
    response = officer.post(f"/hygiene/vulnerabilities/{finding.pk}/", {"step": "confirm", "note": "ok"})
    assert response.status_code == 302
    assert Finding.objects.get(pk=finding.pk).state == "affected"


@pytest.mark.django_db
def test_edit_pages_of_products_categories_weights_and_contracts(world: Any) -> None:
    from qalxan.core.models import AuditEntry
    from qalxan.hygiene.models import Entitlement, EssentialCategory, LicensedProduct, ScoreWeights

    products = registry()
    admin = _client(world, "admin")
    category = EssentialCategory.objects.get()
    for url in [
        "/hygiene/products/",
        "/hygiene/products/add/",
        f"/hygiene/products/{products['Microsoft Office'].pk}/",
        "/hygiene/categories/",
        "/hygiene/categories/add/",
        f"/hygiene/categories/{category.pk}/",
        "/hygiene/weights/",
        "/hygiene/entitlements/add/",
    ]:
        assert admin.get(url).status_code == 200, url
    # Links from the licences, coverage and institution pages.
    assert b"/hygiene/entitlements/add/" in admin.get("/hygiene/licences/").content
    assert b"/hygiene/products/" in admin.get("/hygiene/licences/").content
    assert b"/hygiene/categories/" in admin.get("/hygiene/coverage/").content
    assert b"/hygiene/weights/" in admin.get(f"/hygiene/institutions/{world.ministry.pk}/").content

    # Products: a clear message for a missing field and for a duplicate; a saved one is audited.
    response = admin.post("/hygiene/products/add/", {"vendor": "", "product": "Suite"})
    assert response.status_code == 200 and "vendor" in response.context["form"].errors
    response = admin.post("/hygiene/products/add/", {"vendor": "Microsoft", "product": "Office"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = admin.post(
        "/hygiene/products/add/", {"vendor": "Corel", "product": "Draw", "is_commercial": "on"}
    )
    assert response.status_code == 302
    corel = LicensedProduct.objects.get(vendor="Corel")
    assert (
        corel.is_commercial and AuditEntry.objects.filter(object_id=str(corel.pk), action="create").exists()
    )
    response = admin.post(f"/hygiene/products/{corel.pk}/", {"vendor": "Corel", "product": "CorelDRAW"})
    assert response.status_code == 302
    corel.refresh_from_db()
    assert (corel.product, corel.is_commercial) == ("CorelDRAW", False)
    entry = AuditEntry.objects.filter(object_id=str(corel.pk), action="update").get()
    assert entry.before["product"] == "Draw" and entry.after["product"] == "CorelDRAW"

    # Categories: services one a line, a baseline that must read as a version, a positive window.
    data = {
        "code": category.code,
        "name": category.name,
        "approved_products": [products["ESET Endpoint Security"].pk, corel.pk],
        "service_names": "ekrn\nAVP, ekrn",
        "min_version": "abc",
        "max_age_days": "0",
        "applies_to": "workstations",
        "is_active": "on",
    }
    response = admin.post(f"/hygiene/categories/{category.pk}/", data)
    errors = response.context["form"].errors
    assert response.status_code == 200 and {"min_version", "max_age_days"} <= set(errors)
    response = admin.post(
        f"/hygiene/categories/{category.pk}/", {**data, "min_version": "12.0", "max_age_days": "10"}
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.service_names == ["ekrn", "AVP"] and category.min_version == "12.0"
    assert set(category.approved_products.all()) == {products["ESET Endpoint Security"], corel}

    # Weights: all zero is refused with the reason; a valid set becomes the newest row.
    zero = {"licence": 0, "coverage": 0, "exposure": 0, "freshness": 0, "stale_days": 14}
    response = admin.post("/hygiene/weights/", zero)
    assert response.status_code == 400 and b'data-testid="form-errors"' in response.content
    response = admin.post("/hygiene/weights/", {**zero, "licence": 101})
    assert response.status_code == 400 and "licence" in response.context["form"].errors
    assert admin.post("/hygiene/weights/", {**zero, "coverage": 60, "freshness": 40}).status_code == 302
    assert str(ScoreWeights.objects.order_by("-id").first()) == "0/60/0/40"

    # Contracts: the central pool belongs to the authority; dates in order; then create and edit.
    contract = {
        "organization": world.ministry.pk,
        "product": products["Microsoft Office"].pk,
        "pool": "central",
        "contract": "MIN-2027",
        "seats": "20",
        "valid_from": "2027-01-01",
        "valid_until": "2026-01-01",
    }
    response = admin.post("/hygiene/entitlements/add/", contract)
    assert response.status_code == 200 and "valid_until" in response.context["form"].errors
    response = admin.post("/hygiene/entitlements/add/", {**contract, "valid_until": ""})
    assert response.status_code == 200 and "pool" in response.context["form"].errors
    response = admin.post(
        "/hygiene/entitlements/add/", {**contract, "valid_until": "", "pool": "institution"}
    )
    assert response.status_code == 302
    own = Entitlement.objects.get(contract="MIN-2027")
    assert response["Location"] == own.get_absolute_url()
    assert admin.get(f"/hygiene/entitlements/{own.pk}/edit/").status_code == 200
    response = admin.post(
        f"/hygiene/entitlements/{own.pk}/edit/",
        {**contract, "valid_until": "", "pool": "institution", "seats": "25"},
    )
    assert response.status_code == 302 and Entitlement.objects.get(pk=own.pk).seats == 25
    assert b'data-testid="delete-entitlement"' in admin.get(own.get_absolute_url()).content

    # Institutions do not edit the authority's reference data or record contracts.
    officer = _client(world, "officer_a")
    for url in [
        "/hygiene/products/add/",
        "/hygiene/categories/",
        "/hygiene/weights/",
        "/hygiene/entitlements/add/",
    ]:
        assert officer.get(url).status_code == 403, url
    assert officer.get(f"/hygiene/entitlements/{own.pk}/edit/").status_code == 403
    assert officer.post(f"/hygiene/entitlements/{own.pk}/delete/").status_code == 403
    assert b'data-testid="delete-entitlement"' not in officer.get(own.get_absolute_url()).content
    response = admin.post(f"/hygiene/entitlements/{own.pk}/delete/")
    assert response.status_code == 302 and not Entitlement.objects.filter(pk=own.pk).exists()
    assert AuditEntry.objects.filter(object_id=str(own.pk), action="delete").exists()


@pytest.mark.django_db
def test_the_holder_transfers_own_pool_seats_on_the_entitlement_page(world: Any) -> None:
    import datetime as dt

    from qalxan.hygiene import services
    from qalxan.hygiene.models import Allocation

    products = registry()
    own = services.create_entitlement(
        actor=world.users["admin"],
        organization=world.ministry,
        product=products["Microsoft Office"],
        pool="institution",
        contract="MIN-8",
        seats=4,
        valid_from=dt.date(2026, 1, 1),
    )
    officer = _client(world, "officer_a")
    page = officer.get(own.get_absolute_url())
    assert page.status_code == 200 and b'data-testid="transfer"' in page.content
    response = officer.post(own.get_absolute_url(), {"seats": 5, "to_organization": world.subordinate.pk})
    assert response.status_code == 400 and not Allocation.objects.exists()
    response = officer.post(own.get_absolute_url(), {"seats": 3, "to_organization": world.subordinate.pk})
    assert response.status_code == 302
    assert Allocation.objects.get(entitlement=own).organization == world.subordinate
    # The receiving institution sees the seats in its figures, not the contract, and cannot move them.
    sub = _client(world, "officer_sub")
    assert sub.get(own.get_absolute_url()).status_code == 404
    response = sub.post(own.get_absolute_url(), {"seats": 1, "from_organization": world.subordinate.pk})
    assert response.status_code == 404
    assert Allocation.objects.get(entitlement=own).seats == 3
