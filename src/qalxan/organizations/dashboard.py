"""Home-page widget of the organisations app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from qalxan.core.dashboard import Widget, register
from qalxan.core.tenancy import has_permission, restrict
from qalxan.organizations.models import Organization


@register
def organizations_widget(user: Any) -> Widget | None:
    if not has_permission(user, "organizations.view_organization"):
        return None
    visible = restrict(Organization.objects.filter(is_active=True), user)
    return Widget(
        _("Organisations you can see"),
        "organizations/widget.html",
        {"count": visible.count(), "cii": visible.filter(is_cii_subject=True).count()},
        order=10,
    )
