"""Every write of the intel app: indicators, bulk text, warning lists, sightings and campaigns."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.roles import Role
from qalxan.core.tenancy import require, scope
from qalxan.intel import conf, workflows
from qalxan.intel.assets import owners_of
from qalxan.intel.choices import TLP_RANK, Tlp
from qalxan.intel.models import (
    Campaign,
    Indicator,
    IndicatorReport,
    Sighting,
    WarningList,
    WarningListEntry,
)
from qalxan.intel.normalize import InvalidValue, Value, extract, hex_bound, ip_bounds, normalise
from qalxan.intel.warninglists import Checker, ParsedList

STIX_NAMESPACE = uuid.UUID("6b1f3c1e-9f53-4a0e-8a39-6c7d1a5e2f10")
AUDIT_EACH = 50  # up to this many new indicators get one audit entry each; larger batches one summary
MAX_SIGHTINGS = 10_000


def key_of(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}\x00{value}".encode()).hexdigest()


def _chunks(items: Sequence[Any], size: int = 900) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def by_keys(keys: Sequence[str]) -> dict[str, Indicator]:
    found: dict[str, Indicator] = {}
    for chunk in _chunks(list(keys)):
        found.update((i.key, i) for i in Indicator.objects.filter(key__in=chunk))
    return found


def analysts() -> list[Any]:
    return list(get_user_model().objects.filter(is_active=True, memberships__role=Role.ANALYST).distinct())


@dataclass
class AddResult:
    indicators: list[Indicator] = field(default_factory=list)
    created: list[Indicator] = field(default_factory=list)
    suppressed: list[Indicator] = field(default_factory=list)
    alerted: dict[int, int] = field(default_factory=dict)  # organisation id → indicators inside its assets


def _check_adder(actor: Any, organization: Any) -> None:
    if actor is None:
        return  # the platform itself (intake of an incident's indicators)
    if organization is not None:
        require(actor, "intel.add_indicator", organization_id=organization.pk)
    elif not scope(actor, "intel.add_indicator").everything:
        if scope(actor, "intel.add_indicator").empty:
            raise PermissionDenied(_("You do not have permission to do this."))
        raise ValidationError({"organization": _("Name the institution that reports these indicators.")})


def _check_common(tlp: str, confidence: int) -> None:
    if tlp not in Tlp.values:
        raise ValidationError({"tlp": _("Unknown TLP marking.")})
    if not 0 <= int(confidence) <= 100:
        raise ValidationError({"confidence": _("Confidence is a number from 0 to 100.")})


@transaction.atomic
def add_indicators(
    *,
    actor: Any,
    values: Sequence[Value],
    tlp: str = Tlp.AMBER,
    confidence: int = 50,
    source: str = "",
    description: str = "",
    organization: Any = None,
    incident: Any = None,
    seen_at: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
) -> AddResult:
    """Store indicators once each (in normal form), note who reported them, flag known-benign ones and
    alert the institutions whose registered assets the new ones fall inside."""
    _check_adder(actor, organization)
    _check_common(tlp, confidence)
    if incident is not None and organization is not None and incident.organization_id != organization.pk:
        raise ValidationError({"incident": _("The incident belongs to another institution.")})
    unique = list({v.key: v for v in values}.values())
    result = AddResult()
    if not unique:
        return result
    now = seen_at or timezone.now()
    expiry = expires_at or (now + dt.timedelta(days=conf.expiry_days()))
    keys = {v.key: key_of(v.kind, v.value) for v in unique}
    existing = by_keys(list(keys.values()))
    new_values = [v for v in unique if keys[v.key] not in existing]
    benign = Checker().check(new_values)
    rows = []
    for v in new_values:
        bounds = ip_bounds(v.kind, v.value)
        rows.append(
            Indicator(
                kind=v.kind,
                value=v.value,
                key=keys[v.key],
                stix_uuid=uuid.uuid5(STIX_NAMESPACE, keys[v.key]),
                tlp=tlp,
                confidence=confidence,
                first_seen=now,
                last_seen=now,
                expires_at=expiry,
                source=source[:200],
                description=description,
                ip_version=bounds[0] if bounds else None,
                range_start=hex_bound(bounds[1]) if bounds else "",
                range_end=hex_bound(bounds[2]) if bounds else "",
                suppressed=v.key in benign,
                warning_list_id=benign.get(v.key),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    # Concurrent writers may create the same value: conflicts are ignored and every row is read back.
    Indicator.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    stored = by_keys(list(keys.values()))
    created_keys = {r.key for r in rows}
    result.indicators = [stored[keys[v.key]] for v in unique]
    result.created = [i for i in result.indicators if i.key in created_keys]
    result.suppressed = [i for i in result.indicators if i.suppressed]
    old_ids = [i.pk for i in result.indicators if i.key not in created_keys]
    for chunk in _chunks(old_ids):
        # Seen again: an indicator ages out later (expiry moves forward, never back).
        Indicator.objects.filter(pk__in=chunk, last_seen__lt=now).update(last_seen=now)
        Indicator.objects.filter(pk__in=chunk).filter(Q(expires_at__lt=expiry)).update(expires_at=expiry)
    if organization is not None:
        IndicatorReport.objects.bulk_create(
            (
                IndicatorReport(
                    indicator=i,
                    organization_id=organization.pk,
                    incident=incident,
                    reported_by=actor if getattr(actor, "pk", None) else None,
                )
                for i in result.indicators
            ),
            batch_size=500,
            ignore_conflicts=True,
        )
        recount([i.pk for i in result.indicators])
    if len(result.created) <= AUDIT_EACH:
        for indicator in result.created:
            audit.record(
                actor=actor, action=AuditAction.CREATE, target=indicator, after=audit.snapshot(indicator)
            )
    if len(result.created) > AUDIT_EACH or old_ids:
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            message=f"indicators: {len(result.created)} new, {len(old_ids)} seen again, source {source}"[
                :500
            ],
            organization_id=getattr(organization, "pk", None),
            after={"created": len(result.created), "seen_again": len(old_ids), "source": source},
        )
    result.alerted = alert_asset_owners([i for i in result.created if not i.suppressed])
    return result


def recount(indicator_ids: Sequence[int]) -> None:
    """Refresh the report counts that the correlation reads (distinct incidents and institutions)."""
    for chunk in _chunks(list(indicator_ids)):
        rows = (
            IndicatorReport.objects.filter(indicator_id__in=chunk)
            .values("indicator_id")
            .annotate(incidents=Count("incident", distinct=True), orgs=Count("organization", distinct=True))
            .order_by()
        )
        for row in rows:
            Indicator.objects.filter(pk=row["indicator_id"]).update(
                incident_count=row["incidents"], organization_count=row["orgs"]
            )


def alert_asset_owners(indicators: Sequence[Indicator]) -> dict[int, int]:
    """Tell each institution whose registered IP ranges or domains a new indicator falls inside."""
    from qalxan.incidents.services import notify_institution

    if not indicators:
        return {}
    values = {Value(i.kind, i.value): i for i in indicators}
    matches = owners_of(values)
    for organization_id, hits in matches.items():
        lines = "\n".join(f"{value.value} ({asset})" for value, asset in hits[:50])
        count = len(hits)

        def make(lines: str = lines, count: int = count) -> tuple[str, str]:
            return (
                _("Threat indicator inside your registered assets (%(n)d)") % {"n": count},
                _(
                    "Indicators reported to CERT fall inside the IP ranges or domains registered for your "
                    "institution:\n%(lines)s\nCheck these systems for compromise."
                )
                % {"lines": lines},
            )

        notify_institution(organization_id=organization_id, make=make)
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            message=f"asset alert: {count} indicators",
            organization_id=organization_id,
            after={"indicators": [v.value for v, _asset in hits[:50]]},
        )
    return {org: len(hits) for org, hits in matches.items()}


@dataclass
class TextImport:
    values: list[Value]
    errors: list[dict[str, Any]]
    result: AddResult | None = None

    @property
    def committed(self) -> bool:
        return self.result is not None


def parse_text(text: str) -> TextImport:
    """Indicators in a pasted text, line by line; a candidate that is not valid is an error of its line."""
    if len(text.encode("utf-8", "replace")) > conf.max_text_bytes():
        raise ValidationError({"text": _("The text is too large.")})
    seen: dict[tuple[str, str], Value] = {}
    errors: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        found = extract(line)
        for value in found.values:
            seen.setdefault(value.key, value)
        errors.extend(
            {
                "line": number,
                "field": "text",
                "value": bad,
                "message": _("Not a valid URL or e-mail address."),
            }
            for bad in found.rejected
        )
    return TextImport(list(seen.values()), errors)


def import_text(
    *,
    actor: Any,
    text: str,
    tlp: str = Tlp.AMBER,
    confidence: int = 50,
    source: str = "",
    organization: Any = None,
    incident: Any = None,
    commit: bool = True,
) -> TextImport:
    """Bulk entry by pasting text: refang, extract, de-duplicate; nothing is stored if any line is bad."""
    _check_adder(actor, organization)
    parsed = parse_text(text)
    if not parsed.values and not parsed.errors:
        parsed.errors.append({"line": 0, "field": "text", "value": "", "message": _("No indicators found.")})
    if parsed.errors or not commit:
        return parsed
    parsed.result = add_indicators(
        actor=actor,
        values=parsed.values,
        tlp=tlp,
        confidence=confidence,
        source=source or _("pasted text"),
        organization=organization,
        incident=incident,
    )
    return parsed


def value_from(kind: str, value: str) -> Value:
    try:
        return normalise(kind, value)
    except InvalidValue as exc:
        raise ValidationError(
            {"value": _("Not a valid value of this kind: %(reason)s") % {"reason": exc}}
        ) from exc


EDITABLE = ("tlp", "confidence", "description", "expires_at", "source")


@transaction.atomic
def update_indicator(*, actor: Any, indicator: Indicator, **fields: Any) -> Indicator:
    """Change an indicator's marking, confidence, description, expiry or source (CERT)."""
    require(actor, "intel.change_indicator", indicator)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    _check_common(fields.get("tlp", indicator.tlp), fields.get("confidence", indicator.confidence))
    before = audit.snapshot(indicator)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean(exclude=["warning_list", "created_by", "key"])
    indicator.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=indicator,
        before=before,
        after=audit.snapshot(indicator),
    )
    return indicator


