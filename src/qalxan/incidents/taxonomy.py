"""Reference data loaded by a data migration: the RSIT classes and types, and the default SLAs per severity.

RSIT is the Reference Security Incident Taxonomy (ENISA / TF-CSIRT, eCSIRT.net lineage). Names are data
(az, en, ru columns), not catalogue strings.
"""

from __future__ import annotations

from typing import Any

# (code, az, en, ru, [(type code, az, en, ru), ...])
RSIT: list[tuple[str, str, str, str, list[tuple[str, str, str, str]]]] = [
    (
        "abusive-content",
        "Zərərli məzmun",
        "Abusive content",
        "Оскорбительный контент",
        [
            ("spam", "Spam", "Spam", "Спам"),
            ("harmful-speech", "Zərərli nitq", "Harmful speech", "Вредоносные высказывания"),
            ("violence", "Zorakılıq", "(Child) sexual exploitation / violence", "Насилие"),
        ],
    ),
    (
        "malicious-code",
        "Zərərli kod",
        "Malicious code",
        "Вредоносный код",
        [
            ("infected-system", "Yoluxmuş sistem", "Infected system", "Заражённая система"),
            ("c2-server", "İdarəetmə (C2) serveri", "C2 server", "Сервер управления (C2)"),
            (
                "malware-distribution",
                "Zərərli proqram yayılması",
                "Malware distribution",
                "Распространение ВПО",
            ),
            (
                "malware-configuration",
                "Zərərli proqram konfiqurasiyası",
                "Malware configuration",
                "Конфигурация ВПО",
            ),
        ],
    ),
    (
        "information-gathering",
        "Məlumat toplanması",
        "Information gathering",
        "Сбор информации",
        [
            ("scanner", "Skanlama", "Scanning", "Сканирование"),
            ("sniffing", "Trafikin dinlənilməsi", "Sniffing", "Перехват трафика"),
            ("social-engineering", "Sosial mühəndislik", "Social engineering", "Социальная инженерия"),
        ],
    ),
    (
        "intrusion-attempts",
        "Müdaxilə cəhdləri",
        "Intrusion attempts",
        "Попытки вторжения",
        [
            (
                "ids-alert",
                "Zəiflikdən istifadə cəhdi",
                "Exploitation of known vulnerabilities",
                "Эксплуатация известных уязвимостей",
            ),
            ("brute-force", "Giriş cəhdləri (brute force)", "Login attempts", "Подбор учётных данных"),
            ("exploit", "Yeni imza ilə hücum", "New attack signature", "Новая сигнатура атаки"),
        ],
    ),
    (
        "intrusions",
        "Müdaxilələr",
        "Intrusions",
        "Вторжения",
        [
            (
                "privileged-account-compromise",
                "İmtiyazlı hesabın ələ keçirilməsi",
                "Privileged account compromise",
                "Компрометация привилегированной учётной записи",
            ),
            (
                "unprivileged-account-compromise",
                "Adi hesabın ələ keçirilməsi",
                "Unprivileged account compromise",
                "Компрометация непривилегированной учётной записи",
            ),
            (
                "application-compromise",
                "Tətbiqin ələ keçirilməsi",
                "Application compromise",
                "Компрометация приложения",
            ),
            ("system-compromise", "Sistemin ələ keçirilməsi", "System compromise", "Компрометация системы"),
            ("burglary", "Fiziki müdaxilə", "Burglary", "Физическое проникновение"),
        ],
    ),
    (
        "availability",
        "Əlçatanlıq",
        "Availability",
        "Доступность",
        [
            ("dos", "Xidmətdən imtina (DoS)", "Denial of service", "Отказ в обслуживании (DoS)"),
            (
                "ddos",
                "Paylanmış xidmətdən imtina (DDoS)",
                "Distributed denial of service",
                "Распределённый отказ в обслуживании (DDoS)",
            ),
            ("misconfiguration", "Yanlış konfiqurasiya", "Misconfiguration", "Ошибка конфигурации"),
            ("sabotage", "Təxribat", "Sabotage", "Саботаж"),
            ("outage", "Fasilə", "Outage (no malice)", "Сбой (без злого умысла)"),
        ],
    ),
    (
        "information-content-security",
        "İnformasiyanın təhlükəsizliyi",
        "Information content security",
        "Безопасность информации",
        [
            (
                "unauthorised-information-access",
                "İnformasiyaya icazəsiz giriş",
                "Unauthorised access to information",
                "Несанкционированный доступ к информации",
            ),
            (
                "unauthorised-information-modification",
                "İnformasiyanın icazəsiz dəyişdirilməsi",
                "Unauthorised modification of information",
                "Несанкционированное изменение информации",
            ),
            ("data-loss", "Məlumat itkisi", "Data loss", "Потеря данных"),
            (
                "data-leak",
                "Məlumat sızması",
                "Leak of confidential information",
                "Утечка конфиденциальной информации",
            ),
        ],
    ),
    (
        "fraud",
        "Fırıldaqçılıq",
        "Fraud",
        "Мошенничество",
        [
            (
                "unauthorised-use-of-resources",
                "Resurslardan icazəsiz istifadə",
                "Unauthorised use of resources",
                "Несанкционированное использование ресурсов",
            ),
            ("copyright", "Müəllif hüququnun pozulması", "Copyright", "Нарушение авторских прав"),
            ("masquerade", "Başqasının adından çıxış", "Masquerade", "Выдача себя за другого"),
            ("phishing", "Fişinq", "Phishing", "Фишинг"),
        ],
    ),
    (
        "vulnerable",
        "Zəiflik",
        "Vulnerable",
        "Уязвимость",
        [
            ("weak-crypto", "Zəif kriptoqrafiya", "Weak cryptography", "Слабая криптография"),
            ("ddos-amplifier", "DDoS gücləndiricisi", "DDoS amplifier", "Усилитель DDoS"),
            (
                "potentially-unwanted-accessible",
                "Arzuolunmaz açıq xidmət",
                "Potentially unwanted accessible services",
                "Нежелательные доступные сервисы",
            ),
            (
                "information-disclosure",
                "Məlumatın açıqlanması",
                "Information disclosure",
                "Раскрытие информации",
            ),
            ("vulnerable-system", "Zəif sistem", "Vulnerable system", "Уязвимая система"),
        ],
    ),
    (
        "other",
        "Digər",
        "Other",
        "Другое",
        [
            ("other", "Digər", "Other", "Другое"),
            ("undetermined", "Müəyyən edilməyib", "Undetermined", "Не определено"),
        ],
    ),
    (
        "test",
        "Sınaq",
        "Test",
        "Тест",
        [
            ("test", "Sınaq", "Test", "Тест"),
        ],
    ),
]

