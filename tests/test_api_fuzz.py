"""Fuzz every operation of the OpenAPI document with schemathesis: no input may cause a server error."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from qalxan.core.testing import fuzz_operations, openapi_schema

pytestmark = pytest.mark.fuzz
CALLERS = ("admin", "officer_a", "auditor")


@pytest.fixture
def api_schema(world: Any) -> Iterator[Any]:
    with openapi_schema(world.users["admin"]) as schema:
        yield schema


def test_the_schema_is_for_signed_in_callers(client: Any, api: Any) -> None:
    assert client.get("/api/v1/schema/").status_code in {401, 403}
    assert client.get("/api/v1/docs/").status_code in {401, 403}
    assert api("officer_b").get("/api/v1/schema/").status_code == 200


def test_no_input_causes_a_server_error(api_schema: Any, world: Any) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 20
    # Alternate the caller so that the authority's and an institution's code paths are both fuzzed.
    failures = fuzz_operations(operations, [world.users[who] for who in CALLERS])
    assert not failures, "\n".join(failures[:20])
