"""Grants of the registry app."""

from qalxan.core.roles import Role, grant

VIEW = (
    "registry.view_informationsystem",
    "registry.export_informationsystem",
    "registry.view_criticalityassessment",
    "registry.view_specialrequirements",
)
SUPERVISION = (
    *VIEW,
    "registry.view_sensitive",
    "registry.add_informationsystem",
    "registry.change_informationsystem",
    "registry.delete_informationsystem",
    "registry.supervise_informationsystem",
    "registry.submit_data",
    "registry.import_informationsystem",
)

grant(Role.SUPERVISOR, *SUPERVISION)
grant(Role.ADMIN, *SUPERVISION)
# The auditor reads everything, sensitive details included; CERT, the secretariat and strategy read
# the registry without them.
grant(Role.AUDITOR, *VIEW, "registry.view_sensitive")
for role in (Role.ANALYST, Role.SECRETARY, Role.STRATEGY_OFFICER):
    grant(role, *VIEW)
# The subject keeps its own systems' records, supplies data and files special requirements.
grant(
    Role.INSTITUTION_OFFICER,
    *VIEW,
    "registry.view_sensitive",
    "registry.add_informationsystem",
    "registry.change_informationsystem",
    "registry.submit_data",
    "registry.file_specialrequirements",
)
grant(Role.INSTITUTION_VIEWER, *VIEW, "registry.view_sensitive")
