"""Grants of the hygiene app (see docs/hygiene.md for the table)."""

from qalxan.core.roles import Role, grant

VIEW = (
    "hygiene.view_inventorysnapshot",
    "hygiene.view_endpoint",
    "hygiene.view_entitlement",
    "hygiene.view_allocation",
    "hygiene.view_licencetransfer",
    "hygiene.view_licenceposition",
    "hygiene.view_coveragestatus",
    "hygiene.view_finding",
    "hygiene.view_institutionscore",
)
# The catalogue an institution's own figures are judged against.
CATALOGUE = (
    "hygiene.view_licensedproduct",
    "hygiene.view_essentialcategory",
    "hygiene.view_advisory",
)
# The normalisation rules are read across the current inventories of every institution (their preview
# counts installs nationally): the authority's roles read them, institutions do not need them.
REFERENCE = ("hygiene.view_normalisationrule", *CATALOGUE)
AUTHORITY = (
    *VIEW,
    *REFERENCE,
    "hygiene.add_normalisationrule",
    "hygiene.change_normalisationrule",
    "hygiene.delete_normalisationrule",
    "hygiene.add_licensedproduct",
    "hygiene.change_licensedproduct",
    "hygiene.add_entitlement",
    "hygiene.change_entitlement",
    "hygiene.delete_entitlement",
    "hygiene.transfer_entitlement",
    "hygiene.change_essentialcategory",
    "hygiene.import_advisory",
    "hygiene.change_scoreweights",
    "hygiene.view_national",
)

grant(Role.ADMIN, *AUTHORITY, "hygiene.add_inventorysnapshot", "hygiene.triage_finding")
grant(Role.SUPERVISOR, *AUTHORITY, "hygiene.add_inventorysnapshot")
grant(
    Role.ANALYST,
    *VIEW,
    *REFERENCE,
    "hygiene.import_advisory",
    "hygiene.triage_finding",
    "hygiene.view_national",
)
grant(Role.STRATEGY_OFFICER, "hygiene.view_institutionscore", "hygiene.view_national", *REFERENCE)
grant(Role.AUDITOR, *VIEW, *REFERENCE, "hygiene.view_national")
# An institution uploads its own inventories, triages its own findings, reads its own figures and moves
# seats of its own contracts (own pool) to other institutions; the object check keeps it to its own.
grant(
    Role.INSTITUTION_OFFICER,
    *VIEW,
    *CATALOGUE,
    "hygiene.add_inventorysnapshot",
    "hygiene.triage_finding",
    "hygiene.transfer_entitlement",
)
grant(Role.INSTITUTION_VIEWER, *VIEW, *CATALOGUE)
