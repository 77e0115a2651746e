"""Home-page widget of the commission app."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.commission import queries
from qalxan.core.dashboard import Widget, register
from qalxan.core.tenancy import has_permission


@register
def commission_widget(user: Any) -> Widget | None:
    if not (has_permission(user, "commission.view_task") or has_permission(user, "commission.view_meeting")):
        return None
    upcoming = queries.visible_meetings(user).filter(starts_at__gte=timezone.now()).order_by("starts_at")[:3]
    return Widget(
        _("Coordination Commission"),
        "commission/widget.html",
        {
            "upcoming": list(upcoming),
            "open_tasks": queries.visible_tasks(user).filter(status__in=("open", "returned")).count(),
            "overdue": queries.overdue_tasks(user).count()
            if has_permission(user, "commission.view_task")
            else 0,
        },
        order=60,
    )
