"""Home-page widget of the strategy app."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core.dashboard import Widget, register
from qalxan.core.tenancy import has_permission, restrict
from qalxan.strategy.choices import ActionStatus, ReportState
from qalxan.strategy.models import Action, ProgressReport


@register
def strategy_widget(user: Any) -> Widget | None:
    if not has_permission(user, "strategy.view_action"):
        return None
    actions = restrict(Action.objects.all(), user)
    reports = restrict(ProgressReport.objects.all(), user)
    return Widget(
        _("Strategy action plan"),
        "strategy/widget.html",
        {
            "actions": actions.count(),
            "done": actions.filter(status=ActionStatus.DONE).count(),
            "overdue": actions.filter(deadline__lt=timezone.localdate())
            .exclude(status=ActionStatus.DONE)
            .count(),
            "to_review": reports.filter(state=ReportState.SUBMITTED).count(),
        },
        order=60,
    )
