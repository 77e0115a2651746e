"""What each check means to the institution: its group, default severity, and the advice to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.exposure.choices import Check, CheckGroup, DataKind


@dataclass(frozen=True)
class CheckInfo:
    group: str
    severity: str
    remediation: str | Promise


C = Check
G = CheckGroup
CHECKS: dict[str, CheckInfo] = {
    C.HTTPS_MISSING: CheckInfo(
        G.TRANSPORT,
        "high",
        gettext_lazy("Serve the site over HTTPS with a certificate from a trusted authority."),
    ),
    C.HTTP_NOT_REDIRECTED: CheckInfo(
        G.TRANSPORT, "medium", gettext_lazy("Redirect every plain-HTTP request permanently (301) to HTTPS.")
    ),
    C.TLS_LEGACY: CheckInfo(
        G.TLS, "medium", gettext_lazy("Turn off TLS 1.0 and 1.1; offer TLS 1.2 and 1.3 only.")
    ),
    C.CERT_UNTRUSTED: CheckInfo(
        G.TLS,
        "high",
        gettext_lazy(
            "Install a certificate issued by a trusted authority, with the complete intermediate chain."
        ),
    ),
    C.CERT_EXPIRED: CheckInfo(
        G.TLS, "critical", gettext_lazy("Renew the certificate now and automate renewal.")
    ),
    C.CERT_EXPIRING: CheckInfo(G.TLS, "low", gettext_lazy("Renew the certificate before it expires.")),
    C.CERT_HOSTNAME: CheckInfo(
        G.TLS, "high", gettext_lazy("Use a certificate whose names include the site's registered domain.")
    ),
    C.HSTS_MISSING: CheckInfo(
        G.HEADERS,
        "medium",
        gettext_lazy("Send Strict-Transport-Security with max-age of at least 180 days (15552000)."),
    ),
    C.CSP_MISSING: CheckInfo(
        G.HEADERS,
        "medium",
        gettext_lazy("Send a Content-Security-Policy that allows only the site's own sources."),
    ),
    C.XCTO_MISSING: CheckInfo(G.HEADERS, "low", gettext_lazy("Send X-Content-Type-Options: nosniff.")),
    C.FRAME_MISSING: CheckInfo(
        G.HEADERS,
        "medium",
        gettext_lazy("Send X-Frame-Options: DENY (or SAMEORIGIN), or CSP frame-ancestors."),
    ),
    C.REFERRER_MISSING: CheckInfo(
        G.HEADERS, "low", gettext_lazy("Send Referrer-Policy: strict-origin-when-cross-origin (or stricter).")
    ),
    C.PERMISSIONS_MISSING: CheckInfo(
        G.HEADERS,
        "low",
        gettext_lazy("Send a Permissions-Policy that turns off the features the site does not use."),
    ),
    C.COOKIE_FLAGS: CheckInfo(
        G.HEADERS, "medium", gettext_lazy("Set the Secure, HttpOnly and SameSite attributes on the cookie.")
    ),
    C.MIXED_CONTENT: CheckInfo(
        G.CONTENT, "medium", gettext_lazy("Load every script, style, image and frame over HTTPS.")
    ),
    C.VERSION_DISCLOSURE: CheckInfo(
        G.CONTENT,
        "low",
        gettext_lazy(
            "Hide server and CMS version numbers (headers and generator tags); keep the software updated."
        ),
    ),
    C.DIRECTORY_LISTING: CheckInfo(
        G.PATHS, "medium", gettext_lazy("Turn off directory listing in the web server configuration.")
    ),
    C.SENSITIVE_PATH: CheckInfo(
        G.PATHS,
        "critical",
        gettext_lazy(
            "Remove the file from the web root, block such paths in the server, "
            "and change any secret it held."
        ),
    ),
    C.OUTSIDE_AZSTATENET: CheckInfo(
        G.HOSTING,
        "medium",
        gettext_lazy("Move the site's hosting into AzStateNet, as state websites must be."),
    ),
    C.PRIVACY_NOTICE_MISSING: CheckInfo(
        G.PERSONAL_DATA,
        "medium",
        gettext_lazy(
            "Publish a privacy notice on how the site processes personal data, linked from every page."
        ),
    ),
    C.PERSONAL_DATA: CheckInfo(
        G.PERSONAL_DATA,
        "high",
        gettext_lazy(
            "Remove the personal data from the page or document (and from search-engine caches); publish "
            "only what the law allows, anonymised."
        ),
    ),
}


def info(check: str) -> CheckInfo:
    return CHECKS[check]


def describe(check: str, evidence: dict[str, Any], data_kind: str = "") -> str:
    """One line of what was seen, in the active language."""
    e = evidence or {}
    if check == C.TLS_LEGACY:
        return _("Offered: %(versions)s") % {"versions": ", ".join(e.get("versions", []))}
    if check in {C.CERT_EXPIRED, C.CERT_EXPIRING}:
        return _("Valid until %(date)s") % {"date": e.get("not_after", "")}
    if check == C.CERT_HOSTNAME:
        return _("Certificate names: %(names)s") % {"names": ", ".join(e.get("names", []))}
    if check == C.CERT_UNTRUSTED:
        return _("Verification failed: %(reason)s") % {"reason": e.get("reason", "")}
    if check == C.HSTS_MISSING:
        return _("Header: %(value)s") % {"value": e.get("value") or "—"}
    if check == C.COOKIE_FLAGS:
        return _("Cookie “%(name)s” lacks: %(flags)s") % {
            "name": e.get("cookie", ""),
            "flags": ", ".join(e.get("missing", [])),
        }
    if check == C.MIXED_CONTENT:
        return _("Loaded over HTTP: %(urls)s") % {"urls": ", ".join(e.get("resources", [])[:5])}
    if check == C.VERSION_DISCLOSURE:
        return f"{e.get('header', '')}: {e.get('value', '')}"
    if check == C.OUTSIDE_AZSTATENET:
        return _("Address %(address)s is in no AzStateNet range") % {"address": e.get("address", "")}
    if check == C.HTTP_NOT_REDIRECTED:
        return _("HTTP answered with status %(status)s") % {"status": e.get("status", "")}
    if check == C.PERSONAL_DATA:
        return _("%(count)s × %(kind)s") % {
            "count": e.get("count", 0),
            "kind": DataKind(data_kind).label if data_kind in DataKind.values else data_kind,
        }
    return ""
