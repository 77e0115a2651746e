"""Shared reads: the quarterly figures of the Cyber Hygiene programme, per institution and nationally.

Each figure is a function of a period (and optionally a set of organisations), so that strategy
indicators (metrics.py), the dashboard and the quarterly report compute them the same way.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from qalxan.core.tenancy import scope
from qalxan.cyberhygiene.choices import ExposureState, Measure
from qalxan.cyberhygiene.models import Enrolment, Exposure, PhishingResult

Orgs = Iterable[int] | None


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """ "2026Q2" or "2026-Q2"."""
        year, _sep, number = text.upper().replace("-", "").partition("Q")
        quarter = cls(int(year), int(number))
        if not 1 <= quarter.number <= 4 or not 2000 <= quarter.year <= 2100:
            raise ValueError(text)
        return quarter

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the quarter."""
        return (
            dt.date(self.year + 1, 1, 1) if self.number == 4 else dt.date(self.year, 3 * self.number + 1, 1)
        )

    def previous(self, n: int = 1) -> Quarter:
        index = self.year * 4 + self.number - 1 - n
        return Quarter(index // 4, index % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


def _within(queryset: QuerySet[Any], organizations: Orgs, path: str = "organization_id") -> QuerySet[Any]:
    return queryset if organizations is None else queryset.filter(**{f"{path}__in": list(organizations)})


def _staff(quarter: Quarter, organizations: Orgs = None) -> QuerySet[Exposure]:
    return _within(
        Exposure.objects.filter(
            is_staff=True, first_seen_at__date__gte=quarter.start, first_seen_at__date__lt=quarter.end
        ).exclude(state=ExposureState.DISMISSED),
        organizations,
    )


def compromised_staff(quarter: Quarter, organizations: Orgs = None) -> int:
    """Staff accounts first found compromised in the quarter (distinct logins)."""
    return _staff(quarter, organizations).values("login_hmac").distinct().count()


def bodies_affected(quarter: Quarter, organizations: Orgs = None) -> int:
    """State bodies with at least one compromised staff account in the quarter."""
    return _staff(quarter, organizations).values("organization_id").distinct().count()


def admin_share(quarter: Quarter, organizations: Orgs = None) -> Decimal | None:
    """Percentage of the quarter's compromised staff accounts that have administrator rights."""
    total = compromised_staff(quarter, organizations)
    if not total:
        return None
    admins = _staff(quarter, organizations).filter(is_admin=True).values("login_hmac").distinct().count()
    return (Decimal(100) * admins / total).quantize(Decimal("0.1"))


def median_days_to_reset(quarter: Quarter, organizations: Orgs = None) -> Decimal | None:
    """Median days from notifying the institution to its confirmed password reset, for resets in the
    quarter."""
    rows = _within(
        Exposure.objects.filter(
            state=ExposureState.RESOLVED,
            resolved_at__date__gte=quarter.start,
            resolved_at__date__lt=quarter.end,
            notified_at__isnull=False,
        ),
        organizations,
    ).values_list("notified_at", "resolved_at", "measures_done")
    days = [(r - n).total_seconds() / 86400 for n, r, done in rows if Measure.RESET_PASSWORD in (done or [])]
    if not days:
        return None
    return Decimal(str(statistics.median(days))).quantize(Decimal("0.1"))


def training_completion_rate(quarter: Quarter, organizations: Orgs = None) -> Decimal | None:
    """Percentage of the quarter's enrolments that are completed."""
    figures = _within(
        Enrolment.objects.filter(enrolled_on__gte=quarter.start, enrolled_on__lt=quarter.end),
        organizations,
        "campaign__organization_id",
    ).aggregate(total=Count("id"), done=Count("id", filter=Q(completed_on__isnull=False)))
    if not figures["total"]:
        return None
    return (Decimal(100) * figures["done"] / figures["total"]).quantize(Decimal("0.1"))


def _phishing(quarter: Quarter, organizations: Orgs) -> dict[str, int]:
    sums = _within(
        PhishingResult.objects.filter(run_on__gte=quarter.start, run_on__lt=quarter.end), organizations
    ).aggregate(
        sent=Sum("sent"), clicked=Sum("clicked"), reported=Sum("reported"), submitted=Sum("submitted")
    )
    return {k: int(v or 0) for k, v in sums.items()}


def phishing_click_rate(quarter: Quarter, organizations: Orgs = None) -> Decimal | None:
    """Percentage of drill e-mails of the quarter whose link was clicked."""
    sums = _phishing(quarter, organizations)
    return (Decimal(100) * sums["clicked"] / sums["sent"]).quantize(Decimal("0.1")) if sums["sent"] else None


def phishing_report_rate(quarter: Quarter, organizations: Orgs = None) -> Decimal | None:
    """Percentage of drill e-mails of the quarter that the recipient reported."""
    sums = _phishing(quarter, organizations)
    return (Decimal(100) * sums["reported"] / sums["sent"]).quantize(Decimal("0.1")) if sums["sent"] else None


FIGURES = (
    ("compromised_staff", compromised_staff),
    ("bodies_affected", bodies_affected),
    ("admin_share", admin_share),
    ("median_days_to_reset", median_days_to_reset),
    ("training_completion_rate", training_completion_rate),
    ("phishing_click_rate", phishing_click_rate),
    ("phishing_report_rate", phishing_report_rate),
)


def figures(quarter: Quarter, organizations: Orgs = None) -> dict[str, Any]:
    """Every figure of the quarter."""
    orgs = None if organizations is None else list(organizations)
    return {name: func(quarter, orgs) for name, func in FIGURES}


def trend(
    quarter: Quarter, count: int = 8, organizations: Orgs = None
) -> list[tuple[Quarter, dict[str, Any]]]:
    """The figures of the `count` quarters up to and including `quarter`, oldest first."""
    orgs = None if organizations is None else list(organizations)
    return [(q, figures(q, orgs)) for q in (quarter.previous(n) for n in range(count - 1, -1, -1))]


def per_institution(quarter: Quarter, organizations: Orgs = None) -> list[dict[str, Any]]:
    """Per institution with exposures, training or drills in the quarter: its figures."""
    from qalxan.organizations.models import Organization

    ids = set(_staff(quarter, organizations).values_list("organization_id", flat=True))
    ids |= set(
        _within(
            Enrolment.objects.filter(enrolled_on__gte=quarter.start, enrolled_on__lt=quarter.end),
            organizations,
            "campaign__organization_id",
        ).values_list("campaign__organization_id", flat=True)
    )
    ids |= set(
        _within(
            PhishingResult.objects.filter(run_on__gte=quarter.start, run_on__lt=quarter.end), organizations
        ).values_list("organization_id", flat=True)
    )
    rows = []
    for org in Organization.objects.filter(pk__in=ids).order_by("short_name"):
        rows.append({"organization": org, **figures(quarter, [org.pk])})
    return rows


def open_followup(organizations: Orgs = None) -> dict[str, int]:
    """Accounts still waiting for the institution, and how many of them are administrators."""
    qs = _within(
        Exposure.objects.filter(state__in=(ExposureState.OPEN, ExposureState.NOTIFIED)), organizations
    )
    return qs.aggregate(open=Count("id"), admins=Count("id", filter=Q(is_admin=True)))


def organizations_for(user: Any, permission: str = "cyberhygiene.view_figures") -> list[int] | None:
    """The organisations whose figures a person may see (None: the whole country)."""
    allowed = scope(user, permission)
    return None if allowed.everything else sorted(allowed.organization_ids)
