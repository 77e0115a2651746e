"""Sections that one app adds to another app's object page.

An app registers a function for a model ("incidents.Incident"); the model's detail page asks
`panels_for(obj, user)` and shows each section it gets. So the intel app shows an incident's
indicators, correlations and campaigns on the incident page, and the incidents app does not depend
on the intel app (a deployment may leave that module out).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import models

from qalxan.core.dashboard import Widget

Panel = Widget
Provider = Callable[[Any, Any], Panel | None]

_PROVIDERS: dict[str, list[Provider]] = defaultdict(list)


def register(model_label: str) -> Callable[[Provider], Provider]:
    """`@register("incidents.Incident")` above `def provider(obj, user) -> Panel | None`."""

    def decorate(provider: Provider) -> Provider:
        _PROVIDERS[model_label.lower()].append(provider)
        return provider

    return decorate


def panels_for(obj: models.Model, user: Any) -> list[Panel]:
    panels = [p for p in (provider(obj, user) for provider in _PROVIDERS[obj._meta.label_lower]) if p]
    return sorted(panels, key=lambda p: p.order)
