"""Strategy actions behind schedule as candidate agenda items of the Coordination Commission."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.commission import sources
from qalxan.core.tenancy import restrict
from qalxan.strategy import queries
from qalxan.strategy.models import Action


def actions_behind_schedule(user: Any) -> list[sources.Candidate]:
    actions = queries.overdue_actions(restrict(Action.objects.all(), user, "strategy.view_action"))[:200]
    return [
        sources.Candidate.of(
            action,
            label=_("%(code)s %(title)s — %(org)s, due %(deadline)s")
            % {
                "code": action.code,
                "title": action.title,
                "org": action.responsible.short_name,
                "deadline": action.deadline,
            },
            url=action.get_absolute_url(),
            presenter=action.responsible.short_name,
        )
        for action in actions
    ]


sources.register(
    sources.AgendaSource(
        key="strategy.behind_schedule",
        label=gettext_lazy("Strategy actions behind schedule"),
        candidates=actions_behind_schedule,
        order=50,
    )
)
