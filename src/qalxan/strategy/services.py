"""Every write of the strategy app."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core import audit, metrics
from qalxan.core.choices import AuditAction
from qalxan.core.roles import Role
from qalxan.core.services import notify
from qalxan.core.tenancy import can, require
from qalxan.organizations.models import Organization
from qalxan.strategy import workflows
from qalxan.strategy.choices import ActionStatus, AssessmentSource, ReportState, ValueOrigin
from qalxan.strategy.models import (
    Action,
    Direction,
    Goal,
    IndexAnswer,
    IndexAssessment,
    IndexFramework,
    IndexQuestion,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    MonitoringGroup,
    ProgressReport,
    ReportEvidence,
    ReportingPeriod,
    SectionScore,
    Strategy,
)

MAX_EVIDENCE_BYTES = 20 * 2**20
logger = logging.getLogger(__name__)


# --- Structure ------------------------------------------------------------------------------------


def _save_new(obj: Any, actor: Any) -> Any:
    obj.full_clean()
    obj.save()
    audit.record(actor=actor, action=AuditAction.CREATE, target=obj, after=audit.snapshot(obj))
    return obj


@transaction.atomic
def create_strategy(
    *, actor: Any, code: str, name_az: str, start_year: int, end_year: int, **fields: Any
) -> Strategy:
    """Register a national strategy and its period."""
    require(actor, "strategy.change_strategy")
    return _save_new(
        Strategy(code=code, name_az=name_az, start_year=start_year, end_year=end_year, **fields), actor
    )


@transaction.atomic
def update_strategy(*, actor: Any, strategy: Strategy, **fields: Any) -> Strategy:
    """Correct a strategy's names, period or legal basis."""
    require(actor, "strategy.change_strategy")
    before = audit.snapshot(strategy)
    for name, value in fields.items():
        setattr(strategy, name, value)
    strategy.full_clean()
    strategy.save()
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=strategy, before=before, after=audit.snapshot(strategy)
    )
    return strategy


@transaction.atomic
def save_monitoring_group(
    *,
    actor: Any,
    strategy: Strategy,
    name_az: str,
    members: list[Any],
    directions: list[Direction],
    group: MonitoringGroup | None = None,
    **names: Any,
) -> MonitoringGroup:
    """Create or change a monitoring working group: its members review reports on its directions."""
    require(actor, "strategy.change_strategy")
    foreign = [d for d in directions if d.goal.strategy_id != strategy.pk]
    if foreign:
        raise ValidationError({"directions": _("A direction of another strategy was chosen.")})
    before = audit.snapshot(group) if group is not None else None
    group = group or MonitoringGroup(strategy=strategy)
    group.name_az = name_az
    for key, value in names.items():
        setattr(group, key, value)
    group.full_clean()
    group.save()
    group.members.set(members)
    group.directions.set(directions)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        target=group,
        before=before,
        after=audit.snapshot(group),
    )
    return group


@transaction.atomic
def add_goal(*, actor: Any, strategy: Strategy, code: str, name_az: str, **fields: Any) -> Goal:
    """Add a goal to a strategy."""
    require(actor, "strategy.change_strategy")
    return _save_new(Goal(strategy=strategy, code=code, name_az=name_az, **fields), actor)


@transaction.atomic
def add_direction(*, actor: Any, goal: Goal, code: str, name_az: str, **fields: Any) -> Direction:
    """Add a priority direction under a goal."""
    require(actor, "strategy.change_strategy")
    return _save_new(Direction(goal=goal, code=code, name_az=name_az, **fields), actor)


@transaction.atomic
def add_period(
    *, actor: Any, strategy: Strategy, label: str, starts_on: dt.date, ends_on: dt.date, due_on: dt.date
) -> ReportingPeriod:
    """Open a reporting period."""
    require(actor, "strategy.change_strategy")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period ends before it starts.")})
    return _save_new(
        ReportingPeriod(strategy=strategy, label=label, starts_on=starts_on, ends_on=ends_on, due_on=due_on),
        actor,
    )


def _set_executors(action: Action, co_executors: list[Organization]) -> None:
    others = [o for o in co_executors if o.pk != action.responsible_id]
    action.co_executors.set(others)
    action.participants.set([action.responsible_id, *(o.pk for o in others)])


