"""Who sees which organisations: national roles everywhere, institutions their own (and subordinates)."""

import pytest

from qalxan.core.tenancy import can, restrict, scope
from qalxan.organizations.models import Organization


def _codes(user, permission="organizations.view_organization"):
    return set(restrict(Organization.objects.all(), user, permission).values_list("code", flat=True))


@pytest.mark.parametrize(
    "role", ["admin", "supervisor", "analyst", "secretary", "strategy_officer", "auditor"]
)
def test_national_roles_see_every_organisation(world, role):
    assert _codes(world.users[role]) == set(Organization.objects.values_list("code", flat=True))


def test_officer_with_subordinates_sees_own_subtree_only(world):
    assert _codes(world.users["officer_a"]) == {"ministry-a", "ministry-a-sub"}


def test_viewer_without_subordinates_sees_own_organisation_only(world):
    assert _codes(world.users["viewer_a"]) == {"ministry-a"}


def test_officer_of_subordinate_does_not_see_parent(world):
    assert _codes(world.users["officer_sub"]) == {"ministry-a-sub"}


def test_officer_of_other_institution_sees_nothing_of_ministry_a(world):
    assert _codes(world.users["officer_b"]) == {"ministry-b"}


def test_change_permission_is_scoped(world):
    officer = world.users["officer_a"]
    assert can(officer, "organizations.change_organization", world.ministry)
    assert can(officer, "organizations.change_organization", world.subordinate)
    assert not can(officer, "organizations.change_organization", world.other)
    assert not can(officer, "organizations.add_organization")


def test_inactive_user_has_no_scope(world):
    officer = world.users["officer_a"]
    officer.is_active = False
    assert scope(officer, "organizations.view_organization").empty


def test_moving_an_organisation_moves_its_visibility(world):
    from qalxan.core.testing import OrganizationFactory
    from qalxan.organizations import services

    admin = world.users["admin"]
    newcomer = OrganizationFactory(code="newcomer", kind="subordinate_body")
    services.update_organization(actor=admin, organization=newcomer, parent=world.subordinate)
    officer = world.users["officer_a"]
    assert "newcomer" in _codes(officer)
    newcomer.refresh_from_db()
    assert newcomer.path == f"{world.ministry.path}{world.subordinate.pk}/{newcomer.pk}/"
