"""Fuzz the cyber-hygiene operations with its registered domains in place: no input may cause a server
error (the platform-wide fuzz runs without them, so attribution paths would stay unvisited)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from qalxan.core.testing import fuzz_operations, openapi_schema

pytestmark = pytest.mark.fuzz
CALLERS = ("analyst", "officer_a", "auditor")


@pytest.fixture
def api_schema(world: Any) -> Iterator[Any]:
    with openapi_schema(world.users["admin"]) as schema:
        yield schema


def test_no_input_causes_a_server_error(api_schema: Any, world: Any, domains: Any) -> None:
    operations = [
        op
        for op in (result.ok() for result in api_schema.get_all_operations())
        if "/cyberhygiene/" in op.path
    ]
    assert len(operations) > 10
    failures = fuzz_operations(operations, [world.users[who] for who in CALLERS], examples=20)
    assert not failures, "\n".join(failures[:20])
