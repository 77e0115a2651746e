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


# --- Browser tests: Debian's Chromium driven by Playwright (no browser download).


@pytest.fixture(scope="session")
def browser() -> Any:
    import os
    import shutil
    from pathlib import Path

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        if os.environ.get("QALXAN_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required for the browser tests but is not installed")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = (
        "true"  # Playwright's sync API runs an event loop in this thread
    )
    try:
        with sync_playwright() as p:
            instance = p.chromium.launch(
                executable_path=chromium,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            yield instance
            instance.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser: Any, live_server: Any, world: World) -> Any:
    """A browser tab on the live server (the `world` people exist, password core.testing.PASSWORD)."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    tab.base = live_server.url
    yield tab
    context.close()
