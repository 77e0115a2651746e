"""API: intake, tenancy, transitions, measures, timeline, bad input."""

from __future__ import annotations

import base64
from typing import Any

from django.utils import timezone

from qalxan.incidents.models import Incident, TaxonomyType
from qalxan.incidents.tests.factories import incident, system

URL = "/api/v1/incidents/"


def _payload(org: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "organization": org.pk,
        "title": "DDoS",
        "detected_at": timezone.now().isoformat(),
        "taxonomy_type": TaxonomyType.objects.get(code="ddos").pk,
        "tlp": "AMBER+STRICT",
        "pap": "GREEN",
    }
    data.update(extra)
    return data


def test_officer_reports_through_the_api_with_attachment(world: Any, api: Any) -> None:
    s = system(world.ministry, cii=True)
    response = api("officer_a").post(
        URL,
        _payload(
            world.ministry,
            affected_systems=[s.pk],
            attachments=[{"filename": "pcap.txt", "content": base64.b64encode(b"pcap").decode()}],
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "api" and body["severity"] == "high" and body["taxonomy"] == "availability/ddos"
    assert body["files"][0]["filename"] == "pcap.txt" and body["affected_systems"] == [s.pk]
    # The answer is written without reading the report back; it must be what a read gives.
    assert api("officer_a").get(f"{URL}{body['id']}/").json() == body


def test_intake_reads_and_writes_only_what_a_report_needs(
    world: Any, api: Any, django_assert_max_num_queries: Any
) -> None:
    """Token, memberships, organisation, taxonomy type, systems; the report, its systems, its timeline,
    its audit entry (plus BEGIN and COMMIT): the analysts are told by a job after the commit."""
    s = system(world.ministry, cii=True)
    client = api("officer_a")
    payload = _payload(world.ministry, affected_systems=[s.pk])
    client.post(URL, payload, format="json")
    # The officer's membership includes subordinate bodies: one more query for them.
    with django_assert_max_num_queries(12):
        response = client.post(URL, payload, format="json")
    assert response.status_code == 201, response.content


def test_serializer_fields_are_copies_per_instance(world: Any, rf: Any) -> None:
    """Fields are worked out once per class; what one instance changes on its fields stays its own."""
    from qalxan.incidents.api.serializers import IncidentSerializer

    request = rf.post(URL)
    request.user = world.users["officer_a"]
    existing = incident(world.users["officer_a"], world.ministry)
    editing = IncidentSerializer(existing, context={"request": request})
    creating = IncidentSerializer(context={"request": request})
    assert editing.fields["organization"].read_only and not creating.fields["organization"].read_only
    assert editing.fields["title"] is not creating.fields["title"]
    assert editing.fields["files"].child is not creating.fields["files"].child
    assert world.ministry in creating.fields["organization"].get_queryset()
    other_request = rf.post(URL)
    other_request.user = world.users["officer_b"]
    other = IncidentSerializer(context={"request": other_request})
    assert world.ministry not in other.fields["organization"].get_queryset()
    assert world.ministry in creating.fields["organization"].get_queryset()


def test_bad_reports_are_refused_with_field_errors(world: Any, api: Any) -> None:
    client = api("officer_a")
    foreign = system(world.other)
    cases = [
        (_payload(world.ministry, affected_systems=[foreign.pk]), "affected_systems"),
        (_payload(world.ministry, affected_systems=[987654]), "affected_systems"),
        (_payload(world.other), "organization"),
        (_payload(world.ministry, tlp="PURPLE"), "tlp"),
        (_payload(world.ministry, attachments=[{"filename": "x", "content": "%%%"}]), "attachments"),
        ({"title": "x"}, "detected_at"),
    ]
    for data, field in cases:
        response = client.post(URL, data, format="json")
        assert response.status_code == 400, (field, response.content)
        assert field in str(response.json()), (field, response.json())
    assert not Incident.objects.exists()


def test_oversized_attachment_is_refused(world: Any, api: Any, settings: Any) -> None:
    settings.INCIDENT_MAX_ATTACHMENT_BYTES = 10
    response = api("officer_a").post(
        URL,
        _payload(
            world.ministry,
            attachments=[{"filename": "big.bin", "content": base64.b64encode(b"x" * 11).decode()}],
        ),
        format="json",
    )
    assert response.status_code == 400 and "attachments" in response.json()
    assert not Incident.objects.exists()


def test_an_institution_never_sees_another_institutions_incident(world: Any, api: Any) -> None:
    mine = incident(world.users["officer_a"], world.ministry)
    theirs = incident(world.users["officer_b"], world.other)
    client = api("officer_a")
    ids = [r["id"] for r in client.get(URL).json()["results"]]
    assert mine.pk in ids and theirs.pk not in ids
    for path in ("", "timeline/", "measures/"):
        assert client.get(f"{URL}{theirs.pk}/{path}").status_code == 404
    assert client.post(f"{URL}{theirs.pk}/timeline/", {"message": "x"}, format="json").status_code == 404
    assert client.patch(f"{URL}{theirs.pk}/", {"title": "x"}, format="json").status_code == 404
    assert api("officer_b").get(f"{URL}{mine.pk}/").status_code == 404
    # The subordinate's officer sees only its own; the ministry officer (with subordinates) sees both.
    sub = incident(world.users["officer_sub"], world.subordinate)
    assert sub.pk in [r["id"] for r in client.get(URL).json()["results"]]
    assert [r["id"] for r in api("officer_sub").get(URL).json()["results"]] == [sub.pk]
    all_ids = [r["id"] for r in api("analyst").get(URL).json()["results"]]
    assert {mine.pk, theirs.pk, sub.pk} <= set(all_ids)


def test_transition_allowed_and_refused(world: Any, api: Any) -> None:
    inc = incident(world.users["officer_a"], world.ministry)
    url = f"{URL}{inc.pk}/transition/"
    assert api("officer_a").post(url, {"step": "accept"}, format="json").status_code == 403
    response = api("analyst").post(url, {"step": "close"}, format="json")
    assert response.status_code == 400, response.content
    assert api("analyst").post(url, {"step": "fly"}, format="json").status_code == 400
    response = api("analyst").post(
        url, {"step": "accept", "severity": "critical", "assignee": world.users["analyst"].pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "triaged"
    assert response.json()["severity"] == "critical"
    bad = api("analyst").post(url, {"step": "start", "assignee": "x"}, format="json")
    assert bad.status_code == 400
    timeline = api("officer_a").get(f"{URL}{inc.pk}/timeline/").json()
    assert any(e["kind"] == "transition" for e in timeline)


def test_measures_through_the_api(world: Any, api: Any) -> None:
    inc = incident(world.users["officer_a"], world.ministry)
    api("analyst").post(f"{URL}{inc.pk}/transition/", {"step": "accept"}, format="json")
    assert (
        api("officer_a")
        .post(f"{URL}{inc.pk}/measures/", {"measure": "patch", "description": "x"}, format="json")
        .status_code
        == 403
    )
    response = api("analyst").post(
        f"{URL}{inc.pk}/measures/", {"measure": "isolate_host", "description": "Təcrid"}, format="json"
    )
    assert response.status_code == 201
    measure_id = response.json()["id"]
    assert [m["id"] for m in api("officer_a").get(f"{URL}{inc.pk}/measures/").json()] == [measure_id]
    assert (
        api("officer_b")
        .post(f"{URL}measures/{measure_id}/confirm/", {"comment": "x"}, format="json")
        .status_code
        == 404
    )
    assert api("officer_a").post(f"{URL}measures/{measure_id}/confirm/", {}, format="json").status_code == 400
    response = api("officer_a").post(
        f"{URL}measures/{measure_id}/confirm/", {"comment": "Təcrid edildi"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "confirmed"
    assert (
        api("officer_a")
        .post(f"{URL}measures/{measure_id}/verify/", {"decision": "accept"}, format="json")
        .status_code
        == 403
    )
    response = api("analyst").post(
        f"{URL}measures/{measure_id}/verify/", {"decision": "accept"}, format="json"
    )
    assert response.json()["state"] == "verified"
    listed = api("officer_a").get(f"{URL}measures/").json()["results"]
    assert [m["id"] for m in listed] == [measure_id]
    assert api("officer_b").get(f"{URL}measures/").json()["results"] == []


def test_filters(world: Any, api: Any) -> None:
    incident(world.users["officer_a"], world.ministry, severity="low")
    high = incident(world.users["officer_a"], world.ministry, severity="high")
    rows = api("analyst").get(URL, {"severity": "high"}).json()["results"]
    assert [r["id"] for r in rows] == [high.pk]
    assert api("analyst").get(URL, {"state": "nonsense"}).status_code == 400
