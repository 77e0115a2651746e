"""Grants of the commission app.

The secretary runs everything. Commission members (an institution role) read the meetings their body
is invited to, with agenda, materials and draft decisions, and comment on the drafts. Institution
officers submit proposals for their own organisation, report on the tasks assigned to it and answer
letters addressed to it. Every signed-in institution user reads published decisions.
"""

from qalxan.core.roles import Role, grant

READ_ALL = (
    "commission.view_commissionmember",
    "commission.view_workinggroup",
    "commission.view_proposal",
    "commission.view_meeting",
    "commission.view_decision",
    "commission.view_published_decision",
    "commission.view_task",
    "commission.view_letter",
    "commission.view_dashboard",
)
RUN = (
    "commission.add_commissionmember",
    "commission.change_commissionmember",
    "commission.add_workinggroup",
    "commission.change_workinggroup",
    "commission.screen_proposal",
    "commission.add_meeting",
    "commission.change_meeting",
    "commission.add_decision",
    "commission.change_decision",
    "commission.add_task",
    "commission.change_task",
    "commission.review_task",
    "commission.approve_protocol",
    "commission.add_letter",
    "commission.change_letter",
    "commission.respond_letter",
)

grant(Role.SECRETARY, *READ_ALL, *RUN)
grant(Role.AUDITOR, *READ_ALL)
grant(Role.ADMIN, *READ_ALL)
# The strategy officer follows execution (the on-time share is a strategy indicator); supervisors and
# CERT analysts read what the commission decided and who has to do what.
for role in (Role.STRATEGY_OFFICER, Role.SUPERVISOR, Role.ANALYST):
    grant(role, "commission.view_published_decision", "commission.view_task", "commission.view_dashboard")

grant(
    Role.COMMISSION_MEMBER,
    "commission.view_meeting",
    "commission.view_decision",
    "commission.comment_meeting",
    "commission.view_published_decision",
)
grant(
    Role.INSTITUTION_OFFICER,
    "commission.view_proposal",
    "commission.add_proposal",
    "commission.change_proposal",
    "commission.view_task",
    "commission.report_task",
    "commission.view_letter",
    "commission.respond_letter",
    "commission.view_published_decision",
)
grant(
    Role.INSTITUTION_VIEWER,
    "commission.view_proposal",
    "commission.view_task",
    "commission.view_letter",
    "commission.view_published_decision",
)
