"""Grants of the exposure app (see docs/exposure.md for the table)."""

from qalxan.core.roles import Role, grant

VIEW = (
    "exposure.view_site",
    "exposure.view_scan",
    "exposure.view_finding",
    "exposure.view_dataexposure",
)
NATIONAL = (*VIEW, "exposure.view_exposuredashboard", "exposure.view_hostingrange")

# CERT and supervisors scan any registered site, follow the findings and keep the AzStateNet ranges.
grant(
    Role.ANALYST,
    *NATIONAL,
    "exposure.scan_site",
    "exposure.change_site",
    "exposure.triage_finding",
)
grant(
    Role.SUPERVISOR,
    *NATIONAL,
    "exposure.scan_site",
    "exposure.change_site",
    "exposure.triage_finding",
    "exposure.add_hostingrange",
    "exposure.delete_hostingrange",
)
grant(
    Role.ADMIN,
    *NATIONAL,
    "exposure.scan_site",
    "exposure.change_site",
    "exposure.add_hostingrange",
    "exposure.delete_hostingrange",
)
grant(Role.AUDITOR, *NATIONAL)
grant(Role.STRATEGY_OFFICER, "exposure.view_exposuredashboard")
# An institution sees its own sites and findings, and may ask for a rescan to verify its fixes.
grant(Role.INSTITUTION_OFFICER, *VIEW, "exposure.scan_site")
grant(Role.INSTITUTION_VIEWER, *VIEW)
