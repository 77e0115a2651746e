"""Services: the effect, the audit entry, the notification, and the refusal for a role that may not act."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from qalxan.core.models import AuditEntry, Notification
from qalxan.exposure import queries, services
from qalxan.exposure.models import Finding, HostingRange, Scan, Site
from qalxan.exposure.tests.factories import website
from qalxan.organizations.models import Sector
from qalxan.registry.models import InformationSystem

pytestmark = pytest.mark.django_db


def test_registry_websites_are_followed_and_other_systems_are_not(world: Any) -> None:
    sector = Sector.objects.get(code="public_administration")
    InformationSystem.objects.create(
        name_az="Sayt", kind="website", sector=sector, owner=world.ministry, hosting="azstatenet"
    )
    InformationSystem.objects.create(
        name_az="ERP", kind="information_system", sector=sector, owner=world.ministry, hosting="azstatenet"
    )
    assert services.sync_sites() == 1
    assert services.sync_sites() == 0
    assert Site.objects.get().system.kind == "website"
    with pytest.raises(ValidationError):
        services.site_for(InformationSystem.objects.get(name_az="ERP"))


def test_request_scan_checks_permission_and_writes_audit(world: Any) -> None:
    own = website(world.ministry, "own.gov.az")
    with pytest.raises(PermissionDenied):
        services.request_scan(actor=world.users["viewer_a"], site=own, enqueue=False)
    with pytest.raises(PermissionDenied):
        services.request_scan(actor=world.users["officer_b"], site=own, enqueue=False)
    scan = services.request_scan(actor=world.users["officer_a"], site=own, enqueue=False)
    assert scan.requested_by == world.users["officer_a"]
    assert AuditEntry.objects.filter(action="create", object_id=str(scan.pk)).exists()
    with pytest.raises(ValidationError):
        services.request_scan(actor=world.users["analyst"], site=own, enqueue=False)
    assert Scan.objects.count() == 1


def test_scan_notifies_the_institution_and_feeds_its_compliance_picture(
    scanner_settings: Any, world: Any
) -> None:
    site = website(world.ministry, "legacy.test")
    scan = services.request_scan(actor=world.users["analyst"], site=site, enqueue=False)
    services.run_scan(scan.pk)
    notes = Notification.objects.filter(recipient=world.users["officer_a"])
    assert notes.count() == 1 and site.system.name in notes.get().subject
    assert not Notification.objects.filter(recipient=world.users["officer_b"]).exists()
    summary = queries.organization_summary(world.ministry.pk)
    assert summary["sites"] == 1 and summary["open_findings"] == Finding.objects.filter(site=site).count()
    assert summary["by_severity"]["critical"] >= 3
    assert queries.organization_summary(world.other.pk)["sites"] == 0
    assert AuditEntry.objects.filter(action="transition", message__startswith="exposure_scan.finish").exists()


def test_accept_risk_needs_the_permission_and_a_reason(world: Any) -> None:
    site = website(world.ministry, "own.gov.az")
    finding = Finding.objects.create(
        site=site, check_code="csp_missing", severity="medium", location="a", fingerprint="f"
    )
    with pytest.raises(PermissionDenied):
        services.accept_risk(actor=world.users["officer_a"], finding=finding, reason="x")
    with pytest.raises(ValidationError):
        services.accept_risk(actor=world.users["supervisor"], finding=finding, reason=" ")
    services.accept_risk(actor=world.users["supervisor"], finding=finding, reason="Sayt bağlanır")
    finding.refresh_from_db()
    assert finding.state == "accepted" and finding.decision_reason == "Sayt bağlanır"
    assert AuditEntry.objects.filter(
        action="transition", message__startswith="exposure_finding.accept_risk"
    ).exists()


def test_due_sites_are_scheduled_twice_a_year(world: Any) -> None:
    due = website(world.ministry, "due.gov.az")
    recent = website(world.ministry, "recent.gov.az")
    recent.next_scan_at = timezone.now() + dt.timedelta(days=100)
    recent.save()
    website(world.ministry)  # no domain: skipped
    scans = services.schedule_due_scans(enqueue=False)
    assert [s.site_id for s in scans] == [due.pk]
    assert services.schedule_due_scans(enqueue=False) == []  # already queued
    assert services.interval() == dt.timedelta(days=182)


def test_hosting_ranges_are_validated_and_normalised(world: Any) -> None:
    entry = services.add_hosting_range(
        actor=world.users["supervisor"], cidr="85.132.16.7/24", label="AzStateNet"
    )
    assert entry.cidr == "85.132.16.0/24"
    with pytest.raises(ValidationError):
        services.add_hosting_range(actor=world.users["supervisor"], cidr="85.132.16.0/24")
    with pytest.raises(ValidationError):
        services.add_hosting_range(actor=world.users["supervisor"], cidr="bad")
    with pytest.raises(PermissionDenied):
        services.add_hosting_range(actor=world.users["officer_a"], cidr="10.0.0.0/8")
    assert HostingRange.objects.count() == 1


def test_command_scans_one_site_and_all(scanner_settings: Any, world: Any) -> None:
    site = website(world.ministry, "portal.test")
    website(world.other, "wrong.test")
    out = StringIO()
    call_command("exposure", "scan", "--site", str(site.pk), stdout=out)
    assert "1 sites scanned" in out.getvalue()
    out = StringIO()
    call_command("exposure", "scan", "--all", stdout=out)
    assert "2 sites scanned" in out.getvalue()
    assert Scan.objects.filter(state="finished").count() == 3


def test_demo_loader_follows_registry_websites_and_azstatenet_ranges(world: Any) -> None:
    import random

    from qalxan.core.demo import DemoContext
    from qalxan.exposure.demo import load_exposure
    from qalxan.registry.models import IpRange

    site = website(world.ministry, "own.gov.az")
    IpRange.objects.create(system=site.system, cidr="85.132.16.0/24")
    site.delete()
    ctx = DemoContext(scale="small", seed=1, password="x", out=None, rng=random.Random(1))
    load_exposure(ctx)
    load_exposure(ctx)
    assert Site.objects.count() == 1
    assert list(HostingRange.objects.values_list("cidr", flat=True)) == ["85.132.16.0/24"]
