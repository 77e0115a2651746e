"""Demo registry: a few hundred systems across the sectors, dependencies, designations in every state.

`--scale national` adds 50,000 systems and 200,000 dependencies (written in bulk) for the benchmarks.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.utils import timezone

from qalxan.core import demo
from qalxan.organizations.models import Organization, Sector
from qalxan.registry import services
from qalxan.registry.choices import DesignationState, Hosting, SystemKind
from qalxan.registry.models import Dependency, InformationSystem, Subsector
from qalxan.registry.reference import ensure_reference_data
from qalxan.registry.workflows import expected_agency

# (sector, kind, subsector, az, en)
TEMPLATES = [
    (
        "public_administration",
        "information_system",
        "e_government",
        "Elektron xidmətlər portalı",
        "E-services portal",
    ),
    (
        "public_administration",
        "information_resource",
        "central_government",
        "Elektron sənəd dövriyyəsi sistemi",
        "Electronic document management system",
    ),
    ("public_administration", "website", "central_government", "Rəsmi internet saytı", "Official website"),
    (
        "public_administration",
        "information_resource",
        "central_government",
        "Dövlət reyestri məlumat bazası",
        "State register database",
    ),
    (
        "defence",
        "ict_network",
        "defence_systems",
        "Xüsusi təyinatlı rabitə şəbəkəsi",
        "Special-purpose network",
    ),
    (
        "health",
        "information_system",
        "healthcare_providers",
        "Elektron tibbi kart sistemi",
        "Electronic health record system",
    ),
    (
        "health",
        "information_resource",
        "health_insurance",
        "Tibbi sığorta məlumat bazası",
        "Health insurance database",
    ),
    (
        "financial_markets",
        "information_system",
        "payments",
        "Ani ödənişlər sistemi",
        "Instant payment system",
    ),
    ("financial_markets", "information_system", "banking", "Əsas bank sistemi", "Core banking system"),
    (
        "financial_markets",
        "information_system",
        "market_infrastructure",
        "Ticarət və klirinq sistemi",
        "Trading and clearing system",
    ),
    ("energy", "control_system", "electricity", "Elektrik şəbəkəsinin SCADA sistemi", "Power grid SCADA"),
    ("energy", "control_system", "oil", "Neft kəmərinin idarəetmə sistemi", "Oil pipeline control system"),
    (
        "energy",
        "control_system",
        "gas",
        "Qaz paylama şəbəkəsinin dispetçer sistemi",
        "Gas distribution dispatch",
    ),
    (
        "transport",
        "control_system",
        "rail",
        "Qatarların hərəkətinin idarə edilməsi sistemi",
        "Train traffic control system",
    ),
    ("transport", "information_system", "air", "Sərnişin qeydiyyatı sistemi", "Passenger check-in system"),
    (
        "transport",
        "control_system",
        "road",
        "Nəqliyyatın intellektual idarəetmə sistemi",
        "Intelligent traffic management",
    ),
    (
        "information_technology",
        "information_system",
        "cloud",
        "Hökumət buludu platforması",
        "Government Cloud platform",
    ),
    (
        "information_technology",
        "information_system",
        "data_centres",
        "Məlumat mərkəzinin infrastrukturu",
        "Data centre infrastructure",
    ),
    (
        "telecommunications",
        "ict_network",
        "fixed_networks",
        "Magistral optik şəbəkə",
        "Backbone optical network",
    ),
    (
        "telecommunications",
        "ict_network",
        "mobile_networks",
        "Mobil rabitə nüvə şəbəkəsi",
        "Mobile core network",
    ),
    (
        "telecommunications",
        "ict_network",
        "dns_ixp",
        "Milli DNS və trafik mübadiləsi nöqtəsi",
        "National DNS and internet exchange",
    ),
    (
        "water_supply",
        "control_system",
        "drinking_water",
        "Su təchizatının SCADA sistemi",
        "Water supply SCADA",
    ),
    (
        "water_supply",
        "control_system",
        "waste_water",
        "Tullantı sularının təmizlənməsi idarəetmə sistemi",
        "Waste-water treatment control",
    ),
    (
        "ecology",
        "information_system",
        "environmental_monitoring",
        "Ətraf mühitin monitorinqi sistemi",
        "Environmental monitoring system",
    ),
    (
        "ecology",
        "control_system",
        "waste_management",
        "Tullantıların yandırılması zavodunun idarəetmə sistemi",
        "Waste incineration plant control",
    ),
]
# Azerbaijani public address space used for the made-up demo ranges.
DEMO_BLOCKS = [
    ipaddress.ip_network("85.132.0.0/16"),
    ipaddress.ip_network("94.20.0.0/16"),
    ipaddress.ip_network("213.154.0.0/18"),
]
STATE_PLAN = [
    DesignationState.IDENTIFIED,
    DesignationState.DATA_REQUESTED,
    DesignationState.UNDER_ASSESSMENT,
    DesignationState.DESIGNATED,
    DesignationState.DESIGNATED,
    DesignationState.DESIGNATED,
    DesignationState.REVIEW_DUE,
    DesignationState.DELISTED,
]


def _range(ctx: demo.DemoContext, index: int) -> str:
    block = DEMO_BLOCKS[index % len(DEMO_BLOCKS)]
    count = 2 ** (24 - block.prefixlen)
    return str(ipaddress.ip_network((int(block.network_address) + ((index * 7) % count) * 256, 24)))


@demo.register(20, "registry")
def load_registry(ctx: demo.DemoContext) -> None:
    ensure_reference_data()
    if InformationSystem.objects.exists():
        if ctx.scale == "national":
            _load_national(ctx)
        return
    sectors = {s.code: s for s in Sector.objects.all()}
    subsectors = Subsector.objects.in_bulk(field_name="code")
    owners_by_sector: dict[str, list[Organization]] = {}
    for org in Organization.objects.filter(is_active=True).prefetch_related("sectors"):
        for sector in org.sectors.all():
            owners_by_sector.setdefault(sector.code, []).append(org)
    created: list[InformationSystem] = []
    index = 0
    for round_ in range(12):
        for sector_code, kind, subsector, az, en in TEMPLATES:
            owners = owners_by_sector.get(sector_code) or []
            if not owners:
                continue
            owner = owners[(round_ + index) % len(owners)]
            index += 1
            depends_on = []
            if created:
                hubs = created[:6]
                extra = ctx.rng.sample(created, k=min(len(created), ctx.rng.randint(0, 2)))
                depends_on = [ctx.rng.choice(hubs), *extra]
            domain = owner.domains.values_list("domain", flat=True).first()
            system = services.register_system(
                actor=ctx.actor,
                name_az=f"{owner.short_name}: {az}",
                name_en=f"{owner.short_name}: {en}",
                kind=kind,
                sector=sectors[sector_code],
                subsector=subsectors.get(subsector),
                owner=owner,
                hosting=ctx.rng.choice(list(Hosting.values)),
                holds_personal_data=kind in {SystemKind.INFORMATION_SYSTEM, SystemKind.INFORMATION_RESOURCE},
                responsible_name=f"{owner.short_name} İT şöbəsi",
                responsible_email=f"it@{domain}" if domain else "",
                secure_contact=f"soc@{domain}" if domain else "",
                services="\n".join(
                    ctx.rng.sample(
                        [
                            "Vətəndaşlara xidmət",
                            "Ödənişlər",
                            "Dispetçer idarəetməsi",
                            "Məlumat mübadiləsi",
                            "Hesabatlılıq",
                        ],
                        k=2,
                    )
                ),
                ip_ranges=[_range(ctx, index)],
                domains=[f"app{index}.{domain}"] if domain else [],
                depends_on={s.pk: s for s in depends_on}.values(),
            )
            created.append(system)
            _advance(ctx, system, STATE_PLAN[index % len(STATE_PLAN)])
            if len(created) >= 300:
                break
        if len(created) >= 300:
            break
    ctx.facts["systems"] = len(created)
    if ctx.scale == "national":
        _load_national(ctx)


def _advance(ctx: demo.DemoContext, system: InformationSystem, target: str) -> None:
    """Walk a system through the real lifecycle up to `target`."""
    if target == DesignationState.IDENTIFIED:
        return
    actor = ctx.actor
    if target == DesignationState.DATA_REQUESTED:
        services.move_system(
            actor=actor,
            system=system,
            step="request_data",
            message="Kİİ-nin müəyyən edilməsi üçün məlumat təqdim edin.",
        )
        return
    services.move_system(actor=actor, system=system, step="start_assessment")
    if target == DesignationState.UNDER_ASSESSMENT:
        return
    if target == DesignationState.DELISTED:
        services.move_system(
            actor=actor, system=system, step="delist", reason="Sistem istismardan çıxarılıb."
        )
        return
    answers = {
        "population": ctx.rng.choice([5000, 200000, 2500000]),
        "state_functions": ctx.rng.randint(1, 12),
        "economic_loss": ctx.rng.choice([50, 500, 5000, 20000]),
        "cross_sector": ctx.rng.randint(0, 4),
        "tolerated_downtime": ctx.rng.choice([2, 12, 48, 96]),
    }
    assessment = services.assess_criticality(actor=actor, system=system, answers=answers)
    decided = timezone.localdate() - dt.timedelta(days=ctx.rng.randint(30, 700))
    if target == DesignationState.REVIEW_DUE:
        decided = timezone.localdate() - dt.timedelta(days=760)
    services.move_system(
        actor=actor,
        system=system,
        step="designate",
        decision_reference=f"DTX-Q-{system.pk:04d}",
        decision_date=decided,
        category=assessment.proposed_category or "III",
        supervising_agency=expected_agency(system),
    )
    if target == DesignationState.REVIEW_DUE:
        services.mark_reviews_due()


def _load_national(ctx: demo.DemoContext, total: int = 50_000, edges: int = 200_000) -> None:
    """Bulk volumes for benchmarks: written directly, without per-row audit (demo data only)."""
    have = InformationSystem.objects.count()
    if have >= total:
        return
    sectors = list(Sector.objects.all())
    owners = list(Organization.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    batch: list[InformationSystem] = []
    for i in range(have, total):
        sector = sectors[i % len(sectors)]
        state = STATE_PLAN[i % len(STATE_PLAN)]
        designated = state in {DesignationState.DESIGNATED, DesignationState.REVIEW_DUE}
        batch.append(
            InformationSystem(
                name_az=f"Milli reyestr sistemi {i:05d}",
                name_en=f"National registry system {i:05d}",
                kind=SystemKind.values[i % len(SystemKind.values)],
                sector=sector,
                owner_id=ctx.rng.choice(owners),
                hosting=Hosting.values[i % len(Hosting.values)],
                state=state,
                category=("I", "II", "III")[i % 3] if designated else "",
                supervising_agency="dtx" if designated else "",
                decision_reference=f"DTX-Q-N{i:05d}" if designated else "",
                decision_date=today - dt.timedelta(days=i % 700) if designated else None,
                designated_at=today - dt.timedelta(days=i % 700) if designated else None,
                review_due_date=today + dt.timedelta(days=(i % 900) - 100) if designated else None,
            )
        )
        if len(batch) == 5000:
            InformationSystem.objects.bulk_create(batch)
            batch = []
    InformationSystem.objects.bulk_create(batch)
    ids = list(InformationSystem.objects.values_list("pk", flat=True))
    hubs = ids[:200]
    pairs: set[tuple[int, int]] = set(Dependency.objects.values_list("dependent_id", "depends_on_id"))
    new_edges: list[Dependency] = []
    while len(pairs) < edges:
        dependent = ctx.rng.choice(ids)
        depends_on = ctx.rng.choice(hubs) if ctx.rng.random() < 0.3 else ctx.rng.choice(ids)
        if dependent != depends_on and (dependent, depends_on) not in pairs:
            pairs.add((dependent, depends_on))
            new_edges.append(Dependency(dependent_id=dependent, depends_on_id=depends_on))
    Dependency.objects.bulk_create(new_edges, batch_size=5000)
    ctx.say(
        f"  registry: {InformationSystem.objects.count()} systems, {Dependency.objects.count()} dependencies"
    )
