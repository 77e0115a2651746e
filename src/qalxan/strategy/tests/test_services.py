"""Services of the strategy app: computed indicators, revisions, rollup, the review workflow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qalxan.core import metrics
from qalxan.core.models import AuditEntry, Notification
from qalxan.core.workflows import TransitionRefused
from qalxan.strategy import indices, queries, services
from qalxan.strategy.choices import ActionStatus, AssessmentSource, ReportState, ValueOrigin
from qalxan.strategy.models import (
    Action,
    IndexAssessment,
    IndexFramework,
    Indicator,
    IndicatorValue,
    ProgressReport,
)
from qalxan.strategy.tests.factories import make_action

pytestmark = pytest.mark.django_db


def test_computed_indicator_matches_the_data_the_test_creates(world: Any, plan: Any) -> None:
    officer = world.users["strategy_officer"]
    # Due by 2025-12-31: four actions; two done by their deadline, one done late, one not done.
    make_action(
        plan.direction,
        world.ministry,
        "A1",
        status=ActionStatus.DONE,
        deadline=dt.date(2025, 6, 30),
        completed_on=dt.date(2025, 6, 1),
    )
    make_action(
        plan.direction,
        world.ministry,
        "A2",
        status=ActionStatus.DONE,
        deadline=dt.date(2025, 6, 30),
        completed_on=dt.date(2025, 6, 30),
    )
    make_action(
        plan.direction,
        world.other,
        "A3",
        status=ActionStatus.DONE,
        deadline=dt.date(2025, 3, 31),
        completed_on=dt.date(2025, 5, 1),
    )
    make_action(
        plan.direction, world.other, "A4", status=ActionStatus.IN_PROGRESS, deadline=dt.date(2025, 9, 30)
    )
    make_action(plan.direction2, world.other, "A5", deadline=dt.date(2027, 12, 31))  # not yet due
    indicator = services.create_indicator(
        actor=officer,
        strategy=plan.strategy,
        code="I1",
        name_az="Vaxtında icra",
        unit="%",
        metric="strategy.actions_done_on_time_share",
        metric_params={"strategy": plan.strategy.code},
    )
    value, new = services.compute_indicator(actor=officer, indicator=indicator, on=dt.date(2025, 12, 31))
    assert new and value.value == Decimal("50.0000")  # 2 of 4
    assert value.metric == "strategy.actions_done_on_time_share"
    assert value.params == {"strategy": plan.strategy.code}
    assert value.origin == ValueOrigin.ON_DEMAND and value.recorded_by == officer

    overdue = services.create_indicator(
        actor=officer,
        strategy=plan.strategy,
        code="I2",
        name_az="Gecikən",
        unit="ədəd",
        metric="strategy.overdue_actions",
        higher_is_better=False,
    )
    assert (
        services.compute_indicator(actor=officer, indicator=overdue, on=dt.date(2025, 12, 31))[0].value == 1
    )


def test_recomputation_keeps_earlier_revisions(world: Any, plan: Any) -> None:
    officer = world.users["strategy_officer"]
    action = make_action(plan.direction, world.ministry, "A1", deadline=dt.date(2025, 1, 31))
    indicator = services.create_indicator(
        actor=officer,
        strategy=plan.strategy,
        code="I1",
        name_az="x",
        unit="ədəd",
        metric="strategy.overdue_actions",
    )
    day = dt.date(2025, 6, 30)
    first, new = services.compute_indicator(actor=officer, indicator=indicator, on=day)
    assert new and first.value == 1 and first.revision == 1
    same, new = services.compute_indicator(actor=None, indicator=indicator, on=day, scheduled=True)
    assert not new and same.pk == first.pk  # unchanged: nothing new stored
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    second, new = services.compute_indicator(actor=officer, indicator=indicator, on=day)
    assert new and second.revision == 2 and second.value == 0
    assert list(
        IndicatorValue.objects.filter(indicator=indicator, on=day).values_list("value", flat=True)
    ) == [1, 0]
    assert queries.current_values(indicator) == [second]


def test_indicator_bound_to_an_unknown_metric_is_refused(world: Any, plan: Any) -> None:
    with pytest.raises(ValidationError) as err:
        services.create_indicator(
            actor=world.users["strategy_officer"],
            strategy=plan.strategy,
            code="I9",
            name_az="x",
            unit="%",
            metric="nowhere.nothing",
        )
    assert "nowhere.nothing" in str(err.value.message_dict["metric"])
    assert not Indicator.objects.exists()


def test_only_the_strategy_officer_defines_indicators(world: Any, plan: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.create_indicator(
            actor=world.users["officer_a"], strategy=plan.strategy, code="I1", name_az="x", unit="%"
        )


def test_scheduled_recomputation_skips_metrics_no_module_offers(world: Any, plan: Any) -> None:
    Indicator.objects.create(strategy=plan.strategy, code="I1", name_az="x", unit="%", metric="later.module")
    services.create_indicator(
        actor=world.users["strategy_officer"],
        strategy=plan.strategy,
        code="I2",
        name_az="y",
        unit="ədəd",
        metric="strategy.overdue_actions",
    )
    from qalxan.strategy.tasks import recompute_indicators

    counts = recompute_indicators.call_local()
    assert counts == {"computed": 1, "new": 1, "unavailable": 1, "failed": 0}
    assert IndicatorValue.objects.get().origin == ValueOrigin.SCHEDULED


def test_a_failing_metric_is_a_clear_refusal(world: Any, plan: Any) -> None:
    @metrics.metric("strategy_test.broken", label="broken", unit="%")
    def broken(at: dt.date) -> int:
        raise ZeroDivisionError

    indicator = Indicator.objects.create(
        strategy=plan.strategy, code="B1", name_az="x", unit="%", metric="strategy_test.broken"
    )
    try:
        with pytest.raises(ValidationError) as err:
            services.compute_indicator(actor=world.users["strategy_officer"], indicator=indicator)
        assert "ZeroDivisionError" in str(err.value)
        assert services.compute_all()["failed"] == 1
        assert not IndicatorValue.objects.exists()
    finally:
        metrics._REGISTRY.pop("strategy_test.broken", None)


def test_manual_value_revision(world: Any, plan: Any) -> None:
    officer = world.users["strategy_officer"]
    indicator = services.create_indicator(
        actor=officer,
        strategy=plan.strategy,
        code="M1",
        name_az="x",
        unit="nəfər",
        higher_is_better=False,
        targets={2025: Decimal(90)},
    )
    services.record_value(actor=officer, indicator=indicator, on=dt.date(2025, 6, 30), value=Decimal(95))
    services.record_value(
        actor=officer, indicator=indicator, on=dt.date(2025, 6, 30), value=Decimal(96), note="fix"
    )
    assert indicator.values.count() == 2
    status = queries.indicator_status(indicator, dt.date(2025, 12, 31))
    assert status["latest"].value == 96 and status["target"] == 90 and status["on_track"] is False


def test_rollup_arithmetic(world: Any, plan: Any) -> None:
    at = dt.date(2025, 7, 1)
    # Direction 1.1: 4 actions, 2 done, 1 delayed, 1 overdue in progress → 50 %.
    make_action(plan.direction, world.ministry, "A1", status=ActionStatus.DONE)
    make_action(plan.direction, world.ministry, "A2", status=ActionStatus.DONE)
    make_action(plan.direction, world.ministry, "A3", status=ActionStatus.DELAYED)
    make_action(
        plan.direction, world.ministry, "A4", status=ActionStatus.IN_PROGRESS, deadline=dt.date(2025, 6, 1)
    )
    # Direction 1.2: 1 of 1 done → 100 %.
    make_action(plan.direction2, world.other, "B1", status=ActionStatus.DONE)
    top = queries.rollup(plan.strategy, at)
    goal = top.children[0]
    d1, d2 = goal.children
    assert (d1.total, d1.done, d1.delayed, d1.overdue, d1.completion) == (4, 2, 1, 1, Decimal("50.0"))
    assert d1.status == ActionStatus.DELAYED
    assert d2.completion == Decimal("100.0") and d2.status == ActionStatus.DONE
    # Directions weigh equally: (50 + 100) / 2, not 3 of 5.
    assert goal.completion == Decimal("75.0") and goal.total == 5 and goal.overdue == 1
    assert top.completion == Decimal("75.0") and top.status == ActionStatus.DELAYED
    # An institution sees the rollup of its own actions only.
    mine = queries.rollup(plan.strategy, at, Action.objects.filter(responsible=world.other))
    assert mine.total == 1 and mine.completion == Decimal("100.0")


def test_review_workflow_with_refusals(world: Any, plan: Any) -> None:
    officer_a, reviewer = world.users["officer_a"], world.users["strategy_officer"]
    action = make_action(plan.direction, world.ministry, "A1", co_executors=(world.subordinate,))
    report = services.create_report(
        actor=officer_a,
        action=action,
        period=plan.period,
        organization=world.ministry,
        status=ActionStatus.DONE,
        narrative="Hazırdır",
        completed_on=dt.date(2025, 5, 5),
    )
    assert report.state == ReportState.DRAFT
    with pytest.raises(TransitionRefused):
        services.accept_report(actor=reviewer, report=report)  # not submitted yet
    services.submit_report(actor=officer_a, report=report)
    assert Notification.objects.filter(recipient=reviewer).exists()
    with pytest.raises(PermissionDenied):
        services.accept_report(actor=officer_a, report=report)  # an institution cannot accept its own report
    with pytest.raises(ValidationError):
        services.update_report(actor=officer_a, report=report, narrative="changed after submission")
    with pytest.raises(TransitionRefused):
        services.return_report(actor=reviewer, report=report, comment="  ")  # a return needs a reason
    services.return_report(actor=reviewer, report=report, comment="Sübut əlavə edin")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.review_comment == "Sübut əlavə edin"
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED  # a returned report changes nothing
    services.update_report(actor=officer_a, report=report, narrative="Hazırdır, akt əlavə olunub")
    services.submit_report(actor=officer_a, report=report)
    services.accept_report(actor=reviewer, report=report)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completed_on == dt.date(2025, 5, 5)
    assert AuditEntry.objects.filter(action="transition", object_id=str(report.pk)).count() == 4
    with pytest.raises(TransitionRefused):
        services.return_report(actor=reviewer, report=report, comment="too late")


def test_co_executor_reports_do_not_move_the_action(world: Any, plan: Any) -> None:
    action = make_action(plan.direction, world.ministry, "A1", co_executors=(world.other,))
    report = services.create_report(
        actor=world.users["officer_b"],
        action=action,
        period=plan.period,
        organization=world.other,
        status=ActionStatus.DONE,
        narrative="Bizim hissə",
        completed_on=dt.date(2025, 4, 1),
    )
    services.submit_report(actor=world.users["officer_b"], report=report)
    services.accept_report(actor=world.users["strategy_officer"], report=report)
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_STARTED


def test_a_report_for_another_institutions_action_is_refused(world: Any, plan: Any) -> None:
    action = make_action(plan.direction, world.ministry, "A1")
    with pytest.raises(ValidationError) as err:  # officer_b's organisation takes no part in the action
        services.create_report(
            actor=world.users["officer_b"],
            action=action,
            period=plan.period,
            organization=world.other,
            status=ActionStatus.DONE,
            narrative="x",
        )
    assert "həmicraçısı" in str(err.value)
    with pytest.raises(PermissionDenied):  # and may not speak for the ministry
        services.create_report(
            actor=world.users["officer_b"],
            action=action,
            period=plan.period,
            organization=world.ministry,
            status=ActionStatus.DONE,
            narrative="x",
        )
    with pytest.raises(PermissionDenied):  # a viewer may not report at all
        services.create_report(
            actor=world.users["viewer_a"],
            action=action,
            period=plan.period,
            organization=world.ministry,
            status=ActionStatus.DONE,
            narrative="x",
        )
    assert not ProgressReport.objects.exists()


def test_index_scores_and_platform_evidence(world: Any) -> None:
    officer = world.users["strategy_officer"]
    indices.load_frameworks()
    indices.load_frameworks()  # idempotent
    gci = IndexFramework.objects.get(code="itu-gci-2024")
    assert gci.sections.count() == 5
    assessment = services.create_assessment(actor=officer, framework=gci, year=2025)
    services.apply_platform_evidence(actor=officer, assessment=assessment)
    # The world has an authority organisation: "a responsible agency exists" is satisfied automatically.
    answered = {a.question.code: a for a in assessment.answers.select_related("question")}
    assert answered["O2"].automatic and "organizations.national_authority_exists" in answered["O2"].evidence
    # Sectoral CERTs are the incidents module's to prove; until it offers the metric: "not available".
    t2 = gci.sections.get(code="technical").questions.get(code="T2")
    if "incidents.sectoral_certs" not in {m.name for m in metrics.available()}:
        found = indices.evidence_for(t2)
        assert not found.available and "incidents.sectoral_certs" in found.text
    t2.evidence = "nowhere.metric"
    found = indices.evidence_for(t2)
    assert not found.available and not found.satisfied and "nowhere.metric" in found.text
    for question in gci.sections.get(code="organizational").questions.all():
        services.answer_question(
            actor=officer,
            assessment=assessment,
            question=question,
            value=Decimal(1 if question.code != "O4" else 0),
        )
    assessment.refresh_from_db()
    assert assessment.scores.get(section__code="organizational").score == Decimal("15.00")  # 3 of 4 × 20
    with pytest.raises(ValidationError):
        services.answer_question(actor=officer, assessment=assessment, question=question, value=Decimal(3))
    assert indices.tier(gci, Decimal("93.76")).startswith("Tier 2")
    published = services.create_assessment(
        actor=officer, framework=gci, year=2020, source=AssessmentSource.PUBLISHED
    )
    services.set_section_scores(
        actor=officer,
        assessment=published,
        scores={
            "legal": Decimal(20),
            "technical": Decimal("19.19"),
            "organizational": Decimal("13.14"),
            "capacity": Decimal("16.99"),
            "cooperation": Decimal(20),
        },
    )
    published.refresh_from_db()
    assert published.total == Decimal("89.32")
    comparison = indices.comparison(gci)
    assert [a.year for a in comparison["assessments"]] == [2020, 2025]
    with pytest.raises(PermissionDenied):
        services.create_assessment(actor=world.users["analyst"], framework=gci, year=2026)
    assert IndexAssessment.objects.count() == 2
