"""Grants of the compliance app (see docs/compliance.md for the table)."""

from qalxan.core.roles import Role, grant

READ = (
    "compliance.view_catalogue",
    "compliance.view_assessment",
    "compliance.view_requirementassessment",
    "compliance.view_evidence",
    "compliance.view_finding",
    "compliance.view_inspection",
)
NATIONAL_READ = (
    *READ,
    "compliance.view_campaign",
    "compliance.view_scores",
    "compliance.view_inspectionplan",
)
SUPERVISE = (
    *NATIONAL_READ,
    "compliance.add_catalogue",
    "compliance.import_catalogue",
    "compliance.map_catalogue",
    "compliance.add_campaign",
    "compliance.close_campaign",
    "compliance.recompute_scores",
    "compliance.review_assessment",
    "compliance.lock_assessment",
    "compliance.add_finding",
    "compliance.verify_finding",
    "compliance.escalate_finding",
    "compliance.add_inspectionplan",
    "compliance.send_inspectionplan",
    "compliance.add_inspection",
    "compliance.report_inspection",
)

grant(Role.SUPERVISOR, *SUPERVISE)
grant(Role.ADMIN, *SUPERVISE)
grant(Role.AUDITOR, *NATIONAL_READ)
# The institution answers its own assessments, files evidence and reports remediation of its findings.
grant(
    Role.INSTITUTION_OFFICER,
    *READ,
    "compliance.answer_assessment",
    "compliance.submit_assessment",
    "compliance.add_evidence",
    "compliance.remediate_finding",
)
grant(Role.INSTITUTION_VIEWER, *READ)
