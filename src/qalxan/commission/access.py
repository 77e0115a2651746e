"""Object checks for commission records that belong to several organisations at once.

A meeting is read by every body with an invited member, a task by its responsible institution and
its co-executors. `tenancy.can` looks at one owner; this asks it for each owner in turn, so the
decision is still taken by tenancy.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from qalxan.core import tenancy


def owners(obj: models.Model) -> set[int]:
    """The organisations an object belongs to."""
    getter = getattr(obj, "owner_ids", None)
    if callable(getter):
        return {o for o in getter() if o is not None}
    owner = tenancy.tenant_of(obj)
    return {owner} if owner is not None else set()


def can(user: Any, permission: str, obj: models.Model | None = None) -> bool:
    """Whether `permission` holds for `user` in at least one organisation that owns `obj`."""
    if obj is None:
        return tenancy.has_permission(user, permission)
    allowed = tenancy.scope(user, permission)
    if allowed.everything:
        return True
    return any(o in allowed for o in owners(obj))


def require(user: Any, permission: str, obj: models.Model | None = None) -> None:
    if not can(user, permission, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


def acting_organization(user: Any, permission: str, candidates: set[int]) -> int | None:
    """The first of `candidates` (organisation ids) in which `user` holds `permission`."""
    allowed = tenancy.scope(user, permission)
    for org_id in sorted(candidates):
        if org_id in allowed:
            return org_id
    return None
