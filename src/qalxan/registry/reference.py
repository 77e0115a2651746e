"""Reference data of the registry: subsectors (with NIS2 counterparts), criticality criteria, category rules.

Loaded by a data migration and refreshed by the demo loader; the authority may edit the rows.
The criteria and thresholds are the platform's shipped sample, to be replaced by the official ones.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

SUBSECTORS = [
    # (sector, code, az, en, ru, NIS2)
    (
        "public_administration",
        "central_government",
        "Mərkəzi icra hakimiyyəti",
        "Central government",
        "Центральные органы власти",
        "Public administration entities of central government",
    ),
    (
        "public_administration",
        "regional_government",
        "Yerli icra hakimiyyəti",
        "Regional government",
        "Местные органы власти",
        "Public administration entities at regional level",
    ),
    (
        "public_administration",
        "e_government",
        "Elektron hökumət xidmətləri",
        "E-government services",
        "Услуги электронного правительства",
        "Public administration (digital services)",
    ),
    ("defence", "defence_systems", "Müdafiə sistemləri", "Defence systems", "Оборонные системы", "—"),
    (
        "health",
        "healthcare_providers",
        "Səhiyyə xidməti göstərənlər",
        "Healthcare providers",
        "Медицинские учреждения",
        "Healthcare providers",
    ),
    ("health", "health_insurance", "Tibbi sığorta", "Health insurance", "Медицинское страхование", "Health"),
    (
        "health",
        "laboratories",
        "Laboratoriyalar",
        "Reference laboratories",
        "Референс-лаборатории",
        "EU reference laboratories",
    ),
    ("financial_markets", "banking", "Bank işi", "Banking", "Банковское дело", "Banking"),
    (
        "financial_markets",
        "market_infrastructure",
        "Maliyyə bazarı infrastrukturu",
        "Financial market infrastructure",
        "Инфраструктура финансового рынка",
        "Financial market infrastructure",
    ),
    ("financial_markets", "payments", "Ödəniş sistemləri", "Payment systems", "Платёжные системы", "Banking"),
    ("energy", "electricity", "Elektrik enerjisi", "Electricity", "Электроэнергетика", "Electricity"),
    ("energy", "oil", "Neft", "Oil", "Нефть", "Oil"),
    ("energy", "gas", "Qaz", "Gas", "Газ", "Gas"),
    (
        "energy",
        "district_heating",
        "İstilik təchizatı",
        "District heating",
        "Теплоснабжение",
        "District heating and cooling",
    ),
    ("transport", "air", "Hava nəqliyyatı", "Air transport", "Воздушный транспорт", "Air"),
    ("transport", "rail", "Dəmir yolu nəqliyyatı", "Rail transport", "Железнодорожный транспорт", "Rail"),
    ("transport", "water_transport", "Su nəqliyyatı", "Water transport", "Водный транспорт", "Water"),
    ("transport", "road", "Avtomobil nəqliyyatı", "Road transport", "Автомобильный транспорт", "Road"),
    (
        "information_technology",
        "cloud",
        "Bulud xidmətləri",
        "Cloud computing",
        "Облачные услуги",
        "Digital infrastructure: cloud computing service providers",
    ),
    (
        "information_technology",
        "data_centres",
        "Məlumat mərkəzləri",
        "Data centres",
        "Центры обработки данных",
        "Digital infrastructure: data centre service providers",
    ),
    (
        "information_technology",
        "managed_services",
        "İKT xidmətlərinin idarə edilməsi",
        "Managed ICT services",
        "Управляемые ИКТ-услуги",
        "ICT service management (B2B)",
    ),
    (
        "telecommunications",
        "fixed_networks",
        "Sabit rabitə şəbəkələri",
        "Fixed networks",
        "Фиксированные сети связи",
        "Digital infrastructure: public electronic communications networks",
    ),
    (
        "telecommunications",
        "mobile_networks",
        "Mobil rabitə şəbəkələri",
        "Mobile networks",
        "Мобильные сети связи",
        "Digital infrastructure: public electronic communications services",
    ),
    (
        "telecommunications",
        "dns_ixp",
        "DNS və trafik mübadiləsi",
        "DNS and internet exchange",
        "DNS и точки обмена трафиком",
        "Digital infrastructure: DNS, TLD, IXP",
    ),
    (
        "telecommunications",
        "satellite",
        "Peyk rabitəsi",
        "Satellite communications",
        "Спутниковая связь",
        "Space (ground infrastructure)",
    ),
    ("water_supply", "drinking_water", "İçməli su", "Drinking water", "Питьевая вода", "Drinking water"),
    ("water_supply", "waste_water", "Tullantı suları", "Waste water", "Сточные воды", "Waste water"),
    (
        "ecology",
        "waste_management",
        "Tullantıların idarə edilməsi",
        "Waste management",
        "Управление отходами",
        "Waste management (unverified)",
    ),
    (
        "ecology",
        "environmental_monitoring",
        "Ətraf mühitin monitorinqi",
        "Environmental monitoring",
        "Экологический мониторинг",
        "— (unverified)",
    ),
]

CRITERIA = [
    # (code, az, en, ru, unit, weight, direction, thresholds)
    (
        "population",
        "Sıradan çıxmanın təsir etdiyi əhali",
        "People affected by a failure",
        "Население, затронутое отказом",
        "people",
        "3",
        "higher",
        [[1000, 1], [100000, 2], [1000000, 3]],
    ),
    (
        "state_functions",
        "Sistemdən asılı dövlət funksiyaları",
        "State functions depending on the system",
        "Государственные функции, зависящие от системы",
        "functions",
        "3",
        "higher",
        [[1, 1], [3, 2], [10, 3]],
    ),
    (
        "economic_loss",
        "Bir günlük sıradan çıxmanın iqtisadi zərəri",
        "Economic loss of one day of failure",
        "Экономический ущерб одного дня отказа",
        "thousand AZN",
        "2",
        "higher",
        [[100, 1], [1000, 2], [10000, 3]],
    ),
    (
        "cross_sector",
        "Sistemdən asılı digər sektorlar",
        "Other sectors depending on the system",
        "Другие секторы, зависящие от системы",
        "sectors",
        "2",
        "higher",
        [[1, 1], [2, 2], [4, 3]],
    ),
    (
        "tolerated_downtime",
        "Yol verilən fasilə müddəti",
        "Tolerated downtime",
        "Допустимое время простоя",
        "hours",
        "2",
        "lower",
        [[72, 1], [24, 2], [4, 3]],
    ),
]

CATEGORY_RULES = [("I", "70"), ("II", "45"), ("III", "25")]


def ensure_reference_data(apps: Any = None) -> None:
    """Create or refresh the shipped reference rows (models from `apps` inside a migration)."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    sector_model = apps.get_model("organizations", "Sector")
    subsector_model = apps.get_model("registry", "Subsector")
    criterion_model = apps.get_model("registry", "CriticalityCriterion")
    rule_model = apps.get_model("registry", "CategoryRule")
    sectors = {s.code: s for s in sector_model.objects.all()}
    for sector, code, az, en, ru, nis2 in SUBSECTORS:
        if sector in sectors:
            subsector_model.objects.update_or_create(
                code=code,
                defaults={
                    "sector": sectors[sector],
                    "name_az": az,
                    "name_en": en,
                    "name_ru": ru,
                    "nis2_mapping": nis2,
                },
            )
    for order, (code, az, en, ru, unit, weight, direction, thresholds) in enumerate(CRITERIA, start=1):
        criterion_model.objects.get_or_create(
            code=code,
            defaults={
                "name_az": az,
                "name_en": en,
                "name_ru": ru,
                "unit": unit,
                "weight": Decimal(weight),
                "direction": direction,
                "thresholds": thresholds,
                "order": order,
            },
        )
    for category, minimum in CATEGORY_RULES:
        rule_model.objects.get_or_create(category=category, defaults={"min_score": Decimal(minimum)})