@transaction.atomic
def create_action(
    *,
    actor: Any,
    direction: Direction,
    code: str,
    title: str,
    responsible: Organization,
    co_executors: list[Organization] | None = None,
    **fields: Any,
) -> Action:
    """Add an item to the action plan."""
    require(actor, "strategy.add_action")
    action = Action(direction=direction, code=code, title=title, responsible=responsible, **fields)
    action.full_clean()
    action.save()
    _set_executors(action, co_executors or [])
    audit.record(actor=actor, action=AuditAction.CREATE, target=action, after=audit.snapshot(action))
    return action


@transaction.atomic
def update_action(
    *, actor: Any, action: Action, co_executors: list[Organization] | None = None, **fields: Any
) -> Action:
    """Change the details of an action-plan item (its status comes from accepted reports)."""
    require(actor, "strategy.change_action")
    before = audit.snapshot(action)
    for name, value in fields.items():
        setattr(action, name, value)
    action.full_clean()
    action.save()
    _set_executors(action, co_executors if co_executors is not None else list(action.co_executors.all()))
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=action, before=before, after=audit.snapshot(action)
    )
    return action


# --- Indicators -----------------------------------------------------------------------------------


def check_metric(name: str) -> None:
    """Refuse a metric name that no app offers."""
    if not name:
        return
    try:
        metrics.get(name)
    except KeyError:
        raise ValidationError(
            {"metric": _("No module offers a metric function called “%(name)s”.") % {"name": name}}
        ) from None


@transaction.atomic
def create_indicator(
    *,
    actor: Any,
    strategy: Strategy,
    code: str,
    name_az: str,
    unit: str,
    targets: dict[int, Decimal] | None = None,
    **fields: Any,
) -> Indicator:
    """Define an indicator; a computed one must name a metric function some module offers."""
    require(actor, "strategy.add_indicator")
    check_metric(fields.get("metric", ""))
    indicator = _save_new(
        Indicator(strategy=strategy, code=code, name_az=name_az, unit=unit, **fields), actor
    )
    if targets:
        _write_targets(indicator, targets)
    return indicator


@transaction.atomic
def update_indicator(
    *, actor: Any, indicator: Indicator, targets: dict[int, Decimal] | None = None, **fields: Any
) -> Indicator:
    """Change an indicator's definition (its recorded values stay as they are)."""
    require(actor, "strategy.change_indicator")
    if "metric" in fields:
        check_metric(fields["metric"])
    before = audit.snapshot(indicator)
    before["targets"] = {str(t.year): str(t.value) for t in indicator.targets.all()}
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    if targets is not None:
        _write_targets(indicator, targets)
    after = audit.snapshot(indicator)
    after["targets"] = {str(t.year): str(t.value) for t in indicator.targets.all()}
    audit.record(actor=actor, action=AuditAction.UPDATE, target=indicator, before=before, after=after)
    return indicator


def _write_targets(indicator: Indicator, targets: dict[int, Decimal]) -> None:
    strategy = indicator.strategy
    for year in targets:
        if not strategy.start_year - 5 <= int(year) <= strategy.end_year + 5:
            raise ValidationError(
                {"targets": _("The year %(year)s is far outside the strategy's period.") % {"year": year}}
            )
    indicator.targets.exclude(year__in=[int(y) for y in targets]).delete()
    for year, value in targets.items():
        IndicatorTarget.objects.update_or_create(
            indicator=indicator, year=int(year), defaults={"value": value}
        )


@transaction.atomic
def delete_indicator(*, actor: Any, indicator: Indicator) -> None:
    """Delete an indicator with its targets and values."""
    require(actor, "strategy.delete_indicator")
    audit.record(actor=actor, action=AuditAction.DELETE, target=indicator, before=audit.snapshot(indicator))
    indicator.delete()


