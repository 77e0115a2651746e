"""Choices of the organisations app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    AUTHORITY = "authority", _("Authority")
    SUPERVISING_AGENCY = "supervising_agency", _("Co-supervising agency")
    MINISTRY = "ministry", _("Ministry")
    STATE_AGENCY = "state_agency", _("State committee, service or agency")
    SUBORDINATE_BODY = "subordinate_body", _("Subordinate body")
    STATE_COMPANY = "state_company", _("State company")
    LEGAL_ENTITY = "legal_entity", _("Legal entity")
    LOCAL_AUTHORITY = "local_authority", _("Local executive authority")


# Kinds whose members may hold national roles (the authority's and the co-supervising agency's staff).
NATIONAL_KINDS = frozenset({OrganizationKind.AUTHORITY, OrganizationKind.SUPERVISING_AGENCY})
