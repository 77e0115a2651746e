"""Every write of the core app: API tokens, role policies, notifications, passwords."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.models import ApiToken, Notification, RolePolicy
from qalxan.core.tenancy import require


@transaction.atomic
def issue_api_token(
    *, actor: Any, user: Any, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create an API token for `user`; returns the token and its key, which is never stored."""
    if actor.pk != user.pk:
        require(actor, "core.revoke_apitoken")
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100] or _("API token"),
        key_prefix=key[:8],
        key_hash=ApiToken.hash_key(key),
        expires_at=expires_at or ApiToken.default_expiry(),
    )
    audit.record(
        actor=actor,
        action=AuditAction.TOKEN_CREATED,
        target=token,
        after={"name": token.name, "user": user.username, "expires_at": token.expires_at},
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token at once; its owner or an administrator may do it."""
    if actor.pk != token.user_id:
        require(actor, "core.revoke_apitoken")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=AuditAction.TOKEN_REVOKED,
            target=token,
            after={"name": token.name, "user": token.user.username},
        )
    return token


@transaction.atomic
def set_role_policy(*, actor: Any, role: str, require_two_factor: bool) -> RolePolicy:
    """Make two-factor authentication mandatory (or optional) for one role."""
    require(actor, "core.change_rolepolicy")
    policy, created = RolePolicy.objects.get_or_create(role=role)
    if not created and policy.require_two_factor == require_two_factor:
        return policy
    before = audit.snapshot(policy)
    policy.require_two_factor = require_two_factor
    policy.save()
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=policy, before=before, after=audit.snapshot(policy)
    )
    return policy


@transaction.atomic
def notify(
    *,
    recipients: Iterable[Any],
    subject: str,
    body: str = "",
    url: str = "",
    organization_id: int | None = None,
) -> list[Notification]:
    """Tell people something in the platform and by e-mail (sent by a background job after commit)."""
    from qalxan.core.tasks import send_notification_emails

    notes = Notification.objects.bulk_create(
        Notification(
            recipient=user, subject=subject[:300], body=body, url=url, organization_id=organization_id
        )
        for user in {u.pk: u for u in recipients if u.is_active}.values()
    )
    ids = [n.pk for n in notes]  # PostgreSQL and SQLite 3.35+ return the new keys from bulk_create
    transaction.on_commit(lambda: send_notification_emails(ids))
    return notes


@transaction.atomic
def mark_notifications_read(*, actor: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when no ids are given)."""
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def record_two_factor_change(*, actor: Any, enabled: bool) -> None:
    """Audit a person turning their own two-factor device on or off."""
    audit.record(actor=actor, action=AuditAction.TWO_FACTOR, target=actor, after={"two_factor": enabled})
