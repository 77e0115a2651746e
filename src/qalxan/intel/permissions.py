"""Grants of the intel app (see docs/intel.md for the table)."""

from qalxan.core.roles import Role, grant

VIEW = ("intel.view_indicator", "intel.view_campaign", "intel.view_warninglist", "intel.view_sighting")
CERT = (
    *VIEW,
    "intel.add_indicator",
    "intel.change_indicator",
    "intel.delete_indicator",
    "intel.import_indicator",
    "intel.export_indicator",
    "intel.confirm_campaign",
    "intel.change_campaign",
    "intel.add_warninglist",
    "intel.change_warninglist",
    "intel.add_sighting",
)

grant(Role.ANALYST, *CERT)
grant(Role.ADMIN, *CERT)
grant(Role.SUPERVISOR, *VIEW, "intel.export_indicator")
grant(Role.AUDITOR, *VIEW, "intel.export_indicator")
# An institution reports indicators and uploads sightings for itself; it reads what it reported or
# sighted and what is shared with everyone (TLP:CLEAR/GREEN); never who else reported something.
grant(Role.INSTITUTION_OFFICER, *VIEW, "intel.add_indicator", "intel.add_sighting")
grant(Role.INSTITUTION_VIEWER, *VIEW)
