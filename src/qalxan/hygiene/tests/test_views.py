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
