"""Walk every API route of the OpenAPI document with every role: no read or write across organisations.

Every route must be covered: a new endpoint whose model has no TenancyCase (in its app's
tests/tenancy.py) fails this test until one is declared.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from qalxan.core import audit
from qalxan.core.tenancy import tenant_of
from qalxan.core.testing import TENANCY_CASES, TenancyCase
from qalxan.organizations.models import Organization

# Routes that are not about organisation-owned data, checked by their own tests.
OWN_TESTS = {"/api/v1/auth/token/"}


def _load_cases() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("qalxan."):
            try:
                importlib.import_module(f"{config.name}.tests.tenancy")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.tests.tenancy":
                    raise


def _routes() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper())
        for path, ops in schema["paths"].items()
        for method in ops
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _case_for(path: str) -> TenancyCase | None:
    sample = path.replace("{id}", "1").replace("{code}", "x")
    view = resolve(sample).func
    cls = getattr(view, "cls", None)
    queryset = getattr(cls, "queryset", None)
    model = getattr(queryset, "model", None)
    if model is None or model not in TENANCY_CASES:
        return None
    return TENANCY_CASES[model]


def _visible_orgs(world: Any) -> dict[str, set[int] | None]:
    """Independent expectation of what each person may see (None: everything)."""
    everything = None
    return {
        "admin": everything,
        "supervisor": everything,
        "analyst": everything,
        "secretary": everything,
        "strategy_officer": everything,
        "auditor": everything,
        "officer_a": {world.ministry.pk, world.subordinate.pk},
        "viewer_a": {world.ministry.pk},
        "officer_sub": {world.subordinate.pk},
        "officer_b": {world.other.pk},
        "commission_member": {world.other.pk},
    }


def _foreign_org(world: Any, visible: set[int]) -> Organization:
    return world.other if world.other.pk not in visible else world.ministry


def _owners(case: TenancyCase, obj: Any) -> set[int]:
    if case.owner_ids is not None:
        return case.owner_ids(obj)
    owner = tenant_of(obj)
    return {owner} if owner is not None else set()


def _snapshot(obj: Any) -> dict[str, Any] | None:
    model = type(obj)
    fresh = model._default_manager.filter(pk=obj.pk).first()
    return audit.snapshot(fresh, exclude=("last_used_at",)) if fresh is not None else None


@pytest.mark.django_db
def test_every_route_with_every_role_stays_inside_its_organisations(world: Any, api: Any) -> None:
    _load_cases()
    routes = _routes()
    assert routes, "the OpenAPI document lists no routes"
    uncovered = sorted(
        {
            p
            for p, _m in routes
            if p not in OWN_TESTS
            and _case_for(p) is None
            and not p.endswith(("/me/", "/mark-read/", "/import/"))
        }
    )
    unmarked = sorted(
        {p for p, _m in routes if p.endswith("/export/") and getattr(_case_for(p), "marker", 0) is None}
    )
    assert not unmarked, f"export routes whose TenancyCase has no marker: {unmarked}"
    assert not uncovered, f"routes without a TenancyCase: {uncovered}"

    visible_by_role = _visible_orgs(world)
    checked = 0
    for who, visible in visible_by_role.items():
        client = api(who)
        user = world.users[who]
        foreign = _foreign_org(world, visible or set())
        # Personal objects (tokens, notifications) of someone else.
        world.stranger = world.users["admin"] if who == "officer_b" else world.users["officer_b"]
        for path, method in routes:
            if path in OWN_TESTS:
                continue
            case = _case_for(path)
            if path.endswith("/me/"):
                assert client.get(path).json()["username"] == user.username
                continue
            if path.endswith("/mark-read/"):
                from qalxan.core.services import notify

                note = notify(
                    recipients=[world.users["officer_b"] if who != "officer_b" else world.users["admin"]],
                    subject="keep unread",
                )[0]
                client.post(path)
                note.refresh_from_db()
                assert note.read_at is None, f"{who} marked someone else's notification read"
                continue
            if path.endswith("/export/"):
                if visible is not None and case is not None and case.marker is not None:
                    target = case.make(world, foreign)
                    response = client.get(path)
                    if response.status_code == 200:
                        content = getattr(response, "streaming_content", None)
                        body = b"".join(content) if content is not None else response.content
                        assert case.marker(target).encode() not in body, (who, path)
                    checked += 1
                continue
            if path.endswith("/import/"):
                continue  # the importers' permission and all-or-nothing tests cover these
            assert case is not None
            if case.reference:
                assert client.get(path.replace("{code}", "public_administration")).status_code in {200, 404}
                continue
            if visible is None and not case.personal:
                continue  # national roles see everything by design; their writes are service-tested
            target = case.make(world, foreign)
            before = _snapshot(target)
            if "{id}" in path:
                url = path.replace("{id}", str(target.pk))
                response = getattr(client, method.lower())(url, {}, format="json")
                assert response.status_code in {403, 404, 405}, (who, method, url, response.status_code)
                assert _snapshot(target) == before, f"{who} changed a foreign object via {method} {url}"
                checked += 1
            elif method == "GET":
                response = client.get(path, {"page_size": 500})
                assert response.status_code in {200, 403}, (who, path, response.status_code)
                if response.status_code == 200:
                    rows = response.json()
                    rows = rows["results"] if isinstance(rows, dict) else rows
                    for row in rows:
                        obj = case.model._default_manager.get(pk=row["id"])
                        if case.personal:
                            assert getattr(obj, "user_id", getattr(obj, "recipient_id", None)) == user.pk
                        else:
                            owners = _owners(case, obj)
                            assert owners & visible, (who, path, row["id"], owners)
                checked += 1
            elif method == "POST" and case.create_payload is not None:
                count = case.model._default_manager.count()
                response = client.post(path, case.create_payload(world, foreign), format="json")
                assert response.status_code in {400, 403, 404}, (
                    who,
                    path,
                    response.status_code,
                    response.content,
                )
                assert case.model._default_manager.count() == count, f"{who} created via {path}"
                checked += 1
    assert checked > 50
