"""The one DRF permission class: it asks tenancy, with the permission the view declares for its action."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission

from qalxan.core import tenancy

_ACTION_VERBS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
    "metadata": "view",
}


def required_permission(view: Any, request: Any) -> str | None:
    """The permission a view needs for this request: `permission_map[action]`, else derived from the model."""
    action = getattr(view, "action", None) or request.method.lower()
    mapping = getattr(view, "permission_map", {})
    if action in mapping:
        return mapping[action]
    queryset = getattr(view, "queryset", None)
    verb = _ACTION_VERBS.get(action)
    if queryset is None or verb is None:
        return mapping.get("*")
    model = queryset.model
    return f"{model._meta.app_label}.{verb}_{model._meta.model_name}"


class ScopedPermission(BasePermission):
    """Fails closed: an action with no declared or derivable permission is refused."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        permission = required_permission(view, request)
        return permission is not None and tenancy.has_permission(request.user, permission)

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        permission = required_permission(view, request)
        return permission is not None and tenancy.can(request.user, permission, obj)
