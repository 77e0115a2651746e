"""Choices of the incidents app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REPORTED = "reported", _("Reported")
    TRIAGED = "triaged", _("Triaged")
    IN_PROGRESS = "in_progress", _("In progress")
    CONTAINED = "contained", _("Contained")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


OPEN_STATES = (
    IncidentState.REPORTED,
    IncidentState.TRIAGED,
    IncidentState.IN_PROGRESS,
    IncidentState.CONTAINED,
)


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class Tlp(models.TextChoices):
    CLEAR = "CLEAR", "TLP:CLEAR"
    GREEN = "GREEN", "TLP:GREEN"
    AMBER = "AMBER", "TLP:AMBER"
    AMBER_STRICT = "AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "RED", "TLP:RED"


class Pap(models.TextChoices):
    CLEAR = "CLEAR", "PAP:CLEAR"
    GREEN = "GREEN", "PAP:GREEN"
    AMBER = "AMBER", "PAP:AMBER"
    RED = "RED", "PAP:RED"


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    EMAIL = "email", _("E-mail")


class MeasureKind(models.TextChoices):
    BLOCK_INDICATOR = "block_indicator", _("Block indicator")
    PATCH = "patch", _("Install a patch")
    RESET_CREDENTIALS = "reset_credentials", _("Reset credentials")
    ISOLATE_HOST = "isolate_host", _("Isolate host")
    COLLECT_EVIDENCE = "collect_evidence", _("Collect evidence")
    OTHER = "other", _("Other")


class MeasureState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed by the institution")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned to the institution")


class TimelineKind(models.TextChoices):
    EVENT = "event", _("Event")
    COMMENT = "comment", _("Comment")
    TRANSITION = "transition", _("State change")
    MEASURE = "measure", _("Measure")


class QuarantineReason(models.TextChoices):
    UNKNOWN_SENDER = "unknown_sender", _("Unknown sender")
    BROKEN_MIME = "broken_mime", _("Broken MIME structure")
    OVERSIZED = "oversized", _("Oversized attachment")
