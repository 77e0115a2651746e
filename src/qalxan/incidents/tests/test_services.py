"""Services: the lifecycle's allowed and refused steps, severity from CII objects, late reports, measures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qalxan.core.files import Upload
from qalxan.core.models import AuditEntry
from qalxan.core.workflows import TransitionRefused
from qalxan.incidents import services
from qalxan.incidents.models import Incident, Measure, TimelineEntry
from qalxan.incidents.tests.factories import incident, system


def test_report_records_delay_audit_and_timeline(world: Any) -> None:
    officer = world.users["officer_a"]
    inc = incident(officer, world.ministry, detected_at=timezone.now() - dt.timedelta(hours=100))
    assert inc.state == "reported" and inc.report_delay_seconds >= 100 * 3600
    assert inc.report_late  # medium: 72 hours
    assert inc.triage_due is not None
    assert AuditEntry.objects.filter(action="create", object_id=str(inc.pk)).exists()
    assert TimelineEntry.objects.filter(incident=inc).count() >= 2


def test_designated_cii_object_raises_severity(world: Any) -> None:
    officer = world.users["officer_a"]
    cii = system(world.ministry, cii=True, category="II")
    inc = incident(officer, world.ministry, severity="low", affected_systems=[cii])
    assert inc.severity == "high" and cii.registry_number in inc.severity_reason
    top = system(world.ministry, cii=True, category="I")
    inc2 = incident(officer, world.ministry, severity="medium", affected_systems=[top])
    assert inc2.severity == "critical"
    with pytest.raises(ValidationError):
        services.set_severity(actor=world.users["analyst"], incident=inc2, severity="low")


def test_institution_cannot_pick_another_institutions_system(world: Any) -> None:
    foreign = system(world.other)
    with pytest.raises(ValidationError) as info:
        incident(world.users["officer_a"], world.ministry, affected_systems=[foreign])
    assert "affected_systems" in info.value.message_dict
    with pytest.raises(ValidationError):
        incident(world.users["officer_a"], world.ministry, affected_systems=[999999])
    assert not Incident.objects.exists()
    # An analyst may pick any system.
    assert incident(world.users["analyst"], world.ministry, affected_systems=[foreign]).pk


def test_institution_cannot_report_for_another(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        incident(world.users["officer_a"], world.other)
    with pytest.raises(PermissionDenied):
        incident(world.users["viewer_a"], world.ministry)


def test_full_lifecycle_and_refused_steps(world: Any) -> None:
    analyst, officer = world.users["analyst"], world.users["officer_a"]
    inc = incident(officer, world.ministry)
    with pytest.raises(TransitionRefused):
        services.move_incident(actor=analyst, incident=inc, step="resolve")
    with pytest.raises(PermissionDenied):
        services.move_incident(actor=officer, incident=inc, step="accept")
    services.move_incident(actor=analyst, incident=inc, step="accept", severity="high")
    assert inc.state == "triaged" and inc.assignee == analyst and inc.triage_seconds is not None
    assert inc.resolve_due is not None
    for step in ("start", "contain", "resolve"):
        services.move_incident(actor=analyst, incident=inc, step=step)
    assert inc.resolve_seconds is not None
    services.move_incident(actor=analyst, incident=inc, step="close")
    assert Incident.objects.get(pk=inc.pk).state == "closed"
    with pytest.raises(TransitionRefused):
        services.move_incident(actor=analyst, incident=inc, step="reopen")
    assert AuditEntry.objects.filter(action="transition", object_id=str(inc.pk)).count() == 5


def test_reject_needs_a_reason_and_duplicate_needs_an_original(world: Any) -> None:
    analyst, officer = world.users["analyst"], world.users["officer_a"]
    inc = incident(officer, world.ministry)
    with pytest.raises(TransitionRefused):
        services.move_incident(actor=analyst, incident=inc, step="reject")
    with pytest.raises(TransitionRefused):
        services.move_incident(actor=analyst, incident=inc, step="mark_duplicate")
    original = incident(officer, world.ministry, title="Orijinal", indicators="1.2.3.4")
    services.move_incident(actor=analyst, incident=inc, step="mark_duplicate", duplicate_of=original)
    assert inc.state == "duplicate" and inc.duplicate_of == original
    assert original in inc.related.all()
    other = incident(officer, world.ministry)
    services.move_incident(actor=analyst, incident=other, step="reject", reason="Yalan həyəcan")
    assert other.state == "rejected" and other.decision_reason == "Yalan həyəcan"


def test_merge_carries_systems_attachments_and_indicators(world: Any) -> None:
    analyst, officer = world.users["analyst"], world.users["officer_a"]
    s = system(world.ministry)
    target = incident(officer, world.ministry, indicators="evil.example")
    dup = incident(
        officer,
        world.ministry,
        indicators="10.0.0.1",
        affected_systems=[s],
        attachments=[Upload("log.txt", b"log")],
    )
    services.move_incident(actor=analyst, incident=dup, step="merge", duplicate_of=target)
    target.refresh_from_db()
    assert s in target.affected_systems.all() and "10.0.0.1" in target.indicators
    assert target.attachments.get().filename == "log.txt"


def test_measures_requested_confirmed_verified(world: Any) -> None:
    analyst, officer = world.users["analyst"], world.users["officer_a"]
    inc = incident(officer, world.ministry)
    with pytest.raises(ValidationError):
        services.request_measure(actor=analyst, incident=inc, kind="patch", description="Yamaq")
    services.move_incident(actor=analyst, incident=inc, step="accept")
    with pytest.raises(PermissionDenied):
        services.request_measure(actor=officer, incident=inc, kind="patch", description="Yamaq")
    measure = services.request_measure(actor=analyst, incident=inc, kind="patch", description="Yamaq")
    with pytest.raises(PermissionDenied):
        services.confirm_measure(actor=world.users["officer_b"], measure=measure, comment="x")
    with pytest.raises(ValidationError):
        services.verify_measure(actor=analyst, measure=measure, accept=True)
    services.confirm_measure(
        actor=officer,
        measure=measure,
        comment="Quraşdırıldı",
        evidence=Upload("evidence.txt", b"ok"),
    )
    with pytest.raises(ValidationError):
        services.verify_measure(actor=analyst, measure=measure, accept=False)
    measure = services.verify_measure(actor=analyst, measure=measure, accept=False, comment="Sübut azdır")
    assert measure.state == "returned"
    services.confirm_measure(actor=officer, measure=measure, comment="Yenidən")
    for step in ("start", "resolve"):
        services.move_incident(actor=analyst, incident=inc, step=step)
    with pytest.raises(TransitionRefused):
        services.move_incident(actor=analyst, incident=inc, step="close")
    services.verify_measure(actor=analyst, measure=measure, accept=True)
    services.move_incident(actor=analyst, incident=inc, step="close")
    assert Measure.objects.get(pk=measure.pk).state == "verified"


def test_draft_from_email_is_submitted_by_the_institution(world: Any) -> None:
    officer = world.users["officer_a"]
    draft = services.report_incident(
        actor=None,
        organization=world.ministry,
        title="Məktub",
        detected_at=timezone.now(),
        draft=True,
        channel="email",
    )
    assert draft.state == "draft" and draft.reported_at is None
    with pytest.raises(PermissionDenied):
        services.move_incident(actor=world.users["officer_b"], incident=draft, step="submit")
    services.move_incident(actor=officer, incident=draft, step="submit")
    assert draft.state == "reported" and draft.reported_at is not None


def test_deadlines_are_flagged_and_reminded(world: Any) -> None:
    officer = world.users["officer_a"]
    inc = incident(officer, world.ministry, severity="critical")  # triage within 1 hour
    counts = services.check_deadlines(now=inc.reported_at + dt.timedelta(minutes=50))
    assert counts == {"breached": 0, "reminded": 1}
    counts = services.check_deadlines(now=inc.reported_at + dt.timedelta(hours=2))
    assert counts["breached"] == 1 and Incident.objects.get(pk=inc.pk).sla_breached
    assert services.check_deadlines(now=inc.reported_at + dt.timedelta(hours=3))["breached"] == 0


def test_comments_and_officer_edits(world: Any) -> None:
    analyst, officer = world.users["analyst"], world.users["officer_a"]
    inc = incident(officer, world.ministry)
    services.add_comment(actor=officer, incident=inc, message="Əlavə məlumat")
    with pytest.raises(PermissionDenied):
        services.add_comment(actor=world.users["officer_b"], incident=inc, message="x")
    services.update_incident(actor=officer, incident=inc, impact="Portal dayanıb")
    services.move_incident(actor=analyst, incident=inc, step="accept")
    with pytest.raises(PermissionDenied):
        services.update_incident(actor=officer, incident=inc, impact="x")
    services.update_incident(actor=analyst, incident=inc, impact="Analitik")


def test_changing_the_detection_time_recomputes_the_late_flag(world: Any) -> None:
    officer = world.users["officer_a"]
    inc = incident(officer, world.ministry)
    assert not inc.report_late
    services.update_incident(actor=officer, incident=inc, detected_at=inc.reported_at - dt.timedelta(days=5))
    assert Incident.objects.get(pk=inc.pk).report_late
    with pytest.raises(ValidationError):
        services.update_incident(
            actor=officer, incident=inc, detected_at=timezone.now() + dt.timedelta(days=1)
        )
