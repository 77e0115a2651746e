"""Tenancy: the one place that decides which organisations' data a person may see or change.

A permission reaches every organisation when a national role grants it (see roles.py), and
otherwise only the organisations of the memberships whose role grants it — with their
subordinate bodies when the membership says so. UI views and API viewsets both ask here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.utils.translation import gettext as _

from qalxan.core.roles import grants_of, is_national

_M = TypeVar("_M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    """The organisations in which one permission holds for one person."""

    everything: bool
    organization_ids: frozenset[int]

    @property
    def empty(self) -> bool:
        return not self.everything and not self.organization_ids

    def __contains__(self, organization_id: object) -> bool:
        return self.everything or organization_id in self.organization_ids


NOTHING = Scope(False, frozenset())
EVERYTHING = Scope(True, frozenset())


@dataclass(frozen=True)
class MembershipGrant:
    role: str
    organization_id: int
    organization_path: str
    include_subordinates: bool


def memberships_of(user: Any) -> list[MembershipGrant]:
    """The user's memberships, read once per request and kept on the user object (the API's token
    look-up reads them along with the token: `remember_memberships`)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_qalxan_memberships", None)
    if cached is None:
        from qalxan.core import sql

        cached = remember_memberships(
            user, sql.rows(_memberships_statement(connection.vendor), [True, user.pk])
        )
    return cached


def remember_memberships(user: Any, rows: Iterable[Sequence[Any]]) -> list[MembershipGrant]:
    """Keep the memberships read as `membership_sql`'s columns on the user for the rest of the request;
    rows of a left join without a membership (all None) are skipped."""
    found = [
        MembershipGrant(role, organization_id, path, bool(subordinates))
        for role, organization_id, path, subordinates in rows
        if role is not None
    ]
    user._qalxan_memberships = found
    return found


@functools.cache
def membership_sql(vendor: str) -> tuple[str, str, str]:
    """How every request reads a person's memberships (written once as SQL, see core.sql): the columns
    `remember_memberships` takes, the memberships joined with their active organisations (aliases m and
    o; its one value, TRUE, bound first), and the memberships' own order. The caller adds the condition
    on `m.user`, or joins the part on it."""
    from qalxan.core import sql
    from qalxan.organizations.models import Membership, Organization

    m, o = Membership, Organization
    columns = (
        f"m.{sql.column(m, 'role')}, m.{sql.column(m, 'organization')}, o.{sql.column(o, 'path')}, "
        f"m.{sql.column(m, 'include_subordinates')}"
    )
    joined = (
        f"{sql.table(m)} m INNER JOIN {sql.table(o)} o ON o.{sql.column(o, 'id')} = "
        f"m.{sql.column(m, 'organization')} AND o.{sql.column(o, 'is_active')} = %s"
    )
    return columns, joined, f"o.{sql.column(o, 'name_az')}, m.{sql.column(m, 'role')}"


@functools.cache
def _memberships_statement(vendor: str) -> str:
    from qalxan.core import sql
    from qalxan.organizations.models import Membership

    columns, joined, order = membership_sql(vendor)
    return f"SELECT {columns} FROM {joined} WHERE m.{sql.column(Membership, 'user')} = %s ORDER BY {order}"  # noqa: S608  (names from the models, values bound)


def forget(user: Any) -> None:
    """Drop cached memberships after they change."""
    for attr in ("_qalxan_memberships", "_qalxan_scopes", "_qalxan_subtrees"):
        if hasattr(user, attr):
            delattr(user, attr)


def roles_of(user: Any) -> set[str]:
    return {m.role for m in memberships_of(user)}


