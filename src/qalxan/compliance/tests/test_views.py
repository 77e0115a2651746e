"""Pages: each role sees what it may; the answer form saves by htmx; bad input is a message, not a 500."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from qalxan.compliance import services
from qalxan.compliance.models import Evidence
from qalxan.compliance.samples import DATA, FILES
from qalxan.compliance.tests.factories import campaign, small_catalogue, system

pytestmark = pytest.mark.django_db


def _client(world: Any, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_pages_render_for_supervisor_and_officer(world: Any, catalogues: Any) -> None:
    general, _model = catalogues
    cii = system(world.ministry)
    run = campaign(world, general, [world.ministry])
    assessment = run.assessments.get()
    services.recompute_scores(actor=world.users["supervisor"], campaign=run)
    plan = services.create_plan(
        actor=world.users["supervisor"], organization=world.authority, year=2027, recipient=world.agency
    )
    inspection = services.add_inspection(
        actor=world.users["supervisor"],
        plan=plan,
        organization=world.ministry,
        system=cii,
        starts_on=dt.date(2027, 2, 1),
        ends_on=dt.date(2027, 2, 3),
    )
    finding = services.create_finding(
        actor=world.users["supervisor"],
        organization=world.ministry,
        inspection=inspection,
        description="Çatışmazlıq",
        deadline=timezone.localdate() - dt.timedelta(days=2),
    )
    supervisor = _client(world, "supervisor")
    for url in (
        "/compliance/",
        "/compliance/catalogues/",
        f"/compliance/catalogues/{general.pk}/",
        "/compliance/catalogues/import/",
        "/compliance/campaigns/",
        "/compliance/campaigns/launch/",
        f"/compliance/campaigns/{run.pk}/",
        f"/compliance/assessments/{assessment.pk}/",
        "/compliance/findings/",
        f"/compliance/findings/{finding.pk}/",
        "/compliance/plans/",
        f"/compliance/plans/{plan.pk}/",
        f"/compliance/inspections/{inspection.pk}/",
        "/compliance/evidence/",
        "/",
    ):
        response = supervisor.get(url)
        assert response.status_code == 200, url
    assert supervisor.get(f"/compliance/campaigns/{run.pk}/").content.count(b'<td style="background') >= 9
    assert supervisor.get(f"/compliance/inspections/{inspection.pk}/report.pdf").content.startswith(b"%PDF")
    assert supervisor.get(f"/compliance/assessments/{assessment.pk}/report.docx").content[:2] == b"PK"
    officer = _client(world, "officer_a")
    assert officer.get(f"/compliance/assessments/{assessment.pk}/").status_code == 200
    assert officer.get("/compliance/campaigns/").status_code == 403
    assert officer.get(f"/compliance/campaigns/{run.pk}/").status_code == 403
    assert officer.get("/compliance/catalogues/import/").status_code == 403
    assert _client(world, "officer_b").get(f"/compliance/assessments/{assessment.pk}/").status_code == 404
    assert _client(world, "officer_b").get(f"/compliance/findings/{finding.pk}/").status_code == 404


def test_htmx_answer_and_evidence_upload(world: Any) -> None:
    run = campaign(world, small_catalogue((1, 1)), [world.ministry])
    assessment = run.assessments.get()
    item = assessment.items.first()
    officer = _client(world, "officer_a")
    response = officer.post(
        f"/compliance/items/{item.pk}/answer/",
        {f"i{item.pk}-answer": "partial", f"i{item.pk}-comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b'data-testid="error"' in response.content
    response = officer.post(
        f"/compliance/items/{item.pk}/answer/",
        {f"i{item.pk}-answer": "compliant", f"i{item.pk}-comment": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b'data-testid="saved"' in response.content
    item.refresh_from_db()
    assert item.answer == "compliant"
    bad = officer.post(
        f"/compliance/items/{item.pk}/evidence/", {"file": SimpleUploadedFile("x.exe", b"MZ"), "title": "x"}
    )
    assert bad.status_code == 302 and not Evidence.objects.exists()
    good = officer.post(
        f"/compliance/items/{item.pk}/evidence/",
        {"file": SimpleUploadedFile("p.pdf", b"%PDF-1.4 x"), "title": "Siyasət"},
    )
    assert good.status_code == 302 and Evidence.objects.get().items.get() == item
    evidence = Evidence.objects.get()
    second = assessment.items.exclude(pk=item.pk).get()
    linked = officer.post(f"/compliance/items/{second.pk}/evidence/", {"evidence": str(evidence.pk)})
    assert linked.status_code == 302 and set(evidence.items.all()) == {item, second}
    version = evidence.versions.get()
    assert officer.get(f"/compliance/evidence/files/{version.pk}/").status_code == 200
    assert _client(world, "officer_b").get(f"/compliance/evidence/files/{version.pk}/").status_code == 404


def test_catalogue_import_page_lists_errors(world: Any) -> None:
    supervisor = _client(world, "supervisor")
    response = supervisor.post(
        "/compliance/catalogues/import/", {"file": SimpleUploadedFile("bad.json", b'{"catalog": {}}')}
    )
    assert response.status_code == 400 and b"import-errors" in response.content
    response = supervisor.post(
        "/compliance/catalogues/import/",
        {"file": SimpleUploadedFile("gr.json", (DATA / FILES[0]).read_bytes())},
    )
    assert response.status_code == 302
