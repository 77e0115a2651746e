"""Helpers of the compliance tests."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qalxan.compliance import library, services
from qalxan.compliance.choices import ItemKind
from qalxan.compliance.models import Campaign, Catalogue
from qalxan.organizations.models import Sector
from qalxan.registry.models import InformationSystem


def system(
    owner: Any, *, category: str = "II", sector: str = "energy", kind: str = "information_system"
) -> InformationSystem:
    return InformationSystem.objects.create(
        name_az=f"Sistem {uuid.uuid4().hex[:6]}",
        kind=kind,
        sector=Sector.objects.get(code=sector),
        owner=owner,
        hosting="azstatenet",
        state="designated",
        category=category,
    )


def small_catalogue(weights: tuple[float, ...] = (2, 1, 1, 3), *, code: str = "") -> Catalogue:
    """One group with len(weights) requirements, the last in a second group."""
    nodes = [library.Node(ref_id="g1", kind=ItemKind.GROUP, parent=None, title_az="Qrup 1")]
    for i, w in enumerate(weights[:-1], start=1):
        nodes.append(
            library.Node(
                ref_id=f"r{i}",
                kind=ItemKind.REQUIREMENT,
                parent=0,
                title_az=f"Tələb {i}",
                weight=Decimal(str(w)),
            )
        )
    nodes.append(library.Node(ref_id="g2", kind=ItemKind.GROUP, parent=None, title_az="Qrup 2"))
    nodes.append(
        library.Node(
            ref_id=f"r{len(weights)}",
            kind=ItemKind.REQUIREMENT,
            parent=len(nodes) - 1,
            title_az="Son tələb",
            weight=Decimal(str(weights[-1])),
        )
    )
    data = library.CatalogueData(
        name_az="Kiçik kataloq", version="1", code=code or f"small-{uuid.uuid4().hex[:6]}", nodes=nodes
    )
    return services.create_catalogue(actor=None, data=data, system=True)


def campaign(world: Any, catalogue: Catalogue, organizations: list[Any], **kwargs: Any) -> Campaign:
    return services.launch_campaign(
        actor=world.users["supervisor"],
        organization=world.authority,
        catalogue=catalogue,
        title=kwargs.pop("title", "Kampaniya"),
        deadline=kwargs.pop("deadline", timezone.localdate() + dt.timedelta(days=30)),
        organizations=[o.pk for o in organizations],
        **kwargs,
    )
