"""Statuses and categories of the hygiene module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InventoryFormat(models.TextChoices):
    OSQUERY = "osquery", _("osquery result log")
    CYCLONEDX_JSON = "cyclonedx-json", _("CycloneDX JSON")
    CYCLONEDX_XML = "cyclonedx-xml", _("CycloneDX XML")
    SPDX_JSON = "spdx-json", _("SPDX JSON")
    CSV = "csv", _("CSV")


class EndpointKind(models.TextChoices):
    WORKSTATION = "workstation", _("Workstation")
    SERVER = "server", _("Server")


class Ecosystem(models.TextChoices):
    DEB = "deb", "Debian (deb)"
    RPM = "rpm", "RPM"
    PYPI = "pypi", "PyPI"
    NPM = "npm", "npm"
    MAVEN = "maven", "Maven"
    NUGET = "nuget", "NuGet"
    GENERIC = "generic", _("Generic (Windows programs and others)")


class RuleAction(models.TextChoices):
    MAP = "map", _("Map to a canonical product")
    IGNORE = "ignore", _("Ignore (drivers, updates, runtimes)")


class Pool(models.TextChoices):
    CENTRAL = "central", _("Central pool")
    INSTITUTION = "institution", _("Institution's own pool")


class LicenceStatus(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    OVER_USE = "over_use", _("Over-use")
    UNLICENSED = "unlicensed", _("Unlicensed")
    EXPIRED = "expired", _("Contract expired")


class AppliesTo(models.TextChoices):
    ALL = "all", _("Workstations and servers")
    WORKSTATIONS = "workstations", _("Workstations only")


class CoverageReason(models.TextChoices):
    OK = "ok", _("Compliant")
    NOT_INSTALLED = "not_installed", _("No approved product installed")
    SERVICE_NOT_RUNNING = "service_not_running", _("Service not running")
    VERSION_BELOW_BASELINE = "version_below_baseline", _("Version below the baseline")
    SIGNATURES_OUTDATED = "signatures_outdated", _("Signatures out of date")
    NOT_SEEN = "not_seen", _("Endpoint not seen recently")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (server not covered by this requirement)")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    UNKNOWN = "unknown", _("Unknown")


SEVERITY_RANK = {"critical": 4, "high": 3, "medium": 2, "low": 1, "unknown": 0}


class TriageState(models.TextChoices):
    UNDER_INVESTIGATION = "under_investigation", _("Under investigation")
    AFFECTED = "affected", _("Affected")
    NOT_AFFECTED = "not_affected", _("Not affected")
    FIXED = "fixed", _("Fixed")


OPEN_TRIAGE = (TriageState.UNDER_INVESTIGATION, TriageState.AFFECTED)


class Justification(models.TextChoices):
    """VEX justifications of a `not affected` statement (CISA minimum requirements)."""

    COMPONENT_NOT_PRESENT = "component_not_present", _("Component not present")
    CODE_NOT_PRESENT = "vulnerable_code_not_present", _("Vulnerable code not present")
    CODE_NOT_IN_PATH = "vulnerable_code_not_in_execute_path", _("Vulnerable code not in the execution path")
    CANNOT_BE_CONTROLLED = (
        "vulnerable_code_cannot_be_controlled_by_adversary",
        _("Vulnerable code cannot be controlled by an adversary"),
    )
    MITIGATIONS = "inline_mitigations_already_exist", _("Inline mitigations already exist")
