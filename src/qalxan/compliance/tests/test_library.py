"""Catalogues in and out: OSCAL round trip through compliance-trestle, invalid OSCAL, XLSX with bad rows."""

from __future__ import annotations

import io
import json
from typing import Any

import orjson
import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook
from trestle.oscal.catalog import Catalog

from qalxan.compliance import library, services
from qalxan.compliance.models import Catalogue, Requirement
from qalxan.compliance.samples import DATA, FILES
from qalxan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _tree(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    """(depth, id, title, parts) of every group and control, in order."""
    out: list[tuple[Any, ...]] = []

    def walk(item: dict[str, Any], depth: int) -> None:
        parts = sorted(json.dumps(p, sort_keys=True) for p in item.get("parts", []))
        props = sorted(json.dumps(p, sort_keys=True) for p in item.get("props", []))
        out.append((depth, item.get("id"), item["title"], tuple(parts), tuple(props)))
        for child in item.get("groups", []) + item.get("controls", []):
            walk(child, depth + 1)

    for top in document.get("groups", []) + document.get("controls", []):
        walk(top, 0)
    return out


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_oscal_round_trip_keeps_ids_titles_parts_and_structure(world: Any) -> None:
    original = (DATA / FILES[0]).read_bytes()
    catalogue = services.import_catalogue(
        actor=world.users["supervisor"], filename="gr.json", content=original
    )
    assert catalogue.is_sample and catalogue.code == "cii-general"
    exported = library.catalogue_to_oscal(catalogue)
    Catalog.model_validate(orjson.loads(exported)["catalog"])  # valid OSCAL by trestle's models
    assert _tree(orjson.loads(exported)["catalog"]) == _tree(orjson.loads(original)["catalog"])
    # And back in again as a new version: the same tree.
    again = services.import_catalogue(
        actor=world.users["supervisor"], filename="gr.json", content=exported, version="2026.2"
    )
    assert again.supersedes == catalogue
    first = list(
        catalogue.items.values_list("ref_id", "title_az", "kind", "parent__ref_id", "weight", "text_en")
    )
    second = list(
        again.items.values_list("ref_id", "title_az", "kind", "parent__ref_id", "weight", "text_en")
    )
    assert first == second


def test_round_trip_keeps_oscal_content_the_platform_does_not_model(world: Any) -> None:
    document = {
        "catalog": {
            "uuid": "0b5a1c1e-2f43-4f0a-9d55-1c2b3a4d5e6f",
            "metadata": {
                "title": "Foreign",
                "last-modified": "2026-01-01T00:00:00+00:00",
                "version": "1",
                "oscal-version": "1.1.2",
                "roles": [{"id": "maintainer", "title": "Maintainer"}],
            },
            "groups": [
                {
                    "id": "ac",
                    "title": "Access Control",
                    "controls": [
                        {
                            "id": "ac-2",
                            "class": "SP800-53",
                            "title": "Account Management",
                            "params": [{"id": "ac-2_prm_1", "label": "frequency"}],
                            "props": [{"name": "sort-id", "value": "ac-02"}],
                            "links": [{"href": "#ref-1", "rel": "reference"}],
                            "parts": [
                                {
                                    "id": "ac-2_smt",
                                    "name": "statement",
                                    "parts": [
                                        {"id": "ac-2_smt.a", "name": "item", "prose": "Define account types."}
                                    ],
                                },
                                {"id": "ac-2_gdn", "name": "guidance", "prose": "Keep a register."},
                            ],
                            "controls": [{"id": "ac-2.1", "title": "Automated Account Management"}],
                        }
                    ],
                }
            ],
        }
    }
    content = json.dumps(document).encode()
    catalogue = services.import_catalogue(
        actor=world.users["supervisor"], filename="nist.json", content=content, code="nist-part"
    )
    control = catalogue.items.get(ref_id="ac-2")
    assert control.text_az == "Define account types." and not control.assessable
    assert catalogue.items.get(ref_id="ac-2.1").kind == "subrequirement"
    exported = orjson.loads(library.catalogue_to_oscal(catalogue))["catalog"]
    out = exported["groups"][0]["controls"][0]
    original = document["catalog"]["groups"][0]["controls"][0]
    for key in ("class", "params", "links", "parts"):
        assert out[key] == original[key], key
    assert {"name": "sort-id", "value": "ac-02"} in out["props"]
    assert exported["metadata"]["roles"] == [{"id": "maintainer", "title": "Maintainer"}]


def test_invalid_oscal_is_refused_with_the_path_and_nothing_is_written(world: Any) -> None:
    bad = json.loads((DATA / FILES[0]).read_text())
    bad["catalog"]["groups"][1]["controls"][0]["id"] = "1 not a token"
    del bad["catalog"]["metadata"]["title"]
    with pytest.raises(library.CatalogueError) as caught:
        services.import_catalogue(
            actor=world.users["supervisor"], filename="bad.json", content=json.dumps(bad).encode()
        )
    fields = [e.field for e in caught.value.errors]
    assert "catalog.metadata.title" in fields
    assert any("groups[1]" in f and "controls[0].id" in f for f in fields)
    assert not Catalogue.objects.exists() and not Requirement.objects.exists()
    del bad["catalog"]["metadata"]["oscal-version"]
    with pytest.raises(library.CatalogueError) as caught:
        services.import_catalogue(
            actor=world.users["supervisor"], filename="bad.json", content=json.dumps(bad).encode()
        )
    assert caught.value.errors[0].field == "catalog.metadata.oscal-version"
    with pytest.raises(library.CatalogueError):
        services.import_catalogue(actor=world.users["supervisor"], filename="x.json", content=b"{not json")
    with pytest.raises(library.CatalogueError):
        services.import_catalogue(
            actor=world.users["supervisor"], filename="x.json", content=b'{"profile": {}}'
        )


def test_duplicate_ids_are_refused(world: Any) -> None:
    bad = json.loads((DATA / FILES[0]).read_text())
    bad["catalog"]["groups"][0]["controls"][1]["id"] = bad["catalog"]["groups"][0]["controls"][0]["id"]
    with pytest.raises(library.CatalogueError) as caught:
        services.import_catalogue(
            actor=world.users["supervisor"], filename="dup.json", content=json.dumps(bad).encode()
        )
    assert "appears twice" in caught.value.errors[0].message
    assert not Catalogue.objects.exists()


HEADER = [
    "id",
    "parent",
    "kind",
    "label",
    "title_az",
    "title_en",
    "weight",
    "categories",
    "sectors",
    "questions",
]


def test_xlsx_import(world: Any) -> None:
    content = _xlsx(
        [
            HEADER,
            ["gov", "", "group", "1", "İdarəetmə", "Governance", "", "", "", ""],
            [
                "gov-1",
                "gov",
                "requirement",
                "1.1",
                "Siyasət",
                "Policy",
                3,
                "I, II",
                "energy",
                "Təsdiq edilib?\nNə vaxt?",
            ],
            ["gov-1.a", "gov-1", "subrequirement", "1.1.a", "Baxış", "Review", 1.5, "", "", ""],
            ["gov-2", "gov", "requirement", "1.2", "Məsul şəxs", "", "", "", "", ""],
        ]
    )
    catalogue = services.import_catalogue(
        actor=world.users["supervisor"],
        filename="cat.xlsx",
        content=content,
        code="xl",
        version="1",
        name_az="XLSX kataloq",
    )
    req = catalogue.items.get(ref_id="gov-1")
    assert (
        req.categories == ["I", "II"]
        and req.sectors == ["energy"]
        and req.questions == ["Təsdiq edilib?", "Nə vaxt?"]
    )
    assert str(req.weight) == "3.00" and not req.assessable
    assert catalogue.items.get(ref_id="gov-1.a").assessable
    assert catalogue.items.get(ref_id="gov-1.a").group == catalogue.items.get(ref_id="gov")
    assert AuditEntry.objects.filter(action="import", object_id=str(catalogue.pk)).exists()


def test_xlsx_with_bad_rows_changes_nothing_and_names_row_field_and_reason(world: Any) -> None:
    content = _xlsx(
        [
            HEADER,
            ["gov", "", "group", "1", "İdarəetmə", "", "", "", "", ""],
            ["gov-1", "nowhere", "requirement", "", "Siyasət", "", "abc", "IV", "moon", ""],
            ["gov-1", "gov", "requirement", "", "", "", "", "", "", ""],
            ["x", "gov", "chapter", "", "X", "", "", "", "", ""],
        ]
    )
    with pytest.raises(library.CatalogueError) as caught:
        services.import_catalogue(
            actor=world.users["supervisor"],
            filename="cat.xlsx",
            content=content,
            code="xl",
            version="1",
            name_az="X",
        )
    found = {(e.row, e.field) for e in caught.value.errors}
    assert {
        (3, "parent"),
        (3, "weight"),
        (3, "categories"),
        (3, "sectors"),
        (4, "title_az"),
        (5, "kind"),
    } <= found
    assert not Catalogue.objects.exists()


def test_only_supervisors_import(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.import_catalogue(
            actor=world.users["officer_a"], filename="gr.json", content=(DATA / FILES[0]).read_bytes()
        )


def test_samples_are_marked_and_mapped(catalogues: Any) -> None:
    general, model = catalogues
    assert general.is_sample and model.is_sample
    assert "SAMPLE" in general.description
    assert general.items.filter(kind="group").count() == 9
    assert general.items.get(ref_id="gr-access-2").mappings_out.get().relation == "superset"
