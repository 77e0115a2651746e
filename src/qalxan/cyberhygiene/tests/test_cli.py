"""`qalxan cyberhygiene ingest` and `notify` from the command line."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from qalxan.cyberhygiene.models import Exposure, Leak
from qalxan.cyberhygiene.tests import leakfiles as lf

pytestmark = pytest.mark.django_db


def test_ingest_from_the_command_line(world: Any, domains: Any, tmp_path: Path) -> None:
    combo = lf.combolist(tmp_path / "combo.txt")
    folder = lf.stealer_folder(tmp_path / "logs")
    out = io.StringIO()
    call_command(
        "cyberhygiene",
        "ingest",
        str(combo),
        str(folder),
        "--user",
        "analyst",
        "--name",
        "CLI",
        "--date",
        "2026-10-01",
        "--no-notify",
        stdout=out,
        stderr=io.StringIO(),
    )
    leak = Leak.objects.get()
    assert leak.name == "CLI" and leak.leaked_on.isoformat() == "2026-10-01" and leak.state == "done"
    assert f"{len(lf.COMBO_PLANTED) + len(lf.STEALER_PLANTED)} state accounts" in out.getvalue()
    assert not Exposure.objects.exclude(state="open").exists()
    assert combo.exists()  # the operator's own files stay
    with pytest.raises(CommandError, match="CLI"):
        call_command(
            "cyberhygiene", "ingest", str(combo), str(folder), "--user", "analyst", stderr=io.StringIO()
        )
    with pytest.raises(CommandError):
        call_command("cyberhygiene", "ingest", str(combo), "--user", "officer.a", stderr=io.StringIO())
    out = io.StringIO()
    call_command("cyberhygiene", "notify", "--user", "analyst", stdout=out)
    assert out.getvalue().startswith(f"{Exposure.objects.count()} accounts notified")
