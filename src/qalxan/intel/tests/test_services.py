"""Services: catalogue, warning lists, asset alerts, correlation, anonymity, sightings, campaigns."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qalxan.core.models import AuditEntry, Notification
from qalxan.core.testing import person
from qalxan.incidents.tests.factories import system as make_system
from qalxan.intel import services
from qalxan.intel.correlation import correlate, ingest_incident
from qalxan.intel.models import Campaign, CorrelationLink, Indicator
from qalxan.intel.normalize import detect
from qalxan.intel.queries import other_institutions, reporters
from qalxan.intel.tests.factories import incident, indicator


def test_paste_stores_each_value_once_and_flags_benign(world):
    analyst = world.users["analyst"]
    out = services.import_text(
        actor=analyst,
        text="hxxp://evil[.]az/a\nEVIL.az 10.1.2.3 8.8.8.8\nevil.az. windowsupdate.com\nhttp://Evil.AZ:80/a",
        tlp="GREEN",
    )
    assert out.committed and not out.errors
    values = set(Indicator.objects.values_list("kind", "value"))
    assert values == {
        ("url", "http://evil.az/a"),
        ("domain", "evil.az"),
        ("ipv4", "10.1.2.3"),
        ("ipv4", "8.8.8.8"),
        ("domain", "windowsupdate.com"),
    }
    benign = {i.value: i.warning_list.slug for i in Indicator.objects.filter(suppressed=True)}
    assert benign == {
        "10.1.2.3": "private-ranges",
        "8.8.8.8": "public-resolvers",
        "windowsupdate.com": "popular-domains",
    }
    assert AuditEntry.objects.filter(action="create", content_type__model="indicator").count() == 5
    again = services.import_text(actor=analyst, text="evil.az", tlp="GREEN")
    assert again.result.created == [] and Indicator.objects.count() == 5


def test_paste_with_a_bad_line_stores_nothing(world):
    out = services.import_text(actor=world.users["analyst"], text="evil.az\nhttp://exa mple/\nmailto bad@@x")
    assert not out.committed
    assert Indicator.objects.count() == 0
    assert {e["line"] for e in out.errors} >= {2}


def test_institution_must_name_itself_and_stays_in_scope(world):
    officer = world.users["officer_b"]
    with pytest.raises(ValidationError):
        services.import_text(actor=officer, text="evil.az")
    with pytest.raises(PermissionDenied):
        services.import_text(actor=officer, text="evil.az", organization=world.ministry)
    with pytest.raises(PermissionDenied):
        services.import_text(actor=world.users["viewer_a"], text="evil.az", organization=world.ministry)


def test_asset_alert_goes_to_the_owning_institution(world):
    from qalxan.registry.models import IpRange, SystemDomain

    officer = world.users["officer_a"]
    system = make_system(world.ministry)
    IpRange.objects.create(system=system, cidr="203.0.113.0/24")  # also a documentation range: suppressed
    IpRange.objects.create(system=system, cidr="91.243.44.0/24")
    SystemDomain.objects.create(system=system, domain="portal.min-a.gov.az")
    services.import_text(
        actor=world.users["analyst"], text="91.243.44.7 x.portal.min-a.gov.az 203.0.113.9 evil.az"
    )
    notes = Notification.objects.filter(recipient=officer)
    assert notes.count() == 1
    assert "91.243.44.7" in notes[0].body and "x.portal.min-a.gov.az" in notes[0].body
    assert "203.0.113.9" not in notes[0].body and "evil.az" not in notes[0].body
    assert not Notification.objects.filter(recipient=world.users["officer_b"]).exists()


def test_correlation_links_incidents_and_forms_a_campaign(world, settings):
    a = incident(world.ministry, "c2.bad-actor.az 185.220.101.47")
    b = incident(world.other, "hxxp://c2.bad-actor[.]az/x 185.220.101[.]47")
    c = incident(world.subordinate, "unrelated.example.net")
    for i in (a, b, c):
        ingest_incident(i)
    assert CorrelationLink.objects.filter(low=a, high=b).exists()
    assert not CorrelationLink.objects.filter(high=c).exists()
    campaign = Campaign.objects.get()
    assert set(campaign.incidents.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert campaign.state == "candidate"
    assert Notification.objects.filter(
        recipient=world.users["analyst"], url=campaign.get_absolute_url()
    ).exists()
    services.move_campaign(
        actor=world.users["analyst"],
        campaign=campaign,
        step="confirm",
        name="Ghost Eagle",
        threat_actor="APT-X",
    )
    campaign.refresh_from_db()
    assert (
        campaign.state == "confirmed"
        and campaign.threat_actor == "APT-X"
        and campaign.confirmed_by == world.users["analyst"]
    )
    with pytest.raises(PermissionDenied):
        services.move_campaign(actor=world.users["officer_a"], campaign=campaign, step="close")


def test_over_correlation_limit(world, monkeypatch):
    monkeypatch.setenv("QALXAN_INTEL_CORRELATION_LIMIT", "3")
    everywhere = [
        incident(org, "everywhere.example.az")
        for org in (world.ministry, world.other, world.subordinate, world.agency)
    ]
    for i in everywhere:
        ingest_incident(i)
    # The first three were linked while the value was rare; the fourth one exceeded the limit.
    result = correlate(everywhere[3])
    assert result.linked == {} and result.skipped
    assert not CorrelationLink.objects.filter(high=everywhere[3]).exists()


def test_institution_never_learns_who_else_reported(world):
    shared = indicator("c2.shared.az", org=world.other, tlp="GREEN")
    indicator("c2.shared.az", org=world.agency, tlp="GREEN")
    indicator("c2.shared.az", org=world.ministry, tlp="GREEN")
    officer = world.users["officer_a"]
    assert other_institutions(officer, [shared.pk]) == {shared.pk: 2}
    assert [o.pk for o in reporters(officer, shared)] == [world.ministry.pk]
    assert {o.pk for o in reporters(world.users["analyst"], shared)} == {
        world.other.pk,
        world.agency.pk,
        world.ministry.pk,
    }
    amber = indicator("private.other.az", org=world.other, tlp="AMBER")
    assert not Indicator.objects.visible_to(officer).filter(pk=amber.pk).exists()
    assert Indicator.objects.visible_to(world.users["officer_b"]).filter(pk=amber.pk).exists()


def test_sightings_all_or_nothing_and_extend_expiry(world):
    ind = indicator("evil.az", org=world.ministry)
    officer = world.users["officer_a"]
    before = Indicator.objects.get(pk=ind.pk).expires_at
    with pytest.raises(ValidationError) as bad:
        services.record_sightings(
            actor=officer,
            organization=world.ministry,
            sightings=[{"kind": "domain", "value": "evil.az"}, {"kind": "domain", "value": "unknown.az"}],
        )
    assert "sightings" in bad.value.message_dict
    assert not ind.sightings.exists()
    result = services.record_sightings(
        actor=officer,
        organization=world.ministry,
        sightings=[{"kind": "domain", "value": "EVIL.az.", "line": 7, "field": "query", "count": 3}],
    )
    assert len(result.sightings) == 1
    ind.refresh_from_db()
    assert ind.sighting_count == 3 and ind.expires_at >= before
    with pytest.raises(PermissionDenied):
        services.record_sightings(
            actor=officer, organization=world.other, sightings=[{"kind": "domain", "value": "evil.az"}]
        )


def test_sightings_can_open_an_incident(world, monkeypatch):
    monkeypatch.setenv("QALXAN_INTEL_SIGHTING_INCIDENTS", "1")
    indicator("evil.az", tlp="GREEN")
    result = services.record_sightings(
        actor=world.users["officer_a"],
        organization=world.ministry,
        sightings=[{"kind": "domain", "value": "evil.az"}],
    )
    assert result.incident is not None and result.incident.organization == world.ministry
    assert "evil.az" in result.incident.indicators


def test_warning_list_loading_reflags(world):
    from qalxan.intel.warninglists import parse

    ind = indicator("tracker.partner.az", tlp="GREEN")
    assert not ind.suppressed
    services.load_warning_list(
        actor=world.users["analyst"],
        parsed=parse({"name": "Partners", "type": "hostname", "list": ["partner.az"]}),
    )
    ind.refresh_from_db()
    assert ind.suppressed and ind.warning_list.name == "Partners"
    with pytest.raises(PermissionDenied):
        services.load_warning_list(
            actor=world.users["officer_a"], parsed=parse({"name": "X", "type": "string", "list": ["a"]})
        )


def test_detect_for_api_values():
    assert detect("[2001:db8::1]").value == "2001:db8::1"
    person  # noqa: B018  (imported for other tests' helpers)
