"""The registry of state information systems and CII objects, their dependencies and designation."""

from __future__ import annotations

import ipaddress
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qalxan.core.counts import CountedQuerySet
from qalxan.core.models import ScopedModel, TimeStampedModel, TranslatedNameMixin
from qalxan.core.tenancy import ScopedQuerySet
from qalxan.organizations.models import Organization, Sector
from qalxan.registry.choices import (
    CiiCategory,
    CriterionDirection,
    DesignationState,
    Hosting,
    ReviewStatus,
    SupervisingAgency,
    SystemKind,
)

REGISTRY_PREFIX = "RS-"


def validate_cidr(value: str) -> None:
    """A public network in CIDR notation (IPv4 or IPv6), without host bits set."""
    try:
        network = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise ValidationError(
            _("“%(value)s” is not a network in CIDR notation (e.g. 85.132.16.0/24): %(reason)s"),
            params={"value": value, "reason": exc},
        ) from exc
    if not network.is_global:
        raise ValidationError(_("“%(value)s” is not a public range."), params={"value": value})


class Subsector(TranslatedNameMixin):
    """A subsector of a national sector, with its NIS2 counterpart (reference data)."""

    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.CASCADE, related_name="subsectors"
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    nis2_mapping = models.CharField(_("NIS2 counterpart"), max_length=300, blank=True)

    class Meta:
        ordering = ["sector__order", "code"]
        verbose_name = _("subsector")
        verbose_name_plural = _("subsectors")

    def __str__(self) -> str:
        return self.name


# (django-stubs types each queryset's as_manager() by its own class, which two bases cannot both be.)
class SystemQuerySet(CountedQuerySet["InformationSystem"], ScopedQuerySet["InformationSystem"]):  # type: ignore[override]
    """Systems: scoped to their owner, counted by triggers."""


