"""Fuzz the cyber-hygiene operations of the OpenAPI document: no input may cause a server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from qalxan.core.services import issue_api_token

pytestmark = pytest.mark.fuzz
CALLERS = ("analyst", "officer_a", "auditor")


@pytest.fixture
def api_schema(world: Any) -> Iterator[Any]:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from qalxan.wsgi import application

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        admin = world.users["admin"]
        token = issue_api_token(actor=admin, user=admin, name="schema")[1]
        yield schemathesis.openapi.from_wsgi(
            "/api/v1/schema/", application, headers={"Authorization": f"Token {token}"}
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_input_causes_a_server_error(api_schema: Any, world: Any, domains: Any) -> None:
    headers = {}
    for who in CALLERS:
        user = world.users[who]
        headers[who] = {"Authorization": f"Token {issue_api_token(actor=user, user=user, name='fuzz')[1]}"}
    failures: list[str] = []
    operations = [
        op
        for op in (result.ok() for result in api_schema.get_all_operations())
        if "/cyberhygiene/" in op.path
    ]
    assert len(operations) > 10
    for index, operation in enumerate(operations):
        _fuzz(operation, headers[CALLERS[index % len(CALLERS)]], failures)
    assert not failures, "\n".join(failures[:20])


def _fuzz(operation: Any, caller: dict[str, str], failures: list[str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=20,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(headers=caller)
        if response.status_code >= 500:
            failures.append(
                f"{operation.method.upper()} {case.formatted_path} → {response.status_code}: "
                f"query={case.query}"
            )

    run()
