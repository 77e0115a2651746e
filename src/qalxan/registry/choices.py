"""Choices of the registry app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SystemKind(models.TextChoices):
    INFORMATION_SYSTEM = "information_system", _("Information system")
    CONTROL_SYSTEM = "control_system", _("Automated control system (ICS)")
    ICT_NETWORK = "ict_network", _("ICT network")
    WEBSITE = "website", _("Website")
    INFORMATION_RESOURCE = "information_resource", _("Database / information resource")


class Hosting(models.TextChoices):
    GOVERNMENT_CLOUD = "government_cloud", _("Government Cloud")
    AZSTATENET = "azstatenet", _("AzStateNet")
    OWN_DATA_CENTRE = "own_data_centre", _("Own data centre")
    COMMERCIAL = "commercial", _("Commercial provider")


class DesignationState(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    DATA_REQUESTED = "data_requested", _("Data requested")
    UNDER_ASSESSMENT = "under_assessment", _("Under assessment")
    DESIGNATED = "designated", _("Designated")
    REVIEW_DUE = "review_due", _("Review due")
    DELISTED = "delisted", _("Delisted")


class CiiCategory(models.TextChoices):
    I = "I", _("Category I (highest)")  # noqa: E741  (the category's official name)
    II = "II", _("Category II")
    III = "III", _("Category III")


class SupervisingAgency(models.TextChoices):
    DTX = "dtx", _("State Security Service")
    DTX_XRITDX = "dtx_xritdx", _("State Security Service jointly with XRİTDX (state bodies)")


class CriterionDirection(models.TextChoices):
    HIGHER_IS_MORE_CRITICAL = "higher", _("Higher values are more critical")
    LOWER_IS_MORE_CRITICAL = "lower", _("Lower values are more critical")


class ReviewStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned with comments")
