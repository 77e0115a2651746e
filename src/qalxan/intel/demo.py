"""Demo data: CERT's indicator catalogue, a shared campaign across institutions, sightings (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from qalxan.core import demo
from qalxan.intel import services
from qalxan.intel.correlation import correlate, ingest_incident
from qalxan.intel.models import Indicator, Sighting, WarningList, WarningListEntry
from qalxan.intel.normalize import extract
from qalxan.intel.warninglists import ensure_builtin

CERT_FEED = """Fişinq kampaniyası (dövlət qurumlarına):
hxxps://mail-gov[.]az-login[.]com/owa/auth.php  hxxp://e-gov-az[.]info/verify
göndərən: noreply[at]gov-az-support(.)com
C2: 185.220.101[.]47, 45.137.21[.]9, 2a0b:4140:2c4b::1f, 91.243.44.0/24
yükləyici: Qerar_2026.docm  5d41402abc4b2a76b9719d911017c592
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
Yanlış müsbət nümunələri: 8.8.8.8 windowsupdate.com 10.20.30.40
"""
CAMPAIGN_SHARED = "185.220.101.47\nmail-gov.az-login.com\nQerar_2026.docm"


@demo.register(45, "intel")
def load_intel(ctx: demo.DemoContext) -> None:
    from qalxan.incidents.models import Incident

    ensure_builtin(WarningList, WarningListEntry)
    if Indicator.objects.exists():
        return
    now = timezone.now()
    services.add_indicators(
        actor=ctx.actor,
        values=extract(CERT_FEED).values,
        tlp="GREEN",
        confidence=80,
        source="CERT.gov.az",
        seen_at=now - dt.timedelta(days=3),
    )
    # Indicators that the demo incidents already carry, then a shared campaign across three institutions.
    for incident in Incident.objects.exclude(state="draft").exclude(indicators="").order_by("pk")[:200]:
        ingest_incident(incident)
    incidents = list(
        Incident.objects.exclude(state__in=["draft", "rejected", "duplicate"]).order_by(
            "organization_id", "pk"
        )
    )
    chosen, orgs = [], set()
    for incident in incidents:
        if incident.organization_id not in orgs:
            chosen.append(incident)
            orgs.add(incident.organization_id)
        if len(chosen) == 3:
            break
    for incident in chosen:
        services.add_indicators(
            actor=None,
            values=extract(CAMPAIGN_SHARED).values,
            tlp="AMBER",
            source="incident report",
            organization=incident.organization,
            incident=incident,
            seen_at=incident.detected_at,
        )
    for incident in chosen:
        correlate(incident)
    if chosen:
        target = Indicator.objects.filter(value="185.220.101.47").first()
        if target is not None and not Sighting.objects.exists():
            services.record_sightings(
                actor=ctx.actor,
                organization=chosen[0].organization,
                sightings=[
                    {
                        "indicator": target.pk,
                        "seen_at": (now - dt.timedelta(hours=h)).isoformat(),
                        "log_type": "firewall",
                        "log_file": "fw-2026-12-01.jsonl",
                        "line": 1000 + h,
                        "field": "dst_ip",
                        "observed": target.value,
                    }
                    for h in range(1, 4)
                ],
            )
    ctx.say(f"  intel: {Indicator.objects.count()} indicators")
