"""Menu section of the commission app."""

from django.utils.translation import gettext_lazy as _

from qalxan.core.navigation import NavItem, NavSection, register

register(
    NavSection(
        "commission",
        _("Coordination Commission"),
        "people",
        60,
        (
            NavItem(_("Execution dashboard"), "commission:dashboard", "commission.view_dashboard"),
            NavItem(_("Meetings"), "commission:meeting_list", "commission.view_meeting"),
            NavItem(_("Calendar"), "commission:calendar", "commission.view_meeting"),
            NavItem(_("Members' area"), "commission:members_area", "commission.comment_meeting"),
            NavItem(_("Proposals"), "commission:proposal_list", "commission.view_proposal"),
            NavItem(_("Decisions"), "commission:decision_list", "commission.view_published_decision"),
            NavItem(_("Tasks"), "commission:task_list", "commission.view_task"),
            NavItem(_("My institution"), "commission:my_institution", "commission.report_task"),
            NavItem(_("Letters"), "commission:letter_list", "commission.view_letter"),
            NavItem(_("Search"), "commission:search", "commission.view_published_decision"),
            NavItem(_("Commission members"), "commission:member_list", "commission.view_commissionmember"),
            NavItem(_("Working groups"), "commission:group_list", "commission.view_workinggroup"),
        ),
    )
)
