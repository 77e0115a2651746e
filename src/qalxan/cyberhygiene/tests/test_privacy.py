"""No clear-text password anywhere: not in any text column of any table, not in the log, not in any export."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.test import Client

from qalxan.cyberhygiene import services
from qalxan.cyberhygiene.models import Exposure, StealerVictim
from qalxan.cyberhygiene.tests import leakfiles as lf

PASSWORDS = [p.password for p in lf.ALL_PLANTED] + lf.NEAR_PASSWORDS + lf.STEALER_NEAR + lf.CSV_NEAR


def _leaked(blob: str) -> list[str]:
    return [p for p in PASSWORDS if p in blob]


def _database_text() -> str:
    parts = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField, models.BinaryField))
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            parts.append(" ".join(str(v) for v in row))
    return "\n".join(parts)


@pytest.mark.django_db
def test_planted_passwords_are_nowhere(
    world: Any, domains: Any, tmp_path: Path, caplog: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    analyst = world.users["analyst"]
    files = [
        lf.combolist(tmp_path / "combo.txt"),
        lf.stealer_zip(tmp_path / "stealer.zip"),
        lf.csv_dump(tmp_path / "dump.csv"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        leak = services.register_leak(actor=analyst, name="privacy", paths=files)
        leak = services.ingest_leak(actor=analyst, leak=leak, paths=files)
    assert leak.records_matched == len(lf.ALL_PLANTED)
    victim = StealerVictim.objects.get(organization=world.ministry)
    with django_capture_on_commit_callbacks(execute=True):
        services.escalate_victim(actor=analyst, victim=victim)
    exposure = Exposure.objects.filter(organization=world.ministry).first()
    services.confirm_exposure(
        actor=world.users["officer_a"],
        exposure=exposure,
        measures_done=["reset_password", "enforce_2fa"],
        note="done",
    )

    assert not _leaked(_database_text())
    assert not _leaked(caplog.text)
    assert not _leaked("\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox))

    browser = Client()
    browser.force_login(analyst)
    exports = {
        "csv": browser.get("/cyberhygiene/accounts/export.csv"),
        "xlsx": browser.get("/cyberhygiene/report.xlsx"),
        "pdf": browser.get("/cyberhygiene/report.pdf"),
        "page": browser.get(f"/cyberhygiene/leaks/{leak.pk}/"),
        "list": browser.get("/cyberhygiene/accounts/"),
        "exposure": browser.get(f"/cyberhygiene/accounts/{exposure.pk}/"),
    }
    for name, response in exposures_ok(exports):
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        if name == "xlsx":
            with zipfile.ZipFile(io.BytesIO(body)) as book:
                text = "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
        if name == "pdf":
            from pypdf import PdfReader

            text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
            assert "Cyber" in text or "Kiber" in text or "quarter" in text.lower() or text
        assert not _leaked(text), name
    client = api("analyst")
    for path in (
        "/api/v1/cyberhygiene/exposures/",
        "/api/v1/cyberhygiene/leaks/",
        "/api/v1/cyberhygiene/victims/",
        f"/api/v1/cyberhygiene/leaks/{leak.pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert not _leaked(response.content.decode()), path
        assert "password_hmac" not in response.content.decode()
    # Uploaded copies are deleted; the CLI's own files are the operator's.
    assert all(f.exists() for f in files)


def exposures_ok(exports: dict[str, Any]) -> list[tuple[str, Any]]:
    for name, response in exports.items():
        assert response.status_code == 200, (name, response.status_code)
    return list(exports.items())
