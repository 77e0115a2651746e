"""Models of the cyber-hygiene app: leaks and the state accounts found in them, admin lists, training, drills.

No clear-text password is ever stored: an exposure keeps a keyed hash (HMAC-SHA-256 with a key
outside the database, see conf.hmac_key) and a strength class; logins are kept masked and hashed.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qalxan.core.models import ScopedModel, TimeStampedModel
from qalxan.core.tenancy import ScopedQuerySet
from qalxan.cyberhygiene.choices import (
    AttributionBasis,
    ExposureState,
    LeakFormat,
    LeakState,
    PasswordStrength,
)
from qalxan.organizations.models import Organization


class Leak(TimeStampedModel):
    """One ingested credential leak: a combination list, a set of stealer logs or a CSV dump."""

    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Where the leak was found.")
    )
    leaked_on = models.DateField(_("leak date"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=16, choices=LeakFormat.choices, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=LeakState.choices, default=LeakState.QUEUED, db_index=True
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True, editable=False)
    files = models.JSONField(_("files"), default=list, blank=True)
    bytes_total = models.BigIntegerField(_("bytes"), default=0)
    bytes_done = models.BigIntegerField(_("bytes read"), default=0)
    lines_total = models.BigIntegerField(_("lines"), default=0)
    lines_malformed = models.BigIntegerField(_("malformed lines"), default=0)
    malformed_samples = models.JSONField(_("malformed samples"), default=list, blank=True)
    records_matched = models.PositiveIntegerField(_("matching records"), default=0)
    accounts_new = models.PositiveIntegerField(_("new accounts"), default=0)
    accounts_known = models.PositiveIntegerField(_("accounts seen before"), default=0)
    organizations_affected = models.PositiveIntegerField(_("institutions affected"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # A leak belongs to the authority; an institution is linked to it through its exposures.
    tenant_field: ClassVar[str] = "sightings__exposure__organization"
    tenant_distinct: ClassVar[bool] = True
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("leak")
        verbose_name_plural = _("leaks")
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=~Q(state="failed"),
                name="cyberhygiene_leak_unique_fingerprint",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def tenant_id(self) -> int | None:
        """No single owner: national roles handle leaks; institutions reach theirs through exposures."""
        return None

    def get_absolute_url(self) -> str:
        return reverse("cyberhygiene:leak_detail", args=[self.pk])

    @property
    def percent_done(self) -> int:
        if self.state == LeakState.DONE:
            return 100
        return int(100 * self.bytes_done / self.bytes_total) if self.bytes_total else 0


class StealerVictim(ScopedModel):
    """A computer infected by an information stealer whose log holds state accounts."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="stealer_victims"
    )
    leak = models.ForeignKey(Leak, verbose_name=_("leak"), on_delete=models.PROTECT, related_name="victims")
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)
    log_folder = models.CharField(_("log folder"), max_length=300)
    machine_name = models.CharField(_("computer name"), max_length=200, blank=True)
    machine_user = models.CharField(_("user of the computer"), max_length=200, blank=True)
    ip_address = models.CharField(_("IP address"), max_length=64, blank=True)
    country = models.CharField(_("country"), max_length=100, blank=True)
    operating_system = models.CharField(_("operating system"), max_length=200, blank=True)
    stealer = models.CharField(_("stealer family"), max_length=100, blank=True)
    infected_at = models.DateTimeField(_("infected"), null=True, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("stealer-log victim")
        verbose_name_plural = _("stealer-log victims")

    def __str__(self) -> str:
        return self.machine_name or self.log_folder

    def get_absolute_url(self) -> str:
        return reverse("cyberhygiene:victim_detail", args=[self.pk])


class Exposure(ScopedModel, TimeStampedModel):
    """A compromised account of an institution (or of a state service): login and password seen in a leak."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="exposures"
    )
    login_masked = models.CharField(_("login"), max_length=200)
    login_hmac = models.CharField(max_length=64, db_index=True, editable=False)
    login_domain = models.CharField(_("login domain"), max_length=253, blank=True)
    password_hmac = models.CharField(max_length=64, db_index=True, editable=False)
    strength = models.CharField(_("password strength"), max_length=8, choices=PasswordStrength.choices)
    password_seen_before = models.BooleanField(
        _("password seen before"),
        default=False,
        help_text=_("The same password was already known from a leak."),
    )
    basis = models.CharField(_("attributed by"), max_length=16, choices=AttributionBasis.choices)
    is_staff = models.BooleanField(_("staff account"), default=True)
    is_admin = models.BooleanField(_("administrator"), default=False, db_index=True)
    service = models.ForeignKey(
        "registry.InformationSystem",
        verbose_name=_("state service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url_host = models.CharField(_("site"), max_length=253, blank=True)
    victim = models.ForeignKey(
        StealerVictim,
        verbose_name=_("stealer-log victim"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exposures",
    )
    first_leak = models.ForeignKey(
        Leak, verbose_name=_("first leak"), on_delete=models.PROTECT, related_name="+"
    )
    first_seen_at = models.DateTimeField(_("first seen"), db_index=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ExposureState.choices, default=ExposureState.OPEN, db_index=True
    )
    measures = models.JSONField(_("requested measures"), default=list)
    measures_done = models.JSONField(_("measures taken"), default=list, blank=True)
    response_note = models.TextField(_("note"), blank=True)
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-first_seen_at", "id"]
        verbose_name = _("compromised account")
        verbose_name_plural = _("compromised accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["login_hmac", "password_hmac"], name="cyberhygiene_exposure_unique"
            )
        ]

    def __str__(self) -> str:
        return self.login_masked

    def get_absolute_url(self) -> str:
        return reverse("cyberhygiene:exposure_detail", args=[self.pk])


class Sighting(ScopedModel):
    """An exposure found in one leak (the same account in two leaks is one exposure with two sightings)."""

    exposure = models.ForeignKey(Exposure, on_delete=models.CASCADE, related_name="sightings")
    leak = models.ForeignKey(Leak, on_delete=models.CASCADE, related_name="sightings")
    location = models.CharField(_("where in the leak"), max_length=400, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    tenant_field: ClassVar[str] = "exposure__organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("sighting")
        verbose_name_plural = _("sightings")
        constraints = [
            models.UniqueConstraint(fields=["exposure", "leak"], name="cyberhygiene_sighting_unique")
        ]

    def __str__(self) -> str:
        return f"{self.exposure} @ {self.leak}"


class AdminAccount(ScopedModel):
    """An administrator account an institution declared, kept as a masked login and a keyed hash."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("institution"), on_delete=models.CASCADE, related_name="admin_accounts"
    )
    login_masked = models.CharField(_("login"), max_length=200)
    login_hmac = models.CharField(max_length=64, editable=False)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "login_masked"]
        verbose_name = _("administrator account")
        verbose_name_plural = _("administrator accounts")
        constraints = [
            models.UniqueConstraint(fields=["organization", "login_hmac"], name="cyberhygiene_admin_unique")
        ]

    def __str__(self) -> str:
        return self.login_masked