def _store_value(
    *,
    actor: Any,
    indicator: Indicator,
    on: dt.date,
    value: Decimal | None,
    origin: str,
    metric: str = "",
    params: dict[str, Any] | None = None,
    note: str = "",
) -> tuple[IndicatorValue, bool]:
    """Keep the value unless it equals the latest revision for that date; never overwrite."""
    latest = IndicatorValue.objects.filter(indicator=indicator, on=on).order_by("-revision").first()
    if value is not None:
        value = Decimal(value).quantize(Decimal("0.0001"))
    if latest is not None and latest.value == value and latest.metric == metric:
        return latest, False
    record = IndicatorValue.objects.create(
        indicator=indicator,
        on=on,
        revision=(latest.revision + 1) if latest else 1,
        value=value,
        origin=origin,
        metric=metric,
        params=params or {},
        note=note[:500],
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=indicator,
        before={"value": str(latest.value), "revision": latest.revision} if latest else None,
        after={
            "on": on,
            "value": str(value),
            "revision": record.revision,
            "origin": origin,
            "metric": metric,
        },
        message=_("indicator value"),
    )
    return record, True


@transaction.atomic
def record_value(
    *, actor: Any, indicator: Indicator, on: dt.date, value: Decimal, note: str = ""
) -> IndicatorValue:
    """Record a manually reported value (a different value for the same date becomes a new revision)."""
    require(actor, "strategy.change_indicator")
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"value": _("Enter a number.")}) from None
    return _store_value(
        actor=actor, indicator=indicator, on=on, value=value, origin=ValueOrigin.MANUAL, note=note
    )[0]


@transaction.atomic
def compute_indicator(
    *, actor: Any, indicator: Indicator, on: dt.date | None = None, scheduled: bool = False
) -> tuple[IndicatorValue, bool]:
    """Compute a computed indicator at a date; returns the stored value and whether it is a new revision."""
    if not scheduled:
        require(actor, "strategy.compute_indicator")
    if not indicator.metric:
        raise ValidationError({"metric": _("This indicator is reported manually, not computed.")})
    check_metric(indicator.metric)
    on = on or timezone.localdate()
    params = dict(indicator.metric_params or {})
    try:
        value = metrics.get(indicator.metric).compute(on, **params)
    except TypeError as exc:
        raise ValidationError(
            {
                "metric_params": _("The metric function does not accept these parameters: %(err)s")
                % {"err": exc}
            }
        ) from exc
    except Exception as exc:
        # Another module's metric failing must not take the strategy pages or the daily job down.
        logger.exception("metric %s failed for indicator %s", indicator.metric, indicator.pk)
        raise ValidationError(
            {"metric": _("The metric function failed: %(err)s") % {"err": exc.__class__.__name__}}
        ) from exc
    return _store_value(
        actor=actor,
        indicator=indicator,
        on=on,
        value=value,
        origin=ValueOrigin.SCHEDULED if scheduled else ValueOrigin.ON_DEMAND,
        metric=indicator.metric,
        params=params,
    )


def compute_all(*, actor: Any = None, on: dt.date | None = None, scheduled: bool = True) -> dict[str, int]:
    """Recompute every computed indicator whose metric some module offers (one transaction each)."""
    counts = {"computed": 0, "new": 0, "unavailable": 0, "failed": 0}
    for indicator in Indicator.objects.exclude(metric="").select_related("strategy"):
        try:
            metrics.get(indicator.metric)
        except KeyError:
            counts["unavailable"] += 1
            continue
        try:
            _value, new = compute_indicator(actor=actor, indicator=indicator, on=on, scheduled=scheduled)
        except ValidationError:
            counts["failed"] += 1
            continue
        counts["computed"] += 1
        counts["new"] += int(new)
    return counts


# --- Progress reports -----------------------------------------------------------------------------


def _check_reporter(actor: Any, action: Action, organization: Organization) -> None:
    if not can(actor, "strategy.submit_progressreport", organization_id=organization.pk):
        raise PermissionDenied(_("You may not report for %(org)s.") % {"org": organization.short_name})
    if organization.pk not in action.organization_ids():
        raise ValidationError(
            {
                "action": _(
                    "%(org)s is neither the responsible institution nor a co-executor of action %(code)s."
                )
                % {"org": organization.short_name, "code": action.code}
            }
        )


