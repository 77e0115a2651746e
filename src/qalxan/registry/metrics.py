"""Metric functions the registry offers to strategy indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from qalxan.core.metrics import metric
from qalxan.registry.choices import ReviewStatus
from qalxan.registry.queries import designated


@metric("registry.designated_objects", label=_("Designated CII objects"), unit=_("objects"))
def designated_objects(at: dt.date, **params: object) -> int:
    """Number of CII objects designated on or before the date."""
    return designated(at).count()


@metric(
    "registry.designated_with_accepted_special_requirements",
    label=_("Designated CII objects with accepted special requirements"),
    unit="%",
)
def designated_with_accepted_special_requirements(at: dt.date, **params: object) -> Decimal | None:
    """Share of CII objects whose special requirements were accepted on or before the date."""
    objects = designated(at)
    total = objects.count()
    if not total:
        return None
    accepted = (
        objects.filter(
            special_requirements__status=ReviewStatus.ACCEPTED,
            special_requirements__reviewed_at__date__lte=at,
        )
        .distinct()
        .count()
    )
    return (Decimal(accepted) * 100 / total).quantize(Decimal("0.1"))
