"""Template context shared by every page: navigation and unread notifications, computed only when used."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from qalxan.core import sql
from qalxan.core.models import Notification
from qalxan.core.navigation import menu_for, menu_html


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": [], "nav_html": ""}
    # Lazy: partial (htmx) responses and nested template renders never pay for them.
    return {
        "nav_menu": SimpleLazyObject(lambda: menu_for(user, request.path)),
        "nav_html": SimpleLazyObject(lambda: menu_html(menu_for(user, request.path))),
        "unread_notifications": SimpleLazyObject(lambda: unread_notifications(user)),
    }


@functools.cache
def _unread_sql() -> str:
    return (
        f"SELECT COUNT(*) FROM {sql.table(Notification)} "  # noqa: S608  (names from the model, values bound)
        f"WHERE {sql.column(Notification, 'recipient')} = %s "
        f"AND {sql.column(Notification, 'read_at')} IS NULL"
    )


def unread_notifications(user: Any) -> int:
    """How many of the person's notifications are unread (the badge in every page's top bar)."""
    # Asked on every page: written once as SQL, since building and compiling the ORM query cost
    # ten times more than running it.
    return int(sql.rows(_unread_sql(), [user.pk])[0][0])
