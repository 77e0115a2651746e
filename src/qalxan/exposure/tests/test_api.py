"""What each role sees and may do through the exposure API."""

from __future__ import annotations

from typing import Any

import pytest

from qalxan.exposure.models import Finding, Scan
from qalxan.exposure.tests.factories import website

pytestmark = pytest.mark.django_db


def _finding(site: Any) -> Finding:
    return Finding.objects.create(
        site=site, check_code="csp_missing", severity="medium", location="a", fingerprint="x"
    )


def test_institution_sees_only_its_sites_and_findings(world: Any, api: Any) -> None:
    own = website(world.ministry, "own.gov.az")
    other = website(world.other, "other.gov.az")
    _finding(own)
    _finding(other)
    rows = api("officer_a").get("/api/v1/exposure/sites/").json()["results"]
    assert [r["id"] for r in rows] == [own.pk]
    assert rows[0]["domains"] == ["own.gov.az"]
    findings = api("viewer_a").get("/api/v1/exposure/findings/").json()["results"]
    assert [f["site"] for f in findings] == [own.pk]
    assert findings[0]["remediation"] and findings[0]["title"]
    assert (
        api("officer_a").get(f"/api/v1/exposure/findings/{Finding.objects.get(site=other).pk}/").status_code
        == 404
    )


def test_officer_queues_a_rescan_of_its_own_site_only(world: Any, api: Any) -> None:
    own = website(world.ministry, "own.gov.az")
    other = website(world.other, "other.gov.az")
    response = api("officer_a").post("/api/v1/exposure/scans/", {"site": own.pk}, format="json")
    assert response.status_code == 201, response.content
    assert Scan.objects.get().state == "queued"
    again = api("officer_a").post("/api/v1/exposure/scans/", {"site": own.pk}, format="json")
    assert again.status_code == 400 and "növbədədir" in str(again.json())
    assert (
        api("officer_a").post("/api/v1/exposure/scans/", {"site": other.pk}, format="json").status_code == 400
    )
    assert api("viewer_a").post("/api/v1/exposure/scans/", {"site": own.pk}, format="json").status_code == 403
    assert Scan.objects.count() == 1


def test_site_without_domains_cannot_be_scanned(world: Any, api: Any) -> None:
    bare = website(world.ministry)
    response = api("analyst").post("/api/v1/exposure/scans/", {"site": bare.pk}, format="json")
    assert response.status_code == 400


def test_supervisor_accepts_the_risk_with_a_reason(world: Any, api: Any) -> None:
    site = website(world.ministry, "own.gov.az")
    finding = _finding(site)
    url = f"/api/v1/exposure/findings/{finding.pk}/accept-risk/"
    assert api("supervisor").post(url, {}, format="json").status_code == 400
    assert api("officer_a").post(url, {"reason": "x"}, format="json").status_code == 403
    response = api("supervisor").post(url, {"reason": "Köhnə arxiv saytı, bağlanır"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    reopened = api("supervisor").post(
        f"/api/v1/exposure/findings/{finding.pk}/reopen/", {"reason": "yox"}, format="json"
    )
    assert reopened.json()["state"] == "open"
