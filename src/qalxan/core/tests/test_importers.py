"""The importer framework: CSV and XLSX, row-level errors, preview, all-or-nothing commit."""

import io

from openpyxl import Workbook

from qalxan.core import importers
from qalxan.core.models import AuditEntry, ImportBatch
from qalxan.organizations.models import Organization

HEADER = "code,short_name,name_az,name_en,kind,parent,voen,sectors,domains,email\n"


def _run(world, text, commit=True, who="admin", filename="orgs.csv"):
    importer = importers.get("organizations")(world.users[who])
    content = text.encode() if isinstance(text, str) else text
    return importer.run(filename=filename, content=content, commit=commit)


def test_good_csv_creates_and_updates(world):
    text = HEADER + (
        "new-ministry,NM,Yeni Nazirlik,New Ministry,ministry,,1400057421,health;energy,new.gov.az,"
        "info@new.gov.az\n"
        "new-sub,NS,Yeni Tabe Qurum,New Body,subordinate_body,new-ministry,,health,,\n"
        "ministry-b,MIN-B,Nazirlik B yenilənib,,ministry,,,,,\n"
    )
    result = _run(world, text)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 1)
    sub = Organization.objects.get(code="new-sub")
    assert sub.parent.code == "new-ministry"
    assert set(sub.parent.sectors.values_list("code", flat=True)) == {"health", "energy"}
    assert Organization.objects.get(code="ministry-b").name_az == "Nazirlik B yenilənib"
    assert AuditEntry.objects.filter(action="import").exists()


def test_bad_rows_are_listed_and_nothing_changes(world):
    before = Organization.objects.count()
    text = HEADER + (
        "fine-org,FO,Yaxşı,,ministry,,,,,\n"
        "Bad Code,BC,Pis,,ministry,,,,,\n"
        "fine-2,F2,Yaxşı 2,,planet,,12345,,,not-an-email\n"
        "fine-3,F3,Yaxşı 3,,ministry,no-such-parent,,nosector,,\n"
        "fine-org,FO,Təkrar,,ministry,,,,,\n"
    )
    result = _run(world, text)
    assert not result.committed
    found = {(e.row, e.field) for e in result.errors}
    assert {
        (3, "code"),
        (4, "kind"),
        (4, "voen"),
        (4, "email"),
        (5, "parent"),
        (5, "sectors"),
        (6, "code"),
    } <= found
    assert Organization.objects.count() == before
    assert not Organization.objects.filter(code="fine-org").exists()


def test_missing_and_unknown_columns_are_reported(world):
    result = _run(world, "code,colour\nx,red\n")
    fields = {e.field for e in result.errors}
    assert {"short_name", "name_az", "kind", "colour"} <= fields
    assert all(e.row == 1 for e in result.errors)


def test_unreadable_files_are_rejected_with_reason(world):
    assert "UTF-8" in _run(world, "code\n".encode("utf-16")).errors[0].message
    assert _run(world, b"PK\x03\x04garbage", filename="x.xlsx").errors[0].message
    assert _run(world, b"").errors[0].message
    assert _run(world, b"%PDF-1.4", filename="x.pdf").errors


def test_xlsx_with_parent_after_child_is_rejected(world):
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "short_name", "name_az", "kind", "parent"])
    ws.append(["child-x", "CX", "Uşaq", "subordinate_body", "parent-x"])
    ws.append(["parent-x", "PX", "Ana", "ministry", None])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = _run(world, buffer.getvalue(), filename="orgs.xlsx")
    assert [(e.row, e.field) for e in result.errors] == [(2, "parent")]


def test_xlsx_import_commits(world):
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "short_name", "name_az", "kind", "voen", "is_cii_subject"])
    ws.append(["xlsx-org", "XO", "Excel Təşkilatı", "state_company", 1400057424, "yes"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = _run(world, buffer.getvalue(), filename="orgs.xlsx")
    assert result.committed, result.errors
    org = Organization.objects.get(code="xlsx-org")
    assert org.is_cii_subject and org.voen == "1400057424" and org.voen_checksum_ok is False
    assert result.warnings and "1400057424" in result.warnings[0].message


def test_officer_may_not_import(world):
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _run(world, HEADER + "a,A,A,,ministry,,,,,\n", who="officer_a")


def test_preview_then_confirm_in_the_ui(world, client):
    client.force_login(world.users["admin"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("orgs.csv", (HEADER + "ui-org,UI,UI Təşkilat,,ministry,,,,,\n").encode())
    preview = client.post("/organizations/import/", {"file": upload})
    assert preview.status_code == 200
    assert not Organization.objects.filter(code="ui-org").exists()
    batch = ImportBatch.objects.get(created_by=world.users["admin"])
    done = client.post("/organizations/import/", {"batch": batch.pk})
    assert done.status_code == 302
    assert Organization.objects.filter(code="ui-org").exists()
    batch.refresh_from_db()
    assert batch.status == "committed" and bytes(batch.content) == b""


def test_ui_shows_each_bad_row(world, client):
    client.force_login(world.users["admin"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "orgs.csv", (HEADER + "ok-1,A,A,,ministry,,,,,\nBAD,B,B,,ministry,,,,,\n").encode()
    )
    page = client.post("/organizations/import/", {"file": upload}).content.decode()
    assert 'data-testid="import-errors"' in page
    assert "<td>3</td>" in page
    assert not ImportBatch.objects.exists()


def test_user_import_creates_accounts_and_roles(world):
    importer = importers.get("users")(world.users["admin"])
    text = (
        "username,first_name,last_name,email,organization,role,include_subordinates\n"
        "new.officer,Aysel,Həsənova,a@x.az,ministry-b,institution_officer,no\n"
        "officer.a,,,,ministry-b,institution_viewer,no\n"
        "bad.role,,,,ministry-b,analyst,no\n"
    )
    result = importer.run(filename="u.csv", content=text.encode(), commit=True)
    assert not result.committed
    assert [(e.row, e.field) for e in result.errors] == [(4, "role")]
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="new.officer").exists()
    result = importer.run(filename="u.csv", content="\n".join(text.splitlines()[:3]).encode(), commit=True)
    assert result.committed and (result.created, result.updated) == (1, 1)
