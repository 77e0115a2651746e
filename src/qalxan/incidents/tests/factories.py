"""Factories of the incidents tests."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from qalxan.incidents import services
from qalxan.incidents.models import Incident, TaxonomyType
from qalxan.organizations.models import Sector
from qalxan.registry.models import InformationSystem


def system(owner: Any, *, cii: bool = False, category: str = "II") -> InformationSystem:
    return InformationSystem.objects.create(
        name_az=f"Sistem {uuid.uuid4().hex[:6]}",
        kind="information_system",
        sector=Sector.objects.get(code="energy"),
        owner=owner,
        hosting="azstatenet",
        state="designated" if cii else "identified",
        category=category if cii else "",
    )


def incident(actor: Any, organization: Any, title: str = "Fişinq hücumu", **fields: Any) -> Incident:
    defaults: dict[str, Any] = {
        "detected_at": timezone.now() - dt.timedelta(hours=1),
        "taxonomy_type": TaxonomyType.objects.get(code="phishing"),
    }
    defaults.update(fields)
    return services.report_incident(actor=actor, organization=organization, title=title, **defaults)
