"""Template context shared by every page: navigation and unread notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from qalxan.core.navigation import menu_for


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": []}
    return {
        "nav_menu": menu_for(user, request.path),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
