"""Home-page widget of the registry."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qalxan.core.dashboard import Widget, register
from qalxan.core.tenancy import has_permission
from qalxan.registry.queries import dashboard_figures


@register
def registry_widget(user: Any) -> Widget | None:
    if not has_permission(user, "registry.view_informationsystem"):
        return None
    figures = dashboard_figures(user)
    return Widget(_("Registry"), "registry/widget.html", figures, order=20)
