"""API: upload and ingest, an institution sees only its own accounts, confirms them; imports
all-or-nothing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from qalxan.cyberhygiene.choices import ExposureState
from qalxan.cyberhygiene.models import Enrolment, Exposure, Leak, PhishingResult
from qalxan.cyberhygiene.tests import leakfiles as lf

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(
    world: Any,
    domains: Any,
    api: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> Any:
    # Its own var/ folder: other tests (the API fuzzer) leave uploads whose job never ran in the shared one.
    settings.VAR_DIR = tmp_path / "var"
    data = lf.combolist(tmp_path / "combo.txt").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = api("analyst").post(
            "/api/v1/cyberhygiene/leaks/",
            {"name": "API leak", "source": "paste site", "files": [SimpleUploadedFile("combo.txt", data)]},
            format="multipart",
        )
    assert response.status_code == 201, response.content
    return Leak.objects.get(pk=response.json()["id"])


def test_upload_runs_the_job_and_removes_the_file(world: Any, uploaded: Any, api: Any) -> None:
    uploaded.refresh_from_db()
    assert uploaded.state == "done" and uploaded.records_matched == len(lf.COMBO_PLANTED)
    from qalxan.cyberhygiene import conf

    assert not any(p.is_file() for p in conf.upload_dir().rglob("*"))
    body = api("analyst").get(f"/api/v1/cyberhygiene/leaks/{uploaded.pk}/").json()
    assert body["percent_done"] == 100 and body["lines_malformed"] == 1
    again = api("analyst").post("/api/v1/cyberhygiene/leaks/", {"name": "x", "files": []}, format="multipart")
    assert again.status_code == 400
    assert api("officer_a").get("/api/v1/cyberhygiene/leaks/").status_code == 403


def test_institution_sees_only_its_own_accounts_and_confirms(world: Any, uploaded: Any, api: Any) -> None:
    rows = api("officer_b").get("/api/v1/cyberhygiene/exposures/").json()["results"]
    assert rows and {r["organization"] for r in rows} == {world.other.pk}
    assert all("•" in r["login_masked"] for r in rows if r["basis"] == "email_domain")
    sub = api("officer_sub").get("/api/v1/cyberhygiene/exposures/").json()["results"]
    assert {r["organization"] for r in sub} == {world.subordinate.pk}
    mine = Exposure.objects.filter(organization=world.other).first()
    foreign = Exposure.objects.filter(organization=world.ministry).first()
    assert api("officer_b").get(f"/api/v1/cyberhygiene/exposures/{foreign.pk}/").status_code == 404
    bad = api("officer_b").post(
        f"/api/v1/cyberhygiene/exposures/{mine.pk}/confirm/", {"measures_done": []}, format="json"
    )
    assert bad.status_code == 400
    ok = api("officer_b").post(
        f"/api/v1/cyberhygiene/exposures/{mine.pk}/confirm/",
        {"measures_done": ["reset_password", "enforce_2fa"], "note": "done"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["state"] == ExposureState.RESOLVED
    assert (
        api("viewer_a")
        .post(
            f"/api/v1/cyberhygiene/exposures/{foreign.pk}/confirm/",
            {"measures_done": ["reset_password"]},
            format="json",
        )
        .status_code
        == 403
    )
    still = api("analyst").get("/api/v1/cyberhygiene/exposures/", {"open": "true"}).json()
    assert still["count"] == Exposure.objects.count() - 1


def test_training_import_from_xlsx_and_phishing_from_csv(world: Any, api: Any) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "organization",
            "course short name",
            "course",
            "email address",
            "enrolled_on",
            "completed_on",
            "grade",
        ]
    )
    sheet.append(
        ["ministry-a", "phishing-101", "Fişinqi tanıyın", "a@mina.gov.az", "2026-01-10", "2026-01-15", 90]
    )
    sheet.append(["ministry-a", "phishing-101", "Fişinqi tanıyın", "b@mina.gov.az", "2026-01-11", "", ""])
    out = io.BytesIO()
    book.save(out)
    client = api("officer_a")
    response = client.post(
        "/api/v1/cyberhygiene/training/import/",
        {"file": SimpleUploadedFile("lms.xlsx", out.getvalue())},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert Enrolment.objects.count() == 2
    rows = client.get("/api/v1/cyberhygiene/training/").json()["results"]
    assert rows[0]["enrolled"] == 2 and rows[0]["completed"] == 1
    csv = (
        "organization,campaign,run_on,sent,opened,clicked,submitted,reported\n"
        "ministry-a,Q1 drill,2026-02-10,100,60,20,8,30\n"
        "ministry-b,Q1 drill,2026-02-10,100,60,20,8,30\n"
    )
    refused = client.post(
        "/api/v1/cyberhygiene/phishing/import/",
        {"file": SimpleUploadedFile("drill.csv", csv.encode())},
        format="multipart",
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["row"] == 3
    assert not PhishingResult.objects.exists()
    broken = "organization,campaign,run_on,sent,clicked\nministry-a,Q1,2026-02-10,10,20\n"
    response = client.post(
        "/api/v1/cyberhygiene/phishing/import/",
        {"file": SimpleUploadedFile("d.csv", broken.encode())},
        format="multipart",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "clicked"
    good = client.post(
        "/api/v1/cyberhygiene/phishing/import/",
        {
            "file": SimpleUploadedFile(
                "d.csv", csv.splitlines(True)[0].encode() + csv.splitlines(True)[1].encode()
            )
        },
        format="multipart",
    )
    assert good.status_code == 200
    assert client.get("/api/v1/cyberhygiene/phishing/").json()["results"][0]["click_rate"] == 20.0


def test_admin_accounts_api(world: Any, api: Any, domains: Any) -> None:
    client = api("officer_a")
    created = client.post(
        "/api/v1/cyberhygiene/admin-accounts/",
        {"organization": world.ministry.pk, "login": "Root@mina.gov.az"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["login_masked"] == "r••t@mina.gov.az"
    assert (
        api("officer_b")
        .post(
            "/api/v1/cyberhygiene/admin-accounts/",
            {"organization": world.ministry.pk, "login": "x"},
            format="json",
        )
        .status_code
        == 400
    )
    assert client.delete(f"/api/v1/cyberhygiene/admin-accounts/{created.json()['id']}/").status_code == 204


GOPHISH = (
    "id,email,first_name,last_name,position,status,ip,latitude,longitude,send_date,reported,modified_date\n"
    "1,a@mina.gov.az,A,A,,Email Sent,,0,0,2026-02-10T09:00:00Z,false,2026-02-10T09:00:00Z\n"
    "2,b@hr.mina.gov.az,B,B,,Email Opened,,0,0,2026-02-10T09:00:00Z,true,2026-02-10T09:01:00Z\n"
    "3,c@mina.gov.az,C,C,,Clicked Link,,0,0,2026-02-10T09:00:00Z,false,2026-02-10T09:02:00Z\n"
    "4,d@mina.gov.az,D,D,,Submitted Data,,0,0,2026-02-11T09:00:00Z,false,2026-02-11T09:03:00Z\n"
    "5,e@sub.mina.gov.az,E,E,,Clicked Link,,0,0,2026-02-10T09:00:00Z,true,2026-02-10T09:04:00Z\n"
    "6,f@gmail.com,F,F,,Email Sent,,0,0,2026-02-10T09:00:00Z,false,2026-02-10T09:00:00Z\n"
    "7,g@mina.gov.az,G,G,,Error,,0,0,,false,\n"
)


def test_gophish_export_is_summed_per_institution(world: Any, domains: Any, api: Any) -> None:
    refused = api("officer_sub").post(
        "/api/v1/cyberhygiene/phishing/import-gophish/",
        {"file": SimpleUploadedFile("Q1 drill.csv", GOPHISH.encode())},
        format="multipart",
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "email"
    assert not PhishingResult.objects.exists()
    response = api("officer_a").post(
        "/api/v1/cyberhygiene/phishing/import-gophish/",
        {"file": SimpleUploadedFile("Q1 drill.csv", GOPHISH.encode())},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["warnings"][0]["row"] == 7  # gmail.com: no institution
    ministry = PhishingResult.objects.get(organization=world.ministry)
    assert (
        ministry.campaign,
        ministry.sent,
        ministry.opened,
        ministry.clicked,
        ministry.submitted,
        ministry.reported,
    ) == ("Q1 drill", 4, 3, 2, 1, 1)
    assert ministry.run_on.isoformat() == "2026-02-10"
    sub = PhishingResult.objects.get(organization=world.subordinate)
    assert (sub.sent, sub.clicked, sub.reported) == (1, 1, 1)


def test_stale_uploads_are_removed(tmp_path: Path) -> None:
    import os
    import time

    from qalxan.cyberhygiene import conf, services

    old = conf.upload_dir() / "20200101000000000000"
    old.mkdir()
    (old / "combo.txt").write_text("a@b.az:secret\n")
    os.utime(old, (time.time() - 3 * 86400, time.time() - 3 * 86400))
    fresh = conf.upload_dir() / "fresh-upload"
    fresh.mkdir()
    assert services.remove_stale_uploads() == 1
    assert not old.exists() and fresh.exists()
    fresh.rmdir()
