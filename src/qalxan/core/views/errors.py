"""Error pages in the platform's layout (JSON under /api/)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def _page(request: HttpRequest, status: int, template: str, detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail}, status=status)
    return render(request, template, {"status": status}, status=status)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 403, "core/error.html", "You do not have permission to perform this action.")


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 404, "core/error.html", "Not found.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, "core/error.html", "Server error.")


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes lockout: JSON under /api/, the lockout page elsewhere; 429 either way."""
    from django.utils.translation import gettext as _

    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("Too many failed sign-ins; the account is locked for a while.")}, status=429
        )
    return render(request, "core/locked_out.html", status=429)
