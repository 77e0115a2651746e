"""Organisations: the authority, agencies, ministries and their bodies, state companies, CII subjects."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qalxan.core.models import ScopedModel, TimeStampedModel, TranslatedNameMixin
from qalxan.core.roles import Role
from qalxan.core.tenancy import ScopedQuerySet
from qalxan.organizations.choices import OrganizationKind

voen_format = RegexValidator(r"^\d{10}$", _("A VÖEN is exactly 10 digits."))
code_format = RegexValidator(r"^[a-z0-9][a-z0-9-]*$", _("Use lower-case Latin letters, digits and hyphens."))


class Sector(TranslatedNameMixin):
    """One of the national CII sectors, with its counterpart in NIS2 (reference data)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    nis2_mapping = models.CharField(_("NIS2 counterpart"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class Organization(TranslatedNameMixin, ScopedModel, TimeStampedModel):
    """A state institution, agency, company or other legal entity known to the authority."""

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[code_format])
    short_name = models.CharField(_("short name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys ("/1/7/42/"), so that a subtree is one prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    voen = models.CharField(_("VÖEN"), max_length=10, blank=True, validators=[voen_format])
    voen_checksum_ok = models.BooleanField(_("VÖEN checksum valid"), null=True, editable=False)
    is_cii_subject = models.BooleanField(_("CII subject"), default=False)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="organizations"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    tenant_field: ClassVar[str] = "id"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name_az"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="organization_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:organization_detail", args=[self.pk])

    def ancestors(self) -> list[Organization]:
        ids = [int(p) for p in self.path.strip("/").split("/") if p][:-1]
        by_id = Organization.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def descendants(self) -> models.QuerySet[Organization]:
        return Organization.objects.filter(path__startswith=self.path).exclude(pk=self.pk)


class OrganizationDomain(ScopedModel):
    """An internet domain registered to an organisation (its e-mail and web addresses)."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(_("domain"), max_length=253, unique=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["domain"]
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain


class Contact(ScopedModel, TimeStampedModel):
    """A person to reach at an organisation, such as its information security officer."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="contacts"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_security_contact = models.BooleanField(_("security contact"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-is_security_contact", "full_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("organizations:organization_detail", args=[self.organization_id])


class Membership(ScopedModel):
    """A user's role in an organisation; a person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    include_subordinates = models.BooleanField(
        _("includes subordinate bodies"),
        default=False,
        help_text=_("The role also applies to the organisation's subordinate bodies."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organization__name_az", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"