class TrainingCampaign(ScopedModel, TimeStampedModel):
    """An awareness course run for an institution's staff."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="training_campaigns",
    )
    code = models.SlugField(_("course code"), max_length=60)
    course = models.CharField(_("course"), max_length=200)
    starts_on = models.DateField(_("starts"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "course"]
        verbose_name = _("training campaign")
        verbose_name_plural = _("training campaigns")
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="cyberhygiene_training_unique")
        ]

    def __str__(self) -> str:
        return self.course


class Enrolment(ScopedModel):
    """One learner of a training campaign: enrolled, perhaps completed, perhaps with a test score."""

    campaign = models.ForeignKey(
        TrainingCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="enrolments"
    )
    learner = models.CharField(_("learner"), max_length=200, help_text=_("E-mail or staff number."))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    enrolled_on = models.DateField(_("enrolled"))
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    score = models.DecimalField(_("test score"), max_digits=5, decimal_places=2, null=True, blank=True)

    tenant_field: ClassVar[str] = "campaign__organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["campaign", "learner"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "learner"], name="cyberhygiene_enrolment_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="cyberhygiene_enrolment_score_range",
            ),
        ]

    def __str__(self) -> str:
        return self.learner


class PhishingResult(ScopedModel, TimeStampedModel):
    """The outcome of a phishing drill at one institution."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="phishing_results"
    )
    campaign = models.CharField(_("campaign"), max_length=200)
    run_on = models.DateField(_("run on"))
    sent = models.PositiveIntegerField(_("sent"))
    opened = models.PositiveIntegerField(_("opened"), default=0)
    clicked = models.PositiveIntegerField(_("clicked"), default=0)
    submitted = models.PositiveIntegerField(_("submitted credentials"), default=0)
    reported = models.PositiveIntegerField(_("reported"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-run_on", "campaign"]
        verbose_name = _("phishing drill result")
        verbose_name_plural = _("phishing drill results")
        constraints = [
            models.UniqueConstraint(fields=["organization", "campaign"], name="cyberhygiene_phishing_unique"),
            models.CheckConstraint(
                condition=Q(opened__lte=F("sent"))
                & Q(clicked__lte=F("sent"))
                & Q(submitted__lte=F("clicked"))
                & Q(reported__lte=F("sent")),
                name="cyberhygiene_phishing_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.organization}"
