"""The 10 national CII sectors and their NIS2 counterparts (DOMAIN.md), as data."""

from __future__ import annotations

from typing import Any

SECTORS = [
    (
        "public_administration",
        "Dövlət idarəetməsi",
        "Public administration",
        "Государственное управление",
        "Public administration (Annex I)",
    ),
    ("defence", "Müdafiə", "Defence", "Оборона", "— (no NIS2 counterpart)"),
    ("health", "Səhiyyə", "Health", "Здравоохранение", "Health (Annex I)"),
    (
        "financial_markets",
        "Maliyyə bazarları",
        "Financial markets",
        "Финансовые рынки",
        "Banking; financial market infrastructure (Annex I)",
    ),
    ("energy", "Energetika", "Energy", "Энергетика", "Energy (Annex I)"),
    ("transport", "Nəqliyyat", "Transport", "Транспорт", "Transport (Annex I)"),
    (
        "information_technology",
        "İnformasiya texnologiyaları",
        "Information technology",
        "Информационные технологии",
        "Digital infrastructure; ICT service management; digital providers",
    ),
    (
        "telecommunications",
        "Telekommunikasiya",
        "Telecommunications",
        "Телекоммуникации",
        "Digital infrastructure (Annex I)",
    ),
    (
        "water_supply",
        "Su təchizatı",
        "Water supply",
        "Водоснабжение",
        "Drinking water; waste water (Annex I)",
    ),
    ("ecology", "Ekologiya", "Ecology", "Экология", "Waste water; waste management (partly, unverified)"),
]


def ensure_sectors(sector_model: Any) -> None:
    """Create or refresh the national sectors (used by the data migration and by the demo loader)."""
    for order, (code, az, en, ru, nis2) in enumerate(SECTORS, start=1):
        sector_model.objects.update_or_create(
            code=code,
            defaults={"name_az": az, "name_en": en, "name_ru": ru, "nis2_mapping": nis2, "order": order},
        )
