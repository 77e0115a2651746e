"""Demo data: a year of commission meetings on the subjects of its public reports, with decisions,
tasks in every state, protocols and letters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from qalxan.commission import services
from qalxan.commission.choices import Adoption, Attendance, MeetingFormat, MemberRole, TaskStatus
from qalxan.commission.models import CommissionMember, Meeting
from qalxan.core import demo
from qalxan.organizations.models import Organization

User = get_user_model()

# (organisation code, full name, position, role, user name)
MEMBERS = [
    (
        "xritdx",
        "Rəşad Nəbiyev",
        "Xüsusi Rabitə və İnformasiya Təhlükəsizliyi Dövlət Xidmətinin rəisi",
        MemberRole.CHAIR,
        "",
    ),
    ("dtx", "Elçin Quliyev", "Dövlət Təhlükəsizliyi Xidməti rəisinin müavini", MemberRole.DEPUTY_CHAIR, ""),
    ("xritdx", "Aynur Məmmədova", "Komissiyanın katibi", MemberRole.SECRETARY, "secretary"),
    ("economy", "Sahib Ələkbərov", "İqtisadiyyat nazirinin müavini", MemberRole.MEMBER, "member"),
    ("finance", "Anar Bayramov", "Maliyyə nazirinin müavini", MemberRole.MEMBER, ""),
    ("mddt", "Fariz Cəfərov", "Rəqəmsal İnkişaf və Nəqliyyat nazirinin müavini", MemberRole.MEMBER, ""),
    ("cbar", "Vüsal Əliyev", "Mərkəzi Bankın sədr müavini", MemberRole.MEMBER, ""),
    ("health", "Leyla Hüseynova", "Səhiyyə nazirinin müavini", MemberRole.MEMBER, ""),
    ("socar", "Ramin Həsənov", "SOCAR-ın vitse-prezidenti", MemberRole.MEMBER, ""),
]

# Subjects of the commission's public reports: (title, presenter code, summary, decision, tasks).
# A task: (text, responsible code, co-executor codes, expected result).
TOPICS: list[dict[str, Any]] = [
    {
        "title": "Dövlət qurumlarında lisenziyalı proqram təminatından istifadənin vəziyyəti",
        "presenter": "mddt",
        "summary": "Qurumlarda aparılmış inventarlaşdırmanın nəticələri müzakirə olundu; "
        "lisenziyasız əməliyyat "
        "sistemləri və ofis proqramlarından istifadə halları qeyd edildi.",
        "decision": "Dövlət qurumlarında lisenziyasız proqram təminatından istifadə dayandırılsın, proqram "
        "təminatının inventarlaşdırılması başa çatdırılsın.",
        "tasks": [
            (
                "Proqram təminatının inventarlaşdırılmasını başa çatdırmaq və lisenziya "
                "vəziyyəti barədə hesabat "
                "təqdim etmək",
                "health",
                ["mddt"],
                "Lisenziya vəziyyəti üzrə hesabat",
            ),
            (
                "Lisenziyasız əməliyyat sistemlərini lisenziyalı versiyalarla əvəz etmək",
                "education",
                ["mddt"],
                "Əvəzetmə planı və icra aktı",
            ),
            (
                "Mərkəzləşdirilmiş satınalma üçün lisenziya ehtiyacını hesablamaq",
                "finance",
                ["economy"],
                "Ehtiyac hesablaması",
            ),
        ],
    },
    {
        "title": "Mərkəzləşdirilmiş antivirus həllinin dövlət qurumlarında tətbiqi",
        "presenter": "xritdx",
        "summary": "AzStateNet şəbəkəsində mərkəzləşdirilmiş antivirus idarəetmə serverinin istismarı və "
        "qurumların qoşulma vəziyyəti barədə məlumat dinlənildi.",
        "decision": "Dövlət qurumlarının iş stansiyaları mərkəzləşdirilmiş antivirus həllinə qoşulsun.",
        "tasks": [
            (
                "İş stansiyalarının mərkəzləşdirilmiş antivirus həllinə qoşulmasını təmin etmək",
                "health",
                ["xritdx"],
                "Qoşulmuş iş stansiyalarının siyahısı",
            ),
            (
                "Antivirus agentlərinin quraşdırılmasını başa çatdırmaq",
                "economy",
                ["xritdx"],
                "Quraşdırma aktı",
            ),
            ("Qoşulma vəziyyətinin rüblük monitorinqini aparmaq", "xritdx", [], "Rüblük arayış"),
        ],
    },
    {
        "title": "Kritik informasiya infrastrukturu obyektlərinin siyahısının yenilənməsi",
        "presenter": "dtx",
        "summary": "2024-cü ildə təsdiq edilmiş siyahıya daxil edilməsi təklif olunan "
        "obyektlər müzakirə edildi.",
        "decision": "Kİİ subyektləri obyektlərin müəyyən edilməsi üçün tələb olunan "
        "məlumatları 30 gün ərzində "
        "təqdim etsinlər; siyahının yenilənmiş layihəsi hazırlansın.",
        "tasks": [
            (
                "Kİİ obyektlərinin müəyyən edilməsi üçün məlumatları təqdim etmək",
                "socar",
                ["dtx"],
                "Obyektlər üzrə məlumat kartları",
            ),
            (
                "Kİİ obyektlərinin müəyyən edilməsi üçün məlumatları təqdim etmək",
                "cbar",
                ["dtx"],
                "Obyektlər üzrə məlumat kartları",
            ),
            ("Siyahının yenilənmiş layihəsini hazırlamaq", "dtx", ["xritdx"], "Siyahının layihəsi"),
        ],
    },
    {
        "title": "İnformasiya Təhlükəsizliyi və Kibertəhlükəsizlik üzrə 2023–2027-ci illər "
        "üçün Strategiyanın "
        "icrasının monitorinqi",
        "presenter": "xritdx",
        "summary": "Fəaliyyət planının tədbirləri üzrə icra vəziyyəti və göstəricilərin "
        "dəyərləri dinlənildi; "
        "gecikən tədbirlər qeyd edildi.",
        "decision": "Fəaliyyət planının icraçıları gecikən tədbirlər üzrə icra hesabatlarını "
        "təqdim etsinlər.",
        "tasks": [
            ("Fəaliyyət planının tədbirləri üzrə icra hesabatını təqdim etmək", "mddt", [], "İcra hesabatı"),
            (
                "İnformasiya təhlükəsizliyi risklərinin reyestri haqqında qaydanın layihəsini hazırlamaq",
                "mddt",
                ["xritdx", "dtx"],
                "Qaydanın layihəsi",
            ),
            ("Strategiyanın maliyyələşdirilməsi üzrə təklifləri təqdim etmək", "finance", [], "Təkliflər"),
        ],
    },
    {
        "title": "Dövlət orqanlarının internet informasiya ehtiyatlarında fərdi məlumatların ifşası halları",
        "presenter": "xritdx",
        "summary": "Dövlət saytlarının skan nəticələrində fərdi məlumatların açıq yerləşdirilməsi halları "
        "müzakirə olundu.",
        "decision": "Saytlarında fərdi məlumatların ifşası aşkarlanmış qurumlar həmin məlumatları dərhal "
        "kənarlaşdırsın və səbəbləri araşdırsın.",
        "tasks": [
            (
                "Saytda açıq yerləşdirilmiş fərdi məlumatları kənarlaşdırmaq",
                "health",
                ["xritdx"],
                "Kənarlaşdırma barədə arayış",
            ),
            (
                "Saytda açıq yerləşdirilmiş fərdi məlumatları kənarlaşdırmaq",
                "education",
                ["xritdx"],
                "Kənarlaşdırma barədə arayış",
            ),
            (
                "Fərdi məlumatların informasiya sistemlərinin qeydiyyatını yoxlamaq",
                "mddt",
                [],
                "Yoxlamanın nəticələri",
            ),
        ],
    },
]

PROPOSALS = [
    (
        "economy",
        "Dövlət qurumlarında e-poçt xidmətlərinin təhlükəsizliyi",
        "Qurumların bir hissəsi kommersiya e-poçt xidmətlərindən istifadə edir.",
        "Dövlət qurumları üçün vahid təhlükəsiz e-poçt xidmətinə keçid tövsiyə edilsin.",
    ),
    (
        "health",
        "Tibb müəssisələrində fərdi məlumatların qorunması",
        "Tibb müəssisələrinin informasiya sistemlərində giriş nəzarəti zəifdir.",
        "Tibb müəssisələri üçün giriş nəzarəti tələbləri hazırlansın.",
    ),
    (
        "mddt",
        "Dövlət saytlarında TLS sertifikatlarının yenilənməsi",
        "Bir sıra dövlət saytlarında sertifikatların müddəti bitib.",
        "Sertifikatların avtomatik yenilənməsi tətbiq edilsin.",
    ),
    (
        "socar",
        "Sənaye idarəetmə sistemlərinin təhlükəsizliyi",
        "Sənaye idarəetmə sistemlərinə uzaqdan giriş halları artıb.",
        "İşçi qrup yaradılsın.",
    ),
    (
        "cbar",
        "Maliyyə sektorunda insidentlər barədə məlumat mübadiləsi",
        "Banklar arasında insident məlumatlarının mübadiləsi üçün vahid format yoxdur.",
        "Məlumat mübadiləsi üçün vahid format təsdiq edilsin.",
    ),
]


def _at(day: dt.date, hour: int = 11) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@demo.register(60, "commission")
def load_commission(ctx: demo.DemoContext) -> None:
    if CommissionMember.objects.exists() or Meeting.objects.exists():
        return
    orgs = Organization.objects.in_bulk(field_name="code")
    if "xritdx" not in orgs:
        return
    secretary = User.objects.filter(username="secretary").first() or ctx.actor
    officers = {
        code: User.objects.filter(username=name).first()
        for code, name in (
            ("mddt", "officer.mddt"),
            ("socar", "officer.socar"),
            ("cbar", "officer.cbar"),
            ("health", "officer.health"),
        )
    }
    members = []
    for code, name, position, role, username in MEMBERS:
        if code not in orgs:
            continue
        members.append(
            services.save_member(
                actor=ctx.actor,
                organization=orgs[code],
                user=User.objects.filter(username=username).first() if username else None,
                full_name=name,
                position=position,
                role=role,
            )
        )
    chair = members[0]
    group = services.save_working_group(
        actor=ctx.actor,
        name="Strategiyanın monitorinqi üzrə işçi qrup",
        mandate="Strategiyanın fəaliyyət planının icrasını izləmək və Komissiyaya rüblük "
        "hesabat təqdim etmək.",
        deadline=timezone.localdate() + dt.timedelta(days=200),
        lead=members[2],
        members=members[2:6],
    )
    services.add_group_report(
        actor=ctx.actor,
        group=group,
        title="Birinci rüb üzrə monitorinq hesabatı",
        text="Fəaliyyət planının 14 tədbirindən 9-u icra olunub, 3-ü gecikir.",
    )

    today = timezone.localdate()
    count = 6 if ctx.scale == "small" else 12
    step = 360 // count
    topic_index = 0
    for m_index in range(count):
        day = today - dt.timedelta(days=360 - m_index * step)
        last = m_index == count - 1
        meeting = services.create_meeting(
            actor=secretary,
            title=f"Koordinasiya Komissiyasının {m_index + 1}-ci iclası",
            starts_at=_at(day),
            place="Bakı, XRİTDX, iclas zalı" if m_index % 3 else "Videokonfrans",
            format=MeetingFormat.IN_PERSON if m_index % 3 else MeetingFormat.ONLINE,
            chair=chair,
        )
        items = []
        for _n in range(3 if m_index % 2 else 2):
            topic = TOPICS[topic_index % len(TOPICS)]
            topic_index += 1
            presenter = orgs.get(topic["presenter"])
            item = services.add_agenda_item(
                actor=secretary,
                meeting=meeting,
                title=topic["title"],
                presenter=presenter.name_az if presenter else "",
            )
            items.append((item, topic))
        services.send_agenda(actor=secretary, meeting=meeting)
        services.hold_meeting(actor=secretary, meeting=meeting)
        services.record_attendance(
            actor=secretary,
            meeting=meeting,
            attendance={
                inv.pk: ((Attendance.ABSENT, "") if ctx.rng.random() < 0.15 else (Attendance.PRESENT, ""))
                for inv in meeting.invitations.all()
            },
        )
        for item, topic in items:
            services.update_agenda_item(actor=secretary, item=item, summary=topic["summary"])
            decision = services.record_decision(
                actor=secretary, agenda_item=item, text=topic["decision"], adoption=Adoption.CONSENSUS
            )
            for t_index, (text, responsible, co, result) in enumerate(topic["tasks"]):
                if responsible not in orgs:
                    continue
                services.add_task(
                    actor=secretary,
                    decision=decision,
                    text=text,
                    responsible=orgs[responsible],
                    co_executors=[orgs[c] for c in co if c in orgs],
                    deadline=day + dt.timedelta(days=45 + 30 * t_index),
                    expected_result=result,
                )
            services.adopt_decision(actor=secretary, decision=decision)
        services.generate_protocol_draft(actor=secretary, meeting=meeting)
        if last:
            services.generate_protocol_draft(actor=secretary, meeting=meeting)  # a second draft version
            continue
        services.approve_protocol(actor=secretary, meeting=meeting, on=day + dt.timedelta(days=5))
        latest_approved = m_index == count - 2
        for d_index, decision in enumerate(meeting.decisions.order_by("pk")):
            for l_index, letter in enumerate(
                services.letters_from_decision(actor=secretary, decision=decision)
            ):
                if latest_approved and d_index == 0 and l_index == 0:
                    continue  # a letter still in draft
                services.register_letter(actor=secretary, letter=letter, on=day + dt.timedelta(days=7))
                if latest_approved and d_index == 0 and l_index == 1:
                    continue  # registered, not sent yet
                services.send_letter(actor=secretary, letter=letter, on=day + dt.timedelta(days=7))
                if ctx.rng.random() < 0.7:
                    services.mark_letter_delivered(
                        actor=secretary, letter=letter, on=day + dt.timedelta(days=9)
                    )
            _execute_tasks(ctx, decision, secretary, officers, today)

    _proposals(ctx, orgs, secretary, today, chair)


# The follow-up of tasks whose deadline has passed, in turn, so that every state is there.
# Two decisions in three are executed on time; the tasks of the third go through the other fates.
OTHER_FATES = ("late", "reported", "returned", "open", "cancelled", "on_time")


def _execute_tasks(
    ctx: demo.DemoContext, decision: Any, secretary: Any, officers: dict[str, Any], today: dt.date
) -> None:
    """Move the tasks of a published decision into every state, as a year of follow-up would."""
    decision_turn = ctx.facts.get("commission_decision_turn", 0)
    ctx.facts["commission_decision_turn"] = decision_turn + 1
    for task in decision.tasks.select_related("responsible").order_by("pk"):
        reporter = officers.get(task.responsible.code) or ctx.actor
        if task.deadline >= today:
            if ctx.rng.random() < 0.4:
                services.report_task(actor=reporter, task=task, text="İcra olunub; sübut əlavə edilib.")
            continue
        turn = ctx.facts.get("commission_task_turn", 0)
        ctx.facts["commission_task_turn"] = turn + 1
        fate = "on_time" if decision_turn % 3 != 2 else OTHER_FATES[turn % len(OTHER_FATES)]
        if fate == "on_time":
            when = _at(task.deadline - dt.timedelta(days=ctx.rng.randint(1, 20)), 15)
            services.report_task(actor=reporter, task=task, text="Tapşırıq icra olunub.", submitted_at=when)
            services.review_task(actor=secretary, task=task, accept=True)
            _answer(secretary, task)
        elif fate == "late":
            when = _at(min(today, task.deadline + dt.timedelta(days=ctx.rng.randint(5, 25))), 15)
            services.report_task(
                actor=reporter, task=task, text="Tapşırıq gecikmə ilə icra olunub.", submitted_at=when
            )
            services.review_task(actor=secretary, task=task, accept=True)
        elif fate == "reported":
            services.report_task(actor=reporter, task=task, text="İcra barədə hesabat təqdim olunur.")
        elif fate == "returned":
            services.report_task(actor=reporter, task=task, text="Qismən icra olunub.")
            services.review_task(
                actor=secretary,
                task=task,
                accept=False,
                comment="Sübut kifayət deyil: icra aktını əlavə edin.",
            )
        elif fate == "cancelled":
            services.cancel_task(actor=secretary, task=task, reason="Tapşırıq aktuallığını itirib.")
        # "open": left open, and overdue


def _answer(secretary: Any, task: Any) -> None:
    letter = task.decision.letters.filter(recipient=task.responsible).first()
    if letter is not None and letter.status in {"sent", "delivered"}:
        services.record_letter_response(
            actor=secretary,
            letter=letter,
            task=task,
            incoming_number=f"{task.responsible.code.upper()}-{task.pk:04d}",
            received_on=task.executed_on,
            text="Tapşırığın icrası barədə məlumat verilir.",
        )
        if task.pk % 2:
            services.close_letter(actor=secretary, letter=letter)


def _proposals(
    ctx: demo.DemoContext, orgs: dict[str, Any], secretary: Any, today: dt.date, chair: Any
) -> None:
    """Proposals in every state and an upcoming meeting built from them."""
    made = []
    for code, topic, text, proposed in PROPOSALS:
        if code in orgs:
            made.append(
                services.submit_proposal(
                    actor=ctx.actor,
                    organization=orgs[code],
                    topic=topic,
                    text=text,
                    proposed_decision=proposed,
                )
            )
    upcoming = services.create_meeting(
        actor=secretary,
        title="Koordinasiya Komissiyasının növbəti iclası",
        starts_at=_at(today + dt.timedelta(days=21)),
        place="Bakı, XRİTDX, iclas zalı",
        format=MeetingFormat.HYBRID,
        chair=chair,
    )
    if len(made) >= 5:
        services.put_proposal_on_agenda(actor=secretary, proposal=made[0], meeting=upcoming)
        services.put_proposal_on_agenda(actor=secretary, proposal=made[1], meeting=upcoming)
        services.return_proposal(
            actor=secretary,
            proposal=made[2],
            reason="Məsələ Nazirliyin səlahiyyətləri daxilində həll edilə bilər.",
        )
        services.merge_proposal(actor=secretary, proposal=made[4], into=made[0])
    from qalxan.commission.queries import overdue_tasks

    overdue = (
        overdue_tasks(secretary, today=today).filter(carried_to__isnull=True, status=TaskStatus.OPEN).first()
    )
    if overdue is not None:
        services.carry_over_task(actor=secretary, task=overdue, meeting=upcoming)
    services.add_agenda_item(
        actor=secretary, meeting=upcoming, title="Müxtəlif məsələlər", presenter="Komissiyanın katibi"
    )
    services.send_agenda(actor=secretary, meeting=upcoming)
