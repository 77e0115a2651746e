"""Home-page widget of the hygiene module."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qalxan.core.dashboard import Widget, register
from qalxan.core.tenancy import has_permission
from qalxan.hygiene.queries import dashboard_figures


@register
def hygiene_widget(user: Any) -> Widget | None:
    if not has_permission(user, "hygiene.view_endpoint"):
        return None
    return Widget(_("Endpoint hygiene"), "hygiene/widget.html", dashboard_figures(user), order=40)
