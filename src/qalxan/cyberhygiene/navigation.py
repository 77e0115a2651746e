"""Menu section of the cyber-hygiene app."""

from django.utils.translation import gettext_lazy as _

from qalxan.core.navigation import NavItem, NavSection, register

register(
    NavSection(
        "cyberhygiene",
        _("Cyber hygiene"),
        "shield",
        60,
        (
            NavItem(_("Quarterly figures"), "cyberhygiene:dashboard", "cyberhygiene.view_figures"),
            NavItem(_("Compromised accounts"), "cyberhygiene:exposure_list", "cyberhygiene.view_exposure"),
            NavItem(_("Leaks"), "cyberhygiene:leak_list", "cyberhygiene.view_leak"),
            NavItem(_("Stealer-log victims"), "cyberhygiene:victim_list", "cyberhygiene.view_stealervictim"),
            NavItem(_("Administrator accounts"), "cyberhygiene:admin_list", "cyberhygiene.view_adminaccount"),
            NavItem(
                _("Awareness training"), "cyberhygiene:training_list", "cyberhygiene.view_trainingcampaign"
            ),
            NavItem(_("Phishing drills"), "cyberhygiene:phishing_list", "cyberhygiene.view_phishingresult"),
        ),
    )
)
