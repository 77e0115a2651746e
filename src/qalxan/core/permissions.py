"""Grants of the core app: audit log, users, settings."""

from qalxan.core.roles import Role, grant

grant(
    Role.ADMIN,
    "core.view_auditentry",
    "core.view_user",
    "core.add_user",
    "core.change_user",
    "core.change_rolepolicy",
    "core.view_rolepolicy",
    "core.revoke_apitoken",
)
grant(Role.AUDITOR, "core.view_auditentry", "core.view_user", "core.view_rolepolicy")
# An institution officer reads the audit trail of its own organisation's records.
grant(Role.INSTITUTION_OFFICER, "core.view_auditentry")
