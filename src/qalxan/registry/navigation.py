"""Menu section of the registry."""

from django.utils.translation import gettext_lazy as _

from qalxan.core.navigation import NavItem, NavSection, register

register(
    NavSection(
        "registry",
        _("Registry"),
        "server",
        20,
        (
            NavItem(_("Overview"), "registry:overview", "registry.view_informationsystem"),
            NavItem(_("Systems and CII objects"), "registry:system_list", "registry.view_informationsystem"),
            NavItem(_("Register a system"), "registry:system_add", "registry.add_informationsystem"),
            NavItem(_("Import systems"), "registry:system_import", "registry.add_informationsystem"),
        ),
    )
)
