"""Helpers of the intel tests."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone

from qalxan.incidents.models import Incident
from qalxan.intel import services
from qalxan.intel.models import Indicator
from qalxan.intel.normalize import detect


def incident(org: Any, indicators: str = "", state: str = "triaged", tlp: str = "AMBER") -> Incident:
    return Incident.objects.create(
        organization=org,
        title=f"Incident {uuid.uuid4().hex[:8]}",
        detected_at=timezone.now(),
        reported_at=timezone.now(),
        state=state,
        indicators=indicators,
        tlp=tlp,
    )


def indicator(value: str, *, org: Any = None, tlp: str = "AMBER", inc: Any = None) -> Indicator:
    result = services.add_indicators(
        actor=None, values=[detect(value)], tlp=tlp, organization=org, incident=inc
    )
    return result.indicators[0]
