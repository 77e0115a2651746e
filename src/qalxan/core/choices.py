"""Choices of the core app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("updated")
    DELETE = "delete", _("deleted")
    TRANSITION = "transition", _("state changed")
    IMPORT = "import", _("imported")
    EXPORT = "export", _("exported")
    LOGIN = "login", _("signed in")
    LOGIN_FAILED = "login_failed", _("sign-in failed")
    LOGOUT = "logout", _("signed out")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    TWO_FACTOR = "two_factor", _("two-factor settings changed")


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("awaiting confirmation")
    COMMITTED = "committed", _("imported")
    REJECTED = "rejected", _("rejected")