@transaction.atomic
def delete_indicator(*, actor: Any, indicator: Indicator) -> None:
    """Remove an indicator entered in error, with its reports and sightings (CERT)."""
    require(actor, "intel.delete_indicator", indicator)
    before = audit.snapshot(indicator)
    audit.record(actor=actor, action=AuditAction.DELETE, target=indicator, before=before)
    indicator.delete()


# --- warning lists -------------------------------------------------------------------------------


@transaction.atomic
def load_warning_list(*, actor: Any, parsed: ParsedList) -> tuple[WarningList, int]:
    """Create or replace a warning list, then re-check every stored indicator against the lists."""
    require(actor, "intel.change_warninglist")
    wl, created = WarningList.objects.get_or_create(
        slug=parsed.slug,
        defaults={
            "name": parsed.name,
            "match": parsed.match,
            "description": parsed.description,
            "version": parsed.version,
        },
    )
    before = None if created else audit.snapshot(wl)
    wl.name, wl.match, wl.description, wl.version = (
        parsed.name,
        parsed.match,
        parsed.description,
        parsed.version,
    )
    wl.save()
    wl.entries.all().delete()
    WarningListEntry.objects.bulk_create(
        (
            WarningListEntry(warning_list=wl, value=v, ip_version=ver, range_start=a, range_end=b)
            for v, ver, a, b in parsed.entries
        ),
        batch_size=1000,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=wl,
        before=before,
        after={**audit.snapshot(wl), "entries": len(parsed.entries)},
    )
    changed = recheck_warnings()
    return wl, changed


