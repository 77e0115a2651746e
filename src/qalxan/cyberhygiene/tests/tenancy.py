"""Tenancy cases of the cyber-hygiene API (see tests/test_tenancy_walk.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from qalxan.core.testing import TenancyCase, tenancy_case
from qalxan.cyberhygiene.models import (
    AdminAccount,
    Enrolment,
    Exposure,
    Leak,
    PhishingResult,
    Sighting,
    StealerVictim,
    TrainingCampaign,
)


def _leak(world: Any, org: Any) -> Leak:
    return Leak.objects.create(
        name=f"Walk {uuid.uuid4().hex[:6]}", fingerprint=uuid.uuid4().hex, state="done"
    )


def _exposure(world: Any, org: Any) -> Exposure:
    leak = _leak(world, org)
    exposure = Exposure.objects.create(
        organization=org,
        login_masked="w•••k@walk.az",
        login_hmac=uuid.uuid4().hex,
        password_hmac=uuid.uuid4().hex,
        strength="weak",
        basis="email_domain",
        first_leak=leak,
        first_seen_at=timezone.now(),
        state="notified",
        measures=["reset_password"],
    )
    Sighting.objects.create(exposure=exposure, leak=leak)
    return exposure


def _leak_of(world: Any, org: Any) -> Leak:
    return _exposure(world, org).first_leak


def _victim(world: Any, org: Any) -> StealerVictim:
    return StealerVictim.objects.create(
        organization=org,
        leak=_leak(world, org),
        fingerprint=uuid.uuid4().hex,
        log_folder="walk",
        machine_name="WALK-PC",
    )


def _campaign(world: Any, org: Any) -> TrainingCampaign:
    return TrainingCampaign.objects.create(
        organization=org, code=f"walk-{uuid.uuid4().hex[:6]}", course="Walk"
    )


tenancy_case(
    TenancyCase(
        Leak,
        make=_leak_of,
        owner_ids=lambda leak: set(
            Sighting.objects.filter(leak=leak).values_list("exposure__organization_id", flat=True)
        ),
        create_payload=lambda world, org: {"name": "Intruder"},
    )
)
tenancy_case(TenancyCase(Exposure, make=_exposure))
tenancy_case(TenancyCase(StealerVictim, make=_victim))
tenancy_case(
    TenancyCase(
        AdminAccount,
        make=lambda world, org: AdminAccount.objects.create(
            organization=org, login_masked="a•••n", login_hmac=uuid.uuid4().hex
        ),
        create_payload=lambda world, org: {"organization": org.pk, "login": "intruder@walk.az"},
    )
)
tenancy_case(TenancyCase(TrainingCampaign, make=_campaign))
tenancy_case(
    TenancyCase(
        Enrolment,
        make=lambda world, org: Enrolment.objects.create(
            campaign=_campaign(world, org),
            learner=f"{uuid.uuid4().hex[:6]}@walk.az",
            enrolled_on=dt.date(2026, 1, 5),
        ),
    )
)
tenancy_case(
    TenancyCase(
        PhishingResult,
        make=lambda world, org: PhishingResult.objects.create(
            organization=org,
            campaign=f"Walk {uuid.uuid4().hex[:6]}",
            run_on=dt.date(2026, 2, 1),
            sent=10,
            clicked=2,
        ),
    )
)
