"""Statuses and categories of the commission app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class WorkingGroupStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ON_AGENDA = "on_agenda", _("on the agenda")
    RETURNED = "returned", _("returned")
    MERGED = "merged", _("merged")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    HYBRID = "hybrid", _("hybrid")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    AGENDA_SENT = "agenda_sent", _("agenda sent")
    HELD = "held", _("held")
    CLOSED = "closed", _("closed")
    CANCELLED = "cancelled", _("cancelled")


class Attendance(models.TextChoices):
    INVITED = "invited", _("invited")
    PRESENT = "present", _("present")
    REPRESENTED = "represented", _("represented")
    ABSENT = "absent", _("absent")


class Adoption(models.TextChoices):
    CONSENSUS = "consensus", _("by consensus")
    VOTE = "vote", _("by vote")
    WRITTEN = "written", _("by written procedure")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ADOPTED = "adopted", _("adopted")
    PUBLISHED = "published", _("published")
    EXECUTED = "executed", _("executed")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Decisions that institutions may read.
PUBLIC_DECISION_STATES = (DecisionStatus.PUBLISHED, DecisionStatus.EXECUTED)


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    REPORTED = "reported", _("reported")
    RETURNED = "returned", _("returned for rework")
    ACCEPTED = "accepted", _("executed")
    CANCELLED = "cancelled", _("cancelled")


# Tasks that still wait for the institution's execution.
PENDING_TASK_STATES = (TaskStatus.OPEN, TaskStatus.RETURNED)


class ExecutorRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("responsible")
    CO_EXECUTOR = "co_executor", _("co-executor")


class ReportReview(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned")


class ProtocolStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")


class LetterKind(models.TextChoices):
    DECISION_EXTRACT = "decision_extract", _("Decision extract")
    REMINDER = "reminder", _("Reminder of a deadline")
    INFORMATION_REQUEST = "information_request", _("Request for information")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REGISTERED = "registered", _("registered")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class SequenceKind(models.TextChoices):
    PROTOCOL = "protocol", _("protocol")
    LETTER = "letter", _("letter")
