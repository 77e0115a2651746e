"""Menu section of the exposure app."""

from django.utils.translation import gettext_lazy as _

from qalxan.core.navigation import NavItem, NavSection, register

register(
    NavSection(
        "exposure",
        _("Website exposure"),
        "globe",
        45,
        (
            NavItem(_("Websites"), "exposure:site_list", "exposure.view_site"),
            NavItem(_("Website findings"), "exposure:finding_list", "exposure.view_finding"),
            NavItem(_("Scans"), "exposure:scan_list", "exposure.view_scan"),
            NavItem(_("Website dashboard"), "exposure:dashboard", "exposure.view_exposuredashboard"),
            NavItem(_("AzStateNet ranges"), "exposure:range_list", "exposure.view_hostingrange"),
        ),
    )
)
