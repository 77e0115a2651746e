"""Metric functions the strategy app offers, and evidence read from the organisations app.

Organisations are read through their models (not changed); other modules register their own
metrics (for example "registry.*") in their apps, and indicators or index questions that name
a metric no module offers show "not available".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from qalxan.core.metrics import metric
from qalxan.strategy.choices import ActionStatus, ReportState


def _share(part: int, whole: int) -> Decimal | None:
    return None if whole == 0 else (Decimal(100) * part / whole).quantize(Decimal("0.01"))


def _actions(strategy: str | None = None) -> Any:
    from qalxan.strategy.models import Action

    qs = Action.objects.all()
    if strategy:
        qs = qs.filter(direction__goal__strategy__code=strategy)
    return qs


@metric(
    "strategy.actions_done_on_time_share",
    label=_("Actions due by the date that were done on time"),
    unit="%",
)
def actions_done_on_time_share(at: dt.date, strategy: str | None = None) -> Decimal | None:
    """Of the actions whose deadline has passed at the date, the share completed by their deadline."""
    due = _actions(strategy).filter(deadline__lte=at)
    on_time = due.filter(status=ActionStatus.DONE, completed_on__lte=F("deadline")).count()
    return _share(on_time, due.count())


@metric("strategy.actions_done_share", label=_("Actions of the plan done"), unit="%")
def actions_done_share(at: dt.date, strategy: str | None = None) -> Decimal | None:
    """Share of all actions of the plan that are done by the date."""
    qs = _actions(strategy)
    done = qs.filter(status=ActionStatus.DONE, completed_on__lte=at).count()
    return _share(done, qs.count())


@metric(
    "strategy.overdue_actions",
    label=_("Overdue actions"),
    unit=cast(str, _("actions")),
    higher_is_better=False,
)
def overdue_actions(at: dt.date, strategy: str | None = None) -> int:
    """Actions past their deadline at the date and not done."""
    return _actions(strategy).filter(deadline__lt=at).exclude(status=ActionStatus.DONE).count()


@metric("strategy.strategy_in_force", label=_("A national strategy is in force"), unit=cast(str, _("yes/no")))
def strategy_in_force(at: dt.date) -> int:
    """1 when a strategy's period includes the date's year."""
    from qalxan.strategy.models import Strategy

    return int(Strategy.objects.filter(start_year__lte=at.year, end_year__gte=at.year).exists())


@metric(
    "strategy.computed_indicators",
    label=_("Indicators computed from platform data"),
    unit=cast(str, _("indicators")),
)
def computed_indicators(at: dt.date) -> int:
    """Indicators with at least one computed value by the date."""
    from qalxan.strategy.models import Indicator

    return Indicator.objects.exclude(metric="").filter(values__on__lte=at).distinct().count()


@metric("strategy.accepted_reports", label=_("Accepted progress reports"), unit=cast(str, _("reports")))
def accepted_reports(at: dt.date) -> int:
    """Progress reports accepted by the date."""
    from qalxan.strategy.models import ProgressReport

    return ProgressReport.objects.filter(state=ReportState.ACCEPTED, reviewed_at__date__lte=at).count()


@metric(
    "strategy.multi_institution_actions",
    label=_("Actions carried out by several institutions"),
    unit=cast(str, _("actions")),
)
def multi_institution_actions(at: dt.date) -> int:
    """Actions with at least one co-executor."""
    return _actions().annotate(n=Count("co_executors")).filter(n__gt=0).count()


# --- Evidence from the organisations app (read only) ---------------------------------------------


@metric("organizations.national_cert_exists", label=_("A national CERT exists"), unit=cast(str, _("yes/no")))
def national_cert_exists(at: dt.date) -> int:
    """1 when an active authority organisation runs a CERT (a cert.* domain or "CERT" in its name)."""
    from qalxan.organizations.models import Organization

    return int(
        Organization.objects.filter(is_active=True, created_at__date__lte=at)
        .filter(
            Q(domains__domain__startswith="cert.")
            | Q(name_az__icontains="CERT")
            | Q(name_en__icontains="CERT")
            | Q(short_name__icontains="CERT")
        )
        .exists()
    )


@metric(
    "organizations.national_authority_exists",
    label=_("A national information-security authority exists"),
    unit=cast(str, _("yes/no")),
)
def national_authority_exists(at: dt.date) -> int:
    """1 when an active organisation of the kind "authority" is registered."""
    from qalxan.organizations.choices import OrganizationKind
    from qalxan.organizations.models import Organization

    return int(
        Organization.objects.filter(
            kind=OrganizationKind.AUTHORITY, is_active=True, created_at__date__lte=at
        ).exists()
    )


@metric("organizations.cii_subjects", label=_("Registered CII subjects"), unit=cast(str, _("organisations")))
def cii_subjects(at: dt.date) -> int:
    """Active organisations marked as CII subjects."""
    from qalxan.organizations.models import Organization

    return Organization.objects.filter(is_cii_subject=True, is_active=True, created_at__date__lte=at).count()
