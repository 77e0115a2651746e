"""The incident page shows the report's indicators, the incidents that share them and the campaigns,
each only as far as the viewer may see."""

from __future__ import annotations

from typing import Any

from qalxan.intel.correlation import ingest_incident
from qalxan.intel.models import Campaign
from qalxan.intel.tests.factories import incident


def _page(client: Any, user: Any, inc: Any) -> str:
    client.force_login(user)
    response = client.get(inc.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_incident_page_shows_indicators_correlations_and_campaigns(world: Any, client: Any) -> None:
    a = incident(world.ministry, "c2.bad-actor.az 185.220.101.47")
    b = incident(world.other, "hxxp://c2.bad-actor[.]az/x 185.220.101[.]47")
    for i in (a, b):
        ingest_incident(i)
    campaign = Campaign.objects.get()

    analyst = _page(client, world.users["analyst"], a)
    assert 'data-testid="incident-indicators"' in analyst
    assert "c2.bad-actor.az" in analyst and "185.220.101.47" in analyst
    assert b.reference in analyst and campaign.get_absolute_url() in analyst

    # The reporting institution sees its own indicators and the campaign of its incident,
    # but not the other institution's incident.
    officer = _page(client, world.users["officer_a"], a)
    assert "c2.bad-actor.az" in officer and campaign.get_absolute_url() in officer
    assert b.reference not in officer and b.title not in officer


def test_no_section_without_indicators(world: Any, client: Any) -> None:
    quiet = incident(world.ministry, "")
    assert 'data-testid="incident-indicators"' not in _page(client, world.users["analyst"], quiet)
