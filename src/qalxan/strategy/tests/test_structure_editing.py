"""The strategy officer builds and edits the strategy's structure in the pages; others may not."""

import datetime as dt

import pytest

from qalxan.core.models import AuditEntry
from qalxan.strategy.models import Action, Direction, Goal, Strategy


@pytest.fixture
def officer(client, world):
    client.force_login(world.users["strategy_officer"])
    return client


def test_strategy_goal_direction_and_action_through_the_pages(world, officer):
    response = officer.post(
        "/strategy/strategies/add/",
        {
            "code": "kts-2028",
            "name_az": "Kibertəhlükəsizlik strategiyası 2028–2032",
            "start_year": 2028,
            "end_year": 2032,
        },
    )
    assert response.status_code == 302
    strategy = Strategy.objects.get(code="kts-2028")
    assert (
        officer.post(
            f"/strategy/strategies/{strategy.pk}/structure/",
            {"code": "1", "name_az": "Riskləri müəyyən etmək", "order": 1},
        ).status_code
        == 302
    )
    goal = Goal.objects.get(strategy=strategy)
    officer.post(
        f"/strategy/strategies/{strategy.pk}/structure/",
        {"goal": goal.pk, "code": "1.1", "name_az": "Təhdidlərin aşkarlanması", "order": 1},
    )
    direction = Direction.objects.get(goal=goal)
    page = officer.get(f"/strategy/actions/add/?direction={direction.pk}").content.decode()
    assert f'<option value="{direction.pk}" selected>' in page
    response = officer.post(
        "/strategy/actions/add/",
        {
            "direction": direction.pk,
            "code": "1.1.1",
            "title": "Risklər reyestrinin qaydasını təsdiq etmək",
            "responsible": world.ministry.pk,
            "co_executors": [world.other.pk],
            "start_year": 2028,
            "deadline": "2029-12-31",
            "financing_source": "state_budget",
        },
    )
    action = Action.objects.get(code="1.1.1")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(action.co_executors.values_list("pk", flat=True)) == {world.other.pk}
    officer.post(
        f"/strategy/actions/{action.pk}/edit/",
        {
            "direction": direction.pk,
            "code": "1.1.1",
            "title": "Yeni ad",
            "responsible": world.ministry.pk,
            "start_year": 2028,
            "deadline": "2030-06-30",
            "financing_source": "state_budget",
        },
    )
    action.refresh_from_db()
    assert action.title == "Yeni ad" and str(action.deadline) == "2030-06-30"
    assert AuditEntry.objects.filter(action="update", object_id=str(action.pk)).exists()


def test_bad_period_is_refused(world, officer):
    response = officer.post(
        "/strategy/strategies/add/", {"code": "x", "name_az": "X", "start_year": 2030, "end_year": 2027}
    )
    assert response.status_code == 200 and not Strategy.objects.filter(code="x").exists()


def test_institution_cannot_edit_the_structure(world, client):
    client.force_login(world.users["officer_a"])
    assert client.get("/strategy/strategies/add/").status_code == 403
    assert client.post("/strategy/actions/add/", {"code": "x"}).status_code == 403


def test_manual_value_through_the_api(world, api):
    from qalxan.strategy import services

    strategy = services.create_strategy(
        actor=world.users["strategy_officer"], code="s", name_az="S", start_year=2023, end_year=2027
    )
    indicator = services.create_indicator(
        actor=world.users["strategy_officer"],
        strategy=strategy,
        code="I1",
        name_az="Təlim keçmiş əməkdaşlar",
        unit="%",
    )
    url = f"/api/v1/strategy/indicators/{indicator.pk}/values/"
    created = api("strategy_officer").post(url, {"on": "2026-06-30", "value": "42.5"}, format="json")
    assert created.status_code == 201 and created.json()["origin"] == "manual"
    again = api("strategy_officer").post(url, {"on": "2026-06-30", "value": "43"}, format="json")
    assert again.json()["revision"] == 2
    assert len(api("strategy_officer").get(url).json()) == 2
    assert api("strategy_officer").post(url, {"on": "x", "value": "y"}, format="json").status_code == 400
    assert api("auditor").post(url, {"on": "2026-06-30", "value": "1"}, format="json").status_code == 403


def test_monitoring_working_group_reviews_reports_of_its_directions(world, api, client):
    from qalxan.strategy import services
    from qalxan.strategy.models import ProgressReport, ReportingPeriod

    officer = world.users["strategy_officer"]
    strategy = services.create_strategy(actor=officer, code="g", name_az="G", start_year=2023, end_year=2027)
    goal = services.add_goal(actor=officer, strategy=strategy, code="1", name_az="Məqsəd")
    covered = services.add_direction(actor=officer, goal=goal, code="1.1", name_az="A")
    other = services.add_direction(actor=officer, goal=goal, code="1.2", name_az="B")
    period = services.add_period(
        actor=officer,
        strategy=strategy,
        label="2026",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        due_on=dt.date(2027, 1, 31),
    )
    member = world.users["commission_member"]  # of another institution: tenancy alone would hide the reports
    services.save_monitoring_group(
        actor=officer, strategy=strategy, name_az="İşçi qrup", members=[member], directions=[covered]
    )
    reports = {}
    for direction in (covered, other):
        action = services.create_action(
            actor=officer,
            direction=direction,
            code=direction.code + ".1",
            title="T",
            responsible=world.ministry,
            start_year=2026,
            deadline=dt.date(2026, 12, 31),
        )
        report = services.create_report(
            actor=world.users["officer_a"],
            action=action,
            period=period,
            organization=world.ministry,
            status="in_progress",
            narrative="Gedir",
        )
        services.submit_report(actor=world.users["officer_a"], report=report)
        reports[direction.code] = report
    listed = {r["id"] for r in api("commission_member").get("/api/v1/strategy/reports/").json()["results"]}
    assert listed == {reports["1.1"].pk}
    url = f"/api/v1/strategy/reports/{reports['1.2'].pk}/accept/"
    assert api("commission_member").post(url, {}, format="json").status_code == 404
    url = f"/api/v1/strategy/reports/{reports['1.1'].pk}/accept/"
    assert api("commission_member").post(url, {"comment": "Qəbul"}, format="json").status_code == 200
    assert ProgressReport.objects.get(pk=reports["1.1"].pk).state == "accepted"
    assert api("officer_b").get(f"/api/v1/strategy/reports/{reports['1.1'].pk}/").status_code == 404
    assert ReportingPeriod.objects.count() == 1
