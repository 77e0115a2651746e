"""The API permission of the commission: tenancy's class, with object checks across several owners."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS

from qalxan.commission import access
from qalxan.core.api.permissions import ScopedPermission, required_permission


class CommissionPermission(ScopedPermission):
    """Reads reach only what the viewset's visibility query returns; writes need the permission in
    one of the organisations that own the object (a task's co-executors, a meeting's invited bodies)."""

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        permission = required_permission(view, request)
        if permission is None:
            return False
        if request.method in SAFE_METHODS:
            return True  # the object came through the visibility query of get_queryset
        return access.can(request.user, permission, obj)
