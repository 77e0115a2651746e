"""Home-page widgets: each app registers functions that return a widget for a person, or None."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Widget:
    title: str
    template: str
    context: dict[str, Any]
    order: int = 100


_PROVIDERS: list[Callable[[Any], Widget | None]] = []


def register(provider: Callable[[Any], Widget | None]) -> Callable[[Any], Widget | None]:
    _PROVIDERS.append(provider)
    return provider


def widgets_for(user: Any) -> list[Widget]:
    widgets = [w for w in (p(user) for p in _PROVIDERS) if w is not None]
    return sorted(widgets, key=lambda w: w.order)