@transaction.atomic
def create_report(
    *,
    actor: Any,
    action: Action,
    period: ReportingPeriod,
    organization: Organization,
    status: str,
    narrative: str,
    completed_on: dt.date | None = None,
) -> ProgressReport:
    """Start an institution's progress report on one of its actions (as a draft)."""
    _check_reporter(actor, action, organization)
    if period.strategy_id != action.direction.goal.strategy_id:
        raise ValidationError({"period": _("The period belongs to another strategy.")})
    if ProgressReport.objects.filter(action=action, period=period, organization=organization).exists():
        raise ValidationError(
            {
                "period": _("%(org)s has already reported on this action for this period.")
                % {"org": organization.short_name}
            }
        )
    report = ProgressReport(
        action=action,
        period=period,
        organization=organization,
        status=status,
        narrative=narrative,
        completed_on=completed_on if status == ActionStatus.DONE else None,
    )
    return _save_new(report, actor)


@transaction.atomic
def update_report(*, actor: Any, report: ProgressReport, **fields: Any) -> ProgressReport:
    """Change a draft or returned report."""
    require(actor, "strategy.change_progressreport", report)
    if report.state not in {ReportState.DRAFT, ReportState.RETURNED}:
        raise ValidationError(_("A submitted or accepted report cannot be changed."))
    before = audit.snapshot(report)
    for name in ("status", "narrative", "completed_on"):
        if name in fields:
            setattr(report, name, fields[name])
    if report.status != ActionStatus.DONE:
        report.completed_on = None
    report.full_clean()
    report.save()
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=report, before=before, after=audit.snapshot(report)
    )
    return report


@transaction.atomic
def add_evidence(*, actor: Any, report: ProgressReport, file: UploadedFile) -> ReportEvidence:
    """Attach an evidence file to a report that can still be changed."""
    require(actor, "strategy.change_progressreport", report)
    if report.state not in {ReportState.DRAFT, ReportState.RETURNED}:
        raise ValidationError(_("A submitted or accepted report cannot be changed."))
    if file.size and file.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": _("An evidence file may be at most 20 MB.")})
    name = (file.name or "evidence")[-255:]
    evidence = ReportEvidence(report=report, file=file, name=name)
    evidence.save()
    audit.record(
        actor=actor, action=AuditAction.CREATE, target=evidence, after={"report": report.pk, "name": name}
    )
    return evidence


def _strategy_officers() -> list[Any]:
    from django.contrib.auth import get_user_model

    return list(
        get_user_model().objects.filter(memberships__role=Role.STRATEGY_OFFICER, is_active=True).distinct()
    )


@transaction.atomic
def submit_report(*, actor: Any, report: ProgressReport) -> ProgressReport:
    """Send a report to the strategy officer for review."""
    workflows.progress_report.apply(report, "submit", actor=actor)
    notify(
        recipients=_strategy_officers(),
        subject=_("Progress report to review: %(report)s") % {"report": report},
        url=report.get_absolute_url(),
        organization_id=report.organization_id,
    )
    return report


def _tell_reporter(report: ProgressReport, subject: str) -> None:
    if report.submitted_by is not None:
        notify(
            recipients=[report.submitted_by],
            subject=subject,
            body=report.review_comment,
            url=report.get_absolute_url(),
            organization_id=report.organization_id,
        )


@transaction.atomic
def accept_report(*, actor: Any, report: ProgressReport, comment: str = "") -> ProgressReport:
    """Accept a submitted report; the responsible institution's report sets the action's status."""
    workflows.progress_report.apply(
        report, "accept", actor=actor, message=comment, context={"comment": comment}
    )
    _tell_reporter(report, _("Progress report accepted: %(report)s") % {"report": report})
    return report


@transaction.atomic
def return_report(*, actor: Any, report: ProgressReport, comment: str) -> ProgressReport:
    """Return a submitted report to its institution with a comment."""
    workflows.progress_report.apply(
        report, "return", actor=actor, message=comment, context={"comment": comment}
    )
    _tell_reporter(report, _("Progress report returned: %(report)s") % {"report": report})
    return report


def apply_accepted_report(*, report: ProgressReport) -> None:
    """The responsible institution's accepted report of the latest period sets the action's status."""
    action = report.action
    if report.organization_id != action.responsible_id:
        return  # co-executors' reports inform the review; they do not move the action
    later = ProgressReport.objects.filter(
        action=action,
        organization_id=action.responsible_id,
        state=ReportState.ACCEPTED,
        period__starts_on__gt=report.period.starts_on,
    ).exists()
    if later:
        return
    before = audit.snapshot(action)
    action.status = report.status
    action.completed_on = (
        (report.completed_on or timezone.localdate()) if report.status == ActionStatus.DONE else None
    )
    action.save(update_fields=["status", "completed_on", "updated_at"])
    audit.record(
        actor=report.reviewed_by,
        action=AuditAction.UPDATE,
        target=action,
        before=before,
        after=audit.snapshot(action),
        message=_("status from accepted progress report %(pk)s") % {"pk": report.pk},
    )


