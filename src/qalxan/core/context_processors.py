"""Template context shared by every page: navigation and unread notifications, computed only when used."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from qalxan.core.navigation import menu_for


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": []}
    # Lazy: partial (htmx) responses and nested template renders never pay for them.
    return {
        "nav_menu": SimpleLazyObject(lambda: menu_for(user, request.path)),
        "unread_notifications": SimpleLazyObject(
            lambda: user.notifications.filter(read_at__isnull=True).count()
        ),
    }
