"""API authentication: expiring, revocable per-user tokens, and the browser session."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from qalxan.core import sql
from qalxan.core.models import ApiToken
from qalxan.core.tenancy import membership_sql, remember_memberships
from qalxan.organizations.models import Membership


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, looked up by its SHA-256; refused when expired or revoked."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = _token_with_user(ApiToken.hash_key(key))
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account is disabled."))
        # Touch at most once a minute so that busy machine clients do not write on every request.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token


@functools.cache
def _token_sql(using: str) -> str:
    user_model = get_user_model()
    user_id = f"u.{sql.column(user_model, 'id', using)}"
    columns, memberships, order = membership_sql(connections[using].vendor)
    return (
        f"SELECT {sql.columns(ApiToken, 't', using)}, {sql.columns(user_model, 'u', using)}, {columns} "  # noqa: S608  (names from the models, the key bound)
        f"FROM {sql.table(ApiToken, using)} t INNER JOIN {sql.table(user_model, using)} u "
        f"ON {user_id} = t.{sql.column(ApiToken, 'user', using)} "
        f"LEFT JOIN ({memberships}) ON m.{sql.column(Membership, 'user', using)} = {user_id} "
        f"WHERE t.{sql.column(ApiToken, 'key_hash', using)} = %s ORDER BY {order}"
    )


def _token_with_user(key_hash: str) -> ApiToken | None:
    """The token, its user and the user's memberships: what every API request reads first, in one
    statement (see core.sql); one row per membership, or one with the membership columns empty."""
    using = router.db_for_read(ApiToken)
    found = sql.rows(_token_sql(using), [True, key_hash], using)
    if not found:
        return None
    row = found[0]
    split = sql.width(ApiToken)
    end = split + sql.width(get_user_model())
    token = sql.instance(ApiToken, row[:split], using)
    token.user = sql.instance(get_user_model(), row[split:end], using)
    remember_memberships(token.user, [r[end:] for r in found])
    return token


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, refused while a role's mandatory second factor is still unverified."""

    def authenticate(self, request: Any) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        from qalxan.core.middleware import two_factor_required

        user = result[0]
        if two_factor_required(user) and not getattr(request._request.user, "is_verified", lambda: False)():
            raise exceptions.AuthenticationFailed(_("Two-factor verification is required."))
        return result


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "qalxan.core.api.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token"',
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "qalxan.core.api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