@transaction.atomic
def set_warning_list_enabled(*, actor: Any, warning_list: WarningList, enabled: bool) -> int:
    """Turn a warning list on or off; indicators are re-checked at once."""
    require(actor, "intel.change_warninglist")
    before = audit.snapshot(warning_list)
    warning_list.enabled = enabled
    warning_list.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=warning_list,
        before=before,
        after=audit.snapshot(warning_list),
    )
    return recheck_warnings()


def recheck_warnings() -> int:
    """Re-flag every indicator after the lists changed; returns how many changed."""
    checker = Checker()
    changed = 0
    last = 0
    while True:
        batch = list(
            Indicator.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "kind", "value", "warning_list_id")[:5000]
        )
        if not batch:
            return changed
        last = batch[-1][0]
        hits = checker.check(Value(kind, value) for _pk, kind, value, _wl in batch)
        for pk, kind, value, current in batch:
            target = hits.get((kind, value))
            if target != current:
                Indicator.objects.filter(pk=pk).update(warning_list_id=target, suppressed=target is not None)
                changed += 1


# --- sightings -----------------------------------------------------------------------------------


@dataclass
class SightingResult:
    sightings: list[Sighting]
    incident: Any = None


def _parse_time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)
    if isinstance(value, int | float):
        return dt.datetime.fromtimestamp(float(value), tz=dt.UTC)
    if isinstance(value, str) and value:
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=dt.UTC)
    return None


