"""Fixtures shared by the whole suite: a small world of organisations and one person per role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from qalxan.core.roles import Role
from qalxan.core.testing import OrganizationFactory, person


@dataclass
class World:
    authority: Any
    agency: Any
    ministry: Any
    subordinate: Any
    other: Any
    users: dict[str, Any]
    stranger: Any = None


@pytest.fixture
def world(db: Any) -> World:
    """Authority, co-supervising agency, a ministry with a subordinate body, and an unrelated institution."""
    from qalxan.organizations.models import Sector
    from qalxan.organizations.sectors import ensure_sectors

    ensure_sectors(Sector)  # transactional tests flush what the data migration loaded
    authority = OrganizationFactory(code="authority", short_name="XRİTDX", kind="authority")
    agency = OrganizationFactory(code="agency", short_name="DTX", kind="supervising_agency")
    ministry = OrganizationFactory(code="ministry-a", short_name="MIN-A", kind="ministry", voen="1400057421")
    subordinate = OrganizationFactory(
        code="ministry-a-sub", short_name="SUB-A", kind="subordinate_body", parent=ministry
    )
    other = OrganizationFactory(code="ministry-b", short_name="MIN-B", kind="ministry")
    users = {
        role: person(role, authority, username=role)
        for role in (
            Role.ADMIN,
            Role.SUPERVISOR,
            Role.ANALYST,
            Role.SECRETARY,
            Role.STRATEGY_OFFICER,
            Role.AUDITOR,
        )
    }
    users["commission_member"] = person(Role.COMMISSION_MEMBER, other, username="member")
    users["officer_a"] = person(
        Role.INSTITUTION_OFFICER, ministry, username="officer.a", include_subordinates=True
    )
    users["viewer_a"] = person(Role.INSTITUTION_VIEWER, ministry, username="viewer.a")
    users["officer_sub"] = person(Role.INSTITUTION_OFFICER, subordinate, username="officer.sub")
    users["officer_b"] = person(Role.INSTITUTION_OFFICER, other, username="officer.b")
    return World(authority, agency, ministry, subordinate, other, users)


@pytest.fixture
def api(world: World) -> Any:
    """An API client factory: api("officer_a") is signed in with a token as that person."""
    from rest_framework.test import APIClient

    from qalxan.core.services import issue_api_token

    def client(who: str | None = None) -> APIClient:
        c = APIClient()
        if who is not None:
            user = world.users[who]
            _token, key = issue_api_token(actor=user, user=user, name="test")
            c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return c

    return client
