"""Every write of the core app: API tokens, role policies, notifications, passwords."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core import audit, jobs
from qalxan.core.choices import AuditAction
from qalxan.core.models import ApiToken, Notification, NotificationDelivery, RolePolicy
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


# Called inside the services' own transactions: no savepoint of its own (two round trips per call).
@transaction.atomic(savepoint=False)
def notify(
    *,
    recipients: Iterable[Any],
    subject: str,
    body: str = "",
    url: str = "",
    organization_id: int | None = None,
) -> list[Notification]:
    """Tell people something in the platform and by e-mail (a digest per recipient and interval, sent by a
    background job after commit)."""
    from qalxan.core.tasks import send_notification_emails

    notes = Notification.objects.bulk_create(
        Notification(
            recipient=user, subject=subject[:300], body=body, url=url, organization_id=organization_id
        )
        for user in {u.pk: u for u in recipients if u.is_active}.values()
    )
    ids = [n.pk for n in notes]  # PostgreSQL and SQLite 3.35+ return the new keys from bulk_create
    jobs.after_commit(send_notification_emails, ids)
    return notes


def notification_interval() -> timedelta:
    """At most one e-mail per recipient per interval (QALXAN_NOTIFICATION_INTERVAL_MINUTES, default 15)."""
    try:
        minutes = int(os.environ.get("QALXAN_NOTIFICATION_INTERVAL_MINUTES", "15"))
    except ValueError:
        minutes = 15
    return timedelta(minutes=max(0, minutes))


def deliver_notification_digests(
    *, recipient_ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """E-mail each recipient one digest of their pending notifications, at most once per interval.

    A recipient who had no e-mail within the last interval gets one at once; notifications that arrive
    after that wait for the periodic job, which sends them together when the interval has passed.
    Every e-mail (or failure) is recorded as a NotificationDelivery. Returns how many e-mails were sent.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.db.models import Max
    from django.template.loader import render_to_string
    from django.utils import translation

    now = now or timezone.now()
    cutoff = now - notification_interval()
    pending = Notification.objects.filter(emailed_at__isnull=True)
    if recipient_ids is not None:
        pending = pending.filter(recipient_id__in=list(recipient_ids))
    candidates = set(pending.values_list("recipient_id", flat=True).distinct())
    if not candidates:
        return 0
    last = dict(
        NotificationDelivery.objects.filter(
            recipient_id__in=candidates, status=NotificationDelivery.Status.SENT
        )
        .values("recipient_id")
        .annotate(at=Max("created_at"))
        .values_list("recipient_id", "at")
    )
    sent = 0
    for user in get_user_model().objects.filter(pk__in=candidates):
        if last.get(user.pk) is not None and last[user.pk] > cutoff:
            continue  # the next digest goes out when the interval has passed
        with transaction.atomic():
            notes = list(
                Notification.objects.select_for_update()
                .filter(recipient=user, emailed_at__isnull=True)
                .order_by("created_at", "id")
            )
            if not notes:
                continue
            language = user.preferred_language or "az"
            with translation.override(language):
                if len(notes) == 1:
                    subject = notes[0].subject
                else:
                    subject = _("Qalxan: %(count)d new notifications") % {"count": len(notes)}
                body = render_to_string(
                    "core/notification_digest.txt",
                    {"user": user, "notes": notes, "site_url": settings.SITE_URL},
                )
            delivery = NotificationDelivery(
                recipient=user, address=user.email, language=language, subject=subject[:300], count=len(notes)
            )
            if not user.email:
                delivery.status = NotificationDelivery.Status.NO_ADDRESS
            else:
                try:
                    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
                except (
                    Exception
                ) as exc:  # an SMTP failure is recorded; the job retries the notifications later
                    delivery.status = NotificationDelivery.Status.FAILED
                    delivery.error = repr(exc)[:500]
                else:
                    delivery.status = NotificationDelivery.Status.SENT
                    sent += 1
            delivery.save()
            if delivery.status != NotificationDelivery.Status.FAILED:
                Notification.objects.filter(pk__in=[n.pk for n in notes]).update(
                    emailed_at=now, delivery=delivery
                )
    return sent


@transaction.atomic
def acknowledge_notification(*, actor: Any, notification: Notification) -> Notification:
    """The recipient acknowledges a notification (it is then also read)."""
    if notification.recipient_id != actor.pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    if notification.acknowledged_at is None:
        now = timezone.now()
        notification.acknowledged_at = now
        notification.read_at = notification.read_at or now
        notification.save(update_fields=["acknowledged_at", "read_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, target=notification, message="acknowledged")
    return notification


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
