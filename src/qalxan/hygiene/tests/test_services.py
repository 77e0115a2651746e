"""Services: licence arithmetic, coverage reasons, findings and triage, rules, the all-or-nothing ingest."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qalxan.core.models import AuditEntry
from qalxan.hygiene import figures, queries, services
from qalxan.hygiene.choices import Pool
from qalxan.hygiene.models import (
    CoverageStatus,
    Endpoint,
    Entitlement,
    Finding,
    InstitutionScore,
    InventorySnapshot,
    LicencePosition,
    NormalisationRule,
)
from qalxan.hygiene.parsers import InventoryRejected
from qalxan.hygiene.tests.factories import csv_inventory, ingest, osquery_lines, registry, snapshot_line

OFFICE = ("Microsoft Corporation", "Microsoft Office Professional Plus 2019", "16.0.10386.20017")
AUTOCAD = ("Autodesk, Inc.", "AutoCAD 2022 - English", "24.1.51.0")
WINRAR = ("win.rar GmbH", "WinRAR 6.24 (64-bit)", "6.24.0")
ESET = ("ESET, spol. s r.o.", "ESET Endpoint Security", "11.1.2039.2")
DRIVER = ("Intel Corporation", "Intel(R) Graphics Driver", "31.0.101.4502")


def _licence_world(world: Any) -> dict[str, Any]:
    products = registry()
    org = world.ministry
    hosts: dict[str, list[tuple[str, str, str]]] = {}
    for i in range(10):
        programs = [OFFICE, DRIVER]
        if i < 4:
            programs.append(AUTOCAD)
        if i < 3:
            programs.append(WINRAR)
        if i < 2:
            programs.append(ESET)
        hosts[f"pc-{i}"] = programs
    today = timezone.localdate()
    admin = world.users["admin"]
    central = services.create_entitlement(
        actor=admin,
        organization=world.authority,
        product=products["Microsoft Office"],
        pool=Pool.CENTRAL,
        contract="EA-1",
        seats=100,
        valid_from=today - dt.timedelta(days=10),
    )
    services.transfer_seats(actor=admin, entitlement=central, seats=6, to_organization=org)
    services.create_entitlement(
        actor=admin,
        organization=org,
        product=products["Microsoft Office"],
        pool=Pool.INSTITUTION,
        contract="OWN-1",
        seats=2,
        valid_from=today - dt.timedelta(days=10),
        valid_until=today + dt.timedelta(days=10),
    )
    services.create_entitlement(
        actor=admin,
        organization=org,
        product=products["Autodesk AutoCAD"],
        pool=Pool.INSTITUTION,
        contract="ACAD-2023",
        seats=10,
        valid_from=today - dt.timedelta(days=400),
        valid_until=today - dt.timedelta(days=1),
    )
    unlimited = services.create_entitlement(
        actor=admin,
        organization=world.authority,
        product=products["ESET Endpoint Security"],
        pool=Pool.CENTRAL,
        contract="ESET-NAT",
        seats=None,
        valid_from=today - dt.timedelta(days=10),
    )
    services.transfer_seats(actor=admin, entitlement=unlimited, seats=1, to_organization=org)
    from qalxan.hygiene.models import Allocation

    Allocation.objects.filter(entitlement=unlimited).update(seats=None)
    ingest(org, csv_inventory(hosts))
    return {"org": org, "products": products, "central": central}


@pytest.mark.django_db
def test_licence_arithmetic_on_a_hand_computed_example(world: Any) -> None:
    ctx = _licence_world(world)
    positions = {str(p.product): p for p in LicencePosition.objects.filter(organization=ctx["org"])}
    office = positions["Microsoft Office"]
    # 10 installs; 6 seats allocated from the central pool + 2 of the institution's own contract.
    assert (office.installs, office.seats, office.over_use, office.unlicensed, office.status) == (
        10,
        8,
        2,
        0,
        "over_use",
    )
    acad = positions["Autodesk AutoCAD"]
    # The only contract ended yesterday: every install is unlicensed and the contract is named.
    assert (acad.installs, acad.seats, acad.unlicensed, acad.status, acad.expired_contracts) == (
        4,
        0,
        4,
        "expired",
        ["ACAD-2023"],
    )
    rar = positions["win.rar WinRAR"]
    assert (rar.installs, rar.unlicensed, rar.status) == (3, 3, "unlicensed")  # no entitlement at all
    eset = positions["ESET Endpoint Security"]
    assert (eset.installs, eset.seats, eset.over_use, eset.status) == (2, None, 0, "compliant")  # unlimited
    assert "Intel" not in " ".join(positions)  # the driver is ignored by a rule
    score = InstitutionScore.objects.filter(organization=ctx["org"]).latest()
    # Covered installs: 8 Office + 0 AutoCAD + 0 WinRAR + 2 ESET = 10 of 19.
    assert float(score.licence) == pytest.approx(52.63, abs=0.01)
    assert score.evidence["licence"] == {
        "installs": 19,
        "compliant": 10,
        "over_use": 2,
        "unlicensed": 7,
        "expired_contracts": ["ACAD-2023"],
    }
    assert queries.licence_compliance(organization_id=ctx["org"].pk) == score.licence


@pytest.mark.django_db
def test_transfers_between_pools(world: Any) -> None:
    ctx = _licence_world(world)
    admin = world.users["admin"]
    services.transfer_seats(
        actor=admin,
        entitlement=ctx["central"],
        seats=4,
        from_organization=ctx["org"],
        to_organization=world.other,
    )
    office = LicencePosition.objects.get(organization=ctx["org"], product__product="Office")
    assert (office.seats, office.over_use) == (4, 6)
    with pytest.raises(ValidationError):
        services.transfer_seats(
            actor=admin, entitlement=ctx["central"], seats=3, from_organization=ctx["org"]
        )
    with pytest.raises(ValidationError):
        services.transfer_seats(
            actor=admin, entitlement=ctx["central"], seats=95, to_organization=world.other
        )
    with pytest.raises(PermissionDenied):
        services.transfer_seats(
            actor=world.users["officer_a"],
            entitlement=ctx["central"],
            seats=1,
            to_organization=world.ministry,
        )
    with pytest.raises(ValidationError):
        services.create_entitlement(
            actor=admin,
            organization=world.ministry,
            product=ctx["products"]["Microsoft Office"],
            pool=Pool.CENTRAL,
            contract="X",
            seats=1,
            valid_from=timezone.localdate(),
        )
    assert Entitlement.objects.filter(contract="X").count() == 0


def _av_host(
    host: str,
    *,
    product: str = "Kaspersky Endpoint Security for Windows",
    version: str = "12.3.0.493",
    running: bool = True,
    signatures: bool = True,
    seen: int = 1796108400,
    os_name: str = "Microsoft Windows 10 Pro",
) -> list[dict[str, Any]]:
    lines = [
        snapshot_line(
            host, "os_version", [{"name": os_name, "version": "10.0", "platform": "windows"}], unix=seen
        )
    ]
    programs = [{"name": "Zoom", "version": "5.16", "publisher": "Zoom"}]
    if product:
        programs.append({"name": product, "version": version, "publisher": "AO Kaspersky Lab"})
        lines.append(
            snapshot_line(
                host,
                "windows_security_products",
                [
                    {
                        "type": "Antivirus",
                        "name": product,
                        "state": "On" if running else "Off",
                        "signatures_up_to_date": "1" if signatures else "0",
                    }
                ],
                unix=seen,
            )
        )
        lines.append(
            snapshot_line(
                host,
                "services",
                [{"name": "AVP", "status": "RUNNING" if running else "STOPPED", "display_name": product}],
                unix=seen,
            )
        )
    lines.insert(0, snapshot_line(host, "programs", programs, unix=seen))
    return lines


@pytest.mark.django_db
def test_coverage_reasons(world: Any) -> None:
    registry()
    now = int(timezone.now().timestamp())
    old = now - 40 * 86400
    lines = [
        *_av_host("ok", seen=now),
        *_av_host("none", product="", seen=now),
        *_av_host("stopped", running=False, seen=now),
        *_av_host("old", version="10.1.1.6421", seen=now),
        *_av_host("stale-sig", signatures=False, seen=now),
        *_av_host("away", seen=old),
        *_av_host("server", product="", seen=now, os_name="Microsoft Windows Server 2019 Standard"),
    ]
    ingest(world.ministry, osquery_lines(*lines), filename="osqueryd.results.log")
    reasons = dict(CoverageStatus.objects.values_list("endpoint__host_identifier", "reason"))
    assert reasons == {
        "ok": "ok",
        "none": "not_installed",
        "stopped": "service_not_running",
        "old": "version_below_baseline",
        "stale-sig": "signatures_outdated",
        "away": "not_seen",
        "server": "not_installed",
    }
    score = InstitutionScore.objects.filter(organization=world.ministry).latest()
    assert float(score.coverage) == pytest.approx(100 / 7, abs=0.01)
    assert score.evidence["coverage"]["reasons"]["not_installed"] == 2


@pytest.mark.django_db
def test_servers_are_not_applicable_to_a_workstation_requirement(world: Any) -> None:
    registry()
    from qalxan.hygiene.models import EssentialCategory

    EssentialCategory.objects.update(applies_to="workstations")
    now = int(timezone.now().timestamp())
    ingest(
        world.ministry,
        osquery_lines(
            *_av_host("server", product="", seen=now, os_name="Microsoft Windows Server 2019 Standard")
        ),
        filename="a.log",
    )
    status = CoverageStatus.objects.get()
    assert status.reason == "not_applicable"
    assert InstitutionScore.objects.filter(organization=world.ministry).latest().coverage == 100


@pytest.mark.django_db
def test_findings_keep_their_triage_across_reingests(world: Any) -> None:
    registry()
    chrome_old = ("Google LLC", "Google Chrome", "119.0.6045.160")
    zip_old = ("Igor Pavlov", "7-Zip 19.00 (x64)", "19.00")
    ingest(world.ministry, csv_inventory({"pc-1": [chrome_old, zip_old]}))
    findings = {f.package: f for f in Finding.objects.select_related("advisory")}
    assert set(findings) == {"Google Chrome", "7-Zip 19.00 (x64)"}
    chrome = findings["Google Chrome"]
    assert (
        chrome.known_exploited and chrome.severity == "critical" and chrome.fixed_version == "120.0.6099.129"
    )
    from qalxan.core.models import Notification

    # The institution's officers hear of the two new serious findings (critical Chrome, 7-Zip is high).
    note = Notification.objects.get(recipient=world.users["officer_a"])
    assert note.organization_id == world.ministry.pk and note.url.startswith("/hygiene/vulnerabilities/")
    officer = world.users["officer_a"]
    services.triage_finding(actor=officer, finding=chrome, step="confirm", note="Yeniləmə planlaşdırılıb")
    with pytest.raises(ValidationError):
        services.triage_finding(actor=officer, finding=findings["7-Zip 19.00 (x64)"], step="dismiss")
    services.triage_finding(
        actor=officer,
        finding=findings["7-Zip 19.00 (x64)"],
        step="dismiss",
        justification="vulnerable_code_not_in_execute_path",
    )
    with pytest.raises(PermissionDenied):
        services.triage_finding(actor=world.users["officer_b"], finding=chrome, step="resolve")
    assert AuditEntry.objects.filter(action="transition", object_id=str(chrome.pk)).exists()
    # The same inventory again: nothing new, decisions kept. Then Chrome is upgraded: its finding is fixed.
    ingest(world.ministry, csv_inventory({"pc-1": [chrome_old, zip_old]}))
    assert Finding.objects.get(pk=chrome.pk).state == "affected"
    ingest(
        world.ministry, csv_inventory({"pc-1": [("Google LLC", "Google Chrome", "121.0.6167.185"), zip_old]})
    )
    chrome.refresh_from_db()
    assert (chrome.state, chrome.present) == ("fixed", False)
    assert Finding.objects.get(package="7-Zip 19.00 (x64)").state == "not_affected"
    assert Endpoint.objects.count() == 1


@pytest.mark.django_db
def test_identity_resolution_across_sources(world: Any) -> None:
    registry()
    first = osquery_lines(
        snapshot_line(
            "osq-7f3a",
            "system_info",
            [{"hostname": "ws-17.min.gov.az", "hardware_serial": "PF3X9K", "uuid": "4C4C-17"}],
        ),
        snapshot_line("osq-7f3a", "programs", [{"name": "Zoom", "version": "5.16", "publisher": "Zoom"}]),
    )
    ingest(world.ministry, first, filename="a.log")
    # The same machine reported by an asset tool under another identifier, with its serial: one endpoint.
    csv = (
        b"host_identifier,hostname,hardware_serial,name,version\n"
        b"ASSET-0017,WS-17.min.gov.az,PF3X9K,Zoom,5.17\n"
    )
    ingest(world.ministry, csv, filename="assets.csv")
    assert Endpoint.objects.count() == 1
    endpoint = Endpoint.objects.get()
    assert endpoint.host_identifier == "ASSET-0017" and endpoint.hardware_uuid == "4C4C-17"
    # Another institution's endpoint with the same serial stays separate.
    ingest(world.other, csv, filename="assets.csv")
    assert Endpoint.objects.count() == 2


@pytest.mark.django_db
def test_a_bad_file_writes_nothing_and_another_institution_is_refused(world: Any) -> None:
    registry()
    good = csv_inventory({"pc-1": [OFFICE]})
    bad = good + b"pc-2,pc-2.gov.az,Windows,2026-11-30T10:00:00,package,cobol,X,1,Y,,\n"
    with pytest.raises(InventoryRejected) as caught:
        services.upload_inventory(
            actor=world.users["officer_a"], organization=world.ministry, filename="inv.csv", content=bad
        )
    assert caught.value.line == 3 and caught.value.field == "ecosystem"
    assert not Endpoint.objects.exists() and not InventorySnapshot.objects.exists()
    with pytest.raises(PermissionDenied):
        services.upload_inventory(
            actor=world.users["officer_a"], organization=world.other, filename="inv.csv", content=good
        )
    result = services.upload_inventory(
        actor=world.users["officer_a"], organization=world.subordinate, filename="inv.csv", content=good
    )
    assert result.endpoints == 1
    assert AuditEntry.objects.filter(action="import", organization_id=world.subordinate.pk).exists()


@pytest.mark.django_db
def test_rule_preview_then_apply(world: Any) -> None:
    registry()
    ingest(
        world.ministry,
        csv_inventory(
            {
                "pc-1": [("Zoom Video Communications, Inc.", "Zoom", "5.16")],
                "pc-2": [("Zoom Video Communications, Inc.", "Zoom", "5.16")],
            }
        ),
    )
    admin = world.users["admin"]
    rule = NormalisationRule(priority=60, name_pattern=r"^Zoom$", vendor="Zoom", product="Zoom Workplace")
    preview = services.preview_rule(actor=admin, rule=rule)
    assert preview == [
        {
            "publisher": "Zoom Video Communications, Inc.",
            "name": "Zoom",
            "installs": 2,
            "before": "Zoom Video Communications, Inc. Zoom",
            "after": "Zoom Zoom Workplace",
        }
    ]
    assert not NormalisationRule.objects.filter(product="Zoom Workplace").exists()  # a preview saves nothing
    with pytest.raises(PermissionDenied):
        services.preview_rule(actor=world.users["officer_a"], rule=rule)
    with pytest.raises(ValidationError):
        services.save_rule(
            actor=admin, rule=NormalisationRule(name_pattern="([unclosed", vendor="x", product="y")
        )
    services.save_rule(actor=admin, rule=rule)
    from qalxan.hygiene.models import LicensedProduct, ProductInstall

    product = LicensedProduct.objects.create(vendor="Zoom", product="Zoom Workplace", is_commercial=True)
    services.renormalise(actor=admin)
    assert ProductInstall.objects.filter(product=product).count() == 2
    assert LicencePosition.objects.get(organization=world.ministry, product=product).unlicensed == 2


@pytest.mark.django_db
def test_scores_weights_trend_and_metrics(world: Any) -> None:
    registry()
    ingest(world.ministry, csv_inventory({"pc-1": [OFFICE]}))
    services.set_weights(
        actor=world.users["admin"], licence=100, coverage=0, exposure=0, freshness=0, stale_days=14
    )
    with pytest.raises(PermissionDenied):
        services.set_weights(
            actor=world.users["officer_a"], licence=1, coverage=0, exposure=0, freshness=0, stale_days=1
        )
    score = figures.recompute(organization_id=world.ministry.pk)
    assert score.score == score.licence == 0  # the only commercial install is unlicensed
    assert len(queries.trend(world.ministry.pk)) == 2
    from qalxan.core import metrics

    assert metrics.get("hygiene.licence_compliance").compute(timezone.localdate()) == 0
    assert metrics.get("hygiene.score").compute(timezone.localdate(), organization=world.other.pk) is None


@pytest.mark.django_db
def test_own_pool_seats_go_to_a_subordinate_and_come_back(world: Any) -> None:
    products = registry()
    office = products["Microsoft Office"]
    ingest(world.ministry, csv_inventory({f"min-{i}": [OFFICE] for i in range(3)}))
    ingest(world.subordinate, csv_inventory({f"sub-{i}": [OFFICE] for i in range(2)}))
    own = services.create_entitlement(
        actor=world.users["admin"],
        organization=world.ministry,
        product=office,
        pool=Pool.INSTITUTION,
        contract="MIN-OFFICE",
        seats=5,
        valid_from=timezone.localdate() - dt.timedelta(days=1),
    )

    def position(org: Any) -> tuple[int | None, int, str]:
        p = LicencePosition.objects.get(organization=org, product=office)
        return p.seats, p.over_use + p.unlicensed, p.status

    assert position(world.subordinate) == (0, 2, "unlicensed")
    officer = world.users["officer_a"]  # the holder's officer
    services.transfer_seats(
        actor=officer, entitlement=own, seats=2, to_organization=world.subordinate, reason="Tabe qurum"
    )
    assert position(world.subordinate) == (2, 0, "compliant")
    assert position(world.ministry) == (3, 0, "compliant")  # 5 held, 2 given
    with pytest.raises(ValidationError) as refused:
        services.transfer_seats(actor=officer, entitlement=own, seats=4, to_organization=world.other)
    assert "3" in " ".join(refused.value.messages)
    # The receiving institution's officer, another institution's officer and a viewer may not move them.
    for who in ("officer_sub", "officer_b", "viewer_a"):
        with pytest.raises(PermissionDenied):
            services.transfer_seats(
                actor=world.users[who], entitlement=own, seats=1, from_organization=world.subordinate
            )
    # Back to the holder, named explicitly: that is the contract's own pool.
    services.transfer_seats(
        actor=officer,
        entitlement=own,
        seats=1,
        from_organization=world.subordinate,
        to_organization=world.ministry,
    )
    assert position(world.subordinate) == (1, 1, "over_use")
    assert position(world.ministry) == (4, 0, "compliant")
    with pytest.raises(ValidationError):
        services.transfer_seats(actor=officer, entitlement=own, seats=2, from_organization=world.subordinate)
    services.transfer_seats(
        actor=world.users["supervisor"], entitlement=own, seats=1, from_organization=world.subordinate
    )
    assert not LicencePosition.objects.filter(
        organization=world.subordinate, product=office, seats__gt=0
    ).exists()
    from qalxan.hygiene.models import LicenceTransfer

    moves = list(LicenceTransfer.objects.filter(entitlement=own).order_by("id"))
    assert [(m.from_organization_id, m.to_organization_id, m.seats) for m in moves] == [
        (None, world.subordinate.pk, 2),
        (world.subordinate.pk, None, 1),
        (world.subordinate.pk, None, 1),
    ]
    entries = AuditEntry.objects.filter(object_id=str(own.pk), message__startswith="transfer")
    assert entries.count() == 3
    # Seats given out cannot be taken from the contract by shrinking it.
    services.transfer_seats(actor=officer, entitlement=own, seats=2, to_organization=world.subordinate)
    with pytest.raises(ValidationError):
        services.update_entitlement(actor=world.users["admin"], entitlement=own, seats=1)


WINRAR_ADVISORY = {
    "id": "QLX-TEST-WINRAR",
    "aliases": ["CVE-2099-0001"],
    "summary": "Path traversal when extracting archives (test)",
    "database_specific": {"severity": "HIGH"},
    "affected": [
        {
            "package": {"ecosystem": "Windows", "name": "WinRAR"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "7.0"}]}],
        }
    ],
}


@pytest.mark.django_db
def test_an_advisory_import_matches_current_inventories_without_a_new_upload(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import orjson

    from qalxan.hygiene import advisories

    registry()
    ingest(world.ministry, csv_inventory({"pc-1": [WINRAR], "pc-2": [OFFICE]}))
    assert not Finding.objects.filter(package__startswith="WinRAR").exists()
    before = InstitutionScore.objects.filter(organization=world.ministry).count()
    with django_capture_on_commit_callbacks(execute=True):
        advisories.import_osv(
            actor=world.users["analyst"], filename="winrar.json", content=orjson.dumps(WINRAR_ADVISORY)
        )
    # The Windows program is matched on its canonical product (`generic`), in the background job.
    finding = Finding.objects.get(advisory__osv_id="QLX-TEST-WINRAR")
    assert (finding.endpoint.host_identifier, finding.version, finding.severity) == ("pc-1", "6.24.0", "high")
    assert (finding.state, finding.present, finding.known_exploited) == ("under_investigation", True, False)
    assert InstitutionScore.objects.filter(organization=world.ministry).count() == before + 1
    assert AuditEntry.objects.filter(message__startswith="hygiene.rematch").exists()
    # The triage survives; the known-exploited list flags the finding, again without an upload.
    services.triage_finding(
        actor=world.users["officer_a"], finding=finding, step="confirm", note="Yenilənəcək"
    )
    with django_capture_on_commit_callbacks(execute=True):
        advisories.import_known_exploited(
            actor=world.users["analyst"], filename="kev.csv", content=b"cveID\nCVE-2099-0001\n"
        )
    finding.refresh_from_db()
    assert (finding.known_exploited, finding.state) == (True, "affected")
    score = InstitutionScore.objects.filter(organization=world.ministry).latest()
    assert score.evidence["exposure"]["known_exploited"] == 1


@pytest.mark.django_db
def test_a_saved_rule_rematches_windows_programs_under_their_new_canonical_name(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import orjson

    from qalxan.hygiene import advisories

    registry()
    viewer = ("Fabrikam Ltd", "Fabrikam Viewer 3.1 (64-bit)", "3.1.0")
    advisory = {
        **WINRAR_ADVISORY,
        "id": "QLX-TEST-FABRIKAM",
        "aliases": [],
        "affected": [
            {**WINRAR_ADVISORY["affected"][0], "package": {"ecosystem": "Windows", "name": "Viewer"}}
        ],  # type: ignore[index]
    }
    advisories.import_osv(actor=None, filename="f.json", content=orjson.dumps(advisory), system=True)
    ingest(world.ministry, csv_inventory({"pc-1": [viewer]}))
    assert not Finding.objects.filter(advisory__osv_id="QLX-TEST-FABRIKAM").exists()
    rule = NormalisationRule(
        priority=45, name_pattern=r"^Fabrikam Viewer", vendor="Fabrikam", product="Viewer"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.save_rule(actor=world.users["admin"], rule=rule)
    finding = Finding.objects.get(advisory__osv_id="QLX-TEST-FABRIKAM")
    assert (finding.package, finding.present) == ("Fabrikam Viewer 3.1 (64-bit)", True)
    # Without the rule the program is no longer matched: the finding goes as on a new inventory.
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_rule(actor=world.users["admin"], rule=rule)
    finding.refresh_from_db()
    assert (finding.present, finding.state) == (False, "fixed")


@pytest.mark.django_db
def test_new_weights_recompute_every_score_in_the_background(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    registry()
    ingest(world.ministry, csv_inventory({"pc-1": [OFFICE]}))
    ingest(world.other, csv_inventory({"pc-9": [DRIVER]}))
    with django_capture_on_commit_callbacks(execute=True):
        services.set_weights(
            actor=world.users["supervisor"], licence=100, coverage=0, exposure=0, freshness=0, stale_days=7
        )
    latest = InstitutionScore.objects.filter(organization=world.ministry).latest()
    assert latest.evidence["weights"] == {"licence": 100, "coverage": 0, "exposure": 0, "freshness": 0}
    assert latest.score == 0  # the only commercial install is unlicensed
    assert (
        InstitutionScore.objects.filter(organization=world.other).latest().score == 100
    )  # nothing to license
