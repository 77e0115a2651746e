"""Choices of the exposure app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class ScanTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Scheduled")
    ON_DEMAND = "on_demand", _("On demand")
    COMMAND = "command", _("Command line")


class FindingState(models.TextChoices):
    OPEN = "open", _("Open")
    FIXED = "fixed", _("Fixed (verified by a rescan)")
    ACCEPTED = "accepted", _("Risk accepted")


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
# Points an open finding takes off a site's score of 100.
SEVERITY_PENALTY = {"info": 0, "low": 2, "medium": 5, "high": 12, "critical": 25}


class CheckGroup(models.TextChoices):
    TRANSPORT = "transport", _("HTTPS and redirects")
    TLS = "tls", _("TLS and certificate")
    HEADERS = "headers", _("Security headers and cookies")
    CONTENT = "content", _("Content and disclosure")
    PATHS = "paths", _("Exposed paths")
    HOSTING = "hosting", _("Hosting")
    PERSONAL_DATA = "personal_data", _("Personal data")


class Check(models.TextChoices):
    HTTPS_MISSING = "https_missing", _("HTTPS not available")
    HTTP_NOT_REDIRECTED = "http_not_redirected", _("HTTP not redirected to HTTPS")
    TLS_LEGACY = "tls_legacy", _("Obsolete TLS versions offered")
    CERT_UNTRUSTED = "cert_untrusted", _("Certificate chain not trusted")
    CERT_EXPIRED = "cert_expired", _("Certificate expired")
    CERT_EXPIRING = "cert_expiring", _("Certificate expires soon")
    CERT_HOSTNAME = "cert_hostname", _("Certificate does not match the host name")
    HSTS_MISSING = "hsts_missing", _("HSTS missing or weak")
    CSP_MISSING = "csp_missing", _("Content-Security-Policy missing")
    XCTO_MISSING = "xcto_missing", _("X-Content-Type-Options missing")
    FRAME_MISSING = "frame_missing", _("Frame protection missing")
    REFERRER_MISSING = "referrer_missing", _("Referrer-Policy missing")
    PERMISSIONS_MISSING = "permissions_missing", _("Permissions-Policy missing")
    COOKIE_FLAGS = "cookie_flags", _("Cookie without protective flags")
    MIXED_CONTENT = "mixed_content", _("Mixed content")
    VERSION_DISCLOSURE = "version_disclosure", _("Server or CMS version disclosed")
    DIRECTORY_LISTING = "directory_listing", _("Directory listing enabled")
    SENSITIVE_PATH = "sensitive_path", _("Sensitive file exposed")
    OUTSIDE_AZSTATENET = "outside_azstatenet", _("Hosted outside AzStateNet")
    PRIVACY_NOTICE_MISSING = "privacy_notice_missing", _("No privacy notice published")
    PERSONAL_DATA = "personal_data", _("Personal data published")


class DataKind(models.TextChoices):
    FIN = "fin", _("FIN (personal identification number)")
    ID_CARD = "id_card", _("ID card number")
    PHONE = "phone", _("Phone number")
    VOEN = "voen", _("VÖEN (tax id)")
    IBAN = "iban", _("IBAN")
    EMAIL = "email", _("E-mail address")


class NoteCode(models.TextChoices):
    UNREACHABLE = "unreachable", _("Host unreachable")
    OUT_OF_SCOPE = "out_of_scope", _("Target outside the registered domains refused")
    REDIRECT_OFF_SITE = "redirect_off_site", _("Redirect off the site not followed")
    TIMEOUT = "timeout", _("Too slow: timed out")
    TOO_LARGE = "too_large", _("Too large: read stopped at the limit")
    TLS_ERROR = "tls_error", _("TLS handshake failed")
    BAD_DOCUMENT = "bad_document", _("Document could not be read")
    BAD_RESPONSE = "bad_response", _("Malformed response")
    ROBOTS = "robots", _("Excluded by robots.txt")
    LIMIT = "limit", _("Crawl limit reached")
    NO_RANGES = "no_ranges", _("No AzStateNet ranges defined")
    NO_DOMAIN = "no_domain", _("No registered domain")
    ERROR = "error", _("Scan error")
