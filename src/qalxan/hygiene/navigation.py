"""Menu section of the hygiene app."""

from django.utils.translation import gettext_lazy as _

from qalxan.core.navigation import NavItem, NavSection, register

register(
    NavSection(
        "hygiene",
        _("Endpoint hygiene"),
        "shield",
        40,
        (
            NavItem(_("Hygiene overview"), "hygiene:dashboard", "hygiene.view_institutionscore"),
            NavItem(_("Endpoints"), "hygiene:endpoint_list", "hygiene.view_endpoint"),
            NavItem(_("Upload an inventory"), "hygiene:inventory_upload", "hygiene.add_inventorysnapshot"),
            NavItem(_("Licences"), "hygiene:licences", "hygiene.view_licenceposition"),
            NavItem(_("Essential software"), "hygiene:coverage", "hygiene.view_coveragestatus"),
            NavItem(_("Vulnerable software"), "hygiene:finding_list", "hygiene.view_finding"),
            NavItem(_("Products"), "hygiene:product_list", "hygiene.change_licensedproduct"),
            NavItem(
                _("Essential-software categories"),
                "hygiene:category_list",
                "hygiene.change_essentialcategory",
            ),
            NavItem(_("Score weights"), "hygiene:weights", "hygiene.change_scoreweights"),
            NavItem(_("Normalisation rules"), "hygiene:rule_list", "hygiene.change_normalisationrule"),
            NavItem(_("Advisories"), "hygiene:advisory_import", "hygiene.import_advisory"),
        ),
    )
)
