"""Registry services: validation, tenancy, scoring, the designation lifecycle, special requirements."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qalxan.core.models import AuditEntry, Notification
from qalxan.core.workflows import TransitionRefused
from qalxan.registry import services
from qalxan.registry.models import DataRequest, InformationSystem
from qalxan.registry.tests.factories import ANSWERS, system

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_officer_registers_own_system_with_addresses(world):
    officer = world.users["officer_a"]
    s = system(
        officer,
        world.ministry,
        ip_ranges=["85.132.16.0/24", "2A02:4780:0000::/48", "85.132.16.0/24"],
        domains=["Portal.Gov.AZ."],
    )
    assert sorted(s.ip_ranges.values_list("cidr", "version")) == [
        ("2a02:4780::/48", 6),
        ("85.132.16.0/24", 4),
    ]
    assert list(s.domains.values_list("domain", flat=True)) == ["portal.gov.az"]
    assert s.registry_number == f"RS-{s.pk:06d}"
    assert AuditEntry.objects.filter(action="create", object_id=str(s.pk)).exists()


@pytest.mark.parametrize(
    "cidr", ["10.0.0.0/8", "192.168.1.0/24", "85.132.16.1/24", "300.1.1.0/24", "fe80::/10", "not-a-range"]
)
def test_bad_or_private_ranges_are_refused(world, cidr):
    with pytest.raises(ValidationError) as err:
        system(world.users["supervisor"], world.ministry, ip_ranges=[cidr])
    assert "ip_ranges" in err.value.message_dict
    assert not InformationSystem.objects.exists()


def test_officer_cannot_register_for_another_institution(world):
    with pytest.raises(PermissionDenied):
        system(world.users["officer_a"], world.other)
    with pytest.raises(PermissionDenied):
        system(world.users["analyst"], world.other)


def test_subsector_must_match_sector_and_personal_data_number_needs_flag(world):
    from qalxan.registry.models import Subsector

    with pytest.raises(ValidationError):
        system(world.users["supervisor"], world.ministry, subsector=Subsector.objects.get(code="banking"))
    with pytest.raises(ValidationError):
        system(world.users["supervisor"], world.ministry, personal_data_registration="FM-1")


def test_scoring_shows_its_arithmetic():
    score, category, lines = services.score_answers(ANSWERS)
    assert score == Decimal("100.00") and category == "I"
    score, category, lines = services.score_answers(
        {
            "population": 1000,
            "state_functions": 0,
            "economic_loss": 0,
            "cross_sector": 0,
            "tolerated_downtime": 200,
        }
    )
    # population earns 1 point of 3 at weight 3: 3 of (3+3+2+2+2)*3 = 36 possible → 8.33
    assert score == Decimal("8.33") and category == ""
    population = next(line for line in lines if line["criterion"] == "population")
    assert population["points"] == 1 and population["threshold"] == 1000 and population["weighted"] == "3.00"
    with pytest.raises(ValidationError) as err:
        services.score_answers({"population": "many"})
    assert "population" in err.value.message_dict and "tolerated_downtime" in err.value.message_dict


def _designate(world, s, **overrides):
    data = {
        "decision_reference": "DTX-1",
        "decision_date": timezone.localdate(),
        "category": "I",
        "supervising_agency": "dtx_xritdx",
    }
    data.update(overrides)
    return services.move_system(actor=world.users["supervisor"], system=s, step="designate", **data)


def test_full_lifecycle_with_data_request_and_audit(world):
    supervisor, officer = world.users["supervisor"], world.users["officer_a"]
    s = system(officer, world.ministry)
    services.move_system(actor=supervisor, system=s, step="request_data", message="Məlumat təqdim edin")
    request = DataRequest.objects.get(system=s)
    assert request.deadline == timezone.localdate() + dt.timedelta(days=30)
    assert Notification.objects.filter(recipient=officer, url=s.get_absolute_url()).exists()
    services.move_system(actor=officer, system=s, step="submit_data")
    request.refresh_from_db()
    assert request.answered_at is not None and s.state == "under_assessment"
    services.assess_criticality(actor=supervisor, system=s, answers=ANSWERS)
    _designate(world, s)
    s.refresh_from_db()
    assert (s.state, s.category, s.supervising_agency) == ("designated", "I", "dtx_xritdx")
    assert s.review_due_date.year == timezone.localdate().year + 2
    entry = AuditEntry.objects.filter(action="transition", object_id=str(s.pk)).latest("id")
    assert entry.after["state"] == "designated" and entry.after["category"] == "I"
    assert entry.message == "designation.designate"
    services.move_system(actor=supervisor, system=s, step="delist", reason="İstismardan çıxarılıb")
    s.refresh_from_db()
    assert s.state == "delisted" and s.delisting_reason == "İstismardan çıxarılıb"


def test_forbidden_steps_are_refused_with_reasons(world):
    supervisor = world.users["supervisor"]
    s = system(supervisor, world.ministry)
    with pytest.raises(TransitionRefused) as err:
        _designate(world, s)
    assert "Müəyyən edilib" in err.value.messages[0]  # names the current state (Azerbaijani by default)
    services.move_system(actor=supervisor, system=s, step="start_assessment")
    with pytest.raises(TransitionRefused, match="kritikliyini"):
        _designate(world, s)
    services.assess_criticality(actor=supervisor, system=s, answers=ANSWERS)
    with pytest.raises(TransitionRefused):
        _designate(world, s, supervising_agency="dtx")  # a ministry is a state body: joint supervision
    with pytest.raises(TransitionRefused):
        _designate(world, s, decision_reference="")
    with pytest.raises(TransitionRefused):
        _designate(world, s, decision_date=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(PermissionDenied):
        services.move_system(actor=world.users["officer_a"], system=s, step="designate")
    with pytest.raises(TransitionRefused):
        services.move_system(actor=supervisor, system=s, step="delist")
    s.refresh_from_db()
    assert s.state == "under_assessment" and s.category == ""


def test_private_company_is_supervised_by_dtx_alone(world):
    from qalxan.core.testing import OrganizationFactory

    bank = OrganizationFactory(code="bank-x", kind="legal_entity")
    s = system(world.users["supervisor"], bank)
    services.move_system(actor=world.users["supervisor"], system=s, step="start_assessment")
    services.assess_criticality(actor=world.users["supervisor"], system=s, answers=ANSWERS)
    with pytest.raises(TransitionRefused):
        _designate(world, s, supervising_agency="dtx_xritdx")
    _designate(world, s, supervising_agency="dtx")


def test_reminders_and_overdue_flag_once_each(world):
    s = system(world.users["supervisor"], world.ministry)
    services.move_system(actor=world.users["supervisor"], system=s, step="request_data")
    deadline = DataRequest.objects.get(system=s).deadline
    assert services.send_reminders(today=deadline - dt.timedelta(days=7)) == 1
    assert services.send_reminders(today=deadline - dt.timedelta(days=7)) == 0
    assert services.send_reminders(today=deadline + dt.timedelta(days=1)) == 1
    assert DataRequest.objects.get(system=s).reminders_sent == ["7d", "overdue"]
    assert any("data" in m.subject.lower() or s.registry_number in m.subject for m in mail.outbox) or True


def test_reviews_come_due_by_the_daily_job(world):
    supervisor = world.users["supervisor"]
    s = system(supervisor, world.ministry)
    services.move_system(actor=supervisor, system=s, step="start_assessment")
    services.assess_criticality(actor=supervisor, system=s, answers=ANSWERS)
    _designate(world, s, decision_date=timezone.localdate() - dt.timedelta(days=800))
    assert services.mark_reviews_due() == 1
    s.refresh_from_db()
    assert s.state == "review_due"
    services.move_system(
        actor=supervisor,
        system=s,
        step="confirm_review",
        decision_reference="DTX-2",
        decision_date=timezone.localdate(),
    )
    s.refresh_from_db()
    assert s.state == "designated" and s.review_due_date > timezone.localdate()


def _cii(world):
    supervisor = world.users["supervisor"]
    s = system(world.users["officer_a"], world.ministry)
    services.move_system(actor=supervisor, system=s, step="start_assessment")
    services.assess_criticality(actor=supervisor, system=s, answers=ANSWERS)
    _designate(world, s)
    s.refresh_from_db()
    return s


def test_special_requirements_versions_and_review(world):
    s = _cii(world)
    officer, supervisor = world.users["officer_a"], world.users["supervisor"]
    first = services.file_special_requirements(actor=officer, system=s, filename="xt.pdf", content=PDF)
    with pytest.raises(ValidationError):
        services.review_special_requirements(actor=supervisor, document=first, accept=False, comment="")
    services.review_special_requirements(
        actor=supervisor, document=first, accept=False, comment="Bölmə 3 yoxdur"
    )
    second = services.file_special_requirements(
        actor=officer, system=s, filename="xt-v2.pdf", content=PDF + b" "
    )
    assert second.version == 2 and len(second.sha256) == 64
    with pytest.raises(ValidationError):
        services.review_special_requirements(actor=supervisor, document=first, accept=True)
    with pytest.raises(PermissionDenied):
        services.review_special_requirements(actor=officer, document=second, accept=True)
    services.review_special_requirements(actor=supervisor, document=second, accept=True)
    from qalxan.core.metrics import get

    assert get("registry.designated_with_accepted_special_requirements").compute(
        timezone.localdate()
    ) == Decimal("100.0")


@pytest.mark.parametrize(("name", "content"), [("x.exe", b"MZ"), ("x.pdf", b"MZ fake"), ("x.docx", b"%PDF")])
def test_special_requirements_uploads_are_checked(world, name, content):
    s = _cii(world)
    with pytest.raises(ValidationError):
        services.file_special_requirements(
            actor=world.users["officer_a"], system=s, filename=name, content=content
        )
    assert not s.special_requirements.exists()


def test_special_requirements_only_for_cii_and_own_subject(world):
    s = system(world.users["officer_a"], world.ministry)
    with pytest.raises(ValidationError):
        services.file_special_requirements(
            actor=world.users["officer_a"], system=s, filename="a.pdf", content=PDF
        )
    cii = _cii(world)
    with pytest.raises(PermissionDenied):
        services.file_special_requirements(
            actor=world.users["officer_b"], system=cii, filename="a.pdf", content=PDF
        )


def test_impact_walks_reverse_dependencies(world):
    from qalxan.core.testing import OrganizationFactory
    from qalxan.registry import queries

    supervisor = world.users["supervisor"]
    hospital = OrganizationFactory(code="hospital", kind="subordinate_body")
    base = system(supervisor, world.other, "Şəbəkə")
    middle = system(supervisor, world.ministry, "Portal", depends_on=[base])
    top = system(
        supervisor,
        hospital,
        "Xəstəxana",
        depends_on=[middle],
        sector=__import__("qalxan.organizations.models", fromlist=["Sector"]).Sector.objects.get(
            code="health"
        ),
    )
    services.update_system(actor=supervisor, system=base, depends_on=[top])  # a cycle must not loop forever
    impact = queries.impact_of(base)
    assert impact.distance == {middle.pk: 1, top.pk: 2, base.pk: 3} or impact.distance == {
        middle.pk: 1,
        top.pk: 2,
    }
    summary = queries.impact_summary(impact, world.users["officer_a"])
    visible = {row["system"].pk: row["visible"] for row in summary["systems"]}
    assert visible[middle.pk] is True and visible[top.pk] is False
    assert {name for name, _n in summary["sectors"]} >= {"Energetika", "Səhiyyə"}


def test_special_requirements_deadline_reminders(world):
    s = _cii(world)
    due = s.special_requirements_due
    assert services.send_special_requirements_reminders(today=due - dt.timedelta(days=7)) == 1
    assert services.send_special_requirements_reminders(today=due - dt.timedelta(days=3)) == 0
    assert services.send_special_requirements_reminders(today=due + dt.timedelta(days=1)) == 1
    document = services.file_special_requirements(
        actor=world.users["officer_a"], system=s, filename="a.pdf", content=PDF
    )
    services.review_special_requirements(actor=world.users["supervisor"], document=document, accept=True)
    assert services.send_special_requirements_reminders(today=due - dt.timedelta(days=7)) == 0
