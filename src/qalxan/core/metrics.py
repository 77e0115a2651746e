"""Metric functions: each app offers named measurements of live platform data at a date.

Strategy indicators (and dashboards) compute their values through this registry, so an app
that does not exist simply offers no functions. Register in the app's `metrics.py`, imported
from its AppConfig.ready:

    @metric("registry.designated_with_accepted_special_requirements", unit="%",
            label=_("Designated CII objects with accepted special requirements"))
    def designated_share(at: date, **params) -> Decimal | None: ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

MetricFunc = Callable[..., "Decimal | float | int | None"]


@dataclass(frozen=True)
class Metric:
    name: str
    label: str | Promise
    unit: str | Promise
    description: str | Promise
    func: MetricFunc
    higher_is_better: bool = True

    def compute(self, at: dt.date, **params: Any) -> Decimal | None:
        value = self.func(at, **params)
        return None if value is None else Decimal(str(value))


_REGISTRY: dict[str, Metric] = {}


def metric(
    name: str,
    *,
    label: str | Promise,
    unit: str | Promise,
    description: str | Promise = "",
    higher_is_better: bool = True,
) -> Callable[[MetricFunc], MetricFunc]:
    """Register `func(at: date, **params)` under `name` (``"<app>.<what>"``)."""

    def wrap(func: MetricFunc) -> MetricFunc:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"metric {name} is registered twice")
        _REGISTRY[name] = Metric(
            name, label, unit, description or (func.__doc__ or ""), func, higher_is_better
        )
        return func

    return wrap


def get(name: str) -> Metric:
    """The metric called `name`; KeyError when no app offers it."""
    return _REGISTRY[name]


def available() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda m: m.name)
