"""Endpoints, inventory snapshots, software normalisation, the licence registry, the essential-software
policy, vulnerability findings and institution scores.

Raw inventory rows live in Parquet snapshots (see snapshots.py); the database keeps the current state of
every endpoint and the results computed from it.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qalxan.core.models import ScopedModel, TimeStampedModel
from qalxan.core.tenancy import ScopedQuerySet
from qalxan.hygiene.choices import (
    AppliesTo,
    CoverageReason,
    Ecosystem,
    EndpointKind,
    InventoryFormat,
    Justification,
    LicenceStatus,
    Pool,
    RuleAction,
    Severity,
    TriageState,
)

ORG = "organizations.Organization"


def validate_regex(value: str) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValidationError(_("Not a valid regular expression: %(err)s") % {"err": exc}) from exc


class InventorySnapshot(ScopedModel):
    """One accepted inventory upload of an institution, kept as a Parquet file for history and diffs."""

    organization = models.ForeignKey(
        ORG, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="inventory_snapshots"
    )
    format = models.CharField(_("format"), max_length=20, choices=InventoryFormat.choices)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    endpoint_count = models.PositiveIntegerField(_("endpoints"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    path = models.CharField(_("Parquet file"), max_length=300, editable=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("inventory snapshot")
        verbose_name_plural = _("inventory snapshots")

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})" if self.created_at else self.filename


class Endpoint(ScopedModel, TimeStampedModel):
    """A computer of an institution, identified across sources by host id, hardware UUID/serial or name."""

    # No index of its own: the unique (organization, host identifier) index serves it.
    organization = models.ForeignKey(
        ORG, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="endpoints", db_index=False
    )
    host_identifier = models.CharField(_("host identifier"), max_length=255)
    hostname = models.CharField(_("host name"), max_length=255, blank=True, db_index=True)
    hardware_serial = models.CharField(_("hardware serial"), max_length=128, blank=True)
    hardware_uuid = models.CharField(_("hardware UUID"), max_length=64, blank=True)
    os_name = models.CharField(_("operating system"), max_length=120, blank=True)
    os_version = models.CharField(_("OS version"), max_length=60, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EndpointKind.choices, default=EndpointKind.WORKSTATION
    )
    source = models.CharField(_("source"), max_length=20, choices=InventoryFormat.choices)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True, db_index=True)
    last_snapshot = models.ForeignKey(
        InventorySnapshot,
        verbose_name=_("last snapshot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    package_count = models.PositiveIntegerField(_("packages"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organization_id", "hostname", "id"]
        verbose_name = _("endpoint")
        verbose_name_plural = _("endpoints")
        constraints = [
            models.UniqueConstraint(fields=["organization", "host_identifier"], name="endpoint_unique_host")
        ]
        # The figures count an institution's fresh endpoints and find its stale ones.
        indexes = [models.Index(fields=["organization", "last_seen"], name="hyg_endpoint_org_seen")]

    def __str__(self) -> str:
        return self.hostname or self.host_identifier

    def get_absolute_url(self) -> str:
        return reverse("hygiene:endpoint_detail", args=[self.pk])


class NormalisationRule(TimeStampedModel):
    """Publisher and name patterns → canonical vendor, product and edition, or ignore (reference data)."""

    priority = models.PositiveIntegerField(_("priority"), default=100, help_text=_("Lower runs first."))
    publisher_pattern = models.CharField(
        _("publisher pattern"), max_length=300, blank=True, validators=[validate_regex]
    )
    name_pattern = models.CharField(_("name pattern"), max_length=300, validators=[validate_regex])
    action = models.CharField(_("action"), max_length=10, choices=RuleAction.choices, default=RuleAction.MAP)
    vendor = models.CharField(_("vendor"), max_length=120, blank=True)
    product = models.CharField(_("product"), max_length=120, blank=True)
    edition = models.CharField(
        _("edition"), max_length=120, blank=True, help_text=_("May use groups of the name pattern: \\1")
    )
    is_active = models.BooleanField(_("active"), default=True)

    # What the authority edits, in this order, on the rule page, in the API and in the rules table.
    EDITABLE_FIELDS = (
        "priority",
        "publisher_pattern",
        "name_pattern",
        "action",
        "vendor",
        "product",
        "edition",
        "is_active",
    )

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("normalisation rule")
        verbose_name_plural = _("normalisation rules")

    def __str__(self) -> str:
        target = f"{self.vendor} {self.product}".strip() if self.action == RuleAction.MAP else _("ignore")
        return f"{self.name_pattern} → {target}"

    def clean(self) -> None:
        if self.action == RuleAction.MAP and not (self.vendor and self.product):
            raise ValidationError({"product": _("A mapping rule names the vendor and the product.")})


class LicensedProduct(TimeStampedModel):
    """A canonical product of the national licence registry (reference data)."""

    vendor = models.CharField(_("vendor"), max_length=120)
    product = models.CharField(_("product"), max_length=120)
    is_commercial = models.BooleanField(
        _("commercial"), default=True, help_text=_("Installs of a commercial product need an entitlement.")
    )

    class Meta:
        ordering = ["vendor", "product"]
        verbose_name = _("licensed product")
        verbose_name_plural = _("licensed products")
        constraints = [models.UniqueConstraint(fields=["vendor", "product"], name="licensedproduct_unique")]

    def __str__(self) -> str:
        return f"{self.vendor} {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("hygiene:product_list")


class Entitlement(ScopedModel, TimeStampedModel):
    """A licence contract: seats (or unlimited) for a product, valid between two dates, in one pool."""

    organization = models.ForeignKey(
        ORG,
        verbose_name=_("pool holder"),
        on_delete=models.PROTECT,
        related_name="licence_entitlements",
        help_text=_("The authority for the central pool, else the institution."),
    )
    product = models.ForeignKey(
        LicensedProduct, verbose_name=_("product"), on_delete=models.PROTECT, related_name="entitlements"
    )
    pool = models.CharField(_("pool"), max_length=20, choices=Pool.choices, default=Pool.INSTITUTION)
    contract = models.CharField(_("contract"), max_length=120)
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True, help_text=_("Empty: unlimited."))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["product__vendor", "product__product", "valid_from", "id"]
        verbose_name = _("licence entitlement")
        verbose_name_plural = _("licence entitlements")
        constraints = [
            models.UniqueConstraint(fields=["organization", "contract", "product"], name="entitlement_unique")
        ]

    def __str__(self) -> str:
        seats = _("unlimited") if self.seats is None else str(self.seats)
        return f"{self.contract}: {self.product} × {seats}"

    def clean(self) -> None:
        if self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The contract cannot end before it starts.")})

    def get_absolute_url(self) -> str:
        return reverse("hygiene:entitlement_detail", args=[self.pk])


class Allocation(ScopedModel, TimeStampedModel):
    """Seats of an entitlement allocated to an institution: from the central pool, or from another
    institution's own contract."""

    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("entitlement"), on_delete=models.CASCADE, related_name="allocations"
    )
    organization = models.ForeignKey(
        ORG, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="licence_allocations"
    )
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True, help_text=_("Empty: unlimited."))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["entitlement_id", "organization_id"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "organization"], name="allocation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entitlement} → {self.organization}"


