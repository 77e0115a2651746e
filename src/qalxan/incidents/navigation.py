"""Menu section of the incidents app."""

from django.utils.translation import gettext_lazy as _

from qalxan.core.navigation import NavItem, NavSection, register

register(
    NavSection(
        "incidents",
        _("Incidents"),
        "alert",
        25,
        (
            NavItem(_("Incidents"), "incidents:incident_list", "incidents.view_incident"),
            NavItem(_("Report an incident"), "incidents:incident_add", "incidents.add_incident"),
            NavItem(_("Open measures"), "incidents:measure_list", "incidents.view_measure"),
            NavItem(_("Incident statistics"), "incidents:statistics", "incidents.view_statistics"),
            NavItem(_("Quarantined e-mails"), "incidents:quarantine", "incidents.view_quarantinedmail"),
            NavItem(_("Deadlines and SLAs"), "incidents:sla_list", "incidents.view_incident"),
        ),
    )
)
