"""Pages: report form, incident page actions, statistics and exports, quarantine, SLAs."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from qalxan.incidents.models import Incident, SeverityPolicy, TaxonomyType
from qalxan.incidents.tests.factories import incident, system


def test_officer_reports_through_the_form(world: Any, client: Any) -> None:
    world.ministry.is_cii_subject = True
    world.ministry.save()
    s = system(world.ministry, cii=True)
    foreign = system(world.other)
    client.force_login(world.users["officer_a"])
    page = client.get("/incidents/report/").content.decode()
    assert 'data-testid="obligation"' in page and foreign.registry_number not in page
    data = {
        "organization": world.ministry.pk,
        "title": "Fidyə proqramı",
        "tlp": "RED",
        "pap": "AMBER",
        "detected_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "severity": "low",
        "taxonomy_type": TaxonomyType.objects.get(code="infected-system").pk,
        "affected_systems": [s.pk],
    }
    response = client.post("/incidents/report/", data)
    assert response.status_code == 302
    inc = Incident.objects.get()
    assert inc.severity == "high" and inc.channel == "web"
    bad = client.post("/incidents/report/", {**data, "affected_systems": [foreign.pk]})
    assert bad.status_code == 200 and Incident.objects.count() == 1


def test_analyst_triages_on_the_page_and_officer_confirms(world: Any, client: Any) -> None:
    inc = incident(world.users["officer_a"], world.ministry)
    client.force_login(world.users["analyst"])
    assert 'data-step="accept"' in client.get(f"/incidents/{inc.pk}/").content.decode()
    client.post(f"/incidents/{inc.pk}/step/", {"step": "accept", "severity": "high"})
    inc.refresh_from_db()
    assert inc.state == "triaged"
    client.post(f"/incidents/{inc.pk}/measures/", {"kind": "patch", "description": "Yamaq"})
    measure = inc.measures.get()
    client.post(f"/incidents/{inc.pk}/comment/", {"message": "Baxırıq"})
    client.force_login(world.users["officer_a"])
    page = client.get(f"/incidents/{inc.pk}/").content.decode()
    assert "Baxırıq" in page and "data-step" not in page
    client.post(f"/incidents/measures/{measure.pk}/confirm/", {"comment": "Edildi"})
    measure.refresh_from_db()
    assert measure.state == "confirmed"
    client.force_login(world.users["officer_b"])
    assert client.get(f"/incidents/{inc.pk}/").status_code == 404
    assert client.post(f"/incidents/{inc.pk}/step/", {"step": "accept"}).status_code in {403, 404}


def test_statistics_page_and_exports(world: Any, client: Any) -> None:
    mine = incident(world.users["officer_a"], world.ministry, title="Mənim")
    incident(world.users["officer_b"], world.other, title="Onların")
    client.force_login(world.users["analyst"])
    page = client.get("/incidents/statistics/").content.decode()
    assert "MIN-A" in page and "MIN-B" in page
    client.force_login(world.users["officer_a"])
    page = client.get("/incidents/statistics/").content.decode()
    assert "MIN-A" in page and "MIN-B" not in page
    csv = b"".join(client.get("/incidents/statistics.csv").streaming_content).decode()
    assert "MIN-A" in csv and "MIN-B" not in csv
    xlsx = client.get("/incidents/statistics.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/incidents/statistics.pdf").status_code == 404
    assert client.get("/incidents/?q=" + mine.reference).status_code == 200


def test_quarantine_and_sla_pages(world: Any, client: Any) -> None:
    client.force_login(world.users["officer_a"])
    assert client.get("/incidents/quarantine/").status_code == 403
    assert client.get("/incidents/sla/").status_code == 200
    policy = SeverityPolicy.objects.get(severity="high")
    assert client.get(f"/incidents/sla/{policy.pk}/edit/").status_code == 403
    client.force_login(world.users["analyst"])
    assert client.get("/incidents/quarantine/").status_code == 200
    client.force_login(world.users["admin"])
    response = client.post(
        f"/incidents/sla/{policy.pk}/edit/",
        {"report_hours": 12, "triage_hours": 2, "resolve_hours": 48, "reminder_percent": 30},
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.report_hours == 12