class LicenceTransfer(ScopedModel):
    """Seats of one entitlement moved between its pool (central, or the holder's own) and institutions."""

    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("entitlement"), on_delete=models.CASCADE, related_name="transfers"
    )
    from_organization = models.ForeignKey(
        ORG, verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_organization = models.ForeignKey(
        ORG, verbose_name=_("to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seats = models.PositiveIntegerField(_("seats"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    tenant_field = "entitlement__organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("licence transfer")
        verbose_name_plural = _("licence transfers")

    def __str__(self) -> str:
        return f"{self.entitlement.contract}: {self.seats}"


class ProductInstall(ScopedModel):
    """A catalogued product found on an endpoint in its latest inventory (current state)."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="product_installs")
    # No index of its own: the (organization, product, endpoint) index serves it.
    organization = models.ForeignKey(ORG, on_delete=models.CASCADE, related_name="+", db_index=False)
    product = models.ForeignKey(LicensedProduct, on_delete=models.CASCADE, related_name="installs")
    version = models.CharField(_("version"), max_length=100, blank=True)
    edition = models.CharField(_("edition"), max_length=120, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["endpoint_id", "product_id"]
        verbose_name = _("product install")
        verbose_name_plural = _("product installs")
        # Covering the licence count (distinct endpoints per product of an institution).
        indexes = [
            models.Index(fields=["organization", "product", "endpoint"], name="hyg_install_org_prod_ep")
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.version}"


class LicencePosition(ScopedModel):
    """Reconciliation of one product in one institution: installs against seats (recomputed on change)."""

    organization = models.ForeignKey(
        ORG, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="licence_positions"
    )
    product = models.ForeignKey(
        LicensedProduct, verbose_name=_("product"), on_delete=models.CASCADE, related_name="positions"
    )
    installs = models.PositiveIntegerField(_("installs"), default=0)
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True, help_text=_("Empty: unlimited."))
    over_use = models.PositiveIntegerField(_("over-use"), default=0)
    unlicensed = models.PositiveIntegerField(_("unlicensed installs"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=LicenceStatus.choices)
    expired_contracts = models.JSONField(_("expired contracts"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organization_id", "product__vendor", "product__product"]
        verbose_name = _("licence position")
        verbose_name_plural = _("licence positions")
        constraints = [
            models.UniqueConstraint(fields=["organization", "product"], name="licenceposition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.product}"

    @property
    def compliant_installs(self) -> int:
        return self.installs - self.over_use - self.unlicensed


class EssentialCategory(TimeStampedModel):
    """A centrally mandated software category (e.g. antivirus/EDR) with its requirements (reference data)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    approved_products = models.ManyToManyField(
        LicensedProduct, verbose_name=_("approved products"), related_name="essential_categories"
    )
    service_names = models.JSONField(
        _("service names"), default=list, blank=True, help_text=_("Any of these services must be running.")
    )
    min_version = models.CharField(_("baseline version"), max_length=60, blank=True)
    require_signatures = models.BooleanField(
        _("signatures up to date"),
        default=False,
        help_text=_("Checked from windows_security_products, where the source reports it."),
    )
    max_age_days = models.PositiveIntegerField(_("seen within (days)"), default=7)
    applies_to = models.CharField(
        _("applies to"), max_length=20, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("essential-software category")
        verbose_name_plural = _("essential-software categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hygiene:category_list")


class CoverageStatus(ScopedModel):
    """Whether one endpoint meets one essential-software category, and if not, why."""

    # No indexes of their own: the unique (endpoint, category) and (organization, …) indexes serve them.
    endpoint = models.ForeignKey(
        Endpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="coverage",
        db_index=False,
    )
    organization = models.ForeignKey(
        ORG, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    category = models.ForeignKey(
        EssentialCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="statuses"
    )
    compliant = models.BooleanField(_("compliant"))
    reason = models.CharField(_("reason"), max_length=30, choices=CoverageReason.choices)
    product = models.CharField(_("product found"), max_length=250, blank=True)
    version = models.CharField(_("version"), max_length=100, blank=True)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["endpoint_id", "category_id"]
        verbose_name = _("coverage status")
        verbose_name_plural = _("coverage statuses")
        constraints = [models.UniqueConstraint(fields=["endpoint", "category"], name="coverage_unique")]
        # Covering the coverage figures (checks, compliant, reasons of an institution).
        indexes = [
            models.Index(fields=["organization", "compliant", "reason"], name="hyg_coverage_org_reason")
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id}: {self.category_id} {self.reason}"


class Advisory(models.Model):
    """A vulnerability advisory imported from OSV (reference data)."""

    osv_id = models.CharField(_("identifier"), max_length=100, unique=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.UNKNOWN
    )
    cvss_score = models.DecimalField(_("CVSS score"), max_digits=3, decimal_places=1, null=True, blank=True)
    modified = models.DateTimeField(_("modified"), null=True, blank=True)
    known_exploited = models.BooleanField(_("known exploited"), default=False, db_index=True)

    class Meta:
        ordering = ["osv_id"]
        verbose_name = _("advisory")
        verbose_name_plural = _("advisories")

    def __str__(self) -> str:
        return self.osv_id


class AffectedPackage(models.Model):
    """One package range of an advisory: OSV events (introduced / fixed / last_affected) and versions."""

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="affected")
    ecosystem = models.CharField(_("ecosystem"), max_length=20, choices=Ecosystem.choices)
    name = models.CharField(_("package"), max_length=250)
    events = models.JSONField(_("range events"), default=list, blank=True)
    versions = models.JSONField(_("affected versions"), default=list, blank=True)
    fixed_version = models.CharField(_("fixed version"), max_length=100, blank=True)

    class Meta:
        ordering = ["advisory_id", "id"]
        verbose_name = _("affected package")
        verbose_name_plural = _("affected packages")
        indexes = [models.Index(fields=["ecosystem", "name"], name="hyg_affected_pkg")]

    def __str__(self) -> str:
        return f"{self.ecosystem}:{self.name}"


class KnownExploited(models.Model):
    """A vulnerability on the known-exploited list (e.g. CISA KEV), by CVE identifier."""

    cve_id = models.CharField(_("CVE"), max_length=30, unique=True)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    product = models.CharField(_("product"), max_length=200, blank=True)
    date_added = models.DateField(_("added"), null=True, blank=True)

    class Meta:
        ordering = ["cve_id"]
        verbose_name = _("known exploited vulnerability")
        verbose_name_plural = _("known exploited vulnerabilities")

    def __str__(self) -> str:
        return self.cve_id


class Finding(ScopedModel, TimeStampedModel):
    """Vulnerable software on an endpoint, with its triage state."""

    # No indexes of their own: the unique (endpoint, …) and (organization, …) indexes serve them.
    endpoint = models.ForeignKey(
        Endpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="findings",
        db_index=False,
    )
    organization = models.ForeignKey(
        ORG, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    advisory = models.ForeignKey(
        Advisory, verbose_name=_("advisory"), on_delete=models.CASCADE, related_name="findings"
    )
    ecosystem = models.CharField(_("ecosystem"), max_length=20, choices=Ecosystem.choices)
    package = models.CharField(_("package"), max_length=250)
    version = models.CharField(_("version"), max_length=100)
    fixed_version = models.CharField(_("fixed version"), max_length=100, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    known_exploited = models.BooleanField(_("known exploited"), default=False)
    state = models.CharField(
        _("triage state"), max_length=24, choices=TriageState.choices, default=TriageState.UNDER_INVESTIGATION
    )
    justification = models.CharField(
        _("justification"), max_length=60, choices=Justification.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    present = models.BooleanField(_("still installed"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-known_exploited", "severity", "endpoint_id", "id"]
        verbose_name = _("vulnerability finding")
        verbose_name_plural = _("vulnerability findings")
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "advisory", "package", "version"], name="finding_unique"
            )
        ]
        # Covering the exposure figures (open findings of an institution by severity, exposed endpoints).
        indexes = [
            models.Index(
                fields=["organization", "state", "present", "severity", "known_exploited", "endpoint"],
                name="hyg_finding_org_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.advisory_id} {self.package} {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("hygiene:finding_detail", args=[self.pk])


def _percent() -> list[Any]:
    return [MinValueValidator(0), MaxValueValidator(100)]


class ScoreWeights(TimeStampedModel):
    """The weights of the institution hygiene score (data, editable by the authority; the newest applies)."""

    licence = models.PositiveSmallIntegerField(_("licence compliance"), default=25, validators=_percent())
    coverage = models.PositiveSmallIntegerField(
        _("essential-software coverage"), default=35, validators=_percent()
    )
    exposure = models.PositiveSmallIntegerField(
        _("vulnerable-software exposure"), default=25, validators=_percent()
    )
    freshness = models.PositiveSmallIntegerField(_("data freshness"), default=15, validators=_percent())
    stale_days = models.PositiveSmallIntegerField(_("data older than (days) is stale"), default=14)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("score weights")
        verbose_name_plural = _("score weights")

    def __str__(self) -> str:
        return f"{self.licence}/{self.coverage}/{self.exposure}/{self.freshness}"

    def clean(self) -> None:
        if self.licence + self.coverage + self.exposure + self.freshness <= 0:
            raise ValidationError(_("At least one weight must be above zero."))


class InstitutionScore(ScopedModel):
    """An institution's hygiene figures at one moment (one row per recomputation: the trend)."""

    organization = models.ForeignKey(
        ORG, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="hygiene_scores"
    )
    computed_at = models.DateTimeField(_("computed"), db_index=True)
    snapshot = models.ForeignKey(
        InventorySnapshot,
        verbose_name=_("snapshot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    endpoints = models.PositiveIntegerField(_("endpoints"), default=0)
    licence = models.DecimalField(_("licence compliance %"), max_digits=5, decimal_places=2)
    coverage = models.DecimalField(_("coverage %"), max_digits=5, decimal_places=2)
    exposure = models.DecimalField(_("endpoints without serious findings %"), max_digits=5, decimal_places=2)
    freshness = models.DecimalField(_("fresh data %"), max_digits=5, decimal_places=2)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    evidence = models.JSONField(_("evidence"), default=dict)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("institution score")
        verbose_name_plural = _("institution scores")
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"{self.organization}: {self.score}"
