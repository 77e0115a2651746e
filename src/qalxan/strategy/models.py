"""Strategy monitoring: strategy → goals → directions → actions, indicators and their values,
progress reports, and the national indices (ITU GCI, ENISA NCAF, Oxford CMM)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qalxan.core.models import ScopedModel, TimeStampedModel, TranslatedNameMixin
from qalxan.core.tenancy import ScopedQuerySet
from qalxan.strategy.choices import (
    ActionStatus,
    AnswerKind,
    AssessmentSource,
    FinancingSource,
    IndexKind,
    ReportState,
    ValueOrigin,
)

year_validators = [MinValueValidator(2000), MaxValueValidator(2100)]


class Strategy(TranslatedNameMixin, TimeStampedModel):
    """A national strategy with its period (a public document: everyone signed in reads it)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=year_validators)
    end_year = models.PositiveSmallIntegerField(_("last year"), validators=year_validators)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        ordering = ["-start_year", "code"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="strategy_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategy:strategy_detail", args=[self.pk])

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"


class Goal(TranslatedNameMixin):
    """A goal of a strategy."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="goals"
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["strategy", "order", "code"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["strategy", "code"], name="goal_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class Direction(TranslatedNameMixin):
    """A priority direction under a goal."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="directions"
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["goal__order", "order", "code"]
        verbose_name = _("priority direction")
        verbose_name_plural = _("priority directions")
        constraints = [models.UniqueConstraint(fields=["goal", "code"], name="direction_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class MonitoringGroup(TranslatedNameMixin, TimeStampedModel):
    """A working group that monitors some priority directions and reviews the progress reports on them."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="monitoring_groups"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="monitoring_groups", blank=True
    )
    directions = models.ManyToManyField(
        Direction, verbose_name=_("directions reviewed"), related_name="monitoring_groups", blank=True
    )

    class Meta:
        ordering = ["name_az"]
        verbose_name = _("monitoring working group")
        verbose_name_plural = _("monitoring working groups")

    def __str__(self) -> str:
        return self.name


class Action(ScopedModel, TimeStampedModel):
    """An item of the action plan; visible to its responsible institution and co-executors."""

    direction = models.ForeignKey(
        Direction, verbose_name=_("priority direction"), on_delete=models.CASCADE, related_name="actions"
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    responsible = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("responsible institution"),
        on_delete=models.PROTECT,
        related_name="strategy_actions",
    )
    co_executors = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("co-executors"),
        blank=True,
        related_name="strategy_coexecuted_actions",
    )
    # Responsible institution and co-executors together: the action's tenants (kept by the services).
    participants = models.ManyToManyField(
        "organizations.Organization", editable=False, related_name="+", blank=True
    )
    start_year = models.PositiveSmallIntegerField(_("first year"), validators=year_validators)
    deadline = models.DateField(_("deadline"))
    expected_result = models.TextField(_("expected result"), blank=True)
    financing_source = models.CharField(
        _("financing source"),
        max_length=32,
        choices=FinancingSource.choices,
        default=FinancingSource.STATE_BUDGET,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    is_sample = models.BooleanField(
        _("sample details"), default=False, help_text=_("Details not taken from the published plan.")
    )

    tenant_field: ClassVar[str] = "participants"
    tenant_distinct: ClassVar[bool] = True
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["direction__goal__order", "direction__order", "code"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [models.UniqueConstraint(fields=["direction", "code"], name="action_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def tenant_id(self) -> int | None:
        # The responsible institution owns the action (audit log, object checks);
        # co-executors reach it through `participants` and report on their own share.
        return self.responsible_id

    def get_absolute_url(self) -> str:
        return reverse("strategy:action_detail", args=[self.pk])

    def organization_ids(self) -> set[int]:
        return {self.responsible_id, *self.co_executors.values_list("pk", flat=True)}


class Indicator(TranslatedNameMixin, TimeStampedModel):
    """A target indicator of a strategy: reported manually or computed by a metric function."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="indicators"
    )
    direction = models.ForeignKey(
        Direction,
        verbose_name=_("priority direction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    code = models.CharField(_("code"), max_length=20)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=year_validators
    )
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    metric = models.CharField(
        _("metric function"), max_length=120, blank=True, help_text=_("Empty: values are reported manually.")
    )
    metric_params = models.JSONField(_("metric parameters"), default=dict, blank=True)
    is_sample = models.BooleanField(_("sample details"), default=False)

    class Meta:
        ordering = ["strategy", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [models.UniqueConstraint(fields=["strategy", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:indicator_detail", args=[self.pk])

    @property
    def is_computed(self) -> bool:
        return bool(self.metric)

    def target_for(self, year: int) -> Decimal | None:
        for target in self.targets.all():
            if target.year == year:
                return target.value
        return None


class IndicatorTarget(models.Model):
    """The target value of an indicator for one year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class IndicatorValue(models.Model):
    """One value of an indicator at a date, with its provenance; a changed value is a new revision."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    on = models.DateField(_("date"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    origin = models.CharField(_("origin"), max_length=16, choices=ValueOrigin.choices)
    metric = models.CharField(_("metric function"), max_length=120, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["indicator", "on", "revision"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "on", "revision"], name="indicatorvalue_unique_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.on} r{self.revision}: {self.value}"


class ReportingPeriod(models.Model):
    """A period for which institutions report progress on their actions."""

    strategy = models.ForeignKey(
        Strategy, verbose_name=_("strategy"), on_delete=models.CASCADE, related_name="periods"
    )
    label = models.CharField(_("label"), max_length=40)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    due_on = models.DateField(_("reports due"))

    class Meta:
        ordering = ["strategy", "-starts_on"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [models.UniqueConstraint(fields=["strategy", "label"], name="period_unique_label")]

    def __str__(self) -> str:
        return self.label


class ProgressReport(ScopedModel, TimeStampedModel):
    """An institution's report on one action for one period, reviewed by the strategy officer."""

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("reporting institution"),
        on_delete=models.PROTECT,
        related_name="strategy_reports",
    )
    status = models.CharField(_("reported status"), max_length=16, choices=ActionStatus.choices)
    narrative = models.TextField(_("narrative"))
    completed_on = models.DateField(
        _("completed on"),
        null=True,
        blank=True,
        help_text=_("When the action was done (for the status “done”)."),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period__starts_on", "action__code"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "period", "organization"], name="progressreport_unique_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action.code} · {self.period} · {self.organization.short_name}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:report_detail", args=[self.pk])


def _evidence_path(instance: ReportEvidence, filename: str) -> str:
    return f"strategy/evidence/{instance.report_id}/{filename}"


class ReportEvidence(ScopedModel):
    """A file attached to a progress report as evidence."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=_evidence_path)
    name = models.CharField(_("name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    tenant_field: ClassVar[str] = "report__organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class IndexFramework(models.Model):
    """A national index or maturity framework whose questions are loaded from the app's data files."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=IndexKind.choices)
    name = models.CharField(_("name"), max_length=200)
    version = models.CharField(_("version"), max_length=40)
    answer_kind = models.CharField(_("answers"), max_length=8, choices=AnswerKind.choices)
    section_max = models.DecimalField(_("maximum per section"), max_digits=6, decimal_places=2)
    levels = models.JSONField(_("levels or tiers"), default=list, blank=True)
    is_sample = models.BooleanField(_("sample questions"), default=True)
    source_url = models.URLField(_("source"), blank=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("index framework")
        verbose_name_plural = _("index frameworks")

    def __str__(self) -> str:
        return f"{self.name} {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:framework_detail", args=[self.pk])


class IndexSection(models.Model):
    """A pillar (GCI), objective (NCAF, within a cluster) or factor (CMM, within a dimension)."""

    framework = models.ForeignKey(
        IndexFramework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    group = models.CharField(_("cluster or dimension"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["framework", "order", "code"]
        verbose_name = _("index section")
        verbose_name_plural = _("index sections")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indexsection_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndexQuestion(models.Model):
    """A question of a framework; `evidence` names a metric that can satisfy it from platform data."""

    section = models.ForeignKey(
        IndexSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.CharField(_("code"), max_length=30)
    text = models.TextField(_("question"))
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal(1))
    evidence = models.CharField(_("automatic evidence"), max_length=120, blank=True)
    links = models.JSONField(_("evidence links"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["section", "order", "code"]
        verbose_name = _("index question")
        verbose_name_plural = _("index questions")
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="indexquestion_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:80]}"


class IndexAssessment(TimeStampedModel):
    """One year's assessment under a framework: a self-assessment or a published result."""

    framework = models.ForeignKey(
        IndexFramework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators)
    source = models.CharField(_("source"), max_length=16, choices=AssessmentSource.choices)
    notes = models.TextField(_("notes"), blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["framework", "-year", "source"]
        verbose_name = _("index assessment")
        verbose_name_plural = _("index assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "year", "source"], name="indexassessment_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.framework.name} {self.year} ({self.get_source_display()})"

    def get_absolute_url(self) -> str:
        return reverse("strategy:assessment_detail", args=[self.pk])


class SectionScore(models.Model):
    """The score of one section in one assessment (computed from answers, or as published)."""

    assessment = models.ForeignKey(
        IndexAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    section = models.ForeignKey(
        IndexSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="+"
    )
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["assessment", "section__order"]
        verbose_name = _("section score")
        verbose_name_plural = _("section scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "section"], name="sectionscore_unique_section")
        ]

    def __str__(self) -> str:
        return f"{self.section.code}: {self.score}"


class IndexAnswer(models.Model):
    """The answer to one question in a self-assessment, with the evidence behind it."""

    assessment = models.ForeignKey(
        IndexAssessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        IndexQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="+"
    )
    value = models.DecimalField(
        _("answer"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    evidence = models.TextField(_("evidence"), blank=True)
    automatic = models.BooleanField(_("from platform evidence"), default=False)

    class Meta:
        ordering = ["assessment", "question__section__order", "question__order"]
        verbose_name = _("index answer")
        verbose_name_plural = _("index answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="indexanswer_unique_question")
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value}"
