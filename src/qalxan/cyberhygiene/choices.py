"""Choices of the cyber-hygiene app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeakState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being ingested")
    DONE = "done", _("Ingested")
    FAILED = "failed", _("Failed")


class LeakFormat(models.TextChoices):
    COMBOLIST = "combolist", _("Combination list")
    STEALER = "stealer", _("Stealer logs")
    CSV = "csv", _("CSV")
    MIXED = "mixed", _("Several formats")


class PasswordStrength(models.TextChoices):
    WEAK = "weak", _("Weak")
    MEDIUM = "medium", _("Medium")
    STRONG = "strong", _("Strong")


class ExposureState(models.TextChoices):
    OPEN = "open", _("Open")
    NOTIFIED = "notified", _("Institution notified")
    RESOLVED = "resolved", _("Measures confirmed")
    DISMISSED = "dismissed", _("Dismissed")


OPEN_EXPOSURE_STATES = (ExposureState.OPEN, ExposureState.NOTIFIED)


class Measure(models.TextChoices):
    RESET_PASSWORD = "reset_password", _("Reset the password")
    ENFORCE_2FA = "enforce_2fa", _("Enforce two-factor authentication")
    CHECK_DEVICE = "check_device", _("Check the device for an information stealer")


class AttributionBasis(models.TextChoices):
    EMAIL_DOMAIN = "email_domain", _("E-mail domain of the institution")
    OWN_SITE = "own_site", _("Login at the institution's own domain")
    STATE_SERVICE = "state_service", _("Account of a state service")
