"""The quarterly figures as metrics for strategy indicators (the quarter that holds the date)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from qalxan.core.metrics import metric
from qalxan.cyberhygiene import queries


def _q(at: dt.date) -> queries.Quarter:
    return queries.Quarter.of(at)


@metric(
    "cyberhygiene.compromised_staff",
    label=_("Compromised civil servants' accounts in the quarter"),
    unit=_("accounts"),
    higher_is_better=False,
)
def compromised_staff(at: dt.date, **params: object) -> int:
    return queries.compromised_staff(_q(at))


@metric(
    "cyberhygiene.bodies_affected",
    label=_("State bodies with compromised accounts in the quarter"),
    unit=_("bodies"),
    higher_is_better=False,
)
def bodies_affected(at: dt.date, **params: object) -> int:
    return queries.bodies_affected(_q(at))


@metric(
    "cyberhygiene.admin_share",
    label=_("Share of compromised accounts with administrator rights"),
    unit="%",
    higher_is_better=False,
)
def admin_share(at: dt.date, **params: object) -> Decimal | None:
    return queries.admin_share(_q(at))


@metric(
    "cyberhygiene.median_days_to_reset",
    label=_("Median days to reset a compromised password"),
    unit=_("days"),
    higher_is_better=False,
)
def median_days_to_reset(at: dt.date, **params: object) -> Decimal | None:
    return queries.median_days_to_reset(_q(at))


@metric("cyberhygiene.training_completion_rate", label=_("Awareness training completion rate"), unit="%")
def training_completion_rate(at: dt.date, **params: object) -> Decimal | None:
    return queries.training_completion_rate(_q(at))


@metric(
    "cyberhygiene.phishing_click_rate", label=_("Phishing drill click rate"), unit="%", higher_is_better=False
)
def phishing_click_rate(at: dt.date, **params: object) -> Decimal | None:
    return queries.phishing_click_rate(_q(at))


@metric("cyberhygiene.phishing_report_rate", label=_("Phishing drill report rate"), unit="%")
def phishing_report_rate(at: dt.date, **params: object) -> Decimal | None:
    return queries.phishing_report_rate(_q(at))
