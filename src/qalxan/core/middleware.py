"""Request context for the audit log, and two-factor enforcement per role."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from qalxan.core import context, sql
from qalxan.core.models import RolePolicy
from qalxan.core.tenancy import roles_of


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is the reverse proxy in production; deployment.md sets it to pass the client address.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = context.set_current(context.RequestContext(client_ip(request), uuid.uuid4().hex))
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


@functools.cache
def _two_factor_sql() -> str:
    return (
        f"SELECT 1 FROM {sql.table(RolePolicy)} "  # noqa: S608  (names from the model, values bound)
        f"WHERE {sql.column(RolePolicy, 'require_two_factor')} = %s "
        f"AND {sql.column(RolePolicy, 'role')} IN ({{roles}}) LIMIT 1"
    )


def two_factor_required(user: object) -> bool:
    roles = roles_of(user)
    if not roles:
        return False
    # Asked on every page: written once as SQL, since building and compiling the ORM query cost
    # ten times more than running it.
    statement = _two_factor_sql().format(roles=sql.placeholders(len(roles)))
    return bool(sql.rows(statement, [True, *sorted(roles)]))


class TwoFactorEnforcementMiddleware:
    """Sends a person whose role requires two-factor to set it up or to verify before anything else."""

    EXEMPT_PREFIXES = ("/account/two-factor/", "/account/logout/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and not getattr(user, "is_verified", lambda: False)()
            and two_factor_required(user)
        ):
            from django_otp import devices_for_user

            if any(devices_for_user(user, confirmed=True)):
                return redirect(f"{reverse('core:otp_verify')}?next={request.get_full_path()}")
            return redirect("core:otp_setup")
        return self.get_response(request)


class LanguageMiddleware:
    """Azerbaijani unless the person chose otherwise (language switcher cookie, then their profile).

    The browser's Accept-Language is deliberately ignored: the platform's working language is
    Azerbaijani, whatever language a workstation's browser happens to be set to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        available = {code for code, _name in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in available:
            user = getattr(request, "user", None)
            language = getattr(user, "preferred_language", None) if user and user.is_authenticated else None
        if language not in available:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
