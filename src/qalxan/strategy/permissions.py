"""Grants of the strategy app.

The strategy's structure (strategy, goals, directions) is a public document that everyone signed
in reads; actions and progress reports are scoped to the institutions taking part; indicators,
their values and the national indices are the authority's monitoring data.
"""

from qalxan.core.roles import Role, grant

_NATIONAL_READ = (
    "strategy.view_strategy",
    "strategy.view_action",
    "strategy.view_indicator",
    "strategy.view_progressreport",
    "strategy.view_indexframework",
    "strategy.view_indexassessment",
)
_OFFICER = (
    *_NATIONAL_READ,
    "strategy.change_strategy",
    "strategy.add_action",
    "strategy.change_action",
    "strategy.import_action",
    "strategy.add_indicator",
    "strategy.change_indicator",
    "strategy.delete_indicator",
    "strategy.compute_indicator",
    "strategy.review_progressreport",
    "strategy.change_indexassessment",
    "strategy.export_report",
)

grant(Role.STRATEGY_OFFICER, *_OFFICER)
grant(Role.ADMIN, *_OFFICER)
for role in (Role.SUPERVISOR, Role.ANALYST, Role.SECRETARY, Role.AUDITOR):
    grant(role, *_NATIONAL_READ, "strategy.export_report")
# Institutions see the strategy and the actions they take part in, and report on them (scoped).
grant(
    Role.INSTITUTION_OFFICER,
    "strategy.view_strategy",
    "strategy.view_action",
    "strategy.view_progressreport",
    "strategy.add_progressreport",
    "strategy.change_progressreport",
    "strategy.submit_progressreport",
)
grant(
    Role.INSTITUTION_VIEWER, "strategy.view_strategy", "strategy.view_action", "strategy.view_progressreport"
)
# The Commission monitors the strategy: its members read the (public) strategy structure.
grant(Role.COMMISSION_MEMBER, "strategy.view_strategy")
