"""Metric functions for strategy indicators (`organization`: an institution's id, else national)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from qalxan.core.metrics import metric
from qalxan.hygiene import queries


def _org(params: dict[str, Any]) -> int | None:
    value = params.get("organization")
    return int(value) if value not in (None, "") else None


@metric(
    "hygiene.essential_software_coverage", label=_("Essential-software coverage of state endpoints"), unit="%"
)
def essential_coverage(at: dt.date, **params: Any) -> Decimal | None:
    return queries.coverage_share(at, _org(params))


@metric("hygiene.licence_compliance", label=_("Commercial software installs covered by a licence"), unit="%")
def licence_compliance(at: dt.date, **params: Any) -> Decimal | None:
    return queries.licence_compliance(at, _org(params))


@metric(
    "hygiene.endpoints_without_serious_vulnerabilities",
    label=_("Endpoints without serious known vulnerabilities"),
    unit="%",
)
def exposure(at: dt.date, **params: Any) -> Decimal | None:
    return queries.exposure_share(at, _org(params))


@metric("hygiene.score", label=_("Endpoint hygiene score"), unit=_("points"))
def score(at: dt.date, **params: Any) -> Decimal | None:
    return queries.hygiene_score(at, _org(params))
