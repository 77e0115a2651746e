"""Campaign → answer → submit → review → lock, with refusals; scores; evidence; findings; inspection plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from qalxan.compliance import scoring, services
from qalxan.compliance.choices import Answer, AssessmentState, FindingState, Review, ScoreDimension
from qalxan.compliance.models import CampaignScore, EvidenceVersion, RequirementAssessment
from qalxan.compliance.tests.factories import campaign, small_catalogue, system
from qalxan.core.files import Upload
from qalxan.core.models import AuditEntry, Notification
from qalxan.core.workflows import TransitionRefused

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def _answer_all(assessment: Any, actor: Any, answers: list[str]) -> None:
    for item, answer in zip(assessment.items.order_by("requirement__position"), answers, strict=True):
        services.answer_requirement(
            actor=actor, item=item, answer=answer, comment="" if answer == Answer.COMPLIANT else "Səbəb"
        )


def test_full_lifecycle_with_refusals_for_wrong_roles_and_states(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    officer, supervisor = world.users["officer_a"], world.users["supervisor"]
    with django_capture_on_commit_callbacks(execute=True):
        run = campaign(world, small_catalogue(), [world.ministry])
    assessment = run.assessments.get()
    assert assessment.items.count() == 4 and assessment.state == AssessmentState.OPEN
    assert Notification.objects.filter(recipient=officer, subject__contains="Kampaniya").exists()
    items = list(assessment.items.order_by("requirement__position"))

    # Wrong roles: another institution, a viewer, the supervisor cannot answer.
    for who in ("officer_b", "viewer_a", "supervisor"):
        with pytest.raises(PermissionDenied):
            services.answer_requirement(actor=world.users[who], item=items[0], answer=Answer.COMPLIANT)
    # Bad answers.
    with pytest.raises(ValidationError):
        services.answer_requirement(actor=officer, item=items[0], answer="maybe")
    with pytest.raises(ValidationError):
        services.answer_requirement(actor=officer, item=items[0], answer=Answer.NON_COMPLIANT, comment=" ")
    # Submitting with unanswered requirements is refused.
    services.answer_requirement(actor=officer, item=items[0], answer=Answer.COMPLIANT)
    with pytest.raises(TransitionRefused, match="not answered"):
        services.submit_assessment(actor=officer, assessment=assessment)
    for item in items[1:]:
        services.answer_requirement(actor=officer, item=item, answer=Answer.PARTIAL, comment="Qismən")
    # The supervisor may not submit for the institution.
    with pytest.raises(PermissionDenied):
        services.submit_assessment(actor=supervisor, assessment=assessment)
    # Reviewing before submission is refused.
    with pytest.raises(ValidationError):
        services.review_requirement(actor=supervisor, item=items[0], decision=Review.ACCEPTED)
    services.submit_assessment(actor=officer, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED and assessment.submitted_by == officer
    # A submitted assessment takes no answers.
    with pytest.raises(ValidationError, match="no longer"):
        services.answer_requirement(actor=officer, item=items[0], answer=Answer.PARTIAL, comment="x")
    # The institution may not review; returning needs a returned requirement; a return needs a comment.
    with pytest.raises(PermissionDenied):
        services.review_requirement(actor=officer, item=items[0], decision=Review.ACCEPTED)
    with pytest.raises(TransitionRefused):
        services.return_assessment(actor=supervisor, assessment=assessment)
    with pytest.raises(ValidationError):
        services.review_requirement(actor=supervisor, item=items[1], decision=Review.RETURNED, comment="")
    services.review_requirement(actor=supervisor, item=items[0], decision=Review.ACCEPTED)
    services.review_requirement(
        actor=supervisor, item=items[1], decision=Review.RETURNED, comment="Sübut yoxdur"
    )
    with pytest.raises(TransitionRefused, match="not accepted"):
        services.lock_assessment(actor=supervisor, assessment=assessment)
    services.return_assessment(actor=supervisor, assessment=assessment, message="Düzəldin")
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.RETURNED
    # Only the returned answers may change now.
    with pytest.raises(ValidationError, match="accepted"):
        services.answer_requirement(actor=officer, item=items[0], answer=Answer.PARTIAL, comment="x")
    services.answer_requirement(actor=officer, item=items[1], answer=Answer.COMPLIANT)
    services.submit_assessment(actor=officer, assessment=assessment)
    items[1].refresh_from_db()
    assert items[1].review == Review.PENDING
    assert services.accept_remaining(actor=supervisor, assessment=assessment) == 3
    # The institution may not lock.
    with pytest.raises(PermissionDenied):
        services.lock_assessment(actor=officer, assessment=assessment)
    services.lock_assessment(actor=supervisor, assessment=assessment)
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.LOCKED and assessment.locked_at is not None
    # Locked: answers, steps and evidence links are refused.
    with pytest.raises(ValidationError):
        services.answer_requirement(actor=officer, item=items[2], answer=Answer.COMPLIANT)
    with pytest.raises(TransitionRefused):
        services.submit_assessment(actor=officer, assessment=assessment)
    steps = list(
        AuditEntry.objects.filter(action="transition", object_id=str(assessment.pk))
        .order_by("id")
        .values_list("message", flat=True)
    )
    assert [s.split(":")[0] for s in steps] == [
        "assessment.submit",
        "assessment.return",
        "assessment.submit",
        "assessment.lock",
    ]


def test_score_arithmetic_on_a_hand_computed_example(world: Any) -> None:
    # Weights 2, 1, 1 (group 1) and 3 (group 2); answers compliant, partial, not applicable, non-compliant.
    run = campaign(world, small_catalogue((2, 1, 1, 3)), [world.ministry, world.other])
    a, b = run.assessments.order_by("organization_id")
    _answer_all(
        a,
        world.users["officer_a"],
        [Answer.COMPLIANT, Answer.PARTIAL, Answer.NOT_APPLICABLE, Answer.NON_COMPLIANT],
    )
    # b: everything compliant but one requirement unanswered (it earns nothing).
    for item in b.items.order_by("requirement__position")[:3]:
        services.answer_requirement(actor=world.users["officer_b"], item=item, answer=Answer.COMPLIANT)
    # a: earned 2·1 + 1·0.5 + 3·0 = 2.5 of possible 2 + 1 + 3 = 6 → 41.67
    # (group 1: 2.5 / 3 → 83.33; group 2: 0).
    assert scoring.summarise(a.items.all())["score"] == Decimal("41.67")
    # b: 2 + 1 + 1 = 4 of 7 → 57.14.
    assert scoring.summarise(b.items.all())["score"] == Decimal("57.14")
    services.recompute_scores(actor=world.users["supervisor"], campaign=run)
    run.refresh_from_db()
    # Campaign: (2.5 + 4) / (6 + 7) = 50.00.
    assert run.score == Decimal("50.00")
    a.refresh_from_db()
    assert a.score == Decimal("41.67")
    groups = {
        s.group.ref_id: s.score
        for s in CampaignScore.objects.filter(campaign=run, dimension=ScoreDimension.GROUP)
    }
    # Group 1: (2.5 + 4) / (3 + 4) = 92.86; group 2: 0 / (3 + 3) = 0.
    assert groups == {"g1": Decimal("92.86"), "g2": Decimal("0.00")}
    subjects = {
        s.organization_id: s.score
        for s in CampaignScore.objects.filter(campaign=run, dimension=ScoreDimension.SUBJECT)
    }
    assert subjects == {world.ministry.pk: Decimal("41.67"), world.other.pk: Decimal("57.14")}
    with pytest.raises(PermissionDenied):
        services.recompute_scores(actor=world.users["officer_a"], campaign=run)


def test_scope_and_applicability_resolve_against_the_registry(world: Any) -> None:
    from qalxan.compliance import library
    from qalxan.compliance.choices import ItemKind

    data = library.CatalogueData(
        name_az="Tətbiq",
        version="1",
        code="applies",
        nodes=[
            library.Node(ref_id="g", kind=ItemKind.GROUP, parent=None, title_az="G"),
            library.Node(ref_id="all", kind=ItemKind.REQUIREMENT, parent=0, title_az="Hamı"),
            library.Node(
                ref_id="cat1", kind=ItemKind.REQUIREMENT, parent=0, title_az="Yalnız I", categories=["I"]
            ),
            library.Node(
                ref_id="ics", kind=ItemKind.REQUIREMENT, parent=0, title_az="ICS", kinds=["control_system"]
            ),
            library.Node(
                ref_id="health", kind=ItemKind.REQUIREMENT, parent=0, title_az="Səhiyyə", sectors=["health"]
            ),
        ],
    )
    catalogue = services.create_catalogue(actor=None, data=data, system=True)
    grid = system(world.ministry, category="I", kind="control_system")
    portal = system(world.ministry, category="III")
    system(world.other, category="II", sector="health")
    run = services.launch_campaign(
        actor=world.users["supervisor"],
        organization=world.authority,
        catalogue=catalogue,
        title="Enerji",
        deadline=timezone.localdate() + dt.timedelta(days=5),
        sectors=["energy"],
    )
    assessment = run.assessments.get()
    assert assessment.organization == world.ministry
    rows = set(assessment.items.values_list("system_id", "requirement__ref_id"))
    assert rows == {(grid.pk, "all"), (grid.pk, "cat1"), (grid.pk, "ics"), (portal.pk, "all")}
    with pytest.raises(ValidationError):
        services.launch_campaign(
            actor=world.users["supervisor"],
            organization=world.authority,
            catalogue=catalogue,
            title="Boş",
            deadline=timezone.localdate() + dt.timedelta(days=5),
            sectors=["water_supply"],
        )
    with pytest.raises(PermissionDenied):
        services.launch_campaign(
            actor=world.users["officer_a"],
            organization=world.authority,
            catalogue=catalogue,
            title="X",
            deadline=timezone.localdate() + dt.timedelta(days=5),
            sectors=["energy"],
        )


def test_prefill_from_mapped_catalogue(world: Any, catalogues: Any) -> None:
    general, model = catalogues
    officer = world.users["officer_a"]
    first = campaign(world, general, [world.ministry], title="Birinci").assessments.get()
    source = first.items.get(requirement__ref_id="gr-gov-1")
    services.answer_requirement(actor=officer, item=source, answer=Answer.COMPLIANT)
    second = campaign(world, model, [world.ministry], title="İkinci").assessments.get()
    assert services.prefill_assessment(actor=officer, assessment=second) == 1
    target = second.items.get(requirement__ref_id="mr-gov-1")
    assert target.answer == Answer.COMPLIANT and target.prefilled_from == source


def test_evidence_is_validated_hashed_versioned_and_reminded(world: Any, settings: Any) -> None:
    officer = world.users["officer_a"]
    item = campaign(world, small_catalogue(), [world.ministry]).assessments.get().items.first()
    for name, content in (
        ("run.exe", b"MZ..."),
        ("fake.pdf", b"MZ not a pdf"),
        ("x.txt", b"\xff\xfe\x00"),
        ("e.pdf", b""),
    ):
        with pytest.raises(ValidationError):
            services.add_evidence(
                actor=officer, organization=world.ministry, title="x", upload=Upload(name, content)
            )
    assert not EvidenceVersion.objects.exists()
    with pytest.raises(PermissionDenied):
        services.add_evidence(actor=officer, organization=world.other, title="x", upload=Upload("a.pdf", PDF))
    soon = timezone.localdate() + dt.timedelta(days=5)
    evidence = services.add_evidence(
        actor=officer,
        organization=world.ministry,
        title="Siyasət",
        upload=Upload("siyasət.pdf", PDF),
        expires_on=soon,
        items=[item],
    )
    v1 = evidence.versions.get()
    import hashlib

    assert v1.sha256 == hashlib.sha256(PDF).hexdigest() and default_storage.exists(v1.file.name)
    v2 = services.add_evidence_version(actor=officer, evidence=evidence, upload=Upload("v2.txt", b"yeni"))
    assert v2.number == 2 and evidence.versions.count() == 2
    assert list(item.evidence.all()) == [evidence]
    assert services.remind_expiring_evidence() == 1
    assert Notification.objects.filter(recipient=officer, subject__contains="Siyasət").exists()
    assert services.remind_expiring_evidence() == 0  # once per expiry date


def test_findings_remediation_verification_and_escalation(world: Any) -> None:
    supervisor, officer = world.users["supervisor"], world.users["officer_a"]
    with pytest.raises(PermissionDenied):
        services.create_finding(
            actor=officer, organization=world.ministry, description="x", deadline=timezone.localdate()
        )
    finding = services.create_finding(
        actor=supervisor,
        organization=world.ministry,
        description="Jurnallar saxlanmır",
        deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    assert finding.overdue
    with pytest.raises(PermissionDenied):
        services.escalate_finding(actor=officer, finding=finding)
    services.escalate_finding(actor=supervisor, finding=finding)
    with pytest.raises(ValidationError):
        services.escalate_finding(actor=supervisor, finding=finding)
    with pytest.raises(TransitionRefused):
        services.submit_remediation(actor=officer, finding=finding, remediation=" ")
    with pytest.raises(PermissionDenied):
        services.submit_remediation(actor=world.users["officer_b"], finding=finding, remediation="x")
    services.submit_remediation(actor=officer, finding=finding, remediation="Saxlama 12 aya çatdırıldı")
    with pytest.raises(PermissionDenied):
        services.verify_finding(actor=officer, finding=finding, accept=True)
    with pytest.raises(TransitionRefused):
        services.verify_finding(actor=supervisor, finding=finding, accept=False, comment="")
    services.verify_finding(actor=supervisor, finding=finding, accept=False, comment="Sübut yoxdur")
    assert finding.state == FindingState.OPEN
    services.submit_remediation(actor=officer, finding=finding, remediation="Sübut əlavə edildi")
    services.verify_finding(actor=supervisor, finding=finding, accept=True)
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED and not finding.overdue
    with pytest.raises(ValidationError):
        services.create_finding(
            actor=supervisor, organization=world.ministry, description="", deadline=timezone.localdate()
        )


def test_escalated_finding_is_a_commission_agenda_candidate(world: Any) -> None:
    from qalxan.commission import sources

    finding = services.create_finding(
        actor=world.users["supervisor"],
        organization=world.ministry,
        description="Gecikmiş",
        deadline=timezone.localdate() - dt.timedelta(days=3),
    )
    source = sources.get("compliance.overdue_finding")
    assert source is not None
    assert source.candidates(world.users["secretary"]) == []
    services.escalate_finding(actor=world.users["supervisor"], finding=finding)
    [candidate] = source.candidates(world.users["secretary"])
    assert candidate.object_id == str(finding.pk) and finding.reference in candidate.label
    assert world.ministry.name not in candidate.label

    class Item:
        pk = 77

    assert source.on_added is not None
    source.on_added(Item(), finding, world.users["secretary"])
    finding.refresh_from_db()
    assert finding.agenda_item_id == 77 and source.candidates(world.users["secretary"]) == []


def test_inspection_plan_is_due_on_20_december_and_sent_once(world: Any) -> None:
    supervisor = world.users["supervisor"]
    plan = services.create_plan(
        actor=supervisor, organization=world.authority, year=2027, recipient=world.agency
    )
    assert plan.due_date == dt.date(2026, 12, 20)
    with pytest.raises(ValidationError):
        services.create_plan(actor=supervisor, organization=world.authority, year=2027)
    with pytest.raises(TransitionRefused):
        services.send_plan(actor=supervisor, plan=plan)
    cii = system(world.ministry)
    with pytest.raises(ValidationError):
        services.add_inspection(
            actor=supervisor,
            plan=plan,
            organization=world.other,
            system=cii,
            starts_on=dt.date(2027, 3, 1),
            ends_on=dt.date(2027, 3, 2),
        )
    with pytest.raises(ValidationError):
        services.add_inspection(
            actor=supervisor,
            plan=plan,
            organization=world.ministry,
            starts_on=dt.date(2027, 3, 5),
            ends_on=dt.date(2027, 3, 2),
        )
    inspection = services.add_inspection(
        actor=supervisor,
        plan=plan,
        organization=world.ministry,
        system=cii,
        starts_on=dt.date(2027, 3, 1),
        ends_on=dt.date(2027, 3, 2),
        inspectors=[supervisor],
    )
    with pytest.raises(PermissionDenied):
        services.send_plan(actor=world.users["officer_a"], plan=plan)
    services.send_plan(actor=supervisor, plan=plan)
    assert plan.state == "sent" and plan.sent_at is not None
    with pytest.raises(ValidationError):
        services.add_inspection(
            actor=supervisor,
            plan=plan,
            organization=world.ministry,
            starts_on=dt.date(2027, 4, 1),
            ends_on=dt.date(2027, 4, 2),
        )
    services.file_inspection_report(actor=supervisor, inspection=inspection, report="Hesabat")
    assert inspection.state == "reported"


def test_launching_writes_one_audit_entry_and_rows_in_batches(world: Any) -> None:
    run = campaign(world, small_catalogue(), [world.ministry, world.other, world.subordinate])
    assert RequirementAssessment.objects.filter(assessment__campaign=run).count() == 12
    entry = AuditEntry.objects.get(action="create", object_id=str(run.pk), content_type__model="campaign")
    assert entry.after["requirement_assessments"] == 12
