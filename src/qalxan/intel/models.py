"""Threat indicators, who reported them, warning lists, sightings, correlation links and campaigns."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.core.models import TimeStampedModel
from qalxan.core.tenancy import ScopedQuerySet, restrict, scope
from qalxan.intel.choices import (
    SHARED_TLP,
    CampaignState,
    IndicatorKind,
    SightingSource,
    Tlp,
    WarningListMatch,
)


class WarningList(TimeStampedModel):
    """A list of known-benign values (private ranges, popular domains …) that suppresses false positives."""

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    match = models.CharField(_("matches"), max_length=10, choices=WarningListMatch.choices)
    version = models.CharField(_("version"), max_length=40, blank=True)
    enabled = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("warning list")
        verbose_name_plural = _("warning lists")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("intel:warninglist_detail", args=[self.pk])


class WarningListEntry(models.Model):
    """One value of a warning list: a range (integer bounds), a domain (with sub-domains) or a value."""

    warning_list = models.ForeignKey(WarningList, on_delete=models.CASCADE, related_name="entries")
    value = models.CharField(_("value"), max_length=512)
    ip_version = models.PositiveSmallIntegerField(null=True, blank=True)
    range_start = models.CharField(max_length=32, blank=True)
    range_end = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["value"]
        verbose_name = _("warning list entry")
        verbose_name_plural = _("warning list entries")
        constraints = [
            models.UniqueConstraint(fields=["warning_list", "value"], name="intel_warningentry_unique")
        ]
        indexes = [
            models.Index(fields=["value"], name="intel_warningentry_value_idx"),
            models.Index(fields=["ip_version", "range_start"], name="intel_warningentry_range_idx"),
        ]

    def __str__(self) -> str:
        return self.value


class IndicatorQuerySet(ScopedQuerySet["Indicator"]):
    """An institution sees what it reported or sighted, and what is shared with all (TLP:CLEAR/GREEN)."""

    def visible_to(self, user: Any, permission: str | None = None) -> IndicatorQuerySet:
        perm = permission or "intel.view_indicator"
        allowed = scope(user, perm)
        if allowed.everything:
            return self
        if allowed.empty:
            return self.none()
        own = restrict(Indicator.objects.all(), user, perm).values("pk")
        sighted = Sighting.objects.filter(organization_id__in=allowed.organization_ids).values("indicator_id")
        return self.filter(Q(tlp__in=SHARED_TLP) | Q(pk__in=own) | Q(pk__in=sighted))

    def active(self) -> IndicatorQuerySet:
        now = timezone.now()
        return self.filter(suppressed=False).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class Indicator(TimeStampedModel):
    """An observable (address, range, domain, URL, e-mail, file name or hash), stored once in normal form."""

    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    value = models.CharField(_("value"), max_length=2048)
    # A short digest of kind and value: a unique, indexable key whatever the value's length.
    key = models.CharField(max_length=64, unique=True, editable=False)
    stix_uuid = models.UUIDField(unique=True, null=True, editable=False)
    tlp = models.CharField(_("TLP"), max_length=12, choices=Tlp.choices, default=Tlp.AMBER)
    confidence = models.PositiveSmallIntegerField(_("confidence (0–100)"), default=50)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    ip_version = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    range_start = models.CharField(max_length=32, blank=True, editable=False)
    range_end = models.CharField(max_length=32, blank=True, editable=False)
    suppressed = models.BooleanField(_("known benign"), default=False, db_index=True)
    warning_list = models.ForeignKey(
        WarningList,
        verbose_name=_("warning list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    # Denormalised counts that the correlation reads instead of counting rows (over-correlation limit).
    incident_count = models.PositiveIntegerField(default=0, editable=False)
    organization_count = models.PositiveIntegerField(default=0, editable=False)
    sighting_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Visibility through the reports of the institutions (a to-many path), see IndicatorQuerySet.
    tenant_field: ClassVar[str] = "reports__organization"
    tenant_distinct: ClassVar[bool] = True
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        indexes = [
            models.Index(fields=["kind", "value"], name="intel_indicator_kind_value_idx"),
            models.Index(fields=["ip_version", "range_start"], name="intel_indicator_range_idx"),
            models.Index(fields=["tlp"], name="intel_indicator_tlp_idx"),
            models.Index(fields=["updated_at", "id"], name="intel_indicator_updated_idx"),
        ]
        permissions = [
            ("export_indicator", "Export indicators (STIX, MISP)"),
            ("import_indicator", "Import indicators (STIX, MISP, text)"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def get_absolute_url(self) -> str:
        return reverse("intel:indicator_detail", args=[self.pk])

    @property
    def active(self) -> bool:
        return not self.suppressed and (self.expires_at is None or self.expires_at > timezone.now())


class IndicatorReport(models.Model):
    """That an institution reported an indicator (from an incident, a sighting or by hand)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="reports")
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="intel_reports",
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_field: ClassVar[str] = "organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("indicator report")
        verbose_name_plural = _("indicator reports")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organization", "incident"], name="intel_report_unique"
            ),
            models.UniqueConstraint(
                fields=["indicator", "organization"],
                condition=Q(incident__isnull=True),
                name="intel_report_unique_without_incident",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "incident"], name="intel_report_ind_inc_idx"),
            models.Index(fields=["incident"], name="intel_report_incident_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} by {self.organization_id}"


class Sighting(models.Model):
    """An indicator seen in an institution's logs (from `qalxan sweep --upload`) or reported by hand."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="sightings"
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    seen_at = models.DateTimeField(_("seen"), db_index=True)
    source = models.CharField(_("source"), max_length=10, choices=SightingSource.choices, default="sweep")
    log_type = models.CharField(_("log type"), max_length=40, blank=True)
    log_file = models.CharField(_("log file"), max_length=300, blank=True)
    line = models.PositiveBigIntegerField(_("line"), null=True, blank=True)
    field = models.CharField(_("field"), max_length=100, blank=True)
    observed = models.CharField(_("observed value"), max_length=2048, blank=True)
    count = models.PositiveIntegerField(_("count"), default=1)
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    tenant_field: ClassVar[str] = "organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-seen_at", "-id"]
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")
        indexes = [
            models.Index(fields=["organization", "seen_at"], name="intel_sighting_org_idx"),
            models.Index(fields=["indicator", "organization"], name="intel_sighting_ind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} @ {self.seen_at:%Y-%m-%d %H:%M}"


class CorrelationLink(models.Model):
    """Two incidents (of any institutions) that share indicators; `low` < `high` by id."""

    low = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    high = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    shared = models.ManyToManyField(Indicator, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("correlation")
        verbose_name_plural = _("correlations")
        constraints = [models.UniqueConstraint(fields=["low", "high"], name="intel_link_unique")]
        indexes = [models.Index(fields=["high"], name="intel_link_high_idx")]

    def __str__(self) -> str:
        return f"{self.low_id}–{self.high_id}"


class CampaignQuerySet(ScopedQuerySet["Campaign"]):
    pass


class Campaign(TimeStampedModel):
    """A group of connected incidents; a candidate until an analyst confirms (and names) it."""

    name = models.CharField(_("name"), max_length=200)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=CampaignState.choices,
        default=CampaignState.CANDIDATE,
        db_index=True,
    )
    threat_actor = models.CharField(_("threat actor"), max_length=200, blank=True)
    intrusion_set = models.CharField(_("intrusion set"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    incidents = models.ManyToManyField("incidents.Incident", verbose_name=_("incidents"), related_name="+")
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("shared indicators"), related_name="campaigns"
    )
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    # An institution sees a campaign that one of its incidents belongs to (and only its own incidents in it).
    tenant_field: ClassVar[str] = "incidents__organization"
    tenant_distinct: ClassVar[bool] = True
    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        permissions = [("confirm_campaign", "Confirm, name and close campaigns")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("intel:campaign_detail", args=[self.pk])
