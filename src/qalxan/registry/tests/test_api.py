"""Registry API: CRUD through services, sensitive fields, transitions, impact, exports, import, extract."""

import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qalxan.registry.models import InformationSystem
from qalxan.registry.tests.factories import ANSWERS, system


@pytest.fixture
def ministry_system(world):
    return system(
        world.users["officer_a"],
        world.ministry,
        "Nazirlik portalı",
        ip_ranges=["85.132.16.0/24"],
        domains=["portal.min-a.gov.az"],
        responsible_name="Elvin Quliyev",
    )


def test_create_and_field_errors(world, api):
    client = api("officer_a")
    ok = client.post(
        "/api/v1/registry/systems/",
        {
            "name_az": "Yeni sistem",
            "kind": "website",
            "sector": "public_administration",
            "owner": world.ministry.pk,
            "hosting": "azstatenet",
            "ip_ranges": ["94.20.10.0/24"],
            "domains": ["new.gov.az"],
        },
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["registry_number"].startswith("RS-") and ok.json()["ip_ranges"] == ["94.20.10.0/24"]
    bad = client.post(
        "/api/v1/registry/systems/",
        {
            "name_az": "X",
            "kind": "spaceship",
            "sector": "moon",
            "owner": world.other.pk,
            "hosting": "azstatenet",
            "ip_ranges": ["10.0.0.0/8"],
        },
        format="json",
    )
    assert bad.status_code == 400
    assert {"kind", "sector", "owner"} <= set(bad.json())
    private = client.post(
        "/api/v1/registry/systems/",
        {
            "name_az": "X",
            "kind": "website",
            "sector": "energy",
            "owner": world.ministry.pk,
            "hosting": "azstatenet",
            "ip_ranges": ["10.0.0.0/8"],
        },
        format="json",
    )
    assert private.status_code == 400 and "ip_ranges" in private.json()
    assert InformationSystem.objects.count() == 1


def test_sensitive_fields_only_for_supervisors_and_the_subject(world, api, ministry_system):
    url = f"/api/v1/registry/systems/{ministry_system.pk}/"
    assert api("supervisor").get(url).json()["ip_ranges"] == ["85.132.16.0/24"]
    assert api("officer_a").get(url).json()["responsible_name"] == "Elvin Quliyev"
    analyst_view = api("analyst").get(url).json()
    assert analyst_view["ip_ranges"] is None and analyst_view["responsible_name"] is None
    assert analyst_view["name"] == "Nazirlik portalı"
    assert api("officer_b").get(url).status_code == 404


@pytest.mark.parametrize("language", ["az", "en", "ru"])
def test_list_rows_equal_the_serializer_for_every_role(world, api, ministry_system, language):
    """The list reads plain values (listing.py); each row must be exactly what the serializer gives."""
    from django.utils import translation
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from qalxan.registry import services
    from qalxan.registry.api.serializers import InformationSystemSerializer

    supervisor = world.users["supervisor"]
    other = system(
        supervisor,
        world.other,
        "Digər sistem",
        name_en="Other system",
        ip_ranges=["2A02:4780::/32", "94.20.0.0/24"],
        domains=["b.gov.az", "a.gov.az"],
        responsible_email="soc@min-b.gov.az",
        secure_contact="+994 12 000 00 00",
        operator=world.ministry,
        depends_on=[ministry_system],
        description="Təsvir",
        holds_personal_data=True,
        personal_data_registration="FM-1",
    )
    services.update_system(actor=supervisor, system=other, services="Portal\nPoçt")
    # Designation fields as the lifecycle leaves them (dates and reasons), set directly for the comparison.
    InformationSystem.objects.filter(pk=other.pk).update(
        state="designated",
        category="I",
        supervising_agency="dtx_xritdx",
        decision_reference="Q-7/2026",
        decision_date=timezone.localdate(),
        designated_at=timezone.localdate(),
        review_due_date=timezone.localdate() + datetime.timedelta(days=700),
        special_requirements_due=timezone.localdate() + datetime.timedelta(days=90),
    )
    system(world.users["officer_sub"], world.subordinate, "Tabe sistem", kind="website")
    for who in ("supervisor", "analyst", "officer_a", "officer_sub", "viewer_a", "officer_b"):
        client = api(who)
        client.cookies["qalxan_language"] = language
        listed = client.get("/api/v1/registry/systems/").json()["results"]
        assert listed, who
        request = Request(APIRequestFactory().get("/"))
        request.user = world.users[who]
        with translation.override(language):
            for row in listed:
                obj = InformationSystem.objects.get(pk=row["id"])
                expected = json.loads(
                    json.dumps(InformationSystemSerializer(obj, context={"request": request}).data)
                )
                assert row == expected, (who, language, row["id"])
                assert list(row) == list(expected)


def test_transition_endpoint(world, api, ministry_system):
    supervisor = api("supervisor")
    url = f"/api/v1/registry/systems/{ministry_system.pk}/transition/"
    refused = supervisor.post(url, {"to": "designated"}, format="json")
    assert refused.status_code == 400 and "to" in refused.json()
    assert (
        supervisor.post(url, {"to": "under_assessment"}, format="json").json()["state"] == "under_assessment"
    )
    assessed = supervisor.post(
        f"/api/v1/registry/systems/{ministry_system.pk}/assess/", {"answers": ANSWERS}, format="json"
    )
    assert assessed.status_code == 201 and assessed.json()["proposed_category"] == "I"
    missing = supervisor.post(url, {"to": "designated", "category": "I"}, format="json")
    assert missing.status_code == 400
    done = supervisor.post(
        url,
        {
            "to": "designated",
            "category": "I",
            "supervising_agency": "dtx_xritdx",
            "decision_reference": "DTX-7",
            "decision_date": timezone.localdate().isoformat(),
        },
        format="json",
    )
    assert done.status_code == 200 and done.json()["state"] == "designated"
    assert api("officer_a").post(url, {"to": "delisted", "reason": "x"}, format="json").status_code == 403


def test_impact_endpoint_names_only_visible_systems(world, api):
    base = system(world.users["supervisor"], world.other, "Əsas şəbəkə")
    mine = system(world.users["supervisor"], world.ministry, "Portal", depends_on=[base])
    data = api("supervisor").get(f"/api/v1/registry/systems/{base.pk}/impact/").json()
    assert [row["id"] for row in data["affected"]] == [mine.pk]
    assert api("officer_a").get(f"/api/v1/registry/systems/{base.pk}/impact/").status_code == 404


def test_exports_respect_tenancy_and_sensitivity(world, api, ministry_system):
    system(world.users["supervisor"], world.other, "Başqa sistem", ip_ranges=["94.20.99.0/24"])
    body = b"".join(
        api("officer_a").get("/api/v1/registry/systems/export/?file_format=csv").streaming_content
    )
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["name_az"] for r in rows] == ["Nazirlik portalı"] and rows[0]["ip_ranges"] == "85.132.16.0/24"
    analyst_rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(
                    api("analyst").get("/api/v1/registry/systems/export/?file_format=csv").streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert len(analyst_rows) == 2 and all(r["ip_ranges"] == "" for r in analyst_rows)
    data = json.loads(
        b"".join(api("supervisor").get("/api/v1/registry/systems/export/?file_format=json").streaming_content)
    )
    assert len(data) == 2
    xlsx = api("supervisor").get("/api/v1/registry/systems/export/?file_format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 3
    assert api("supervisor").get("/api/v1/registry/systems/export/?file_format=exe").status_code == 400


def test_docx_extract_lists_the_objects(world, api):
    from docx import Document

    names = [system(world.users["supervisor"], world.ministry, f"Obyekt {i}").name for i in range(3)]
    response = api("supervisor").get("/api/v1/registry/systems/export/?file_format=docx")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    for name in names:
        assert name in text
    assert "RS-" in text
    heading = document.paragraphs[0].text
    assert "reyestr" in heading.lower()
    pdf = api("supervisor").get("/api/v1/registry/systems/export/?file_format=pdf&lang=ru")
    assert pdf.content.startswith(b"%PDF")


def test_import_with_bad_rows_changes_nothing_and_names_them(world, api):
    header = "ref,name_az,kind,sector,subsector,owner,hosting,ip_ranges,domains,depends_on\n"
    bad = (
        header
        + "a,Şəbəkə,ict_network,telecommunications,fixed_networks,ministry-a,azstatenet,85.132.20.0/24,,\n"
        + "b,Portal,website,energy,banking,ministry-a,azstatenet,10.1.0.0/16,,zzz\n"
        + "c,Sistem,information_system,energy,,ministry-b,moon,,,a\n"
    )
    client = api("officer_a")
    response = client.post(
        "/api/v1/registry/systems/import/",
        {"file": SimpleUploadedFile("s.csv", bad.encode())},
        format="multipart",
    )
    assert response.status_code == 400
    errors = {(e["row"], e["field"]) for e in response.json()["errors"]}
    assert {(3, "subsector"), (3, "ip_ranges"), (3, "depends_on"), (4, "owner"), (4, "hosting")} <= errors
    assert InformationSystem.objects.count() == 0
    good = (
        header
        + "a,Şəbəkə,ict_network,telecommunications,fixed_networks,ministry-a,azstatenet,85.132.20.0/24,,\n"
        + "b,Portal,website,public_administration,e_government,ministry-a,government_cloud,,p.gov.az,a\n"
    )
    done = client.post(
        "/api/v1/registry/systems/import/",
        {"file": SimpleUploadedFile("s.csv", good.encode())},
        format="multipart",
    )
    assert done.status_code == 200 and done.json()["created"] == 2
    portal = InformationSystem.objects.get(name_az="Portal")
    assert list(portal.depends_on.values_list("name_az", flat=True)) == ["Şəbəkə"]
    assert list(portal.domains.values_list("domain", flat=True)) == ["p.gov.az"]


def test_special_requirements_upload_and_review_through_the_api(world, api):
    from qalxan.registry import services

    s = system(world.users["officer_a"], world.ministry)
    supervisor = world.users["supervisor"]
    services.move_system(actor=supervisor, system=s, step="start_assessment")
    services.assess_criticality(actor=supervisor, system=s, answers=ANSWERS)
    services.move_system(
        actor=supervisor,
        system=s,
        step="designate",
        decision_reference="D",
        category="II",
        decision_date=timezone.localdate(),
        supervising_agency="dtx_xritdx",
    )
    url = f"/api/v1/registry/systems/{s.pk}/special-requirements/"
    pdf = SimpleUploadedFile("xt.pdf", b"%PDF-1.4 test")
    filed = api("officer_a").post(url, {"file": pdf}, format="multipart")
    assert filed.status_code == 201 and filed.json()["version"] == 1
    assert (
        api("officer_b")
        .post(url, {"file": SimpleUploadedFile("x.pdf", b"%PDF")}, format="multipart")
        .status_code
        == 404
    )
    review = f"/api/v1/registry/special-requirements/{filed.json()['id']}/review/"
    assert api("officer_a").post(review, {"decision": "accept"}, format="json").status_code == 403
    assert api("supervisor").post(review, {"decision": "return"}, format="json").status_code == 400
    assert (
        api("supervisor").post(review, {"decision": "accept"}, format="json").json()["status"] == "accepted"
    )


def test_sectors_and_criteria_reference(world, api):
    sectors = api("officer_b").get("/api/v1/registry/sectors/").json()
    assert len(sectors) == 10 and any(s["subsectors"] for s in sectors)
    criteria = api("officer_b").get("/api/v1/registry/criteria/").json()
    assert {c["code"] for c in criteria} >= {"population", "tolerated_downtime"}
