"""Demo data: the 2023–2027 strategy with its goals, directions and known actions, sample details,
indicators with history, progress reports, and the national indices with Azerbaijan's GCI results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from qalxan.core import demo, metrics
from qalxan.organizations.models import Organization
from qalxan.strategy import indices, services
from qalxan.strategy.choices import ActionStatus, AssessmentSource, FinancingSource
from qalxan.strategy.models import (
    Action,
    Direction,
    Goal,
    IndexAssessment,
    IndexFramework,
    IndexQuestion,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    Strategy,
)

STRATEGY: dict[str, Any] = {
    "code": "strategy-2023-2027",
    "name_az": "Azərbaycan Respublikasının 2023–2027-ci illər üçün informasiya təhlükəsizliyi və "
    "kibertəhlükəsizlik strategiyası",
    "name_en": "Information Security and Cybersecurity Strategy of the Republic of Azerbaijan for 2023–2027",
    "name_ru": "Стратегия информационной безопасности и кибербезопасности Азербайджанской Республики "
    "на 2023–2027 годы",
    "start_year": 2023,
    "end_year": 2027,
    "legal_basis": "Azərbaycan Respublikası Prezidentinin 28 avqust 2023-cü il tarixli Sərəncamı",
}
# (code, az, en, ru, directions: (code, az, en, ru))
GOALS: list[tuple[str, str, str, str, list[tuple[str, str, str, str]]]] = [
    (
        "1",
        "Təhlükəsizlik risklərinin, xüsusilə kritik informasiya infrastrukturunda, müəyyən edilməsi",
        "Identify security risks, especially in critical information infrastructure",
        "Выявление рисков безопасности, особенно в критической информационной инфраструктуре",
        [
            (
                "1.1",
                "Təhdidlərin aşkarlanması və risklərin idarə edilməsi",
                "Threat detection and risk management",
                "Обнаружение угроз и управление рисками",
            ),
            (
                "1.2",
                "Kritik informasiya infrastrukturunun mühafizəsi",
                "Protection of critical information infrastructure",
                "Защита критической информационной инфраструктуры",
            ),
        ],
    ),
    (
        "2",
        "İnformasiya təcavüzünə və dezinformasiyaya qarşı hazırlıq",
        "Preparedness against information aggression and disinformation",
        "Готовность к информационной агрессии и дезинформации",
        [
            (
                "2.1",
                "İnformasiya məkanının təhlükəsizliyinin artırılması",
                "Raising the security of the information space",
                "Повышение безопасности информационного пространства",
            )
        ],
    ),
    (
        "3",
        "Təhlükəsizlik bölmələrinin, CERT şəbəkələrinin və onların əməkdaşlığının təkmilləşdirilməsi",
        "Improve security units, CERT networks and their cooperation",
        "Совершенствование подразделений безопасности, сетей CERT и их взаимодействия",
        [
            (
                "3.1",
                "İnsidentlərin aşkarlanması və texniki mühafizə",
                "Incident detection and technical protection",
                "Обнаружение инцидентов и техническая защита",
            )
        ],
    ),
]
# Actions found in the published plan (details not public are samples): direction, code, title,
# responsible, co-executors, first year, deadline, expected result, sample?
KNOWN_ACTIONS = [
    (
        "1.1",
        "1.1.1",
        "İnformasiya təhlükəsizliyi riskləri reyestrinin aparılması qaydasının təsdiq edilməsi",
        "xritdx",
        ["dtx", "mddt"],
        2023,
        dt.date(2024, 12, 31),
        "Reyestrin aparılması qaydası təsdiq edilib",
        False,
    ),
    (
        "3.1",
        "3.1.1",
        "“Kibercinayətkarlıq” elektron informasiya sisteminin hazırlanması",
        "interior",
        ["xritdx"],
        2023,
        dt.date(2025, 12, 31),
        "Elektron informasiya sistemi istismara verilib",
        True,
    ),
    (
        "3.1",
        "3.1.2",
        "İnsidentlərin aşkarlanması və ölçülməsi üçün meyar və göstəricilərin hazırlanması",
        "xritdx",
        ["dtx"],
        2023,
        dt.date(2024, 6, 30),
        "Meyar və göstəricilər təsdiq edilib",
        True,
    ),
]
SAMPLE_TITLES = [
    "Kritik informasiya infrastrukturu obyektləri üzrə risk qiymətləndirilməsinin aparılması",
    "Xüsusi tələblər sənədinin hazırlanması və təsdiqə təqdim edilməsi",
    "Əməkdaşlar üçün kibergigiyena təliminin keçirilməsi",
    "Təhlükəsizlik bölməsinin yaradılması və ştatla təmin edilməsi",
    "Sektoral CERT ilə məlumat mübadiləsi protokolunun imzalanması",
    "İnformasiya sistemlərinin zəifliklər üzrə yoxlanılması",
    "Dezinformasiyaya qarşı monitorinq mexanizminin yaradılması",
    "Ehtiyat nüsxələrin çıxarılması və bərpa planının sınaqdan keçirilməsi",
]
INSTITUTIONS = ["mddt", "health", "finance", "energy", "justice", "education", "emergency", "socar", "cbar"]


def _org(code: str) -> Organization | None:
    return Organization.objects.filter(code=code).first()


@demo.register(40, "strategy")
def load_strategy(ctx: demo.DemoContext) -> None:
    actor = ctx.actor
    strategy = Strategy.objects.filter(code=STRATEGY["code"]).first() or services.create_strategy(
        actor=actor, **STRATEGY
    )
    directions: dict[str, Direction] = {}
    for gorder, (gcode, gaz, gen, gru, dirs) in enumerate(GOALS, start=1):
        goal = Goal.objects.filter(strategy=strategy, code=gcode).first() or services.add_goal(
            actor=actor, strategy=strategy, code=gcode, name_az=gaz, name_en=gen, name_ru=gru, order=gorder
        )
        for dorder, (dcode, daz, den, dru) in enumerate(dirs, start=1):
            directions[dcode] = Direction.objects.filter(
                goal=goal, code=dcode
            ).first() or services.add_direction(
                actor=actor, goal=goal, code=dcode, name_az=daz, name_en=den, name_ru=dru, order=dorder
            )
    periods = {}
    for year in range(2023, 2027):
        label = str(year)
        periods[year] = ReportingPeriod.objects.filter(
            strategy=strategy, label=label
        ).first() or services.add_period(
            actor=actor,
            strategy=strategy,
            label=label,
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year, 12, 31),
            due_on=dt.date(year + 1, 1, 31),
        )
    _load_actions(ctx, directions)
    if not strategy.monitoring_groups.exists():
        from django.contrib.auth import get_user_model

        members = list(get_user_model().objects.filter(username__in=["member", "strategy"]))
        services.save_monitoring_group(
            actor=actor,
            strategy=strategy,
            name_az="Kİİ-nin mühafizəsi üzrə monitorinq işçi qrupu",
            name_en="Working group monitoring CII protection",
            name_ru="Рабочая группа по мониторингу защиты КИИ",
            members=members,
            directions=[d for code, d in sorted(directions.items())][-1:],
        )
    _load_reports(ctx, strategy, periods)
    _load_indicators(ctx, strategy)
    _load_indices(ctx)
    ctx.facts["strategy_actions"] = Action.objects.filter(direction__goal__strategy=strategy).count()


def _load_actions(ctx: demo.DemoContext, directions: dict[str, Direction]) -> None:
    for dcode, code, title, resp, co, start, deadline, result, sample in KNOWN_ACTIONS:
        responsible = _org(resp)
        if responsible is None or Action.objects.filter(direction=directions[dcode], code=code).exists():
            continue
        services.create_action(
            actor=ctx.actor,
            direction=directions[dcode],
            code=code,
            title=title,
            responsible=responsible,
            co_executors=[o for o in map(_org, co) if o],
            start_year=start,
            deadline=deadline,
            expected_result=result,
            is_sample=sample,
        )
    institutions = [o for o in map(_org, INSTITUTIONS) if o]
    if ctx.scale == "national":
        institutions += list(Organization.objects.filter(kind="local_authority").order_by("code"))
    per_direction = 6 if ctx.scale == "small" else 60
    turn = 0
    for dcode, direction in directions.items():
        for n in range(per_direction):
            turn += 1
            code = f"{dcode}.{n + 10}"
            if Action.objects.filter(direction=direction, code=code).exists():
                continue
            responsible = institutions[turn % len(institutions)]
            helpers = ctx.rng.sample([o for o in institutions if o != responsible], k=ctx.rng.randint(0, 2))
            start = ctx.rng.choice([2023, 2024, 2025])
            services.create_action(
                actor=ctx.actor,
                direction=direction,
                code=code,
                title=ctx.rng.choice(SAMPLE_TITLES),
                responsible=responsible,
                co_executors=helpers,
                start_year=start,
                deadline=dt.date(start + ctx.rng.randint(0, 2), ctx.rng.choice([6, 12]), 30),
                expected_result="Nümunə: gözlənilən nəticə",
                is_sample=True,
                financing_source=ctx.rng.choice(list(FinancingSource.values)),
            )


def _load_reports(ctx: demo.DemoContext, strategy: Strategy, periods: dict[int, ReportingPeriod]) -> None:
    officer = ctx.actor
    actions = list(Action.objects.filter(direction__goal__strategy=strategy).select_related("responsible"))
    for action in actions:
        year = min(max(action.start_year, 2024), 2025)
        period = periods[year]
        if ProgressReport.objects.filter(
            action=action, period=period, organization=action.responsible
        ).exists():
            continue
        roll = ctx.rng.random()
        if roll < 0.25:
            continue  # not reported yet
        status = (
            ActionStatus.DONE
            if roll < 0.5
            else ActionStatus.IN_PROGRESS
            if roll < 0.8
            else ActionStatus.DELAYED
        )
        on_time = min(action.deadline, dt.date(year, 12, 1))
        report = services.create_report(
            actor=officer,
            action=action,
            period=period,
            organization=action.responsible,
            status=status,
            narrative="Nümunə hesabat: görülən işlər barədə məlumat.",
            completed_on=on_time if roll < 0.4 else max(on_time, dt.date(year, 12, 20)),
        )
        services.submit_report(actor=officer, report=report)
        if roll < 0.7:
            services.accept_report(actor=officer, report=report)
        elif roll < 0.75:
            services.return_report(actor=officer, report=report, comment="Sübut sənədlərini əlavə edin.")


INDICATORS: list[dict[str, Any]] = [
    {
        "code": "G1",
        "name_az": "Planın vaxtında icra olunmuş tədbirlərinin payı",
        "name_en": "Actions of the plan done on time",
        "name_ru": "Доля мероприятий плана, выполненных в срок",
        "unit": "%",
        "metric": "strategy.actions_done_on_time_share",
        "metric_params": {"strategy": "strategy-2023-2027"},
        "baseline": Decimal(0),
        "baseline_year": 2023,
        "targets": {2024: 50, 2025: 70, 2026: 85, 2027: 100},
        "source": "Qalxan: fəaliyyət planı",
    },
    {
        "code": "G2",
        "name_az": "İcra müddəti keçmiş tədbirlərin sayı",
        "name_en": "Overdue actions",
        "name_ru": "Число просроченных мероприятий",
        "unit": "tədbir",
        "metric": "strategy.overdue_actions",
        "metric_params": {"strategy": "strategy-2023-2027"},
        "higher_is_better": False,
        "targets": {2024: 5, 2025: 3, 2026: 1, 2027: 0},
        "source": "Qalxan: fəaliyyət planı",
    },
    {
        "code": "G3",
        "name_az": "Qeydiyyatda olan KİI subyektlərinin sayı",
        "name_en": "Registered CII subjects",
        "name_ru": "Число зарегистрированных субъектов КИИ",
        "unit": "təşkilat",
        "metric": "organizations.cii_subjects",
        "targets": {2025: 20, 2026: 30, 2027: 40},
        "source": "Qalxan: təşkilatlar",
        "is_sample": True,
    },
    {
        "code": "G4",
        "name_az": "Kompromitasiya olunmuş dövlət qulluqçularının sayı (yarımillik)",
        "name_en": "Compromised civil servants (half-year)",
        "name_ru": "Скомпрометированные госслужащие (полугодие)",
        "unit": "nəfər",
        "higher_is_better": False,
        "targets": {2025: 90, 2026: 70, 2027: 50},
        "source": "Kibergigiyena layihəsi",
        "values": [(dt.date(2025, 6, 30), 95)],
        "is_sample": True,
    },
    {
        "code": "G5",
        "name_az": "ITU Qlobal Kibertəhlükəsizlik İndeksi üzrə bal",
        "name_en": "ITU Global Cybersecurity Index score",
        "name_ru": "Балл в Глобальном индексе кибербезопасности МСЭ",
        "unit": "bal",
        "baseline": Decimal("89.31"),
        "baseline_year": 2020,
        "targets": {2024: 92, 2027: 95},
        "source": "ITU GCI",
        "values": [(dt.date(2020, 12, 31), Decimal("89.31")), (dt.date(2024, 9, 12), Decimal("93.76"))],
    },
]
OPTIONAL_INDICATORS: list[dict[str, Any]] = [
    {
        "code": "G6",
        "name_az": "Xüsusi tələbləri qəbul edilmiş KİI obyektlərinin payı",
        "name_en": "Designated CII objects with accepted special requirements",
        "name_ru": "Доля объектов КИИ с принятыми специальными требованиями",
        "unit": "%",
        "metric": "registry.designated_with_accepted_special_requirements",
        "targets": {2025: 60, 2026: 80, 2027: 100},
        "source": "Qalxan: KİI reyestri",
        "is_sample": True,
    },
    {
        "code": "G7",
        "name_az": "Koordinasiya Komissiyasının vaxtında icra olunmuş qərarlarının payı",
        "name_en": "Decisions of the Coordination Commission executed on time",
        "name_ru": "Доля решений Координационной комиссии, исполненных в срок",
        "unit": "%",
        "metric": "commission.decisions_executed_on_time",
        "targets": {2025: 80, 2026: 90, 2027: 95},
        "source": "Qalxan: Koordinasiya Komissiyası",
        "is_sample": True,
    },
]


def _load_indicators(ctx: demo.DemoContext, strategy: Strategy) -> None:
    for spec in INDICATORS + OPTIONAL_INDICATORS:
        spec = dict(spec)
        values = spec.pop("values", [])
        if Indicator.objects.filter(strategy=strategy, code=spec["code"]).exists():
            continue
        if spec.get("metric"):
            try:
                metrics.get(spec["metric"])
            except KeyError:
                continue  # the module that offers it is not installed yet
        targets = {y: Decimal(v) for y, v in spec.pop("targets").items()}
        indicator = services.create_indicator(actor=ctx.actor, strategy=strategy, targets=targets, **spec)
        for on, value in values:
            services.record_value(actor=ctx.actor, indicator=indicator, on=on, value=Decimal(value))
        if indicator.metric:
            for on in (dt.date(2024, 12, 31), dt.date(2025, 6, 30)):
                if not IndicatorValue.objects.filter(indicator=indicator, on=on).exists():
                    services.compute_indicator(actor=ctx.actor, indicator=indicator, on=on)


def _load_indices(ctx: demo.DemoContext) -> None:
    indices.load_frameworks()
    gci = IndexFramework.objects.get(code="itu-gci-2024")
    published = [
        (
            2020,
            40,
            Decimal("89.31"),
            {
                "legal": "20",
                "technical": "19.19",
                "organizational": "13.14",
                "capacity": "16.99",
                "cooperation": "20",
            },
            "",
        ),
        (
            2024,
            None,
            Decimal("93.76"),
            {"technical": "18.02"},
            "Tier 2; only the total and the technical pillar are recorded here, "
            "the other pillars are not loaded.",
        ),
    ]
    for year, rank, total, scores, notes in published:
        if IndexAssessment.objects.filter(
            framework=gci, year=year, source=AssessmentSource.PUBLISHED
        ).exists():
            continue
        assessment = services.create_assessment(
            actor=ctx.actor,
            framework=gci,
            year=year,
            source=AssessmentSource.PUBLISHED,
            rank=rank,
            notes=notes,
        )
        assessment.total = total
        assessment.save(update_fields=["total"])
        services.set_section_scores(
            actor=ctx.actor, assessment=assessment, scores={k: Decimal(v) for k, v in scores.items()}
        )
    for framework in IndexFramework.objects.all():
        if IndexAssessment.objects.filter(
            framework=framework, year=2025, source=AssessmentSource.SELF
        ).exists():
            continue
        assessment = services.create_assessment(
            actor=ctx.actor, framework=framework, year=2025, notes="Nümunə özünüqiymətləndirmə"
        )
        services.apply_platform_evidence(actor=ctx.actor, assessment=assessment)
        for question in IndexQuestion.objects.filter(section__framework=framework).exclude(
            pk__in=assessment.answers.values("question")
        ):
            value = (
                Decimal(ctx.rng.choice([0, 1, 1, 1]))
                if framework.answer_kind == "yes_no"
                else Decimal(ctx.rng.randint(2, 4))
            )
            services.answer_question(
                actor=ctx.actor,
                assessment=assessment,
                question=question,
                value=value,
                evidence="Nümunə cavab",
            )
