"""Incidents reported by institutions, their handling by CERT, measures and the reference data they use."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qalxan.core.models import ScopedModel, StoredFile, TimeStampedModel, TranslatedNameMixin
from qalxan.core.tenancy import ScopedQuerySet
from qalxan.incidents.choices import (
    Channel,
    IncidentState,
    MeasureKind,
    MeasureState,
    Pap,
    QuarantineReason,
    Severity,
    TimelineKind,
    Tlp,
)

REFERENCE_PREFIX = "INC-"


class TaxonomyClass(TranslatedNameMixin):
    """An RSIT incident class (reference data)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("incident class")
        verbose_name_plural = _("incident classes")

    def __str__(self) -> str:
        return self.name


class TaxonomyType(TranslatedNameMixin):
    """An RSIT incident type within a class (reference data)."""

    taxonomy_class = models.ForeignKey(
        TaxonomyClass, verbose_name=_("class"), on_delete=models.CASCADE, related_name="types"
    )
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["taxonomy_class__order", "order"]
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")
        constraints = [
            models.UniqueConstraint(fields=["taxonomy_class", "code"], name="incidents_type_unique")
        ]

    def __str__(self) -> str:
        return f"{self.taxonomy_class.code}/{self.code}: {self.name}"


class SeverityPolicy(models.Model):
    """Reporting deadline and SLA of one severity, editable by the authority."""

    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, unique=True)
    report_hours = models.PositiveIntegerField(_("report within (hours after detection)"))
    triage_hours = models.PositiveIntegerField(_("triage within (hours)"))
    resolve_hours = models.PositiveIntegerField(_("resolve within (hours)"))
    reminder_percent = models.PositiveSmallIntegerField(
        _("reminder when this share of time is left (%)"), default=25
    )

    class Meta:
        ordering = ["-report_hours", "severity"]
        verbose_name = _("SLA of a severity")
        verbose_name_plural = _("SLAs per severity")

    def __str__(self) -> str:
        return self.get_severity_display()

    def get_absolute_url(self) -> str:
        return reverse("incidents:sla_list")


class Incident(ScopedModel, TimeStampedModel):
    """An information-security incident reported by (or on behalf of) an institution."""

    # Indexed by incidents_org_state_idx (organisation first): no index of its own.
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="incidents",
        db_index=False,
    )
    sector = models.ForeignKey(
        "organizations.Sector",
        verbose_name=_("sector"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("what happened"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    impact = models.TextField(_("impact"), blank=True)
    indicators = models.TextField(_("indicators"), blank=True, help_text=_("IP addresses, domains, hashes …"))
    detected_at = models.DateTimeField(_("detected"))
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True, db_index=True)
    report_delay_seconds = models.PositiveIntegerField(
        _("time from detection to report (s)"), null=True, blank=True
    )
    report_late = models.BooleanField(_("late report"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, default=Channel.WEB)
    taxonomy_type = models.ForeignKey(
        TaxonomyType,
        verbose_name=_("classification (RSIT)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    taxonomy_class = models.ForeignKey(
        TaxonomyClass, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    tlp = models.CharField(_("TLP"), max_length=12, choices=Tlp.choices, default=Tlp.AMBER)
    pap = models.CharField(_("PAP"), max_length=8, choices=Pap.choices, default=Pap.AMBER)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    severity_reason = models.CharField(_("severity reason"), max_length=300, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=IncidentState.choices,
        default=IncidentState.REPORTED,
    )  # indexed by incidents_state_sev_idx (state first)
    affected_systems = models.ManyToManyField(
        "registry.InformationSystem", verbose_name=_("affected systems"), blank=True, related_name="incidents"
    )
    related = models.ManyToManyField(
        "self", verbose_name=_("related incidents"), blank=True, symmetrical=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned analyst"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    triaged_at = models.DateTimeField(_("triaged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    triage_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    resolve_seconds = models.PositiveIntegerField(null=True, blank=True, editable=False)
    triage_due = models.DateTimeField(_("triage due"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    sla_breached = models.BooleanField(_("SLA breached"), default=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            models.Index(fields=["organization", "state"], name="incidents_org_state_idx"),
            models.Index(fields=["state", "severity"], name="incidents_state_sev_idx"),
            models.Index(fields=["triage_seconds"], name="incidents_triage_s_idx"),
            models.Index(fields=["resolve_seconds"], name="incidents_resolve_s_idx"),
        ]
        permissions = [
            ("triage_incident", "Triage incidents"),
            ("handle_incident", "Handle incidents"),
            ("comment_incident", "Comment on incidents"),
            ("view_statistics", "See incident statistics"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.pk:06d}" if self.pk else ""

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])


def attachment_path(instance: IncidentAttachment, filename: str) -> str:
    return f"incidents/{instance.incident_id}/{instance.sha256[:16]}-{filename}"


class IncidentAttachment(ScopedModel, StoredFile):
    """A file attached to a report (web form, API or e-mail)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)

    tenant_field: ClassVar[str] = "incident__organization"

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class TimelineEntry(ScopedModel):
    """One event or comment in an incident's history."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("kind"), max_length=12, choices=TimelineKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    tenant_field: ClassVar[str] = "incident__organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}: {self.message[:60]}"


def evidence_path(instance: Measure, filename: str) -> str:
    return f"incidents/{instance.incident_id}/measures/{instance.pk}-{filename}"


class Measure(ScopedModel, TimeStampedModel):
    """A measure CERT requests from the institution; the institution confirms it, the analyst verifies it."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("measure"), max_length=24, choices=MeasureKind.choices)
    description = models.TextField(_("what to do"))
    due_date = models.DateField(_("due"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=MeasureState.choices, default=MeasureState.REQUESTED, db_index=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.TextField(_("institution's comment"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(_("evidence file"), max_length=255, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    verification_comment = models.TextField(_("analyst's comment"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)

    tenant_field: ClassVar[str] = "incident__organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        permissions = [
            ("request_measure", "Request measures"),
            ("confirm_measure", "Confirm measures"),
            ("verify_measure", "Verify measures"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.incident_id]) + f"#measure-{self.pk}"


class QuarantinedMail(models.Model):
    """An e-mail that could not become a report, kept with the reason for an analyst to look at."""

    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    sender = models.CharField(_("sender"), max_length=320, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=16, choices=QuarantineReason.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    raw = models.BinaryField(_("message"))
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("quarantined e-mail")
        verbose_name_plural = _("quarantined e-mails")

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"
