"""API: indicators with bulk text import, anonymised counts, campaigns, sightings, exports."""

import json

from stix2validator import ValidationOptions, validate_string

from qalxan.intel.models import Indicator
from qalxan.intel.tests.factories import indicator


def test_indicator_create_list_and_anonymity(world, api):
    officer_b = api("officer_b")
    created = officer_b.post(
        "/api/v1/intel/indicators/",
        {"value": "hxxp://C2.Evil[.]az:80", "organization": world.other.pk, "tlp": "GREEN"},
    )
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "url" and created.json()["value"] == "http://c2.evil.az/"
    officer_a = api("officer_a")
    officer_a.post(
        "/api/v1/intel/indicators/", {"value": "http://c2.evil.az/", "organization": world.ministry.pk}
    )
    row = officer_a.get("/api/v1/intel/indicators/", {"q": "http://c2.evil.az/"}).json()["results"][0]
    assert row["other_institutions"] == 1 and row["reported_by_you"] is True
    assert "organization" not in row and world.other.short_name not in json.dumps(row)
    bad = officer_a.post(
        "/api/v1/intel/indicators/", {"value": "999.1.1.1", "kind": "ipv4", "organization": world.ministry.pk}
    )
    assert bad.status_code == 400 and "value" in bad.json()
    foreign = officer_a.post(
        "/api/v1/intel/indicators/", {"value": "x.evil.az", "organization": world.other.pk}
    )
    assert foreign.status_code == 400


def test_bulk_text_import(world, api):
    client = api("analyst")
    preview = client.post("/api/v1/intel/indicators/import/", {"text": "evil[.]az 8.8.8.8", "dry_run": True})
    assert preview.status_code == 200 and not preview.json()["committed"]
    assert preview.json()["known_benign"][0]["value"] == "8.8.8.8"
    assert Indicator.objects.count() == 0
    done = client.post("/api/v1/intel/indicators/import/", {"text": "evil[.]az 8.8.8.8", "tlp": "GREEN"})
    assert done.status_code == 200 and done.json()["created"] == 2
    bad = client.post("/api/v1/intel/indicators/import/", {"text": "ok.az\nhttp://bad host/"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["line"] == 2


def test_stix_export_for_cert_only(world, api):
    indicator("evil.az", tlp="GREEN")
    indicator("red.evil.az", tlp="RED")
    response = api("analyst").get("/api/v1/intel/export/stix/", {"tlp": "AMBER"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/stix+json")
    body = response.content.decode()
    assert validate_string(body, ValidationOptions(version="2.1")).is_valid
    assert "red.evil.az" not in body and "evil.az" in body
    assert api("officer_a").get("/api/v1/intel/export/stix/").status_code == 403
    assert api("analyst").get("/api/v1/intel/export/stix/", {"tlp": "PURPLE"}).status_code == 400
    misp = api("analyst").get("/api/v1/intel/export/misp/")
    assert misp.status_code == 200 and "evil.az" in misp.content.decode()


def test_sightings_upload_and_campaign_step(world, api):
    ind = indicator("evil.az", org=world.ministry)
    client = api("officer_a")
    response = client.post(
        "/api/v1/intel/sightings/",
        {
            "organization": world.ministry.pk,
            "sightings": [{"indicator": ind.pk, "line": 3, "seen_at": "2026-11-30T10:00:00Z"}],
        },
    )
    assert response.status_code == 201 and response.json()["created"] == 1
    assert client.get("/api/v1/intel/sightings/").json()["count"] == 1
    assert api("officer_b").get("/api/v1/intel/sightings/").json()["count"] == 0
    bad = client.post(
        "/api/v1/intel/sightings/",
        {"organization": world.ministry.pk, "sightings": [{"indicator": ind.pk, "seen_at": "soon"}]},
    )
    assert bad.status_code == 400
    from qalxan.intel.models import Campaign
    from qalxan.intel.tests.factories import incident

    campaign = Campaign.objects.create(name="Candidate")
    campaign.incidents.add(incident(world.ministry), incident(world.other))
    seen = client.get(f"/api/v1/intel/campaigns/{campaign.pk}/").json()
    assert seen["institution_count"] == 2 and seen["institutions"] == [] and len(seen["incidents"]) == 1
    assert (
        client.post(
            f"/api/v1/intel/campaigns/{campaign.pk}/transition/", {"step": "confirm", "name": "X"}
        ).status_code
        == 403
    )
    step = api("analyst").post(
        f"/api/v1/intel/campaigns/{campaign.pk}/transition/",
        {"step": "confirm", "name": "Ghost", "threat_actor": "APT"},
    )
    assert step.status_code == 200 and step.json()["state"] == "confirmed"
    assert sorted(step.json()["institutions"]) == sorted([world.ministry.short_name, world.other.short_name])
