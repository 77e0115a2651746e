"""Menu section of the strategy app."""

from django.utils.translation import gettext_lazy as _

from qalxan.core.navigation import NavItem, NavSection, register

register(
    NavSection(
        "strategy",
        _("Strategy"),
        "target",
        60,
        (
            NavItem(_("Dashboard"), "strategy:dashboard", "strategy.view_indicator"),
            NavItem(_("Strategies"), "strategy:strategy_list", "strategy.view_strategy"),
            NavItem(_("Action plan"), "strategy:action_list", "strategy.view_action"),
            NavItem(_("Progress reports"), "strategy:report_list", "strategy.view_progressreport"),
            NavItem(_("Indicators"), "strategy:indicator_list", "strategy.view_indicator"),
            NavItem(_("National indices"), "strategy:framework_list", "strategy.view_indexframework"),
            NavItem(_("Import action plan"), "strategy:action_import", "strategy.import_action"),
        ),
    )
)
