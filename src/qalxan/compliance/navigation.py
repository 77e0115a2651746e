"""Menu section of the compliance app."""

from django.utils.translation import gettext_lazy as _

from qalxan.core.navigation import NavItem, NavSection, register

register(
    NavSection(
        "compliance",
        _("Compliance"),
        "check",
        22,
        (
            NavItem(_("Assessments"), "compliance:assessment_list", "compliance.view_assessment"),
            NavItem(_("Campaigns"), "compliance:campaign_list", "compliance.view_campaign"),
            NavItem(_("Requirement catalogues"), "compliance:catalogue_list", "compliance.view_catalogue"),
            NavItem(_("Evidence"), "compliance:evidence_list", "compliance.view_evidence"),
            NavItem(_("Findings"), "compliance:finding_list", "compliance.view_finding"),
            NavItem(_("Inspection plans"), "compliance:plan_list", "compliance.view_inspectionplan"),
        ),
    )
)
