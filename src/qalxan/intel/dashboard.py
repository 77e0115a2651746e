"""Home-page widget of the intel app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qalxan.core.dashboard import Widget, register
from qalxan.core.tenancy import has_permission
from qalxan.intel.queries import dashboard_figures


@register
def intel_widget(user: Any) -> Widget | None:
    if not has_permission(user, "intel.view_indicator"):
        return None
    return Widget(_("Threat indicators"), "intel/widget.html", dashboard_figures(user), order=30)
