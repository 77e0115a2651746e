"""Every write to organisations, contacts, domains and memberships."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from stdnum.az import voen as voen_number

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.roles import Role, is_national
from qalxan.core.tenancy import forget, require
from qalxan.core.validators import normalise_domains
from qalxan.organizations.choices import NATIONAL_KINDS
from qalxan.organizations.models import Contact, Membership, Organization, OrganizationDomain, Sector

User = get_user_model()

ORGANIZATION_FIELDS = (
    "code",
    "short_name",
    "name_az",
    "name_en",
    "name_ru",
    "kind",
    "parent",
    "voen",
    "is_cii_subject",
    "address",
    "email",
    "phone",
    "website",
    "is_active",
)


def voen_warning(voen: str) -> str | None:
    """A warning when a well-formed VÖEN fails its check digit (it is kept, not rejected)."""
    if voen and not voen_number.is_valid(voen):
        return _("VÖEN %(voen)s fails the checksum; please check it.") % {"voen": voen}
    return None


def _check_parent(org: Organization, parent: Organization | None) -> None:
    if parent is None or org.pk is None:
        return
    if parent.pk == org.pk or parent.path.startswith(org.path):
        raise ValidationError(
            {"parent": _("An organisation cannot be placed under itself or its own subordinate.")}
        )


def _rebuild_paths(org: Organization) -> None:
    """Recompute the materialised path of `org` and its whole subtree."""
    old_path = org.path
    org.path = f"{org.parent.path if org.parent else '/'}{org.pk}/"
    Organization.objects.filter(pk=org.pk).update(path=org.path)
    if old_path and old_path != org.path:
        for child in Organization.objects.filter(path__startswith=old_path).exclude(pk=org.pk):
            Organization.objects.filter(pk=child.pk).update(path=org.path + child.path[len(old_path) :])


def _set_domains(org: Organization, domains: Iterable[str]) -> None:
    wanted = set(normalise_domains(domains))
    taken = OrganizationDomain.objects.filter(domain__in=wanted).exclude(organization=org)
    if taken.exists():
        raise ValidationError(
            {
                "domains": _("Domain %(domain)s is registered to another organisation.")
                % {"domain": taken[0].domain}
            }
        )
    org.domains.exclude(domain__in=wanted).delete()
    existing = set(org.domains.values_list("domain", flat=True))
    OrganizationDomain.objects.bulk_create(
        OrganizationDomain(organization=org, domain=d) for d in sorted(wanted - existing)
    )


def _snapshot(org: Organization) -> dict[str, Any]:
    data = audit.snapshot(org)
    data["domains"] = sorted(org.domains.values_list("domain", flat=True)) if org.pk else []
    return data


@transaction.atomic
def create_organization(
    *, actor: Any, sectors: Iterable[Sector] = (), domains: Iterable[str] = (), **fields: Any
) -> tuple[Organization, list[str]]:
    """Register an organisation; returns it with any warnings (such as a VÖEN checksum failure)."""
    require(actor, "organizations.add_organization")
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    org = Organization(**fields)
    org.voen_checksum_ok = voen_number.is_valid(org.voen) if org.voen else None
    org.full_clean(exclude=["path"])
    org.save()
    _rebuild_paths(org)
    org.sectors.set(list(sectors))
    _set_domains(org, domains)
    audit.record(actor=actor, action=AuditAction.CREATE, target=org, after=_snapshot(org))
    warning = voen_warning(org.voen)
    return org, [warning] if warning else []


@transaction.atomic
def update_organization(
    *,
    actor: Any,
    organization: Organization,
    sectors: Iterable[Sector] | None = None,
    domains: Iterable[str] | None = None,
    **fields: Any,
) -> tuple[Organization, list[str]]:
    """Change an organisation's card; an institution officer may edit only their own."""
    require(actor, "organizations.change_organization", organization)
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = _snapshot(org)
    structural = {"code", "kind", "parent", "is_active", "is_cii_subject"}
    if any(getattr(org, name) != fields[name] for name in structural & set(fields)):
        # The structural fields of the registry belong to the authority.
        require(actor, "organizations.add_organization")
    for name, value in fields.items():
        setattr(org, name, value)
    _check_parent(org, org.parent)
    org.voen_checksum_ok = voen_number.is_valid(org.voen) if org.voen else None
    org.full_clean(exclude=["path"])
    org.save()
    if "parent" in fields:
        _rebuild_paths(org)
    if sectors is not None:
        org.sectors.set(list(sectors))
    if domains is not None:
        _set_domains(org, domains)
    audit.record(actor=actor, action=AuditAction.UPDATE, target=org, before=before, after=_snapshot(org))
    warning = voen_warning(org.voen) if "voen" in fields else None
    return org, [warning] if warning else []


