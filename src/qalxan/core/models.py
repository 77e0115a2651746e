"""Base models of the platform: users, the audit log, API tokens, role policies, imports, notifications."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qalxan.core.choices import AuditAction, ImportStatus
from qalxan.core.roles import Role


def prefetched(instance: models.Model, **related: Any) -> None:
    """Record what `instance`'s to-many relations hold, as `prefetch_related` would, without a query.

    For a service that has just written the related rows and whose caller answers with the object:
    `prefetched(incident, affected_systems=systems, attachments=files)`."""
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, objects in related.items():
        manager = getattr(instance, name)
        # Many-to-many managers name their cache entry; reverse foreign keys use the field's cache name.
        key = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
        queryset = manager.get_queryset()
        queryset._result_cache = list(objects)
        queryset._prefetch_done = True
        cache[key] = queryset


class TimeStampedModel(models.Model):
    """Adds creation and modification times."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TranslatedNameMixin(models.Model):
    """A name kept in Azerbaijani, English and Russian; `name` follows the active language."""

    name_az = models.CharField(_("name (Azerbaijani)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        language = (get_language() or "az")[:2]
        return getattr(self, f"name_{language}", "") or self.name_az


class StoredFile(models.Model):
    """A kept upload: its name, type, size and SHA-256, who sent it and when (the concrete model declares
    `file` with its own storage path). Fill it with `core.files.keep()`."""

    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename


class ScopedModel(models.Model):
    """A model owned by an organisation; `tenant_field` is the lookup path to that organisation's id."""

    tenant_field: ClassVar[str] = "organization"

    class Meta:
        abstract = True

    def tenant_id(self) -> int | None:
        value: Any = self
        for part in self.tenant_field.split("__"):
            if value is None:
                return None
            if part == "id" or part.endswith("_id"):
                return getattr(value, part)
            value = getattr(value, part)
        return getattr(value, "pk", value)


class User(AbstractUser):
    """A person who signs in; what they may do comes from their memberships."""

    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="az"
    )

    tenant_field: ClassVar[str] = "memberships__organization"
    tenant_distinct: ClassVar[bool] = True

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:user_detail", args=[self.pk])


class AuditEntry(models.Model):
    """One append-only record of a change or a security event."""

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # Plain references without constraints, so that the log outlives what it describes.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField(_("actor user name"), max_length=150, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("object type"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)

    tenant_field: ClassVar[str] = "organization"

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        # Every index is written on every change of the platform: equality look-ups only (no
        # pattern-ops twins), and the object type is found through audit_object_idx.
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["object_id"], name="audit_object_id_idx"),
            models.Index(fields=["action"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("The audit log is append-only.")

    @property
    def changed_fields(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A per-user API token; only its SHA-256 is stored, the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("key prefix"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_hex(20)

    @staticmethod
    def default_expiry() -> Any:
        return timezone.now() + timedelta(days=settings.API_TOKEN_TTL_DAYS)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class RolePolicy(models.Model):
    """Security policy per role, set by the authority administrator."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, unique=True)
    require_two_factor = models.BooleanField(_("two-factor authentication required"), default=False)

    class Meta:
        ordering = ["role"]
        verbose_name = _("role policy")
        verbose_name_plural = _("role policies")

    def __str__(self) -> str:
        return self.get_role_display()


class ImportBatch(models.Model):
    """An uploaded file waiting for preview and commit by an importer."""

    importer = models.CharField(_("importer"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField()
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.importer}: {self.filename}"


class Notification(models.Model):
    """A message to a person in the platform, also sent by e-mail by a background job."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    delivery = models.ForeignKey(
        "core.NotificationDelivery",
        verbose_name=_("delivery"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "emailed_at"], name="core_notification_pending_idx")]

    def __str__(self) -> str:
        return self.subject


class NotificationDelivery(models.Model):
    """One e-mail that carried a recipient's pending notifications (a digest per recipient and interval)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NO_ADDRESS = "no_address", _("No e-mail address")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notification_deliveries",
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    address = models.CharField(_("address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    count = models.PositiveIntegerField(_("notifications"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.created_at:%Y-%m-%d %H:%M} {self.status} ({self.count})"


class RowCount(models.Model):
    """A change in the number of rows of a large table, written by its PostgreSQL triggers (see
    core.counts): the table's row count is the sum of its entries, read instead of `COUNT(*)`."""

    table_name = models.CharField(_("table"), max_length=63, db_index=True)
    delta = models.BigIntegerField(_("change"))

    class Meta:
        verbose_name = _("row count")
        verbose_name_plural = _("row counts")

    def __str__(self) -> str:
        return f"{self.table_name} {self.delta:+d}"
