"""Writing the audit log: who, when, from where, what, before and after."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from qalxan.core import context, sql
from qalxan.core.models import AuditEntry


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The object's field values as JSON-ready data (many-to-many as sorted key lists)."""
    data: dict[str, Any] = {}
    opts = obj._meta
    for field in opts.concrete_fields:
        if field.name in exclude or field.name in {"password", "content", "key_hash"}:
            continue
        data[field.name] = _json_value(field.value_from_object(obj))
    if obj.pk is not None:
        for field in opts.many_to_many:
            if field.name in exclude:
                continue
            data[field.name] = sorted(_json_value(v.pk) for v in getattr(obj, field.name).all())
    return data


def _organization_id(target: models.Model | None) -> int | None:
    if target is None:
        return None
    tenant_id = getattr(target, "tenant_id", None)
    if callable(tenant_id):
        try:
            return tenant_id()
        except AttributeError:
            return None
    return None


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
    organization_id: int | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry to the audit log; call it inside the transaction that makes the change."""
    ctx = context.current()
    real_actor = actor if getattr(actor, "is_authenticated", False) else None
    if before is not None and after is not None:
        # Keep only what changed, so that the log reads as a diff.
        keys = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(keys)}
        after = {k: after.get(k) for k in sorted(keys)}
    entry = AuditEntry(
        actor=real_actor,
        actor_username=username or (real_actor.get_username() if real_actor else ""),
        organization_id=organization_id if organization_id is not None else _organization_id(target),
        action=action,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None and target.pk is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        before=_json_value(before) if before is not None else None,
        after=_json_value(after) if after is not None else None,
        message=message[:500],
        ip_address=ctx.ip_address if ctx else None,
        request_id=ctx.request_id if ctx else "",
    )
    sql.insert([entry])  # the statement written once: every change of every module comes through here
    return entry
