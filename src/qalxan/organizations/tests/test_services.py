"""Services of the organisations app: validation, hierarchy, memberships, refusals and audit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qalxan.core.models import AuditEntry
from qalxan.organizations import services
from qalxan.organizations.models import Organization


def test_voen_checksum_failure_warns_but_keeps(world):
    org, warnings = services.create_organization(
        actor=world.users["admin"],
        code="bad-voen",
        short_name="BV",
        name_az="X",
        kind="state_company",
        voen="1400057424",
    )
    assert org.voen_checksum_ok is False
    assert warnings and "1400057424" in warnings[0]
    good, none = services.create_organization(
        actor=world.users["admin"],
        code="good-voen",
        short_name="GV",
        name_az="Y",
        kind="state_company",
        voen="1400057421",
    )
    assert good.voen_checksum_ok is True and none == []


def test_malformed_voen_is_rejected(world):
    with pytest.raises(ValidationError) as err:
        services.create_organization(
            actor=world.users["admin"],
            code="x",
            short_name="X",
            name_az="X",
            kind="ministry",
            voen="14000574",
        )
    assert "voen" in err.value.message_dict
    assert not Organization.objects.filter(code="x").exists()


def test_cycle_in_hierarchy_is_refused(world):
    with pytest.raises(ValidationError):
        services.update_organization(
            actor=world.users["admin"], organization=world.ministry, parent=world.subordinate
        )


def test_officer_edits_own_card_but_not_structure(world):
    officer = world.users["officer_a"]
    services.update_organization(actor=officer, organization=world.ministry, phone="+994121112233")
    with pytest.raises(PermissionDenied):
        services.update_organization(actor=officer, organization=world.ministry, kind="state_company")
    with pytest.raises(PermissionDenied):
        services.update_organization(actor=officer, organization=world.other, phone="1")
    with pytest.raises(PermissionDenied):
        services.create_organization(actor=officer, code="n", short_name="N", name_az="N", kind="ministry")


def test_viewer_cannot_edit(world):
    with pytest.raises(PermissionDenied):
        services.update_organization(actor=world.users["viewer_a"], organization=world.ministry, phone="1")


def test_national_role_only_in_authority_or_agency(world):
    admin = world.users["admin"]
    with pytest.raises(ValidationError):
        services.grant_membership(
            actor=admin, user=world.users["officer_b"], organization=world.other, role="analyst"
        )
    services.grant_membership(
        actor=admin, user=world.users["officer_b"], organization=world.agency, role="supervisor"
    )


def test_domains_are_unique_across_organisations(world):
    admin = world.users["admin"]
    services.update_organization(actor=admin, organization=world.ministry, domains=["min-a.gov.az"])
    with pytest.raises(ValidationError):
        services.update_organization(actor=admin, organization=world.other, domains=["MIN-A.gov.az"])


def test_delete_with_subordinates_is_refused_and_nothing_changes(world):
    with pytest.raises(ValidationError):
        services.delete_organization(actor=world.users["admin"], organization=world.ministry)
    assert Organization.objects.filter(pk=world.ministry.pk).exists()
    services.delete_organization(actor=world.users["admin"], organization=world.subordinate)
    entry = AuditEntry.objects.get(action="delete", object_id=str(world.subordinate.pk))
    assert entry.before["code"] == "ministry-a-sub"


def test_membership_changes_take_effect_at_once(world):
    from qalxan.core.tenancy import can

    admin, viewer = world.users["admin"], world.users["viewer_a"]
    assert not can(viewer, "organizations.change_organization", world.ministry)
    membership = services.grant_membership(
        actor=admin, user=viewer, organization=world.ministry, role="institution_officer"
    )
    assert can(viewer, "organizations.change_organization", world.ministry)
    services.revoke_membership(actor=admin, membership=membership)
    assert not can(viewer, "organizations.change_organization", world.ministry)


def test_officer_cannot_grant_roles(world):
    with pytest.raises(PermissionDenied):
        services.grant_membership(
            actor=world.users["officer_a"],
            user=world.users["viewer_a"],
            organization=world.ministry,
            role="institution_officer",
        )
