"""Scans of registered state websites, the findings they raise and the personal data they saw (masked)."""

from __future__ import annotations

import ipaddress
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qalxan.core.models import ScopedModel, TimeStampedModel
from qalxan.core.tenancy import ScopedQuerySet
from qalxan.exposure.choices import (
    Check,
    DataKind,
    FindingState,
    ScanState,
    ScanTrigger,
    Severity,
)


def validate_network(value: str) -> None:
    """A network in CIDR notation (IPv4 or IPv6)."""
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError as exc:
        raise ValidationError(
            _("“%(value)s” is not a network in CIDR notation (e.g. 85.132.16.0/24)."), params={"value": value}
        ) from exc


class HostingRange(models.Model):
    """An address range of the AzStateNet hosting network (reference data kept by the authority)."""

    cidr = models.CharField(_("range (CIDR)"), max_length=64, unique=True, validators=[validate_network])
    label = models.CharField(_("label"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["cidr"]
        verbose_name = _("AzStateNet range")
        verbose_name_plural = _("AzStateNet ranges")

    def __str__(self) -> str:
        return self.cidr


class Site(ScopedModel, TimeStampedModel):
    """A registered state website (a registry system of kind website) as the scanner follows it."""

    system = models.OneToOneField(
        "registry.InformationSystem",
        verbose_name=_("registered website"),
        on_delete=models.CASCADE,
        related_name="exposure_site",
    )
    enabled = models.BooleanField(_("scanned periodically"), default=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    open_findings = models.PositiveIntegerField(_("open findings"), default=0)
    last_scanned_at = models.DateTimeField(_("last scanned"), null=True, blank=True)
    next_scan_at = models.DateTimeField(_("next scan"), null=True, blank=True, db_index=True)

    tenant_field: ClassVar[str] = "system__owner"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("website")
        verbose_name_plural = _("websites")
        permissions = [
            ("scan_site", "Scan websites"),
            ("view_exposuredashboard", "See the national website exposure dashboard"),
        ]

    def __str__(self) -> str:
        return self.system.name

    def get_absolute_url(self) -> str:
        return reverse("exposure:site_detail", args=[self.pk])


class Scan(ScopedModel):
    """One scan of one site: what was checked, what went wrong along the way, and the resulting score."""

    site = models.ForeignKey(Site, verbose_name=_("website"), on_delete=models.CASCADE, related_name="scans")
    state = models.CharField(
        _("state"), max_length=10, choices=ScanState.choices, default=ScanState.QUEUED, db_index=True
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=ScanTrigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, db_index=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    in_azstatenet = models.BooleanField(_("hosted in AzStateNet"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages read"), default=0)
    documents = models.PositiveIntegerField(_("documents read"), default=0)
    requests = models.PositiveIntegerField(_("requests"), default=0)
    new_findings = models.PositiveIntegerField(_("new findings"), default=0)
    fixed_findings = models.PositiveIntegerField(_("fixed findings"), default=0)
    # [{"code": NoteCode, "url": "...", "detail": "..."}]: what could not be checked, and why.
    notes = models.JSONField(_("notes"), default=list, blank=True)
    # Technical facts (TLS versions, certificate, headers) for the report.
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    tenant_field: ClassVar[str] = "site__system__owner"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        indexes = [models.Index(fields=["site", "state"], name="exposure_scan_site_state_idx")]

    def __str__(self) -> str:
        return f"{self.site_id} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exposure:scan_detail", args=[self.pk])


class Finding(ScopedModel, TimeStampedModel):
    """A problem on a site, owned by the site's institution, open until a rescan no longer sees it."""

    site = models.ForeignKey(
        Site, verbose_name=_("website"), on_delete=models.CASCADE, related_name="findings"
    )
    check_code = models.CharField(_("check"), max_length=32, choices=Check.choices, db_index=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=FindingState.choices, default=FindingState.OPEN, db_index=True
    )
    location = models.CharField(_("location"), max_length=1000)
    # Distinguishes findings of one check at one location (a cookie name, a data kind, a path).
    key = models.CharField(_("key"), max_length=200, blank=True)
    data_kind = models.CharField(_("personal data"), max_length=10, choices=DataKind.choices, blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    first_scan = models.ForeignKey(Scan, null=True, on_delete=models.SET_NULL, related_name="+")
    last_scan = models.ForeignKey(Scan, null=True, on_delete=models.SET_NULL, related_name="+")
    fixed_scan = models.ForeignKey(Scan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    fixed_at = models.DateTimeField(_("fixed"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    tenant_field: ClassVar[str] = "site__system__owner"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.UniqueConstraint(fields=["site", "fingerprint"], name="exposure_finding_fingerprint")
        ]
        indexes = [models.Index(fields=["site", "state"], name="exposure_find_site_state_idx")]
        permissions = [("triage_finding", "Accept the risk of findings or reopen them")]

    def __str__(self) -> str:
        return f"{self.get_check_code_display()} — {self.location}"

    def get_absolute_url(self) -> str:
        return reverse("exposure:finding_detail", args=[self.pk])


class DataExposure(ScopedModel):
    """Personal data seen on a page: its kind, a masked form and a keyed hash, never the value."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="exposures")
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="exposures")
    url = models.CharField(_("location"), max_length=1000)
    kind = models.CharField(_("kind"), max_length=10, choices=DataKind.choices)
    masked_value = models.CharField(_("masked value"), max_length=80)
    value_hash = models.CharField(_("hash"), max_length=64)

    tenant_field: ClassVar[str] = "finding__site__system__owner"

    class Meta:
        ordering = ["id"]
        verbose_name = _("personal data seen")
        verbose_name_plural = _("personal data seen")
        indexes = [models.Index(fields=["value_hash"], name="exposure_data_hash_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.masked_value}"
