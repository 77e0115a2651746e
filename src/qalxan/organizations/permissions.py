"""Grants of the organisations app."""

from qalxan.core.roles import Role, grant

_READ = ("organizations.view_organization", "organizations.view_membership")
_ALL = (
    *_READ,
    "organizations.add_organization",
    "organizations.change_organization",
    "organizations.delete_organization",
    "organizations.import_organization",
    "organizations.change_membership",
    "organizations.change_contact",
)

grant(Role.ADMIN, *_ALL)
for role in (Role.SUPERVISOR, Role.ANALYST, Role.SECRETARY, Role.STRATEGY_OFFICER, Role.AUDITOR):
    grant(role, *_READ)
# Institutions keep their own card and contacts up to date; membership changes stay with the authority.
grant(Role.INSTITUTION_OFFICER, *_READ, "organizations.change_organization", "organizations.change_contact")
grant(Role.INSTITUTION_VIEWER, *_READ)
grant(Role.COMMISSION_MEMBER, "organizations.view_organization")
