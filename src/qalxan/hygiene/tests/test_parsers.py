"""Each input format, parsed from files produced the way the real tools produce them."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from qalxan.hygiene import parsers
from qalxan.hygiene.parsers import InventoryRejected
from qalxan.hygiene.tests.factories import event_line, osquery_lines, snapshot_line

VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def cyclonedx_sboms(tmp_path_factory: Any) -> dict[str, bytes]:
    """SBOMs of this very environment, made by running `cyclonedx-py environment` (JSON and XML)."""
    folder = tmp_path_factory.mktemp("sbom")
    out = {}
    for fmt in ("JSON", "XML"):
        target = folder / f"env.cdx.{fmt.lower()}"
        subprocess.run(
            [str(VENV_BIN / "cyclonedx-py"), "environment", sys.executable, "--of", fmt, "-o", str(target)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        out[fmt] = target.read_bytes()
    return out


@pytest.fixture(params=["python", "duckdb"])
def osquery_reader(request: Any, monkeypatch: Any) -> str:
    """Both readers: small logs in Python, large ones by DuckDB's JSON reader."""
    if request.param == "duckdb":
        monkeypatch.setattr(parsers, "SMALL_LOG", 0)
    return str(request.param)


def test_osquery_snapshot_differential_and_batch_lines(osquery_reader: str) -> None:
    content = osquery_lines(
        snapshot_line(
            "WS-1",
            "programs",
            [
                {"name": "7-Zip 19.00 (x64)", "version": "19.00", "publisher": "Igor Pavlov"},
                {"name": "Google Chrome", "version": "120.0.6099.130", "publisher": "Google LLC"},
            ],
            decorations={"host_uuid": "4C4C4544-0042", "hostname": "ws-1.min.gov.az"},
        ),
        event_line(
            "WS-1",
            "programs",
            "removed",
            {"name": "7-Zip 19.00 (x64)", "version": "19.00", "publisher": "Igor Pavlov"},
            unix=1796108500,
        ),
        event_line(
            "WS-1",
            "programs",
            "added",
            {"name": "7-Zip 23.01 (x64)", "version": "23.01", "publisher": "Igor Pavlov"},
            unix=1796108500,
        ),
        snapshot_line(
            "WS-1",
            "windows_security_products",
            [
                {
                    "type": "Antivirus",
                    "name": "Kaspersky Endpoint Security for Windows",
                    "state": "On",
                    "signatures_up_to_date": "1",
                    "state_timestamp": "",
                    "remediation_path": "",
                }
            ],
        ),
        event_line(
            "WS-1",
            "services",
            "added",
            {
                "name": "AVP",
                "display_name": "Kaspersky",
                "status": "RUNNING",
                "start_type": "AUTO_START",
                "path": "",
            },
        ),
        event_line(
            "WS-1",
            "patches",
            "added",
            {
                "hotfix_id": "KB5034441",
                "description": "Security Update",
                "installed_on": "1/10/2024",
                "caption": "",
            },
        ),
        event_line(
            "srv-1",
            "deb_packages",
            "added",
            {
                "name": "openssl",
                "version": "3.0.2-0ubuntu1.10",
                "maintainer": "Ubuntu Developers",
                "arch": "amd64",
                "source": "openssl",
                "revision": "",
            },
        ),
        event_line(
            "srv-1",
            "systemd_units",
            "added",
            {
                "id": "clamav-daemon.service",
                "active_state": "active",
                "sub_state": "running",
                "load_state": "loaded",
                "description": "",
            },
        ),
        snapshot_line(
            "srv-1",
            "os_version",
            [
                {
                    "name": "Ubuntu Server",
                    "version": "22.04.3 LTS",
                    "platform": "ubuntu",
                    "major": "22",
                    "minor": "4",
                    "build": "",
                    "codename": "jammy",
                }
            ],
        ),
        {
            "name": "pack_hygiene_rpm_packages",
            "hostIdentifier": "srv-2",
            "calendarTime": "Tue Dec  1 07:00:00 2026 UTC",
            "unixTime": "1796108400",
            "epoch": 0,
            "counter": 2,
            "numerics": False,
            "diffResults": {
                "added": [
                    {
                        "name": "openssl",
                        "version": "3.0.7",
                        "release": "24.el9",
                        "epoch": "1",
                        "vendor": "Rocky Enterprise Software Foundation",
                        "arch": "x86_64",
                        "package_group": "",
                    }
                ],
                "removed": [],
            },
        },
        {
            "name": "pack_other_users",
            "hostIdentifier": "WS-1",
            "calendarTime": "x",
            "unixTime": 1796108400,
            "action": "added",
            "columns": {"username": "x"},
        },
    )
    inventory = parsers.parse("osquery", content)
    hosts = {h["host"]: h for h in inventory.hosts.iter_rows(named=True)}
    assert hosts["WS-1"]["uuid"] == "4C4C4544-0042" and hosts["WS-1"]["hostname"] == "ws-1.min.gov.az"
    assert hosts["srv-1"]["kind"] == "server" and hosts["srv-1"]["os_name"] == "Ubuntu Server"
    assert hosts["WS-1"]["seen_at"] == dt.datetime.fromtimestamp(1796108500, dt.UTC)
    rows = {(r["host"], r["table"], r["name"]): r for r in inventory.rows.iter_rows(named=True)}
    assert ("WS-1", "package", "7-Zip 19.00 (x64)") not in rows  # removed after the snapshot
    assert rows[("WS-1", "package", "7-Zip 23.01 (x64)")]["ecosystem"] == "generic"
    assert rows[("WS-1", "security", "Kaspersky Endpoint Security for Windows")]["signatures_ok"] is True
    assert rows[("WS-1", "service", "AVP")]["status"] == "running"
    assert rows[("WS-1", "patch", "KB5034441")]["detail"] == "Security Update"
    assert rows[("srv-1", "package", "openssl")]["ecosystem"] == "deb"
    assert rows[("srv-1", "service", "clamav-daemon.service")]["status"] == "running"
    assert rows[("srv-2", "package", "openssl")]["version"] == "1:3.0.7-24.el9"
    assert len(inventory.rows) == 8


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (
            b'{"name": "pack_hygiene_programs", "hostIdentifier": "WS-1", "unixTime": 1, '
            b'"action": "snapshot", "snapshot": [\n',
            "",
        ),
        (
            b'{"name": "pack_hygiene_programs", "hostIdentifier": "", "unixTime": 1, '
            b'"action": "added", "columns": {}}\n',
            "hostIdentifier",
        ),
        (
            b'{"name": "pack_hygiene_programs", "hostIdentifier": "WS-1", "unixTime": 1, '
            b'"action": "changed", "columns": {}}\n',
            "action",
        ),
        (
            b'{"name": "pack_hygiene_programs", "hostIdentifier": "WS-1", "unixTime": "yesterday", '
            b'"action": "added", "columns": {}}\n',
            "unixTime",
        ),
        (b'["not", "an", "object"]\n', ""),
    ],
)
def test_a_malformed_osquery_line_rejects_the_file_with_its_line(
    bad: bytes, field: str, osquery_reader: str
) -> None:
    good = osquery_lines(
        snapshot_line("WS-1", "programs", [{"name": "Zoom", "version": "5.16", "publisher": "Zoom"}])
    )
    with pytest.raises(InventoryRejected) as caught:
        parsers.parse("osquery", good + b"\n" + bad)
    assert caught.value.line == 3
    assert caught.value.field == field


