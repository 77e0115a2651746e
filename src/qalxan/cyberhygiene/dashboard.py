"""Home-page widget of the cyber-hygiene app."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core.dashboard import Widget, register
from qalxan.core.tenancy import has_permission
from qalxan.cyberhygiene import queries


@register
def cyberhygiene_widget(user: Any) -> Widget | None:
    if not has_permission(user, "cyberhygiene.view_exposure"):
        return None
    orgs = queries.organizations_for(user, "cyberhygiene.view_exposure")
    quarter = queries.Quarter.of(timezone.localdate())
    data = {
        **queries.open_followup(orgs),
        "quarter": quarter,
        "staff": queries.compromised_staff(quarter, orgs),
        "bodies": queries.bodies_affected(quarter, orgs),
    }
    return Widget(_("Cyber hygiene"), "cyberhygiene/widget.html", data, order=60)
