"""Demo data: a year of incidents across institutions and sectors, in every state, with measures and
notifications (idempotent: nothing is added when incidents exist)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from qalxan.core import demo
from qalxan.core.roles import Role
from qalxan.incidents import services
from qalxan.incidents.choices import IncidentState, MeasureKind, Severity, Tlp
from qalxan.incidents.models import Incident, SeverityPolicy, TaxonomyClass, TaxonomyType
from qalxan.incidents.taxonomy import ensure_reference_data
from qalxan.organizations.models import Membership, Organization
from qalxan.registry.models import InformationSystem

TITLES = {
    "phishing": ("Əməkdaşlara fişinq məktubları göndərilib", "Phishing e-mails sent to staff"),
    "ddos": ("Portal DDoS hücumuna məruz qalıb", "Portal under DDoS attack"),
    "infected-system": ("İş stansiyasında zərərli proqram aşkarlanıb", "Malware found on a workstation"),
    "brute-force": ("VPN şlüzünə parol seçmə cəhdləri", "Password guessing against the VPN gateway"),
    "system-compromise": ("Serverin ələ keçirilməsi şübhəsi", "Suspected server compromise"),
    "data-leak": ("Şəxsi məlumatların sızması", "Leak of personal data"),
    "scanner": ("Xarici ünvanlardan port skanlaması", "Port scanning from abroad"),
    "vulnerable-system": ("Yenilənməmiş veb server", "Unpatched web server"),
    "misconfiguration": (
        "Yanlış konfiqurasiya nəticəsində xidmət dayanıb",
        "Service stopped by a misconfiguration",
    ),
    "application-compromise": ("Veb tətbiqdə SQL inyeksiyası", "SQL injection in a web application"),
}
# Where each demo incident ends up (weights).
PLAN = [
    (IncidentState.CLOSED, 40),
    (IncidentState.RESOLVED, 10),
    (IncidentState.CONTAINED, 6),
    (IncidentState.IN_PROGRESS, 8),
    (IncidentState.TRIAGED, 6),
    (IncidentState.REPORTED, 6),
    (IncidentState.REJECTED, 5),
    (IncidentState.DUPLICATE, 4),
    (IncidentState.DRAFT, 3),
]
PATHS = {
    IncidentState.REPORTED: [],
    IncidentState.TRIAGED: ["accept"],
    IncidentState.IN_PROGRESS: ["accept", "start"],
    IncidentState.CONTAINED: ["accept", "start", "contain"],
    IncidentState.RESOLVED: ["accept", "start", "contain", "resolve"],
    IncidentState.CLOSED: ["accept", "start", "contain", "resolve", "close"],
    IncidentState.REJECTED: ["reject"],
    IncidentState.DUPLICATE: ["mark_duplicate"],
}


@demo.register(35, "incidents")
def load_incidents(ctx: demo.DemoContext) -> None:
    ensure_reference_data(TaxonomyClass, TaxonomyType, SeverityPolicy)
    if Incident.objects.exists():
        return
    user_model = get_user_model()
    analyst = user_model.objects.filter(username="analyst").first() or ctx.actor
    orgs = list(
        Organization.objects.filter(is_active=True, systems__isnull=False).distinct().order_by("code")
    )
    if not orgs:
        orgs = list(
            Organization.objects.filter(is_active=True).exclude(kind="authority").order_by("code")[:10]
        )
    if not orgs:
        return
    officers = {
        m.organization_id: m.user
        for m in Membership.objects.filter(role=Role.INSTITUTION_OFFICER)
        .select_related("user")
        .order_by("user__username")
    }
    types = {t.code: t for t in TaxonomyType.objects.filter(code__in=TITLES)}
    total = 1200 if ctx.scale == "national" else 160
    now = timezone.now()
    states = [s for s, w in PLAN for _ in range(w)]
    previous: Incident | None = None
    for index in range(total):
        org = orgs[index % len(orgs)] if index % 3 else ctx.rng.choice(orgs)
        reporter = officers.get(org.pk) or ctx.actor
        code = ctx.rng.choice(sorted(types))
        az, _en = TITLES[code]
        detected = now - dt.timedelta(days=ctx.rng.uniform(1, 365), hours=ctx.rng.uniform(0, 23))
        delay = dt.timedelta(hours=ctx.rng.choice([0.5, 1, 3, 6, 20, 30, 80]))
        systems = list(InformationSystem.objects.filter(owner=org).order_by("id")[:3])
        target = ctx.rng.choice(states)
        incident = services.report_incident(
            actor=reporter,
            organization=org,
            title=az,
            detected_at=detected,
            description="Demo: " + az,
            impact=ctx.rng.choice(
                ["Xidmət qismən dayanıb.", "Təsir aşkarlanmayıb.", "Məlumatların bir hissəsi əlçatmaz olub."]
            ),
            indicators=f"185.{index % 250}.{(index * 7) % 250}.{(index * 13) % 250}",
            taxonomy_type=types[code],
            tlp=ctx.rng.choice(Tlp.values),
            pap="AMBER",
            severity=ctx.rng.choice(Severity.values),
            affected_systems=systems[: ctx.rng.randint(0, len(systems))],
            draft=target == IncidentState.DRAFT,
            reported_at=min(now, detected + delay),
        )
        for step in PATHS.get(target, []):
            extra: dict[str, Any] = {}
            if step == "reject":
                extra["reason"] = "Hadisə təsdiqlənmədi."
            if step == "mark_duplicate":
                if previous is None or previous.state in {
                    IncidentState.DUPLICATE,
                    IncidentState.REJECTED,
                    IncidentState.DRAFT,
                }:
                    break
                extra["duplicate_of"] = previous
            if step == "accept":
                extra["severity"] = incident.severity
                extra["assignee"] = analyst
            if step == "close" or step == "resolve":
                _measures(ctx, analyst, reporter, incident)
            if step == "contain":
                _request(ctx, analyst, incident)
            services.move_incident(actor=analyst, incident=incident, step=step, **extra)
        _backdate(ctx, incident, now)
        if incident.state not in {IncidentState.DUPLICATE, IncidentState.REJECTED, IncidentState.DRAFT}:
            previous = incident
    _acknowledge_some(ctx)
    ctx.say(f"incidents: {total} demo incidents")


def _acknowledge_some(ctx: demo.DemoContext) -> None:
    """Institutions have acknowledged most of the older notices about their incidents."""
    from qalxan.core.models import Notification
    from qalxan.core.services import acknowledge_notification

    notes = (
        Notification.objects.filter(
            recipient__memberships__role=Role.INSTITUTION_OFFICER, url__startswith="/incidents/"
        )
        .select_related("recipient")
        .distinct()
        .order_by("id")
    )
    for note in notes:
        if ctx.rng.random() < 0.6:
            acknowledge_notification(actor=note.recipient, notification=note)


def _request(ctx: demo.DemoContext, analyst: Any, incident: Incident) -> None:
    services.request_measure(
        actor=analyst,
        incident=incident,
        kind=ctx.rng.choice(MeasureKind.values),
        description="İndikatoru bloklayın və nəticəni bildirin.",
    )


def _measures(ctx: demo.DemoContext, analyst: Any, reporter: Any, incident: Incident) -> None:
    for measure in incident.measures.filter(state="requested"):
        services.confirm_measure(actor=reporter, measure=measure, comment="İcra olundu.")
        services.verify_measure(actor=analyst, measure=measure, accept=True)


def _backdate(ctx: demo.DemoContext, incident: Incident, now: dt.datetime) -> None:
    """Spread the handling times over realistic hours (the services stamped them with the load time)."""
    incident.refresh_from_db()
    if incident.reported_at is None:
        return
    fields: dict[str, Any] = {}
    triaged = min(now, incident.reported_at + dt.timedelta(hours=ctx.rng.uniform(0.2, 30)))
    if incident.triaged_at:
        fields["triaged_at"] = triaged
        fields["triage_seconds"] = int((triaged - incident.reported_at).total_seconds())
    if incident.resolved_at:
        resolved = min(now, triaged + dt.timedelta(hours=ctx.rng.uniform(2, 400)))
        fields["resolved_at"] = resolved
        fields["resolve_seconds"] = int((resolved - incident.reported_at).total_seconds())
        if incident.closed_at:
            fields["closed_at"] = min(now, resolved + dt.timedelta(hours=ctx.rng.uniform(1, 48)))
    if fields:
        Incident.objects.filter(pk=incident.pk).update(**fields)
