"""Grants of the incidents app (see docs/incidents.md for the table)."""

from qalxan.core.roles import Role, grant

VIEW = (
    "incidents.view_incident",
    "incidents.view_measure",
    "incidents.view_timelineentry",
    "incidents.view_statistics",
)
CERT = (
    *VIEW,
    "incidents.add_incident",
    "incidents.change_incident",
    "incidents.triage_incident",
    "incidents.handle_incident",
    "incidents.comment_incident",
    "incidents.request_measure",
    "incidents.verify_measure",
    "incidents.view_quarantinedmail",
)

grant(Role.ANALYST, *CERT)
grant(Role.ADMIN, *CERT, "incidents.change_severitypolicy")
# Supervisors follow every incident and may report on behalf of an institution; they set the SLAs.
grant(
    Role.SUPERVISOR,
    *VIEW,
    "incidents.add_incident",
    "incidents.comment_incident",
    "incidents.change_severitypolicy",
)
grant(Role.AUDITOR, *VIEW)
grant(Role.STRATEGY_OFFICER, "incidents.view_statistics")
# The institution reports, comments, and confirms the measures requested from it (its own incidents only).
grant(
    Role.INSTITUTION_OFFICER,
    *VIEW,
    "incidents.add_incident",
    "incidents.change_incident",
    "incidents.comment_incident",
    "incidents.confirm_measure",
)
grant(Role.INSTITUTION_VIEWER, *VIEW)