@transaction.atomic
def record_sightings(*, actor: Any, organization: Any, sightings: Sequence[dict[str, Any]]) -> SightingResult:
    """Sightings an institution found in its own logs: all are stored, or none if any row is bad."""
    require(actor, "intel.add_sighting", organization_id=organization.pk)
    if not sightings:
        raise ValidationError({"sightings": _("No sightings given.")})
    if len(sightings) > MAX_SIGHTINGS:
        raise ValidationError({"sightings": _("At most %(n)d sightings per request.") % {"n": MAX_SIGHTINGS}})
    errors: list[dict[str, Any]] = []
    wanted: list[tuple[int, Value | int, dt.datetime, dict[str, Any]]] = []
    now = timezone.now()
    for row, item in enumerate(sightings, start=1):
        seen = _parse_time(item.get("seen_at")) or (now if item.get("seen_at") in (None, "") else None)
        if seen is None:
            errors.append({"row": row, "field": "seen_at", "message": _("Not a valid time.")})
            continue
        if seen > now + dt.timedelta(minutes=5):
            errors.append({"row": row, "field": "seen_at", "message": _("The time is in the future.")})
            continue
        if item.get("indicator"):
            wanted.append((row, int(item["indicator"]), seen, item))
            continue
        try:
            value = normalise(str(item.get("kind") or ""), str(item.get("value") or ""))
        except InvalidValue as exc:
            errors.append({"row": row, "field": "value", "message": str(exc)})
            continue
        wanted.append((row, value, seen, item))
    visible = Indicator.objects.visible_to(actor)
    keys = [key_of(w[1].kind, w[1].value) for w in wanted if isinstance(w[1], Value)]
    by_key: dict[str, Indicator] = {}
    for chunk in _chunks(keys):
        by_key.update((i.key, i) for i in visible.filter(key__in=chunk))
    ids = [w[1] for w in wanted if isinstance(w[1], int)]
    by_id = {i.pk: i for i in visible.filter(pk__in=ids)} if ids else {}
    rows: list[Sighting] = []
    for row, ref, seen, item in wanted:
        indicator = by_id.get(ref) if isinstance(ref, int) else by_key.get(key_of(ref.kind, ref.value))
        if indicator is None:
            errors.append({"row": row, "field": "value", "message": _("Unknown indicator.")})
            continue
        try:
            line = int(item["line"]) if item.get("line") not in (None, "") else None
            count = max(1, int(item.get("count") or 1))
        except (TypeError, ValueError):
            errors.append({"row": row, "field": "line", "message": _("Line and count are whole numbers.")})
            continue
        rows.append(
            Sighting(
                indicator=indicator,
                organization_id=organization.pk,
                seen_at=seen,
                source=str(item.get("source") or "sweep")[:10]
                if item.get("source") in ("sweep", "manual", "sensor")
                else "sweep",
                log_type=str(item.get("log_type") or "")[:40],
                log_file=str(item.get("log_file") or "")[:300],
                line=line,
                field=str(item.get("field") or "")[:100],
                observed=str(item.get("observed") or "")[:2048],
                count=count,
                reported_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    if errors:
        raise ValidationError({"sightings": errors})
    created = Sighting.objects.bulk_create(rows, batch_size=500)
    latest: dict[int, dt.datetime] = {}
    counts: dict[int, int] = {}
    for s in created:
        latest[s.indicator_id] = max(latest.get(s.indicator_id, s.seen_at), s.seen_at)
        counts[s.indicator_id] = counts.get(s.indicator_id, 0) + s.count
    days = dt.timedelta(days=conf.expiry_days())
    for indicator_id, seen in latest.items():
        Indicator.objects.filter(pk=indicator_id).update(
            sighting_count=F("sighting_count") + counts[indicator_id]
        )
        Indicator.objects.filter(pk=indicator_id, last_seen__lt=seen).update(last_seen=seen)
        Indicator.objects.filter(pk=indicator_id).filter(Q(expires_at__lt=seen + days)).update(
            expires_at=seen + days
        )
    audit.record(
        actor=actor,
        action=AuditAction.IMPORT,
        message=f"{len(created)} sightings of {len(latest)} indicators",
        organization_id=organization.pk,
        after={"sightings": len(created), "indicators": sorted(latest)},
    )
    result = SightingResult(created)
    if conf.sighting_incidents():
        result.incident = _incident_for_sightings(actor, organization, created)
    return result


def _incident_for_sightings(actor: Any, organization: Any, sightings: list[Sighting]) -> Any:
    from qalxan.incidents.services import report_incident

    indicators = {s.indicator_id: s.indicator for s in sightings}
    values = sorted(i.value for i in indicators.values() if not i.suppressed)
    if not values:
        return None
    tlp = max((i.tlp for i in indicators.values()), key=lambda t: TLP_RANK.get(t, 2))
    incident = report_incident(
        actor=actor,
        organization=organization,
        title=_("Threat indicators seen in the institution's logs (%(n)d)") % {"n": len(values)},
        description=_("Sightings uploaded by the log sweep: %(n)d matches.") % {"n": len(sightings)},
        indicators="\n".join(values[:1000]),
        detected_at=min(s.seen_at for s in sightings),
        tlp=tlp if tlp != Tlp.CLEAR else Tlp.GREEN,
        channel="api",
    )
    Sighting.objects.filter(pk__in=[s.pk for s in sightings]).update(incident=incident)
    return incident


# --- campaigns -----------------------------------------------------------------------------------

CAMPAIGN_FIELDS = ("name", "threat_actor", "intrusion_set", "description")


@transaction.atomic
def update_campaign(*, actor: Any, campaign: Campaign, **fields: Any) -> Campaign:
    """Name a campaign and its threat actor or intrusion set (CERT)."""
    require(actor, "intel.confirm_campaign", campaign)
    unknown = set(fields) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in unknown})
    before = audit.snapshot(campaign, exclude=("incidents", "indicators"))
    for name, value in fields.items():
        setattr(campaign, name, (value or "").strip())
    if not campaign.name:
        raise ValidationError({"name": _("A campaign needs a name.")})
    campaign.full_clean(exclude=["confirmed_by"])
    campaign.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=campaign,
        before=before,
        after=audit.snapshot(campaign, exclude=("incidents", "indicators")),
    )
    return campaign


@transaction.atomic
def move_campaign(*, actor: Any, campaign: Campaign, step: str, message: str = "", **fields: Any) -> Campaign:
    """Confirm (with a name and, if known, the threat actor), dismiss, close or reopen a campaign."""
    if fields:
        campaign = update_campaign(actor=actor, campaign=campaign, **fields)
    workflows.campaign.apply(campaign, step, actor=actor, message=message, context={"name": campaign.name})
    campaign.refresh_from_db()
    return campaign
