"""Factories of the exposure tests."""

from __future__ import annotations

import uuid
from typing import Any

from qalxan.exposure import services
from qalxan.exposure.models import Site
from qalxan.organizations.models import Sector
from qalxan.registry.models import InformationSystem, SystemDomain


def website(owner: Any, *domains: str, name: str = "") -> Site:
    system = InformationSystem.objects.create(
        name_az=name or f"Sayt {uuid.uuid4().hex[:6]}",
        kind="website",
        sector=Sector.objects.get(code="public_administration"),
        owner=owner,
        hosting="azstatenet",
    )
    for domain in domains:
        SystemDomain.objects.create(system=system, domain=domain)
    return services.site_for(system)