# Defaults of the SLA per severity (hours): report after detection (CII subjects), triage, resolution, and the
# reminder that goes out when this share of the time is left.
SLA_DEFAULTS: list[dict[str, Any]] = [
    {
        "severity": "critical",
        "report_hours": 2,
        "triage_hours": 1,
        "resolve_hours": 24,
        "reminder_percent": 25,
    },
    {"severity": "high", "report_hours": 24, "triage_hours": 4, "resolve_hours": 72, "reminder_percent": 25},
    {
        "severity": "medium",
        "report_hours": 72,
        "triage_hours": 24,
        "resolve_hours": 240,
        "reminder_percent": 20,
    },
    {"severity": "low", "report_hours": 72, "triage_hours": 72, "resolve_hours": 720, "reminder_percent": 20},
]


def ensure_reference_data(taxonomy_class: Any, taxonomy_type: Any, severity_policy: Any) -> None:
    """Create what is missing (idempotent; also used by tests that flush the database)."""
    for order, (code, az, en, ru, types) in enumerate(RSIT, start=1):
        cls, _ = taxonomy_class.objects.get_or_create(
            code=code, defaults={"name_az": az, "name_en": en, "name_ru": ru, "order": order}
        )
        for t_order, (t_code, t_az, t_en, t_ru) in enumerate(types, start=1):
            taxonomy_type.objects.get_or_create(
                taxonomy_class=cls,
                code=t_code,
                defaults={"name_az": t_az, "name_en": t_en, "name_ru": t_ru, "order": t_order},
            )
    for row in SLA_DEFAULTS:
        severity_policy.objects.get_or_create(severity=row["severity"], defaults=row)
