"""The exposure pages for each role, exports and the PDF report."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from qalxan.exposure.models import Finding, Scan
from qalxan.exposure.tests.factories import website

pytestmark = pytest.mark.django_db


def _client(world: Any, who: str) -> Client:
    c = Client()
    c.force_login(world.users[who])
    return c


def test_pages_render_for_the_authority_and_the_institution(world: Any) -> None:
    site = website(world.ministry, "own.gov.az", name="Nazirliyin saytı")
    other = website(world.other, "other.gov.az", name="Başqa sayt")
    finding = Finding.objects.create(
        site=site,
        check_code="personal_data",
        data_kind="phone",
        severity="high",
        location="https://own.gov.az/x",
        fingerprint="a",
        evidence={"count": 2},
    )
    scan = Scan.objects.create(
        site=site,
        trigger="command",
        state="finished",
        score=70,
        notes=[{"code": "timeout", "url": "https://own.gov.az/slow", "detail": ""}],
    )
    analyst = _client(world, "analyst")
    for url in (
        "/exposure/",
        f"/exposure/sites/{site.pk}/",
        "/exposure/findings/",
        f"/exposure/findings/{finding.pk}/",
        "/exposure/scans/",
        f"/exposure/scans/{scan.pk}/",
        "/exposure/dashboard/",
        "/exposure/ranges/",
    ):
        response = analyst.get(url)
        assert response.status_code == 200, url
    officer = _client(world, "officer_a")
    listing = officer.get("/exposure/").content.decode()
    assert "Nazirliyin saytı" in listing and "Başqa sayt" not in listing
    assert officer.get(f"/exposure/sites/{other.pk}/").status_code == 404
    assert officer.get("/exposure/dashboard/").status_code == 403


def test_exports_and_report(world: Any) -> None:
    site = website(world.ministry, "own.gov.az")
    Finding.objects.create(
        site=site, check_code="csp_missing", severity="medium", location="own.gov.az", fingerprint="a"
    )
    other = website(world.other, "other.gov.az")
    Finding.objects.create(
        site=other, check_code="hsts_missing", severity="medium", location="other.gov.az", fingerprint="b"
    )
    officer = _client(world, "officer_a")
    csv = b"".join(officer.get("/exposure/findings.csv").streaming_content).decode()
    assert "own.gov.az" in csv and "other.gov.az" not in csv
    xlsx = officer.get("/exposure/findings.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = officer.get(f"/exposure/sites/{site.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    from io import BytesIO

    from pypdf import PdfReader

    assert "own.gov.az" in "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)


def test_ranges_are_added_by_supervisors_with_a_clear_error_for_bad_input(world: Any) -> None:
    supervisor = _client(world, "supervisor")
    assert (
        supervisor.post("/exposure/ranges/add/", {"cidr": "85.132.0.0/16", "label": "AzStateNet"}).status_code
        == 302
    )
    bad = supervisor.post("/exposure/ranges/add/", {"cidr": "not-a-range", "label": ""})
    assert bad.status_code == 200 and "CIDR" in bad.content.decode()
    assert _client(world, "officer_a").get("/exposure/ranges/add/").status_code == 403