def scope(user: Any, permission: str) -> Scope:
    """Where `permission` holds for `user`."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    cache: dict[str, Scope] = getattr(user, "_qalxan_scopes", None) or {}
    if permission in cache:
        return cache[permission]
    ids: set[int] = set()
    subtree_paths: list[str] = []
    result: Scope | None = None
    for m in memberships_of(user):
        if permission not in grants_of(m.role):
            continue
        if is_national(m.role):
            result = EVERYTHING
            break
        ids.add(m.organization_id)
        if m.include_subordinates:
            subtree_paths.append(m.organization_path)
    if result is None:
        if subtree_paths:
            ids.update(_subtree_ids(user, tuple(sorted(subtree_paths))))
        result = Scope(False, frozenset(ids))
    cache[permission] = result
    user._qalxan_scopes = cache
    return result


def _subtree_ids(user: Any, paths: tuple[str, ...]) -> frozenset[int]:
    """The organisations under `paths`, read once per request for each set of subtrees."""
    cache: dict[tuple[str, ...], frozenset[int]] = user.__dict__.setdefault("_qalxan_subtrees", {})
    if paths not in cache:
        from qalxan.organizations.models import Organization

        query = models.Q()
        for path in paths:
            query |= models.Q(path__startswith=path)
        cache[paths] = frozenset(Organization.objects.filter(query).values_list("pk", flat=True))
    return cache[paths]


def has_permission(user: Any, permission: str) -> bool:
    """Whether the permission holds anywhere at all (for menus and list pages)."""
    return not scope(user, permission).empty


def default_view_permission(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


def restrict(queryset: models.QuerySet[_M], user: Any, permission: str | None = None) -> models.QuerySet[_M]:
    """Narrow `queryset` to what `user` may see under `permission` (default: the model's view)."""
    model = queryset.model
    perm = permission or default_view_permission(model)
    allowed = scope(user, perm)
    if allowed.everything:
        return queryset
    if allowed.empty:
        return queryset.none()
    path = getattr(model, "tenant_field", None)
    if path is None:
        raise TypeError(f"{model.__name__} declares no tenant_field")
    if getattr(model, "tenant_distinct", False):
        inner = model._default_manager.filter(**{f"{path}__in": allowed.organization_ids}).values("pk")
        return queryset.filter(pk__in=inner)
    return queryset.filter(**{f"{path}__in": allowed.organization_ids})


class ScopedQuerySet(models.QuerySet[_M]):
    """QuerySet of an organisation-owned model."""

    def visible_to(self, user: Any, permission: str | None = None) -> ScopedQuerySet[_M]:
        return restrict(self, user, permission)  # type: ignore[return-value]


def tenant_of(obj: models.Model) -> int | None:
    """The id of the organisation that owns `obj`, following its model's `tenant_field`."""
    getter = getattr(obj, "tenant_id", None)
    if callable(getter):
        return getter()
    path = getattr(type(obj), "tenant_field", None)
    if not path or getattr(type(obj), "tenant_distinct", False):
        return None
    value: Any = obj
    parts = path.split("__")
    for part in parts[:-1]:
        value = getattr(value, part, None)
        if value is None:
            return None
    return getattr(value, f"{parts[-1]}_id", None) if parts[-1] != "id" else getattr(value, "id", None)


def can(
    user: Any, permission: str, obj: models.Model | None = None, *, organization_id: int | None = None
) -> bool:
    """Whether `user` holds `permission` for `obj` (or inside `organization_id`, or anywhere)."""
    allowed = scope(user, permission)
    if allowed.everything:
        return True
    if obj is not None:
        organization_id = tenant_of(obj)
    if organization_id is None:
        return not allowed.empty and obj is None
    return organization_id in allowed


def require(
    user: Any, permission: str, obj: models.Model | None = None, *, organization_id: int | None = None
) -> None:
    """Refuse with PermissionDenied unless `can(...)`."""
    if not can(user, permission, obj, organization_id=organization_id):
        raise PermissionDenied(_("You do not have permission to do this."))


def sees_source_addresses(user: Any) -> bool:
    """Source addresses in the audit log are for the authority's administrators and auditors only."""
    return scope(user, "core.view_auditentry").everything
