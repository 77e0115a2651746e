"""The scanner against loopback sites with planted problems: it reports exactly what was planted."""

from __future__ import annotations

from typing import Any

import pytest

from qalxan.core.models import AuditEntry, Notification
from qalxan.exposure import services
from qalxan.exposure.models import DataExposure, Finding, HostingRange, Scan
from qalxan.exposure.tests import sites
from qalxan.exposure.tests.factories import website

pytestmark = pytest.mark.django_db


def _scan(site: Any) -> Scan:
    scan = services.request_scan(actor=None, site=site, enqueue=False)
    done = services.run_scan(scan.pk)
    assert done is not None
    return done


def _open(site: Any) -> set[tuple[str, str]]:
    return set(Finding.objects.filter(site=site, state="open").values_list("check_code", "key"))


def _notes(scan: Scan) -> set[str]:
    return {n["code"] for n in scan.notes}


def test_well_configured_site_reports_exactly_the_planted_personal_data(
    scanner_settings: Any, world: Any
) -> None:
    HostingRange.objects.create(cidr="127.0.0.0/8", label="test")
    site = website(world.ministry, "portal.test")
    scan = _scan(site)
    assert scan.state == "finished", scan.notes
    assert _open(site) == {
        ("personal_data", "fin"),
        ("personal_data", "phone"),
        ("personal_data", "email"),
        ("personal_data", "id_card"),
        ("personal_data", "voen"),
        ("personal_data", "iban"),
    }
    masked = set(DataExposure.objects.filter(scan=scan).values_list("kind", "masked_value", "url"))
    assert masked == {
        ("fin", "5****2M", "https://portal.test/contacts"),
        ("phone", "+99450*****67", "https://portal.test/contacts"),
        ("email", "a***@example.az", "https://portal.test/contacts"),
        ("id_card", "AZE******78", "https://portal.test/contacts"),
        ("voen", "14******21", "https://portal.test/contacts"),
        ("iban", "AZ21NA********************44", "https://portal.test/contacts"),
        ("fin", "7****1A", "https://portal.test/docs/decision.pdf"),
        ("phone", "050765**21", "https://portal.test/docs/list.docx"),
        ("iban", "AZ74AI********************01", "https://portal.test/docs/pay.xlsx"),
    }
    notes = _notes(scan)
    assert "redirect_off_site" in notes  # /go points at evil.example: not followed
    assert "bad_document" in notes  # the corrupt PDF
    assert scan.in_azstatenet is True
    assert scan.documents == 4 and scan.pages >= 3


def test_badly_configured_site_reports_each_planted_problem(scanner_settings: Any, world: Any) -> None:
    HostingRange.objects.create(cidr="10.0.0.0/8", label="elsewhere")
    site = website(world.ministry, "legacy.test")
    scan = _scan(site)
    assert _open(site) == {
        ("http_not_redirected", ""),
        ("tls_legacy", ""),
        ("cert_expired", ""),
        ("hsts_missing", ""),
        ("csp_missing", ""),
        ("xcto_missing", ""),
        ("frame_missing", ""),
        ("referrer_missing", ""),
        ("permissions_missing", ""),
        ("cookie_flags", "PHPSESSID"),
        ("mixed_content", ""),
        ("version_disclosure", "server"),
        ("version_disclosure", "x-powered-by"),
        ("version_disclosure", "generator"),
        ("sensitive_path", "/.git/HEAD"),
        ("sensitive_path", "/.env"),
        ("directory_listing", "/uploads/"),
        ("outside_azstatenet", ""),
        ("privacy_notice_missing", ""),
    }
    legacy = Finding.objects.get(site=site, check_code="tls_legacy")
    assert legacy.evidence["versions"] == ["TLSv1.0", "TLSv1.1"] and legacy.severity == "high"
    assert scan.score is not None and scan.score < 20
    assert "TLSv1.0" in scan.summary["tls"]["offered"]


def test_certificate_for_another_host_and_unreachable_and_endless_sites(
    scanner_settings: Any, world: Any
) -> None:
    wrong = website(world.ministry, "wrong.test")
    down = website(world.ministry, "down.test")
    slow = website(world.other, "slow.test")
    for site in (wrong, down, slow):
        services.request_scan(actor=None, site=site, enqueue=False)
    done = services.run_scans(list(Scan.objects.filter(state="queued").select_related("site")))
    by_site = {s.site_id: s for s in done}
    assert ("cert_hostname", "") in _open(wrong)
    assert by_site[down.pk].state == "failed" and "unreachable" in _notes(by_site[down.pk])
    assert not Finding.objects.filter(site=down).exists()
    slow_notes = _notes(by_site[slow.pk])
    assert "too_large" in slow_notes  # the endless page and the 3 MB file stop at the limit
    assert by_site[slow.pk].state == "finished"


def test_rescan_closes_fixed_findings_and_reopens_returning_ones(scanner_settings: Any, world: Any) -> None:
    served = scanner_settings.sites["legacy.test"]
    site = website(world.ministry, "legacy.test")
    _scan(site)
    git = Finding.objects.get(site=site, check_code="sensitive_path", key="/.git/HEAD")
    removed = served.pages.pop("/.git/HEAD")
    try:
        second = _scan(site)
        git.refresh_from_db()
        assert git.state == "fixed" and git.fixed_scan_id == second.pk
        assert second.fixed_findings == 1
        served.pages["/.git/HEAD"] = removed
        third = _scan(site)
        git.refresh_from_db()
        assert git.state == "open" and third.new_findings == 1
    finally:
        served.pages["/.git/HEAD"] = removed
    assert AuditEntry.objects.filter(
        action="transition", message__startswith="exposure_finding.verify_fixed"
    ).exists()


def test_an_unreachable_rescan_closes_nothing(scanner_settings: Any, world: Any) -> None:
    site = website(world.ministry, "legacy.test")
    _scan(site)
    before = _open(site)
    site.system.domains.all().delete()
    site.system.domains.create(domain="down.test")
    Finding.objects.filter(site=site).update(location="down.test")  # same host name, now unreachable
    _scan(site)
    assert len(_open(site)) == len(before)


def test_stored_results_hold_no_unmasked_personal_data(scanner_settings: Any, world: Any) -> None:
    from qalxan.core.testing import person

    person("institution_officer", world.ministry, username="officer.portal")
    site = website(world.ministry, "portal.test")
    _scan(site)
    dumps = []
    for model in (Scan, Finding, DataExposure, AuditEntry, Notification):
        for row in model.objects.all().values():
            dumps.append(repr(row))
    blob = "\n".join(dumps)
    compact = blob.replace(" ", "")
    for value in sites.RAW_VALUES:
        assert value not in blob and value.replace(" ", "") not in compact, value
    assert Notification.objects.filter(recipient__username="officer.portal").exists()


def test_targets_outside_the_registered_domains_are_refused(scanner_settings: Any, world: Any) -> None:
    from django.core.exceptions import ValidationError

    site = website(world.ministry, "portal.test")
    assert services.check_target(site, "https://portal.test/contacts") == "portal.test"
    for url in ("https://evil.example/", "ftp://portal.test/", "https://portal.test.evil.example/"):
        with pytest.raises(ValidationError):
            services.check_target(site, url)
