"""The roles of ARCHITECTURE.md and the permissions each one grants."""

from __future__ import annotations

from collections import defaultdict

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Authority administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("CERT analyst")
    SECRETARY = "secretary", _("Commission secretary")
    STRATEGY_OFFICER = "strategy_officer", _("Strategy officer")
    COMMISSION_MEMBER = "commission_member", _("Commission member")
    INSTITUTION_OFFICER = "institution_officer", _("Institution officer")
    INSTITUTION_VIEWER = "institution_viewer", _("Institution viewer")
    AUDITOR = "auditor", _("Auditor")


# Roles whose grants reach every organisation; the others act within their membership's scope.
NATIONAL_ROLES = frozenset(
    {Role.ADMIN, Role.SUPERVISOR, Role.ANALYST, Role.SECRETARY, Role.STRATEGY_OFFICER, Role.AUDITOR}
)

_GRANTS: dict[str, set[str]] = defaultdict(set)


def grant(role: str, *permissions: str) -> None:
    """Give `role` the named permissions; each app calls this from its permissions module."""
    _GRANTS[str(role)].update(permissions)


def grants_of(role: str) -> frozenset[str]:
    return frozenset(_GRANTS.get(str(role), ()))


def all_permissions() -> frozenset[str]:
    return frozenset(p for perms in _GRANTS.values() for p in perms)


def roles_with(permission: str) -> list[str]:
    return [role for role, perms in _GRANTS.items() if permission in perms]


def is_national(role: str) -> bool:
    return role in NATIONAL_ROLES
