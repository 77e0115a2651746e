"""Pages of the strategy app: who sees what, and form errors for bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from qalxan.strategy import indices, services
from qalxan.strategy.models import IndexAssessment, Indicator, IndicatorValue
from qalxan.strategy.tests.factories import make_action

pytestmark = pytest.mark.django_db


def _client(world: Any, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_unknown_metric_is_a_form_error(world: Any, plan: Any) -> None:
    client = _client(world, "strategy_officer")
    response = client.post(
        "/strategy/indicators/add/",
        {
            "strategy": plan.strategy.pk,
            "code": "I1",
            "name_az": "x",
            "unit": "%",
            "metric": "ghost.metric",
            "targets_text": "2025=70; 2026=80",
            "higher_is_better": "on",
        },
    )
    assert response.status_code == 200
    assert "ghost.metric" in response.content.decode()
    assert not Indicator.objects.exists()
    response = client.post(
        "/strategy/indicators/add/",
        {
            "strategy": plan.strategy.pk,
            "code": "I1",
            "name_az": "x",
            "unit": "%",
            "metric": "strategy.overdue_actions",
            "targets_text": "2025=70; 2026=80",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert {t.year for t in indicator.targets.all()} == {2025, 2026}
    assert client.post(f"/strategy/indicators/{indicator.pk}/compute/").status_code == 302
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 1
    page = client.get(f"/strategy/indicators/{indicator.pk}/").content.decode()
    assert "strategy.overdue_actions" in page and "<svg" in page


def test_pages_by_role(world: Any, plan: Any) -> None:
    make_action(plan.direction, world.ministry, "A1", deadline=dt.date(2024, 1, 1))
    indices.load_frameworks()
    officer = world.users["strategy_officer"]
    framework = indices.IndexFramework.objects.get(code="itu-gci-2024")
    assessment = services.create_assessment(actor=officer, framework=framework, year=2025)
    strategy_officer = _client(world, "strategy_officer")
    for url in (
        "/strategy/",
        f"/strategy/strategies/{plan.strategy.pk}/",
        "/strategy/actions/",
        "/strategy/reports/",
        "/strategy/indicators/",
        "/strategy/indices/",
        f"/strategy/indices/{framework.pk}/",
        f"/strategy/assessments/{assessment.pk}/",
        "/strategy/actions/import/",
    ):
        assert strategy_officer.get(url).status_code == 200, url
    detail = strategy_officer.get(f"/strategy/assessments/{assessment.pk}/").content.decode()
    assert "incidents.sectoral_certs" in detail or "organizations.national_authority_exists" in detail
    officer_b = _client(world, "officer_b")
    assert officer_b.get(f"/strategy/strategies/{plan.strategy.pk}/").status_code == 200
    assert officer_b.get("/strategy/").status_code == 403
    assert officer_b.get("/strategy/indices/").status_code == 403
    response = strategy_officer.post(f"/strategy/indices/{framework.pk}/assess/", {"year": 2025})
    assert response.status_code == 302 and IndexAssessment.objects.count() == 1  # same year refused
