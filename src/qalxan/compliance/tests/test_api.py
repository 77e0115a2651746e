"""The compliance API: what each role of the world sees and may do; 4xx with clear messages for bad input."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import orjson
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qalxan.compliance.models import Catalogue, Finding
from qalxan.compliance.samples import DATA, FILES
from qalxan.compliance.tests.factories import campaign, small_catalogue

pytestmark = pytest.mark.django_db
BASE = "/api/v1/compliance"


def test_oscal_import_and_export_through_the_api(world: Any, api: Any) -> None:
    supervisor = api("supervisor")
    upload = SimpleUploadedFile("gr.json", (DATA / FILES[1]).read_bytes(), content_type="application/json")
    response = supervisor.post(f"{BASE}/catalogues/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "model-regulations" and body["requirement_count"] > 20
    exported = api("officer_a").get(f"{BASE}/catalogues/{body['id']}/oscal/")
    assert (
        exported.status_code == 200
        and orjson.loads(exported.content)["catalog"]["metadata"]["version"] == "2026.1"
    )
    tree = api("viewer_a").get(f"{BASE}/catalogues/{body['id']}/requirements/").json()
    assert tree[0]["kind"] == "group"


def test_bad_files_get_a_clear_400_and_change_nothing(world: Any, api: Any) -> None:
    supervisor = api("supervisor")
    bad = json.loads((DATA / FILES[0]).read_text())
    bad["catalog"]["uuid"] = "not-a-uuid"
    response = supervisor.post(
        f"{BASE}/catalogues/import/",
        {"file": SimpleUploadedFile("bad.json", json.dumps(bad).encode())},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "catalog.uuid"
    csv = "id,kind,title_az,weight\ng,group,Qrup,\nr,requirement,Tələb,-1\n"
    response = supervisor.post(
        f"{BASE}/catalogues/import/",
        {"file": SimpleUploadedFile("cat.csv", csv.encode()), "code": "c", "version": "1", "name_az": "C"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 3, "field": "weight", "message": response.json()["errors"][0]["message"]}
    ]
    assert not Catalogue.objects.exists()
    officer = api("officer_a").post(
        f"{BASE}/catalogues/import/",
        {"file": SimpleUploadedFile("gr.json", (DATA / FILES[0]).read_bytes())},
        format="multipart",
    )
    assert officer.status_code == 403


def test_campaign_answer_submit_review_lock_through_the_api(world: Any, api: Any) -> None:
    catalogue = small_catalogue((1, 1))
    supervisor, officer = api("supervisor"), api("officer_a")
    payload = {
        "organization": world.authority.pk,
        "catalogue": catalogue.pk,
        "title": "API kampaniyası",
        "deadline": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
        "organizations": [world.ministry.pk, world.other.pk],
    }
    assert officer.post(f"{BASE}/campaigns/", payload, format="json").status_code == 403
    response = supervisor.post(f"{BASE}/campaigns/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["assessment_count"] == 2
    assert (
        supervisor.post(
            f"{BASE}/campaigns/", {**payload, "deadline": "2000-01-01"}, format="json"
        ).status_code
        == 400
    )
    mine = officer.get(f"{BASE}/assessments/").json()["results"]
    assert [a["organization"] for a in mine] == [world.ministry.pk]
    aid = mine[0]["id"]
    items = officer.get(f"{BASE}/assessments/{aid}/items/").json()
    assert len(items) == 2
    assert api("officer_b").get(f"{BASE}/assessments/{aid}/items/").status_code == 404
    bad = officer.post(
        f"{BASE}/assessments/{aid}/answer/", {"item": items[0]["id"], "answer": "partial"}, format="json"
    )
    assert bad.status_code == 400 and "comment" in bad.json()
    refused = officer.post(f"{BASE}/assessments/{aid}/submit/")
    assert refused.status_code == 400 and refused.json()["non_field_errors"]
    for item in items:
        ok = officer.post(
            f"{BASE}/assessments/{aid}/answer/", {"item": item["id"], "answer": "compliant"}, format="json"
        )
        assert ok.status_code == 200 and ok.json()["answer"] == "compliant"
    assert supervisor.post(f"{BASE}/assessments/{aid}/submit/").status_code == 403
    assert officer.post(f"{BASE}/assessments/{aid}/submit/").json()["state"] == "submitted"
    locked_answer = officer.post(
        f"{BASE}/assessments/{aid}/answer/", {"item": items[0]["id"], "answer": "compliant"}, format="json"
    )
    assert locked_answer.status_code == 400
    assert (
        officer.post(
            f"{BASE}/assessments/{aid}/review/", {"item": items[0]["id"], "review": "accepted"}, format="json"
        ).status_code
        == 403
    )
    assert (
        supervisor.post(
            f"{BASE}/assessments/{aid}/review/", {"item": items[0]["id"], "review": "accepted"}, format="json"
        ).status_code
        == 200
    )
    assert supervisor.post(f"{BASE}/assessments/{aid}/lock/").status_code == 400
    assert supervisor.post(f"{BASE}/assessments/{aid}/accept-rest/").json() == {"count": 1}
    assert officer.post(f"{BASE}/assessments/{aid}/lock/").status_code == 403
    locked = supervisor.post(f"{BASE}/assessments/{aid}/lock/").json()
    assert locked["state"] == "locked" and locked["score"] == "100.00"
    after = officer.post(
        f"{BASE}/assessments/{aid}/answer/", {"item": items[0]["id"], "answer": "compliant"}, format="json"
    )
    assert after.status_code == 400 and after.json()["non_field_errors"]
    cid = response.json()["id"]
    assert supervisor.post(f"{BASE}/campaigns/{cid}/recompute/").status_code == 200
    scores = supervisor.get(f"{BASE}/campaigns/{cid}/scores/", {"dimension": "subject"}).json()
    assert {s["organization"]: s["score"] for s in scores}[world.ministry.pk] == "100.00"
    results = orjson.loads(officer.get(f"{BASE}/assessments/{aid}/oscal/").content)
    assert (
        results["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] == "satisfied"
    )
    docx = officer.get(f"{BASE}/assessments/{aid}/report/", {"document": "docx"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = officer.get(f"{BASE}/assessments/{aid}/report/", {"document": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert officer.get(f"{BASE}/assessments/{aid}/report/", {"document": "exe"}).status_code == 400


def test_findings_api(world: Any, api: Any) -> None:
    supervisor, officer = api("supervisor"), api("officer_a")
    payload = {
        "organization": world.ministry.pk,
        "description": "Ehtiyat nüsxə yoxdur",
        "deadline": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "severity": "high",
    }
    assert officer.post(f"{BASE}/findings/", payload, format="json").status_code == 403
    created = supervisor.post(f"{BASE}/findings/", payload, format="json")
    assert created.status_code == 201 and created.json()["overdue"] is True
    fid = created.json()["id"]
    assert api("officer_b").get(f"{BASE}/findings/{fid}/").status_code == 404
    assert officer.post(f"{BASE}/findings/{fid}/escalate/").status_code == 403
    assert supervisor.post(f"{BASE}/findings/{fid}/escalate/").json()["escalated_at"]
    assert (
        officer.post(f"{BASE}/findings/{fid}/remediation/", {"remediation": ""}, format="json").status_code
        == 400
    )
    assert (
        officer.post(f"{BASE}/findings/{fid}/remediation/", {"remediation": "Quruldu"}, format="json").json()[
            "state"
        ]
        == "remediation_submitted"
    )
    closed = supervisor.post(f"{BASE}/findings/{fid}/verify/", {"outcome": "accept"}, format="json").json()
    assert closed["state"] == "closed"
    assert Finding.objects.get().verified_at is not None
    assert officer.get(f"{BASE}/findings/", {"overdue": "true"}).json()["count"] == 0


def test_campaign_list_is_for_supervisors(world: Any, api: Any) -> None:
    campaign(world, small_catalogue(), [world.ministry])
    assert api("supervisor").get(f"{BASE}/campaigns/").json()["count"] == 1
    assert api("auditor").get(f"{BASE}/campaigns/").json()["count"] == 1
    assert api("officer_a").get(f"{BASE}/campaigns/").status_code == 403
