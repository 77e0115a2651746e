"""Measurements the commission offers to strategy indicators and dashboards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from qalxan.core.metrics import metric


@metric(
    "commission.decisions_executed_on_time",
    label=_("Decisions of the Commission executed on time"),
    unit="%",
    description=_(
        "Share of the decisions whose task deadlines have passed that had every task executed "
        "by its deadline."
    ),
)
def decisions_executed_on_time(at: dt.date, **params: Any) -> Decimal | None:
    """Share of due decisions whose every task was executed by its deadline; `since` narrows the window."""
    from qalxan.commission.queries import decisions_executed_on_time as share

    since = params.get("since")
    if isinstance(since, str):
        since = dt.date.fromisoformat(since)
    return share(at=at, since=since)
