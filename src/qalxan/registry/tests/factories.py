"""Factories of the registry's tests."""

from __future__ import annotations

from typing import Any

from qalxan.organizations.models import Sector
from qalxan.registry import services
from qalxan.registry.models import InformationSystem


def system(actor: Any, owner: Any, name: str = "Sistem", **fields: Any) -> InformationSystem:
    """Register a system through the service, as a person would."""
    defaults: dict[str, Any] = {
        "kind": "information_system",
        "sector": Sector.objects.get(code="energy"),
        "hosting": "azstatenet",
    }
    defaults.update(fields)
    return services.register_system(actor=actor, owner=owner, name_az=name, **defaults)


ANSWERS = {
    "population": 2_000_000,
    "state_functions": 12,
    "economic_loss": 20_000,
    "cross_sector": 4,
    "tolerated_downtime": 2,
}
