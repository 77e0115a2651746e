"""Grants of the cyber-hygiene app (see docs/cyberhygiene.md for the table)."""

from qalxan.core.roles import Role, grant

VIEW = (
    "cyberhygiene.view_exposure",
    "cyberhygiene.view_sighting",
    "cyberhygiene.view_stealervictim",
    "cyberhygiene.view_adminaccount",
    "cyberhygiene.view_trainingcampaign",
    "cyberhygiene.view_enrolment",
    "cyberhygiene.view_phishingresult",
    "cyberhygiene.view_figures",
)
NATIONAL_VIEW = (*VIEW, "cyberhygiene.view_leak")
CERT = (
    *NATIONAL_VIEW,
    "cyberhygiene.add_leak",
    "cyberhygiene.notify_exposure",
    "cyberhygiene.dismiss_exposure",
    "cyberhygiene.escalate_stealervictim",
    "cyberhygiene.add_adminaccount",
    "cyberhygiene.delete_adminaccount",
    "cyberhygiene.import_trainingcampaign",
    "cyberhygiene.import_phishingresult",
)

grant(Role.ANALYST, *CERT)
grant(Role.ADMIN, *CERT)
grant(Role.SUPERVISOR, *NATIONAL_VIEW)
grant(Role.AUDITOR, *NATIONAL_VIEW)
grant(
    Role.STRATEGY_OFFICER,
    "cyberhygiene.view_figures",
    "cyberhygiene.view_trainingcampaign",
    "cyberhygiene.view_phishingresult",
)
# The institution sees its own accounts, confirms the measures, keeps its administrator list and
# reports its own training and drills (scoped to its organisations).
grant(
    Role.INSTITUTION_OFFICER,
    *VIEW,
    "cyberhygiene.confirm_exposure",
    "cyberhygiene.add_adminaccount",
    "cyberhygiene.delete_adminaccount",
    "cyberhygiene.import_trainingcampaign",
    "cyberhygiene.import_phishingresult",
)
grant(Role.INSTITUTION_VIEWER, *VIEW)
