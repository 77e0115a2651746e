"""Demo data: the sample catalogues, last year's campaign (locked) and this year's with assessments in
every state, evidence, an inspection plan with inspections and findings (idempotent by campaign title)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from qalxan.compliance import samples, services
from qalxan.compliance.choices import Answer, AssessmentState, Review, Severity
from qalxan.compliance.models import Assessment, Campaign, Finding, InspectionPlan, RequirementAssessment
from qalxan.core import demo
from qalxan.core.files import Upload
from qalxan.core.roles import Role
from qalxan.organizations.models import Membership, Organization
from qalxan.registry import queries as registry_queries

PAST = "Kİİ ümumi tələbləri üzrə özünüqiymətləndirmə — keçən il"
CURRENT = "Nümunəvi əsasnamə üzrə özünüqiymətləndirmə — cari il"
COMMENTS = {
    Answer.PARTIAL: "Tətbiq edilib, lakin bütün sistemləri əhatə etmir.",
    Answer.NON_COMPLIANT: "Hələ tətbiq edilməyib; plan hazırlanır.",
    Answer.NOT_APPLICABLE: "Bu obyektə aid deyil.",
    Answer.COMPLIANT: "",
}
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _officer(org: Organization, fallback: Any) -> Any:
    membership = (
        Membership.objects.filter(organization=org, role=Role.INSTITUTION_OFFICER)
        .select_related("user")
        .first()
    )
    return membership.user if membership else fallback


def _answer_all(
    ctx: demo.DemoContext, assessment: Assessment, actor: Any, *, share: float = 1.0, good: float = 0.6
) -> None:
    items = list(assessment.items.order_by("id"))
    for item in items[: int(len(items) * share)]:
        roll = ctx.rng.random()
        answer = (
            Answer.COMPLIANT
            if roll < good
            else Answer.PARTIAL
            if roll < good + 0.2
            else Answer.NON_COMPLIANT
            if roll < 0.95
            else Answer.NOT_APPLICABLE
        )
        services.answer_requirement(actor=actor, item=item, answer=answer, comment=COMMENTS[answer])


@demo.register(30, "compliance")
def load_compliance(ctx: demo.DemoContext) -> None:
    catalogues = samples.ensure_samples(ctx.actor)
    if Campaign.objects.filter(title__in=[PAST, CURRENT]).exists():
        return
    User = get_user_model()
    supervisor = User.objects.filter(username="supervisor").first() or ctx.actor
    authority = Organization.objects.filter(kind="authority").order_by("pk").first()
    if authority is None or not registry_queries.designated().exists():
        ctx.say("  compliance: no designated CII objects, no campaigns")
        return
    today = timezone.localdate()
    general, model = catalogues
    # A couple of dozen subjects keep the small demo fast; the demo officers' institutions are among them.
    officers = set(
        Membership.objects.filter(role=Role.INSTITUTION_OFFICER).values_list("organization_id", flat=True)
    )
    owners = sorted(set(registry_queries.designated().values_list("owner_id", flat=True)))
    owners = sorted([o for o in owners if o in officers] + [o for o in owners if o not in officers][:8])

    # Last year's campaign: answered, accepted and locked everywhere, then closed.
    past = services.launch_campaign(
        actor=supervisor,
        organization=authority,
        catalogue=general,
        title=PAST,
        deadline=today + dt.timedelta(days=1),
        organizations=owners,
    )
    for assessment in past.assessments.select_related("organization").order_by("pk"):
        _answer_all(ctx, assessment, _officer(assessment.organization, ctx.actor), good=0.5)
        services.submit_assessment(actor=_officer(assessment.organization, ctx.actor), assessment=assessment)
        services.accept_remaining(actor=supervisor, assessment=assessment)
        services.lock_assessment(actor=supervisor, assessment=assessment)
    services.close_campaign(actor=supervisor, campaign=past)
    year_ago = timezone.now() - dt.timedelta(days=365)
    Campaign.objects.filter(pk=past.pk).update(
        created_at=year_ago, deadline=(year_ago + dt.timedelta(days=60)).date()
    )
    services.recompute_scores(actor=supervisor, campaign=past)

    # This year's campaign: every state of the lifecycle.
    current = services.launch_campaign(
        actor=supervisor,
        organization=authority,
        catalogue=model,
        title=CURRENT,
        deadline=today + dt.timedelta(days=45),
        organizations=owners,
    )
    plan = [
        AssessmentState.OPEN,
        "partial",
        AssessmentState.SUBMITTED,
        AssessmentState.RETURNED,
        AssessmentState.LOCKED,
    ]
    assessments = list(current.assessments.select_related("organization").order_by("pk"))
    for n, assessment in enumerate(assessments):
        goal = plan[n % len(plan)] if n >= 4 or assessment.organization.code not in {"mddt"} else "partial"
        officer = _officer(assessment.organization, ctx.actor)
        if goal == AssessmentState.OPEN:
            continue
        if goal == "partial":
            services.prefill_assessment(actor=officer, assessment=assessment)
            _answer_all(ctx, assessment, officer, share=0.5, good=0.7)
            continue
        _answer_all(ctx, assessment, officer, good=0.7)
        item = assessment.items.order_by("id").first()
        if item is not None:
            services.add_evidence(
                actor=officer,
                organization=assessment.organization,
                title="İnformasiya təhlükəsizliyi siyasəti",
                upload=Upload("siyaset.pdf", PDF, "application/pdf"),
                expires_on=today + dt.timedelta(days=20 if n % 2 else 300),
                items=[item],
            )
        services.submit_assessment(actor=officer, assessment=assessment)
        if goal == AssessmentState.SUBMITTED:
            continue
        if goal == AssessmentState.RETURNED:
            first = assessment.items.order_by("id").first()
            if first is not None:
                services.review_requirement(
                    actor=supervisor,
                    item=first,
                    decision=Review.RETURNED,
                    comment="Sübut əlavə edin: təsdiq əmri.",
                )
            services.return_assessment(actor=supervisor, assessment=assessment, message="Qeydlərə baxın.")
            continue
        services.accept_remaining(actor=supervisor, assessment=assessment)
        services.lock_assessment(actor=supervisor, assessment=assessment)
    services.recompute_scores(actor=supervisor, campaign=current)

    # Next year's inspection plan, one inspection reported, its findings in every state.
    year = today.year + 1
    inspection_plan = InspectionPlan.objects.filter(organization=authority, year=year).first()
    if inspection_plan is None:
        agency = Organization.objects.filter(kind="supervising_agency").order_by("pk").first()
        inspection_plan = services.create_plan(
            actor=supervisor, organization=authority, year=year, recipient=agency
        )
        systems = list(registry_queries.designated().select_related("owner").order_by("pk")[:3])
        inspectors = list(User.objects.filter(memberships__role=Role.SUPERVISOR).distinct()[:2])
        for k, system in enumerate(systems):
            start = dt.date(year, 2 + 3 * k, 10)
            services.add_inspection(
                actor=supervisor,
                plan=inspection_plan,
                organization=system.owner,
                system=system,
                starts_on=start,
                ends_on=start + dt.timedelta(days=4),
                inspectors=inspectors,
            )
    # Last year's inspection (of the plan already carried out) with a report and findings.
    done_plan = InspectionPlan.objects.filter(organization=authority, year=today.year).first()
    if done_plan is None:
        done_plan = services.create_plan(actor=supervisor, organization=authority, year=today.year)
        inspected = registry_queries.designated().select_related("owner").order_by("pk").first()
        if inspected is not None:
            inspection = services.add_inspection(
                actor=supervisor,
                plan=done_plan,
                organization=inspected.owner,
                system=inspected,
                starts_on=dt.date(today.year, 3, 3),
                ends_on=dt.date(today.year, 3, 7),
            )
            services.send_plan(actor=supervisor, plan=done_plan)
            services.file_inspection_report(
                actor=supervisor,
                inspection=inspection,
                report=(
                    "Yoxlama zamanı jurnalların saxlanma müddəti və ehtiyat nüsxələrin bərpa testləri "
                    "ilə bağlı çatışmazlıqlar aşkarlanıb."
                ),
            )
            requirements = {r.ref_id: r for r in general.items.filter(assessable=True)}
            officer = _officer(inspected.owner, ctx.actor)
            specs = [
                (
                    "gr-log-1",
                    Severity.HIGH,
                    "Jurnallar yalnız 3 ay saxlanılır.",
                    today - dt.timedelta(days=30),
                    "escalate",
                ),
                (
                    "gr-bcm-1",
                    Severity.MEDIUM,
                    "Bərpa testləri aparılmayıb.",
                    today + dt.timedelta(days=60),
                    "open",
                ),
                (
                    "gr-access-1",
                    Severity.MEDIUM,
                    "İşdən çıxmış əməkdaşların 4 hesabı aktivdir.",
                    today + dt.timedelta(days=10),
                    "submitted",
                ),
                (
                    "gr-asset-1",
                    Severity.LOW,
                    "İnventar siyahısı köhnədir.",
                    today - dt.timedelta(days=5),
                    "closed",
                ),
            ]
            for ref, severity, text, deadline, goal in specs:
                finding = services.create_finding(
                    actor=supervisor,
                    organization=inspected.owner,
                    inspection=inspection,
                    requirement=requirements.get(ref),
                    severity=severity,
                    description=text,
                    deadline=deadline,
                    owner="İT şöbəsinin rəisi",
                )
                if goal == "escalate":
                    services.escalate_finding(actor=supervisor, finding=finding)
                elif goal in ("submitted", "closed"):
                    services.submit_remediation(
                        actor=officer, finding=finding, remediation="Düzəliş edilib, sübut əlavə olunub."
                    )
                    if goal == "closed":
                        services.verify_finding(
                            actor=supervisor, finding=finding, accept=True, comment="Yoxlanıldı."
                        )
    ctx.facts["compliance_assessments"] = Assessment.objects.count()
    ctx.facts["compliance_items"] = RequirementAssessment.objects.count()
    ctx.facts["compliance_findings"] = Finding.objects.count()