def test_cyclonedx_json_and_xml_from_cyclonedx_py(cyclonedx_sboms: dict[str, bytes]) -> None:
    for fmt, content in (
        ("cyclonedx-json", cyclonedx_sboms["JSON"]),
        ("cyclonedx-xml", cyclonedx_sboms["XML"]),
    ):
        assert parsers.detect_format(f"env.cdx.{fmt[10:]}", content) == fmt
        inventory = parsers.parse(fmt, content, host="build-server-1")
        names = {r["name"]: r for r in inventory.rows.iter_rows(named=True)}
        import django

        assert names["django"]["ecosystem"] == "pypi"
        assert names["django"]["version"] == django.get_version()
        assert inventory.hosts["host"].to_list() == ["build-server-1"]
        assert len(names) > 50


def test_cyclonedx_without_a_host_or_with_a_nameless_component_is_rejected(
    cyclonedx_sboms: dict[str, bytes],
) -> None:
    data = json.loads(cyclonedx_sboms["JSON"])
    data.get("metadata", {}).pop("component", None)
    data.pop("serialNumber", None)
    with pytest.raises(InventoryRejected) as caught:
        parsers.parse("cyclonedx-json", json.dumps(data).encode())
    assert caught.value.field == "host"
    data["components"][2].pop("name")
    with pytest.raises(InventoryRejected) as caught:
        parsers.parse("cyclonedx-json", json.dumps(data).encode(), host="h")
    assert caught.value.line == "components[2]"
    with pytest.raises(InventoryRejected) as caught:
        parsers.parse("cyclonedx-xml", cyclonedx_sboms["XML"][:-40], host="h")
    assert isinstance(caught.value.line, int)


