"""Choices of the compliance app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    GROUP = "group", _("Group")
    REQUIREMENT = "requirement", _("Requirement")
    SUBREQUIREMENT = "subrequirement", _("Sub-requirement")


class MappingRelation(models.TextChoices):
    EQUAL = "equal", _("Equal")
    SUBSET = "subset", _("Subset")
    SUPERSET = "superset", _("Superset")
    INTERSECTS = "intersects", _("Intersects")


INVERSE_RELATION = {
    MappingRelation.EQUAL: MappingRelation.EQUAL,
    MappingRelation.SUBSET: MappingRelation.SUPERSET,
    MappingRelation.SUPERSET: MappingRelation.SUBSET,
    MappingRelation.INTERSECTS: MappingRelation.INTERSECTS,
}


class CampaignState(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class AssessmentState(models.TextChoices):
    OPEN = "open", _("Being answered")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    LOCKED = "locked", _("Locked")


ANSWERABLE_STATES = (AssessmentState.OPEN, AssessmentState.RETURNED)


class Answer(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    PARTIAL = "partial", _("Partially compliant")
    NON_COMPLIANT = "non_compliant", _("Non-compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Share of a requirement's weight that each answer earns; an unanswered requirement earns nothing.
ANSWER_FACTOR = {Answer.COMPLIANT: 1.0, Answer.PARTIAL: 0.5, Answer.NON_COMPLIANT: 0.0}


class Review(models.TextChoices):
    PENDING = "pending", _("Not reviewed")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned with comment")


class ScoreDimension(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign")
    GROUP = "group", _("Requirement group")
    SYSTEM = "system", _("Object")
    SUBJECT = "subject", _("Subject")
    SECTOR = "sector", _("Sector")
    SECTOR_GROUP = "sector_group", _("Sector × requirement group")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class FindingState(models.TextChoices):
    OPEN = "open", _("Open")
    REMEDIATION_SUBMITTED = "remediation_submitted", _("Remediation submitted")
    CLOSED = "closed", _("Verified and closed")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent to the co-supervising agency")


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REPORTED = "reported", _("Report filed")
