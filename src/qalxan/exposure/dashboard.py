"""Home-page widget of the exposure app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qalxan.core.dashboard import Widget, register
from qalxan.core.tenancy import has_permission, restrict
from qalxan.exposure.choices import FindingState
from qalxan.exposure.models import Finding, Site


@register
def exposure_widget(user: Any) -> Widget | None:
    if not has_permission(user, "exposure.view_site"):
        return None
    sites = restrict(Site.objects.all(), user)
    findings = restrict(Finding.objects.filter(state=FindingState.OPEN), user)
    data = {
        "sites": sites.count(),
        "open": findings.count(),
        "personal_data": findings.filter(check_code="personal_data").count(),
        "critical": findings.filter(severity="critical").count(),
    }
    return Widget(_("Website exposure"), "exposure/widget.html", data, order=45)
