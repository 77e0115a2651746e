"""Home-page widget of the compliance app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qalxan.compliance.queries import dashboard_figures
from qalxan.core.dashboard import Widget, register
from qalxan.core.tenancy import has_permission


@register
def compliance_widget(user: Any) -> Widget | None:
    if not has_permission(user, "compliance.view_assessment"):
        return None
    return Widget(_("Compliance"), "compliance/widget.html", dashboard_figures(user), order=22)
