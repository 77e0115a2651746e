"""Fixtures of the strategy tests."""

from __future__ import annotations

from typing import Any

import pytest

from qalxan.strategy.tests.factories import Plan, make_plan


@pytest.fixture
def plan(world: Any) -> Plan:
    return make_plan()
