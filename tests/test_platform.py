"""The platform as a whole: production profile, demo data, background jobs, the `qalxan` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

ROOT = Path(__file__).resolve().parent.parent


def _qalxan(
    *args: str, env: dict[str, str] | None = None, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "-m", "qalxan.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**base, **(env or {})},
        cwd=ROOT,
        check=False,
    )


def test_production_profile_passes_check_deploy(tmp_path: Path) -> None:
    result = _qalxan(
        "manage",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "QALXAN_PROFILE": "production",
            "QALXAN_DEBUG": "0",
            "QALXAN_VAR_DIR": str(tmp_path),
            "QALXAN_ALLOWED_HOSTS": "qalxan.gov.az",
            "QALXAN_SECRET_KEY": "k" * 20 + "x-Y_z" * 12,
            "QALXAN_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_generated_once_into_var(tmp_path: Path) -> None:
    env = {"QALXAN_VAR_DIR": str(tmp_path), "QALXAN_SECRET_KEY": ""}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _qalxan("manage", "shell", "-c", code, env=env).stdout.strip().splitlines()[-1]
    second = _qalxan("manage", "shell", "-c", code, env=env).stdout.strip().splitlines()[-1]
    assert len(first) > 50 and first == second
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


@pytest.mark.django_db(transaction=True)
def test_demo_is_idempotent_and_deterministic() -> None:
    from qalxan.core import demo
    from qalxan.organizations.models import Contact, Membership, Organization

    first = demo.load(scale="small", seed=7, password="Demo-password-1")
    counts = (Organization.objects.count(), Contact.objects.count(), Membership.objects.count())
    voens = dict(Organization.objects.values_list("code", "voen"))
    demo.load(scale="small", seed=7, password="Demo-password-1")
    assert (Organization.objects.count(), Contact.objects.count(), Membership.objects.count()) == counts
    assert dict(Organization.objects.values_list("code", "voen")) == voens
    usernames = {u for u, _ in first.logins}
    assert {"admin", "supervisor", "analyst", "secretary", "strategy", "member", "auditor"} <= usernames
    assert len([u for u in usernames if u.startswith("officer.")]) >= 2
    assert counts[0] >= 80
    # Every one of the ten sectors has CII subjects; every VÖEN passes its checksum.
    from qalxan.organizations.models import Sector

    for sector in Sector.objects.all():
        assert sector.organizations.filter(is_cii_subject=True).exists(), sector.code
    assert not Organization.objects.filter(voen_checksum_ok=False).exists()


@pytest.mark.django_db(transaction=True)
def test_demo_users_can_sign_in(client: Any) -> None:
    from qalxan.core import demo

    demo.load(scale="small", password="Demo-password-1")
    response = client.post("/account/login/", {"username": "officer.mddt", "password": "Demo-password-1"})
    assert response.status_code == 302
    page = client.get("/organizations/").content.decode()
    assert "RİNN" in page and "SOCAR" not in page


def test_notifications_are_emailed_by_the_background_job(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from qalxan.core.models import Notification
    from qalxan.core.services import notify

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[world.users["officer_a"]], subject="Yoxlama", body="Mətn", url="/organizations/")
    note = Notification.objects.get(recipient=world.users["officer_a"])
    assert note.emailed_at is not None
    assert mail.outbox[-1].subject == "Yoxlama" and mail.outbox[-1].to == [world.users["officer_a"].email]


def test_redis_queue_runs_a_job_through_a_real_consumer(tmp_path: Path) -> None:
    """With QALXAN_REDIS_URL, jobs go through Redis and a separate `qalxan worker` process runs them."""
    url = os.environ.get("QALXAN_REDIS_TEST_URL")
    if not url:
        pytest.skip("QALXAN_REDIS_TEST_URL is not set")
    env = {
        "QALXAN_REDIS_URL": url,
        "QALXAN_HUEY_IMMEDIATE": "0",
        "QALXAN_VAR_DIR": str(tmp_path),
        "QALXAN_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "QALXAN_HUEY_NAME": f"qalxan-test-{os.getpid()}",
    }
    assert _qalxan("manage", "migrate", "--no-input", env=env).returncode == 0
    worker = subprocess.Popen(
        [sys.executable, "-m", "qalxan.cli", "worker", "--workers", "1"],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        script = (
            "from qalxan.core.tasks import ping; r = ping('salam'); print(r.get(blocking=True, timeout=60))"
        )
        result = _qalxan("manage", "shell", "-c", script, env=env, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == "salam"
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test_cli_help_lists_the_commands() -> None:
    result = _qalxan("--help")
    for command in ("serve", "worker", "demo", "manage", "createadmin"):
        assert command in result.stdout


def test_a_module_command_is_a_qalxan_sub_command(tmp_path: Path) -> None:
    env = {"QALXAN_VAR_DIR": str(tmp_path)}
    result = _qalxan("incident_maildir", "--help", env=env)
    assert result.returncode == 0, result.stderr
    assert "maildir" in result.stdout.lower()
    # Core's and Django's own commands stay behind `qalxan manage`.
    unknown = _qalxan("migrate", env=env)
    assert unknown.returncode != 0 and "invalid choice" in unknown.stderr


def test_createadmin_is_non_interactive_with_flags(tmp_path: Path) -> None:
    env = {"QALXAN_VAR_DIR": str(tmp_path), "QALXAN_DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    assert _qalxan("manage", "migrate", "--no-input", env=env).returncode == 0
    ok = _qalxan("createadmin", "--username", "boss", "--password", "Very-strong-pass-42", env=env)
    assert ok.returncode == 0, ok.stderr
    weak = _qalxan("createadmin", "--username", "weak", "--password", "123", env=env)
    assert weak.returncode == 1
