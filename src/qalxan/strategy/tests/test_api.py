"""The strategy API: what each role sees and may do; bad input is a 4xx with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qalxan.strategy.choices import ActionStatus, ReportState
from qalxan.strategy.models import Action, Indicator, IndicatorValue, ProgressReport
from qalxan.strategy.tests.factories import make_action

pytestmark = pytest.mark.django_db


def test_strategy_structure_is_readable_by_everyone_signed_in(world: Any, plan: Any, api: Any) -> None:
    make_action(plan.direction, world.ministry, "A1", status=ActionStatus.DONE)
    make_action(plan.direction, world.other, "A2")
    response = api("viewer_a").get("/api/v1/strategy/strategies/")
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert rows[0]["goals"][0]["directions"][0]["code"] == "1.1"
    rollup = api("officer_b").get(f"/api/v1/strategy/strategies/{plan.strategy.pk}/rollup/").json()
    assert rollup["total"] == 1 and rollup["done"] == 0  # only its own action
    assert (
        api("strategy_officer").get(f"/api/v1/strategy/strategies/{plan.strategy.pk}/rollup/").json()["total"]
        == 2
    )
    assert api().get("/api/v1/strategy/strategies/").status_code in {401, 403}


def test_actions_are_scoped_to_participants(world: Any, plan: Any, api: Any) -> None:
    mine = make_action(plan.direction, world.other, "A1", co_executors=(world.subordinate,))
    make_action(plan.direction, world.other, "A2")
    ids = {row["id"] for row in api("officer_a").get("/api/v1/strategy/actions/").json()["results"]}
    assert ids == {mine.pk}  # a co-executor (through the subordinate body) sees the action
    assert api("viewer_a").get("/api/v1/strategy/actions/").json()["count"] == 0
    assert api("auditor").get("/api/v1/strategy/actions/").json()["count"] == 2


def test_indicator_api_refuses_unknown_metric_and_computes(world: Any, plan: Any, api: Any) -> None:
    client = api("strategy_officer")
    response = client.post(
        "/api/v1/strategy/indicators/",
        {
            "strategy": plan.strategy.pk,
            "code": "I1",
            "name_az": "x",
            "unit": "%",
            "metric": "nowhere.metric",
        },
        format="json",
    )
    assert response.status_code == 400 and "nowhere.metric" in response.json()["metric"][0]
    assert not Indicator.objects.exists()
    response = client.post(
        "/api/v1/strategy/indicators/",
        {
            "strategy": plan.strategy.pk,
            "code": "I1",
            "name_az": "Gecikən",
            "unit": "ədəd",
            "metric": "strategy.overdue_actions",
            "targets": {"2025": 0},
            "higher_is_better": False,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["targets"] == {"2025": "0.0000"}
    make_action(plan.direction, world.ministry, "A1", deadline=dt.date(2025, 1, 1))
    response = client.post(f"/api/v1/strategy/indicators/{pk}/compute/", {"on": "2025-06-30"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["new_revision"] is True and response.json()["value"]["value"] == "1.0000"
    assert response.json()["value"]["metric"] == "strategy.overdue_actions"
    values = client.get(f"/api/v1/strategy/indicators/{pk}/values/").json()
    assert len(values) == 1 and values[0]["origin"] == "on_demand"
    assert (
        client.post(f"/api/v1/strategy/indicators/{pk}/compute/", {"on": "bad"}, format="json").status_code
        == 400
    )
    assert api("officer_a").post(f"/api/v1/strategy/indicators/{pk}/compute/").status_code == 403
    assert api("auditor").post(f"/api/v1/strategy/indicators/{pk}/compute/").status_code == 403
    assert IndicatorValue.objects.count() == 1
    manual = Indicator.objects.create(strategy=plan.strategy, code="M1", name_az="x", unit="%")
    assert client.post(f"/api/v1/strategy/indicators/{manual.pk}/compute/").status_code == 400


def test_report_flow_through_the_api(world: Any, plan: Any, api: Any) -> None:
    action = make_action(plan.direction, world.ministry, "A1")
    officer = api("officer_a")
    payload = {
        "action": action.pk,
        "period": plan.period.pk,
        "organization": world.ministry.pk,
        "status": "in_progress",
        "narrative": "Başlanıb",
    }
    response = officer.post("/api/v1/strategy/reports/", payload, format="json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    upload = SimpleUploadedFile("akt.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert (
        officer.post(
            f"/api/v1/strategy/reports/{pk}/evidence/", {"file": upload}, format="multipart"
        ).status_code
        == 201
    )
    assert officer.post(f"/api/v1/strategy/reports/{pk}/submit/", {}, format="json").status_code == 200
    assert officer.post(f"/api/v1/strategy/reports/{pk}/accept/", {}, format="json").status_code == 403
    reviewer = api("strategy_officer")
    response = reviewer.post(f"/api/v1/strategy/reports/{pk}/return/", {"comment": ""}, format="json")
    assert response.status_code == 400
    response = reviewer.post(f"/api/v1/strategy/reports/{pk}/accept/", {"comment": "OK"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == ReportState.ACCEPTED
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    # officer_b: the action is not theirs — refused, nothing written.
    response = api("officer_b").post(
        "/api/v1/strategy/reports/", {**payload, "organization": world.other.pk}, format="json"
    )
    assert response.status_code == 400
    assert ProgressReport.objects.count() == 1
    assert api("officer_b").get(f"/api/v1/strategy/reports/{pk}/").status_code == 404


def test_indices_api(world: Any, api: Any) -> None:
    from qalxan.strategy import indices

    indices.load_frameworks()
    body = api("analyst").get("/api/v1/strategy/indices/").json()
    assert {f["kind"] for f in body} == {"gci", "ncaf", "cmm"}
    ncaf = next(f for f in body if f["kind"] == "ncaf")
    assert len(ncaf["sections"]) == 20 and len(ncaf["levels"]) == 5
    assert api("officer_a").get("/api/v1/strategy/indices/").status_code == 403


def test_action_plan_import_through_the_api(world: Any, plan: Any, api: Any) -> None:
    csv = (
        "strategy,direction,code,title,responsible,co_executors,start_year,deadline\n"
        f"{plan.strategy.code},1.1,1.1.5,Yeni tədbir,{world.ministry.code},{world.other.code},"
        "2025,2026-06-30\n"
    )
    upload = SimpleUploadedFile("plan.csv", csv.encode(), content_type="text/csv")
    response = api("strategy_officer").post(
        "/api/v1/strategy/actions/import/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 200, response.content
    action = Action.objects.get(code="1.1.5")
    assert set(action.participants.values_list("pk", flat=True)) == {world.ministry.pk, world.other.pk}
