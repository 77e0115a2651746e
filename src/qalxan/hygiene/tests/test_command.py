"""`qalxan hygiene import-national`: a folder of institutions' inventories, in batches, each batch
all-or-nothing, the next parsed while the current one is written."""

from __future__ import annotations

import random
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from qalxan.hygiene import generator
from qalxan.hygiene.models import Endpoint, InventorySnapshot
from qalxan.hygiene.tests.factories import registry


def _log(code: str, count: int = 3) -> bytes:
    return generator.osquery_log(code, count, random.Random(7), timezone.now(), packages=20)


def test_a_national_folder_is_imported_in_batches(world: Any, tmp_path: Path) -> None:
    registry()
    for org in (world.ministry, world.other, world.subordinate):
        (tmp_path / f"{org.code}.log").write_bytes(_log(org.code))
    out = StringIO()
    call_command("hygiene", "import-national", str(tmp_path), "--batch", "2", stdout=out)
    assert "3 institutions" in out.getvalue()
    for org in (world.ministry, world.other, world.subordinate):
        assert Endpoint.objects.filter(organization=org).count() == 3


def test_a_bad_file_refuses_its_batch_and_says_what_was_stored(world: Any, tmp_path: Path) -> None:
    registry()
    first, second = sorted([world.ministry, world.other], key=lambda o: o.code)
    (tmp_path / f"{first.code}.log").write_bytes(_log(first.code))
    (tmp_path / f"{second.code}.log").write_bytes(_log(second.code) + b'{"name": "pack_programs", broken\n')
    with pytest.raises(CommandError) as refused:
        call_command("hygiene", "import-national", str(tmp_path), "--batch", "1", stdout=StringIO())
    message = str(refused.value)
    assert f"{second.code}.log" in message and "line" in message
    assert f"stored before it: {first.code}" in message
    assert Endpoint.objects.filter(organization=first).count() == 3
    assert not Endpoint.objects.filter(organization=second).exists()
    assert not InventorySnapshot.objects.filter(organization=second).exists()


def test_files_of_unknown_institutions_are_refused_before_anything_is_read(
    world: Any, tmp_path: Path
) -> None:
    (tmp_path / f"{world.ministry.code}.log").write_bytes(_log(world.ministry.code))
    (tmp_path / "NO-SUCH-CODE.log").write_bytes(b"")
    with pytest.raises(CommandError, match=re.escape("NO-SUCH-CODE.log")):
        call_command("hygiene", "import-national", str(tmp_path), stdout=StringIO())
    assert not Endpoint.objects.exists()