# --- National indices -----------------------------------------------------------------------------


@transaction.atomic
def create_assessment(
    *,
    actor: Any,
    framework: IndexFramework,
    year: int,
    source: str = AssessmentSource.SELF,
    notes: str = "",
    rank: int | None = None,
) -> IndexAssessment:
    """Start a self-assessment (or record a published result) for a year."""
    require(actor, "strategy.change_indexassessment")
    if IndexAssessment.objects.filter(framework=framework, year=year, source=source).exists():
        raise ValidationError(
            {"year": _("There is already an assessment of this kind for %(year)s.") % {"year": year}}
        )
    assessment = IndexAssessment(
        framework=framework,
        year=year,
        source=source,
        notes=notes,
        rank=rank,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return _save_new(assessment, actor)


@transaction.atomic
def set_section_scores(
    *, actor: Any, assessment: IndexAssessment, scores: dict[str, Decimal]
) -> IndexAssessment:
    """Record section scores as published (e.g. the ITU's figures for a year)."""
    require(actor, "strategy.change_indexassessment")
    sections = {s.code: s for s in assessment.framework.sections.all()}
    for code, score in scores.items():
        section = sections.get(code)
        if section is None:
            raise ValidationError({"scores": _("Unknown section “%(code)s”.") % {"code": code}})
        if not Decimal(0) <= Decimal(score) <= assessment.framework.section_max:
            raise ValidationError(
                {
                    "scores": _("A score must be between 0 and %(max)s.")
                    % {"max": assessment.framework.section_max}
                }
            )
        SectionScore.objects.update_or_create(
            assessment=assessment, section=section, defaults={"score": score}
        )
    _update_total(assessment)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=assessment,
        after={"scores": {k: str(v) for k, v in scores.items()}, "total": assessment.total},
    )
    return assessment


def _update_total(assessment: IndexAssessment) -> None:
    from qalxan.strategy import indices

    assessment.total = indices.total(assessment)
    assessment.save(update_fields=["total", "updated_at"])


@transaction.atomic
def answer_question(
    *,
    actor: Any,
    assessment: IndexAssessment,
    question: IndexQuestion,
    value: Decimal,
    evidence: str = "",
    automatic: bool = False,
) -> IndexAnswer:
    """Answer one question of a self-assessment and recompute its section's score."""
    require(actor, "strategy.change_indexassessment")
    if assessment.source != AssessmentSource.SELF:
        raise ValidationError(_("A published result is recorded by section, not by question."))
    if question.section.framework_id != assessment.framework_id:
        raise ValidationError({"question": _("The question belongs to another framework.")})
    from qalxan.strategy import indices

    indices.check_answer(assessment.framework, value)
    answer, _created = IndexAnswer.objects.update_or_create(
        assessment=assessment,
        question=question,
        defaults={"value": value, "evidence": evidence, "automatic": automatic},
    )
    section = question.section
    SectionScore.objects.update_or_create(
        assessment=assessment, section=section, defaults={"score": indices.section_score(assessment, section)}
    )
    _update_total(assessment)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=assessment,
        after={"question": question.code, "value": str(value), "automatic": automatic},
    )
    return answer


@transaction.atomic
def apply_platform_evidence(*, actor: Any, assessment: IndexAssessment) -> list[IndexAnswer]:
    """Answer every question that platform evidence satisfies (metrics no module offers are skipped)."""
    from qalxan.strategy import indices

    answers = []
    for question in IndexQuestion.objects.filter(section__framework=assessment.framework).exclude(
        evidence=""
    ):
        found = indices.evidence_for(question)
        if found.available and found.satisfied:
            answers.append(
                answer_question(
                    actor=actor,
                    assessment=assessment,
                    question=question,
                    value=indices.full_answer(assessment.framework),
                    evidence=found.text,
                    automatic=True,
                )
            )
    return answers