def _spdx_document(tmp_path: Path) -> bytes:
    from spdx_tools.spdx.model import (
        Actor,
        ActorType,
        CreationInfo,
        Document,
        ExternalPackageRef,
        ExternalPackageRefCategory,
        Package,
        Relationship,
        RelationshipType,
        SpdxNoAssertion,
    )
    from spdx_tools.spdx.writer.write_anything import write_file

    info = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name="srv-web-01.min.gov.az",
        document_namespace="https://example.gov.az/spdx/srv-web-01",
        creators=[Actor(ActorType.TOOL, "qalxan-tests")],
        created=dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC),
    )
    packages = [
        Package(
            spdx_id=f"SPDXRef-{i}",
            name=name,
            download_location=SpdxNoAssertion(),
            version=version,
            supplier=Actor(ActorType.ORGANIZATION, "Ubuntu"),
            external_references=[
                ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", purl)
            ],
        )
        for i, (name, version, purl) in enumerate(
            [
                ("openssl", "3.0.2-0ubuntu1.10", "pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10?arch=amd64"),
                (
                    "jackson-databind",
                    "2.13.0",
                    "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0",
                ),
                ("Django", "4.2.1", "pkg:pypi/django@4.2.1"),
            ]
        )
    ]
    describes = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, p.spdx_id) for p in packages]
    path = tmp_path / "srv.spdx.json"
    write_file(Document(info, packages=packages, relationships=describes), str(path), validate=True)
    return path.read_bytes()


def test_spdx_json_written_by_spdx_tools(tmp_path: Path) -> None:
    content = _spdx_document(tmp_path)
    assert parsers.detect_format("srv.spdx.json", content) == "spdx-json"
    inventory = parsers.parse("spdx-json", content)
    rows = {r["name"]: r for r in inventory.rows.iter_rows(named=True)}
    assert rows["openssl"]["ecosystem"] == "deb"
    assert rows["com.fasterxml.jackson.core:jackson-databind"]["ecosystem"] == "maven"
    assert rows["django"]["ecosystem"] == "pypi" and rows["django"]["publisher"] == "Ubuntu"
    assert inventory.hosts["host"].to_list() == ["srv-web-01.min.gov.az"]
    with pytest.raises(InventoryRejected):
        parsers.parse("spdx-json", b'{"spdxVersion": "SPDX-2.3"}')


def test_csv_inventory_and_its_errors() -> None:
    content = (
        b"host_identifier,hostname,os_name,last_seen,table,ecosystem,name,version,publisher,status,signatures_up_to_date\n"
        b"pc-1,pc-1.gov.az,Windows 11 Pro,2026-11-30T10:00:00+00:00,package,generic,"
        b"WinRAR 6.24 (64-bit),6.24.0,win.rar GmbH,,\n"
        b"pc-1,,,,security,,ESET Endpoint Security,,,on,yes\n"
        b"srv-1,srv-1,Windows Server 2019,,service,,ekrn,,,running,\n"
    )
    inventory = parsers.parse("csv", content)
    hosts = {h["host"]: h for h in inventory.hosts.iter_rows(named=True)}
    assert hosts["pc-1"]["kind"] == "workstation" and hosts["srv-1"]["kind"] == "server"
    rows = inventory.rows.to_dicts()
    assert rows[1]["signatures_ok"] is True and rows[1]["table"] == "security"
    with pytest.raises(InventoryRejected) as caught:
        parsers.parse("csv", content + b"pc-2,,,,package,cobol,Thing,1,,,\n")
    assert (caught.value.line, caught.value.field) == (5, "ecosystem")
    with pytest.raises(InventoryRejected) as caught:
        parsers.parse("csv", content + b"pc-2,,,yesterday,package,generic,Thing,1,,,\n")
    assert (caught.value.line, caught.value.field) == (5, "last_seen")
    with pytest.raises(InventoryRejected) as caught:
        parsers.parse("csv", b"host,name\nx,y\n")
    assert caught.value.line == 1
