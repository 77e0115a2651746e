"""Menu section of the organisations app."""

from django.utils.translation import gettext_lazy as _

from qalxan.core.navigation import NavItem, NavSection, register

register(
    NavSection(
        "organizations",
        _("Organisations"),
        "building",
        10,
        (
            NavItem(_("Organisations"), "organizations:organization_list", "organizations.view_organization"),
            NavItem(
                _("Import organisations"),
                "organizations:organization_import",
                "organizations.import_organization",
            ),
            NavItem(_("Import users"), "organizations:user_import", "organizations.import_organization"),
        ),
    )
)
