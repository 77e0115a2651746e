"""Follow-up: notices to institutions, confirmation per account, admin lists, stealer victims as incidents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qalxan.core.models import AuditEntry, Notification
from qalxan.cyberhygiene import queries, services
from qalxan.cyberhygiene.choices import ExposureState
from qalxan.cyberhygiene.models import AdminAccount, Exposure, StealerVictim
from qalxan.cyberhygiene.tests import leakfiles as lf

pytestmark = pytest.mark.django_db


@pytest.fixture
def ingested(world: Any, domains: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any) -> Any:
    analyst = world.users["analyst"]
    services.add_admin_account(
        actor=world.users["officer_a"], organization=world.ministry, login="A.Aliyev@mina.gov.az"
    )
    files = [lf.combolist(tmp_path / "combo.txt"), lf.stealer_zip(tmp_path / "s.zip")]
    with django_capture_on_commit_callbacks(execute=True):
        leak = services.register_leak(actor=analyst, name="Q4 leak", paths=files)
        return services.ingest_leak(actor=analyst, leak=leak, paths=files)


def test_institutions_are_notified_with_their_accounts(world: Any, ingested: Any) -> None:
    assert not Exposure.objects.filter(state=ExposureState.OPEN).exists()
    notes = Notification.objects.filter(recipient=world.users["officer_a"])
    assert notes.exists()
    body = "\n".join(n.body for n in notes)
    assert "a••••••v@mina.gov.az" in body and "Q4 leak" in body
    assert not Notification.objects.filter(
        recipient=world.users["officer_b"], body__contains="mina.gov.az"
    ).exists()
    assert AuditEntry.objects.filter(organization_id=world.ministry.pk, action="import").exists()


def test_admin_accounts_are_flagged(world: Any, ingested: Any) -> None:
    admin = Exposure.objects.get(login_masked="a••••••v@mina.gov.az")
    assert admin.is_admin
    assert Exposure.objects.filter(is_admin=True).count() == 1
    quarter = queries.Quarter.of(admin.first_seen_at.date())
    assert queries.admin_share(quarter, [world.ministry.pk]) is not None
    account = services.add_admin_account(
        actor=world.users["officer_a"], organization=world.ministry, login="g.guliyev@mina.gov.az"
    )[0]
    assert Exposure.objects.get(login_masked="g•••••••v@mina.gov.az").is_admin
    services.delete_admin_account(actor=world.users["officer_a"], account=account)
    assert not Exposure.objects.get(login_masked="g•••••••v@mina.gov.az").is_admin
    with pytest.raises(PermissionDenied):
        services.add_admin_account(
            actor=world.users["officer_b"], organization=world.ministry, login="x@mina.gov.az"
        )
    assert "a.aliyev" not in str(list(AdminAccount.objects.values()))


def test_institution_confirms_and_analyst_sees_what_is_open(world: Any, ingested: Any) -> None:
    exposure = Exposure.objects.filter(organization=world.ministry).first()
    with pytest.raises(PermissionDenied):
        services.confirm_exposure(
            actor=world.users["officer_b"], exposure=exposure, measures_done=["reset_password"]
        )
    with pytest.raises(ValidationError):
        services.confirm_exposure(
            actor=world.users["officer_a"], exposure=exposure, measures_done=["enforce_2fa"]
        )
    services.confirm_exposure(
        actor=world.users["officer_a"],
        exposure=exposure,
        measures_done=["reset_password", "enforce_2fa"],
        note="reset on Monday",
    )
    exposure.refresh_from_db()
    assert exposure.state == ExposureState.RESOLVED and exposure.resolved_by == world.users["officer_a"]
    assert AuditEntry.objects.filter(action="transition", object_id=str(exposure.pk)).count() >= 2
    still = queries.open_followup()
    assert still["open"] == Exposure.objects.count() - 1
    quarter = queries.Quarter.of(exposure.resolved_at.date())
    assert queries.median_days_to_reset(quarter) is not None
    other = Exposure.objects.filter(organization=world.ministry, state=ExposureState.NOTIFIED).first()
    with pytest.raises(PermissionDenied):
        services.dismiss_exposure(actor=world.users["officer_a"], exposure=other, note="x")
    services.reopen_exposure(actor=world.users["analyst"], exposure=exposure, note="password reused")
    exposure.refresh_from_db()
    assert exposure.state == ExposureState.NOTIFIED and not exposure.measures_done


def test_stealer_victim_becomes_an_incident_in_one_step(world: Any, ingested: Any) -> None:
    victim = StealerVictim.objects.get(organization=world.ministry)
    with pytest.raises(PermissionDenied):
        services.escalate_victim(actor=world.users["officer_a"], victim=victim)
    incident = services.escalate_victim(actor=world.users["analyst"], victim=victim)
    victim.refresh_from_db()
    assert victim.incident == incident and incident.organization == world.ministry
    assert incident.taxonomy_type.code == "infected-system" and "WS-MINA-017" in incident.title
    with pytest.raises(ValidationError):
        services.escalate_victim(actor=world.users["analyst"], victim=victim)


def test_quarterly_figures(world: Any, ingested: Any) -> None:
    quarter = queries.Quarter.of(ingested.finished_at.date())
    figures = queries.figures(quarter)
    staff = Exposure.objects.filter(is_staff=True).values("login_hmac").distinct().count()
    assert figures["compromised_staff"] == staff
    assert figures["bodies_affected"] == 3
    rows = queries.per_institution(quarter, [world.ministry.pk])
    assert [r["organization"] for r in rows] == [world.ministry]
    from qalxan.core import metrics

    assert metrics.get("cyberhygiene.compromised_staff").compute(quarter.start) == staff
    assert str(queries.Quarter.parse("2026-Q2")) == "2026Q2" and queries.Quarter(
        2026, 1
    ).previous() == queries.Quarter(2025, 4)
