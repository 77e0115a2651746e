"""Requirement catalogues, assessment campaigns, answers, evidence, scores, inspections and findings."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qalxan.compliance.choices import (
    Answer,
    AssessmentState,
    CampaignState,
    FindingState,
    InspectionState,
    ItemKind,
    MappingRelation,
    PlanState,
    Review,
    ScoreDimension,
    Severity,
)
from qalxan.core.models import ScopedModel, StoredFile, TimeStampedModel, TranslatedNameMixin
from qalxan.core.tenancy import ScopedQuerySet

FINDING_PREFIX = "FND-"


def _translated(obj: Any, prefix: str) -> str:
    language = (get_language() or "az")[:2]
    return str(getattr(obj, f"{prefix}_{language}", "") or getattr(obj, f"{prefix}_az", ""))


class Catalogue(TranslatedNameMixin, TimeStampedModel):
    """One version of a library of requirements (shared reference data, read by everyone concerned)."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Shipped as an example; not an official text.")
    )
    oscal_uuid = models.UUIDField(_("OSCAL UUID"), null=True, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)
    source_format = models.CharField(_("imported from"), max_length=10, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    extra = models.JSONField(_("other OSCAL content"), default=dict, blank=True)

    class Meta:
        ordering = ["code", "-created_at"]
        verbose_name = _("requirement catalogue")
        verbose_name_plural = _("requirement catalogues")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="compliance_catalogue_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("compliance:catalogue_detail", args=[self.pk])


class Requirement(models.Model):
    """A node of a catalogue's tree: a group, a requirement or a sub-requirement."""

    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    group = models.ForeignKey(
        "self",
        verbose_name=_("top group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    ref_id = models.CharField(_("reference id"), max_length=100)
    label = models.CharField(_("label"), max_length=60, blank=True)
    title_az = models.CharField(_("title (Azerbaijani)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_ru = models.CharField(_("title (Russian)"), max_length=300, blank=True)
    text_az = models.TextField(_("text (Azerbaijani)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_ru = models.TextField(_("text (Russian)"), blank=True)
    guidance = models.TextField(_("guidance on evidence"), blank=True)
    questions = models.JSONField(_("questions"), default=list, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    categories = models.JSONField(_("CII categories"), default=list, blank=True)
    kinds = models.JSONField(_("system kinds"), default=list, blank=True)
    sectors = models.JSONField(_("sectors"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    assessable = models.BooleanField(_("answered in assessments"), default=False)
    extra = models.JSONField(_("other OSCAL content"), default=dict, blank=True)

    class Meta:
        ordering = ["catalogue", "position"]
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "ref_id"], name="compliance_requirement_ref_unique")
        ]
        indexes = [models.Index(fields=["catalogue", "assessable"], name="compliance_req_assessable_idx")]

    def __str__(self) -> str:
        return f"{self.label or self.ref_id} {self.title}"

    @property
    def title(self) -> str:
        return _translated(self, "title")

    @property
    def text(self) -> str:
        return _translated(self, "text")

    def applies_to(self, *, category: str, kind: str, sector: str) -> bool:
        """Whether the requirement applies to an object of this category, kind and sector ("" = unknown)."""
        if self.categories and category not in self.categories:
            return False
        if self.kinds and kind not in self.kinds:
            return False
        return not (self.sectors and sector not in self.sectors)


class RequirementMapping(models.Model):
    """How a requirement of one catalogue relates to one of another, for pre-filling answers."""

    source = models.ForeignKey(
        Requirement, verbose_name=_("source"), on_delete=models.CASCADE, related_name="mappings_out"
    )
    target = models.ForeignKey(
        Requirement, verbose_name=_("target"), on_delete=models.CASCADE, related_name="mappings_in"
    )
    relation = models.CharField(_("relation"), max_length=12, choices=MappingRelation.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["source", "target"]
        verbose_name = _("requirement mapping")
        verbose_name_plural = _("requirement mappings")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="compliance_mapping_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="compliance_mapping_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.ref_id} {self.relation} {self.target.ref_id}"


class Campaign(ScopedModel, TimeStampedModel):
    """A self-assessment campaign launched by a supervising body for a catalogue over a scope."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("supervising body"),
        on_delete=models.PROTECT,
        related_name="compliance_campaigns",
    )
    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("catalogue"), on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(_("title"), max_length=300)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(
        _("state"), max_length=10, choices=CampaignState.choices, default=CampaignState.ACTIVE
    )
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    launched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("launched by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    scored_at = models.DateTimeField(_("scores computed"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment campaign")
        verbose_name_plural = _("assessment campaigns")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("compliance:campaign_detail", args=[self.pk])


class Assessment(ScopedModel, TimeStampedModel):
    """One subject's self-assessment within a campaign."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="assessments"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="compliance_assessments",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AssessmentState.choices,
        default=AssessmentState.OPEN,
        db_index=True,
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "organization__short_name"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="compliance_assessment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.campaign.title}: {self.organization.short_name}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:assessment_detail", args=[self.pk])

    @property
    def overdue(self) -> bool:
        return self.state in (AssessmentState.OPEN, AssessmentState.RETURNED) and (
            self.campaign.deadline < timezone.localdate()
        )


class RequirementAssessment(ScopedModel):
    """The answer of one subject (for one of its objects, or for itself) to one applicable requirement."""

    # The (assessment, requirement, object) unique index serves lookups by assessment.
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="items",
        db_index=False,
    )
    requirement = models.ForeignKey(
        Requirement, verbose_name=_("requirement"), on_delete=models.PROTECT, related_name="+"
    )
    system = models.ForeignKey(
        "registry.InformationSystem",
        verbose_name=_("object"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Copied at launch (from the requirement and the object) so that scores are one GROUP BY over this
    # table. A campaign writes hundreds of thousands of rows at once: these copies carry neither a
    # database constraint nor an index of their own (the originals are constrained where they live).
    group = models.ForeignKey(
        Requirement,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    sector = models.ForeignKey(
        "organizations.Sector",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    answer = models.CharField(_("answer"), max_length=16, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # rarely searched; one index less to maintain on every launch
    )
    prefilled_from = models.ForeignKey(
        "self",
        verbose_name=_("pre-filled from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.PENDING)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    tenant_field: ClassVar[str] = "assessment__organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "system", "requirement__position"]
        verbose_name = _("requirement assessment")
        verbose_name_plural = _("requirement assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requirement", "system"], name="compliance_item_unique"
            ),
            models.UniqueConstraint(
                fields=["assessment", "requirement"],
                condition=models.Q(system__isnull=True),
                name="compliance_item_subject_unique",
            ),
        ]
        indexes = [models.Index(fields=["assessment", "answer"], name="compliance_item_answer_idx")]

    def __str__(self) -> str:
        return f"{self.requirement.ref_id} ({self.get_answer_display() or '—'})"


def evidence_path(instance: EvidenceVersion, filename: str) -> str:
    return f"compliance/evidence/{instance.evidence.organization_id}/{instance.sha256[:2]}/{instance.sha256}"


class Evidence(ScopedModel, TimeStampedModel):
    """A document showing that a requirement is met; versioned, with an expiry; serves several answers."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="compliance_evidence",
    )
    title = models.CharField(_("title"), max_length=300)
    expires_on = models.DateField(_("valid until"), null=True, blank=True, db_index=True)
    reminded_on = models.DateField(_("expiry reminder sent"), null=True, blank=True)
    items = models.ManyToManyField(
        RequirementAssessment, verbose_name=_("serves"), blank=True, related_name="evidence"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "title"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title

    @property
    def current(self) -> EvidenceVersion | None:
        return self.versions.order_by("-number").first()

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()


class EvidenceVersion(ScopedModel, StoredFile):
    """One uploaded file of a piece of evidence, kept with its SHA-256."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=evidence_path)

    tenant_field: ClassVar[str] = "evidence__organization"

    class Meta:
        ordering = ["evidence", "-number"]
        verbose_name = _("evidence version")
        verbose_name_plural = _("evidence versions")
        constraints = [
            models.UniqueConstraint(fields=["evidence", "number"], name="compliance_evidence_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.filename} (v{self.number})"


class CampaignScore(ScopedModel):
    """A weighted score of a campaign along one dimension, recomputed by aggregate queries."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="scores")
    dimension = models.CharField(_("dimension"), max_length=14, choices=ScoreDimension.choices)
    organization = models.ForeignKey(
        "organizations.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    system = models.ForeignKey(
        "registry.InformationSystem", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sector = models.ForeignKey(
        "organizations.Sector", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(Requirement, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True)
    answered = models.PositiveIntegerField(_("answered"), default=0)
    total = models.PositiveIntegerField(_("requirements"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "dimension"]
        verbose_name = _("campaign score")
        verbose_name_plural = _("campaign scores")
        indexes = [models.Index(fields=["campaign", "dimension"], name="compliance_score_dim_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.dimension}: {self.score}"


class InspectionPlan(ScopedModel, TimeStampedModel):
    """The annual plan of inspections, sent to the co-supervising agency by 20 December of the year before."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("supervising body"),
        on_delete=models.PROTECT,
        related_name="compliance_plans",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    recipient = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("co-supervising agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due at the agency"))
    state = models.CharField(_("state"), max_length=8, choices=PlanState.choices, default=PlanState.DRAFT)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="compliance_plan_year_unique")
        ]

    def __str__(self) -> str:
        return str(_("Inspection plan %(year)d") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("compliance:plan_detail", args=[self.pk])

    @property
    def sent_late(self) -> bool:
        if self.sent_at is None:
            return self.due_date < timezone.localdate()
        return timezone.localdate(self.sent_at) > self.due_date


class Inspection(ScopedModel, TimeStampedModel):
    """A planned inspection of a subject (and optionally one of its objects), and its report."""

    plan = models.ForeignKey(
        InspectionPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="inspections"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="compliance_inspections",
    )
    system = models.ForeignKey(
        "registry.InformationSystem",
        verbose_name=_("object"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("inspectors"), blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=InspectionState.choices, default=InspectionState.PLANNED
    )
    report = models.TextField(_("report"), blank=True)
    reported_at = models.DateTimeField(_("report filed"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="compliance_inspection_dates"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization.short_name} {self.starts_on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("compliance:inspection_detail", args=[self.pk])


class Finding(ScopedModel, TimeStampedModel):
    """A shortcoming found by an inspection or a review, to be remediated by the subject by a deadline."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="compliance_findings",
    )
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="findings",
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings",
    )
    requirement = models.ForeignKey(
        Requirement,
        verbose_name=_("requirement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    description = models.TextField(_("description"))
    deadline = models.DateField(_("remediation deadline"), db_index=True)
    owner = models.CharField(_("responsible person"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=24, choices=FindingState.choices, default=FindingState.OPEN
    )
    remediation = models.TextField(_("remediation"), blank=True)
    remediation_submitted_at = models.DateTimeField(_("remediation submitted"), null=True, blank=True)
    verification_comment = models.TextField(_("verification comment"), blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the commission"), null=True, blank=True)
    agenda_item_id = models.PositiveIntegerField(_("commission agenda item"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return f"{self.reference} {self.description[:60]}"

    @property
    def reference(self) -> str:
        return f"{FINDING_PREFIX}{self.pk:06d}" if self.pk else ""

    @property
    def overdue(self) -> bool:
        return self.state != FindingState.CLOSED and self.deadline < timezone.localdate()

    def get_absolute_url(self) -> str:
        return reverse("compliance:finding_detail", args=[self.pk])
