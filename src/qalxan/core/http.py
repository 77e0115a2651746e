"""Typing helpers for views that only signed-in people reach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from qalxan.core.models import User


class AuthenticatedRequest(HttpRequest):
    """An HttpRequest behind login_required: `user` is a real account."""

    user: User
