"""Home-page widget of the incidents app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qalxan.core.dashboard import Widget, register
from qalxan.core.tenancy import has_permission
from qalxan.incidents.queries import dashboard_figures


@register
def incidents_widget(user: Any) -> Widget | None:
    if not has_permission(user, "incidents.view_incident"):
        return None
    return Widget(_("Incidents"), "incidents/widget.html", dashboard_figures(user), order=25)
