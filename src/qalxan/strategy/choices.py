"""Choices of the strategy app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DELAYED = "delayed", _("delayed")


class FinancingSource(models.TextChoices):
    STATE_BUDGET = "state_budget", _("state budget")
    INSTITUTION_BUDGET = "institution_budget", _("institution's own budget")
    INTERNATIONAL = "international", _("international grants and loans")
    OTHER = "other", _("other sources")
    NONE = "none", _("no financing needed")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


class ValueOrigin(models.TextChoices):
    MANUAL = "manual", _("reported manually")
    ON_DEMAND = "on_demand", _("computed on demand")
    SCHEDULED = "scheduled", _("computed on schedule")


class IndexKind(models.TextChoices):
    GCI = "gci", _("ITU Global Cybersecurity Index")
    NCAF = "ncaf", _("ENISA National Capabilities Assessment Framework")
    CMM = "cmm", _("Oxford Cybersecurity Capacity Maturity Model")


class AnswerKind(models.TextChoices):
    YES_NO = "yes_no", _("yes or no")
    LEVEL = "level", _("maturity level 1–5")


class AssessmentSource(models.TextChoices):
    SELF = "self", _("self-assessment")
    PUBLISHED = "published", _("published result")