class InformationSystem(TranslatedNameMixin, ScopedModel, TimeStampedModel):
    """A state information system or resource; a CII object once designated."""

    kind = models.CharField(_("kind"), max_length=32, choices=SystemKind.choices)
    description = models.TextField(_("description"), blank=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="systems"
    )
    subsector = models.ForeignKey(
        Subsector,
        verbose_name=_("subsector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        Organization, verbose_name=_("owner (subject)"), on_delete=models.PROTECT, related_name="systems"
    )
    operator = models.ForeignKey(
        Organization,
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="operated_systems",
    )
    hosting = models.CharField(_("hosting"), max_length=32, choices=Hosting.choices)
    holds_personal_data = models.BooleanField(_("holds personal data"), default=False)
    personal_data_registration = models.CharField(
        _("personal-data registration number"), max_length=60, blank=True
    )
    responsible_name = models.CharField(_("responsible person"), max_length=200, blank=True)
    responsible_email = models.EmailField(_("responsible person's e-mail"), blank=True)
    responsible_phone = models.CharField(_("responsible person's phone"), max_length=40, blank=True)
    secure_contact = models.CharField(
        _("secure contact"),
        max_length=200,
        blank=True,
        help_text=_("A protected channel for security matters."),
    )
    services = models.TextField(_("services supported"), blank=True, help_text=_("One per line."))

    state = models.CharField(
        _("state"),
        max_length=24,
        choices=DesignationState.choices,
        default=DesignationState.IDENTIFIED,
        db_index=True,
    )
    category = models.CharField(_("CII category"), max_length=3, choices=CiiCategory.choices, blank=True)
    supervising_agency = models.CharField(
        _("supervising agency"), max_length=16, choices=SupervisingAgency.choices, blank=True
    )
    decision_reference = models.CharField(_("decision reference"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    designated_at = models.DateField(_("designated on"), null=True, blank=True)
    review_due_date = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    special_requirements_due = models.DateField(_("special requirements due"), null=True, blank=True)
    delisting_reason = models.TextField(_("delisting reason"), blank=True)
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("depends on"),
        through="Dependency",
        symmetrical=False,
        blank=True,
        related_name="dependents",
    )

    tenant_field: ClassVar[str] = "owner"
    # The whole registry's count is kept by triggers on PostgreSQL (migration 0004, core.counts).
    objects = SystemQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        indexes = [
            models.Index(fields=["owner", "state"], name="registry_owner_state_idx"),
            models.Index(fields=["sector", "state"], name="registry_sector_state_idx"),
            models.Index(fields=["kind"], name="registry_kind_idx"),
            models.Index(fields=["name_az"], name="registry_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="designated") | ~models.Q(category=""),
                name="registry_designated_has_category",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registry_number} {self.name}"

    @property
    def registry_number(self) -> str:
        return f"{REGISTRY_PREFIX}{self.pk:06d}" if self.pk else ""

    @property
    def is_cii(self) -> bool:
        return self.state in {DesignationState.DESIGNATED, DesignationState.REVIEW_DUE}

    def get_absolute_url(self) -> str:
        return reverse("registry:system_detail", args=[self.pk])


class IpRange(ScopedModel):
    """A public address range of a system."""

    system = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="ip_ranges")
    cidr = models.CharField(_("range (CIDR)"), max_length=64, validators=[validate_cidr])
    version = models.PositiveSmallIntegerField(editable=False)

    tenant_field: ClassVar[str] = "system__owner"

    class Meta:
        ordering = ["version", "cidr"]
        verbose_name = _("IP range")
        verbose_name_plural = _("IP ranges")
        constraints = [models.UniqueConstraint(fields=["system", "cidr"], name="registry_iprange_unique")]

    def __str__(self) -> str:
        return self.cidr

    def save(self, *args: object, **kwargs: object) -> None:
        self.version = ipaddress.ip_network(self.cidr, strict=False).version
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class SystemDomain(ScopedModel):
    """A domain name of a system."""

    system = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253, db_index=True)

    tenant_field: ClassVar[str] = "system__owner"

    class Meta:
        ordering = ["domain"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        constraints = [models.UniqueConstraint(fields=["system", "domain"], name="registry_domain_unique")]

    def __str__(self) -> str:
        return self.domain


class Dependency(ScopedModel):
    """`dependent` needs `depends_on` to work."""

    dependent = models.ForeignKey(
        InformationSystem, on_delete=models.CASCADE, related_name="dependency_edges"
    )
    depends_on = models.ForeignKey(
        InformationSystem, on_delete=models.CASCADE, related_name="dependent_edges"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    tenant_field: ClassVar[str] = "dependent__owner"

    class Meta:
        ordering = ["dependent_id", "depends_on_id"]
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(fields=["dependent", "depends_on"], name="registry_dependency_unique"),
            models.CheckConstraint(
                condition=~models.Q(dependent=models.F("depends_on")), name="registry_dependency_not_self"
            ),
        ]
        indexes = [models.Index(fields=["depends_on", "dependent"], name="registry_dependency_rev_idx")]

    def __str__(self) -> str:
        return f"{self.dependent_id} → {self.depends_on_id}"


class CriticalityCriterion(TranslatedNameMixin):
    """A declared criterion of criticality: weight and thresholds are data, editable by the authority."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=CriterionDirection.choices,
        default=CriterionDirection.HIGHER_IS_MORE_CRITICAL,
    )
    # [[threshold, points], ...] in increasing threshold order; points 0..3.
    thresholds = models.JSONField(_("thresholds"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    UNITS: ClassVar[dict[str, Any]] = {
        "people": _("people"),
        "functions": _("functions"),
        "thousand AZN": _("thousand AZN"),
        "sectors": _("sectors"),
        "hours": _("hours"),
    }

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("criticality criterion")
        verbose_name_plural = _("criticality criteria")

    def __str__(self) -> str:
        return self.name

    @property
    def unit_label(self) -> str:
        return str(self.UNITS.get(self.unit, self.unit))


class CategoryRule(models.Model):
    """The minimum normalised score (0–100) that proposes a CII category."""

    category = models.CharField(_("category"), max_length=3, choices=CiiCategory.choices, unique=True)
    min_score = models.DecimalField(_("minimum score"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-min_score"]
        verbose_name = _("category rule")
        verbose_name_plural = _("category rules")

    def __str__(self) -> str:
        return f"{self.category} ≥ {self.min_score}"


class CriticalityAssessment(ScopedModel):
    """One scoring of a system against the criteria, with the reasoning kept."""

    system = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="assessments")
    answers = models.JSONField(_("answers"))
    lines = models.JSONField(_("reasoning"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    proposed_category = models.CharField(
        _("proposed category"), max_length=3, choices=CiiCategory.choices, blank=True
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    tenant_field: ClassVar[str] = "system__owner"

    class Meta:
        ordering = ["-assessed_at", "-id"]
        verbose_name = _("criticality assessment")
        verbose_name_plural = _("criticality assessments")

    def __str__(self) -> str:
        return f"{self.system_id}: {self.score} → {self.proposed_category or '—'}"


class DataRequest(ScopedModel):
    """A request to the subject to supply the data needed to identify CII (30 days by law)."""

    system = models.ForeignKey(InformationSystem, on_delete=models.CASCADE, related_name="data_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    deadline = models.DateField(_("deadline"))
    message = models.TextField(_("message"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    reminders_sent = models.JSONField(_("reminders sent"), default=list, blank=True)

    tenant_field: ClassVar[str] = "system__owner"

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")

    def __str__(self) -> str:
        return f"{self.system_id} → {self.deadline}"


def special_requirements_path(instance: SpecialRequirements, filename: str) -> str:
    return f"registry/special-requirements/{instance.system_id}/v{instance.version}-{filename}"


class SpecialRequirements(ScopedModel):
    """A version of the subject's special-requirements document for a CII object."""

    system = models.ForeignKey(
        InformationSystem, on_delete=models.CASCADE, related_name="special_requirements"
    )
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("document"), upload_to=special_requirements_path)
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    note = models.TextField(_("note"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.SUBMITTED
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    tenant_field: ClassVar[str] = "system__owner"

    class Meta:
        ordering = ["-version"]
        verbose_name = _("special requirements")
        verbose_name_plural = _("special requirements")
        constraints = [models.UniqueConstraint(fields=["system", "version"], name="registry_specreq_version")]

    def __str__(self) -> str:
        return f"{self.system_id} v{self.version}"
