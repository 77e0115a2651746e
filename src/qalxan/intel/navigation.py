"""Menu section of the intel app."""

from django.utils.translation import gettext_lazy as _

from qalxan.core.navigation import NavItem, NavSection, register

register(
    NavSection(
        "intel",
        _("Threat intelligence"),
        "radar",
        30,
        (
            NavItem(_("Indicators"), "intel:indicator_list", "intel.view_indicator"),
            NavItem(_("Add indicators"), "intel:indicator_paste", "intel.add_indicator"),
            NavItem(_("Campaigns"), "intel:campaign_list", "intel.view_campaign"),
            NavItem(_("Sightings"), "intel:sighting_list", "intel.view_sighting"),
            NavItem(_("Warning lists"), "intel:warninglist_list", "intel.view_warninglist"),
            NavItem(_("STIX and MISP exchange"), "intel:exchange", "intel.import_indicator"),
        ),
    )
)