@transaction.atomic
def delete_organization(*, actor: Any, organization: Organization) -> None:
    """Remove an organisation that nothing depends on any more."""
    require(actor, "organizations.delete_organization", organization)
    before = _snapshot(organization)
    target_pk = organization.pk
    try:
        organization.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("%(org)s cannot be deleted while other records refer to it; deactivate it instead.")
            % {"org": organization}
        ) from exc
    organization.pk = target_pk
    audit.record(actor=actor, action=AuditAction.DELETE, target=organization, before=before)


@transaction.atomic
def save_contact(
    *, actor: Any, organization: Organization, contact: Contact | None = None, **fields: Any
) -> Contact:
    """Add or change a contact person of an organisation."""
    require(actor, "organizations.change_contact", organization)
    if contact is None:
        contact = Contact(organization=organization, **fields)
        before = None
    else:
        before = audit.snapshot(contact)
        for name, value in fields.items():
            setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        target=contact,
        before=before,
        after=audit.snapshot(contact),
    )
    return contact


@transaction.atomic
def delete_contact(*, actor: Any, contact: Contact) -> None:
    """Remove a contact person."""
    require(actor, "organizations.change_contact", contact)
    before = audit.snapshot(contact)
    pk = contact.pk
    contact.delete()
    contact.pk = pk
    audit.record(actor=actor, action=AuditAction.DELETE, target=contact, before=before)


def _check_role_fits(organization: Organization, role: str) -> None:
    if is_national(role) and organization.kind not in NATIONAL_KINDS:
        raise ValidationError(
            {
                "role": _(
                    "The role %(role)s is held only by staff of the authority or a co-supervising agency."
                )
                % {"role": Role(role).label}
            }
        )


@transaction.atomic
def grant_membership(
    *, actor: Any, user: Any, organization: Organization, role: str, include_subordinates: bool = False
) -> Membership:
    """Give a user a role in an organisation."""
    require(actor, "organizations.change_membership", organization)
    _check_role_fits(organization, role)
    membership, created = Membership.objects.get_or_create(
        user=user,
        organization=organization,
        role=role,
        defaults={"include_subordinates": include_subordinates},
    )
    if not created and membership.include_subordinates != include_subordinates:
        before = audit.snapshot(membership)
        membership.include_subordinates = include_subordinates
        membership.save(update_fields=["include_subordinates"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=membership,
            before=before,
            after=audit.snapshot(membership),
        )
    elif created:
        audit.record(
            actor=actor, action=AuditAction.CREATE, target=membership, after=audit.snapshot(membership)
        )
    forget(user)
    return membership


@transaction.atomic
def revoke_membership(*, actor: Any, membership: Membership) -> None:
    """Take a role away from a user."""
    require(actor, "organizations.change_membership", membership)
    before = audit.snapshot(membership)
    pk = membership.pk
    membership.delete()
    membership.pk = pk
    audit.record(actor=actor, action=AuditAction.DELETE, target=membership, before=before)
    forget(membership.user)


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    password: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    position: str = "",
    phone: str = "",
    preferred_language: str = "az",
    memberships: Iterable[tuple[Organization, str, bool]] = (),
) -> Any:
    """Create a person's account, with their roles."""
    organizations = [org for org, _role, _sub in memberships]
    if organizations:
        for org in organizations:
            require(actor, "organizations.change_membership", org)
    else:
        require(actor, "core.add_user")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        position=position,
        phone=phone,
        preferred_language=preferred_language,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=user,
        after=audit.snapshot(user),
        organization_id=organizations[0].pk if organizations else None,
    )
    for org, role, include_subordinates in memberships:
        grant_membership(
            actor=actor, user=user, organization=org, role=role, include_subordinates=include_subordinates
        )
    return user


@transaction.atomic
def update_user(*, actor: Any, user: Any, **fields: Any) -> Any:
    """Change a person's account details (not their password)."""
    require(actor, "core.change_user")
    allowed = {"email", "first_name", "last_name", "position", "phone", "preferred_language", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown user fields: {sorted(unknown)}")
    before = audit.snapshot(user)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=user, before=before, after=audit.snapshot(user)
    )
    return user
