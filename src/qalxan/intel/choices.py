"""Choices of the intel app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    IPV4 = "ipv4", _("IPv4 address")
    IPV6 = "ipv6", _("IPv6 address")
    CIDR = "cidr", _("IP range (CIDR)")
    DOMAIN = "domain", _("Domain")
    URL = "url", _("URL")
    EMAIL = "email", _("E-mail address")
    FILENAME = "filename", _("File name")
    MD5 = "md5", _("MD5 hash")
    SHA1 = "sha1", _("SHA-1 hash")
    SHA256 = "sha256", _("SHA-256 hash")


IP_KINDS = (IndicatorKind.IPV4, IndicatorKind.IPV6, IndicatorKind.CIDR)
HASH_KINDS = (IndicatorKind.MD5, IndicatorKind.SHA1, IndicatorKind.SHA256)


class Tlp(models.TextChoices):
    CLEAR = "CLEAR", "TLP:CLEAR"
    GREEN = "GREEN", "TLP:GREEN"
    AMBER = "AMBER", "TLP:AMBER"
    AMBER_STRICT = "AMBER+STRICT", "TLP:AMBER+STRICT"
    RED = "RED", "TLP:RED"


# Shared with every institution of the community; the rest only with those who reported it, and CERT.
SHARED_TLP = (Tlp.CLEAR, Tlp.GREEN)
TLP_RANK: dict[str, int] = {Tlp.CLEAR: 0, Tlp.GREEN: 1, Tlp.AMBER: 2, Tlp.AMBER_STRICT: 3, Tlp.RED: 4}


class CampaignState(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
    CLOSED = "closed", _("Closed")


class WarningListMatch(models.TextChoices):
    CIDR = "cidr", _("IP ranges")
    HOSTNAME = "hostname", _("Domains and their sub-domains")
    STRING = "string", _("Exact values")


class SightingSource(models.TextChoices):
    SWEEP = "sweep", _("Log sweep")
    MANUAL = "manual", _("Reported by hand")
    SENSOR = "sensor", _("Sensor")
