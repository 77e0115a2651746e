"""STIX 2.1 bundles (stix2) and MISP events (pymisp): export of indicators and import into the catalogue.

Exports contain only active, not known-benign indicators the person may see; the caller passes the
queryset already narrowed by tenancy and TLP. Imports are all-or-nothing: a bundle or event with an
invalid value changes nothing and names the object, the field and the reason.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import stix2
from django.utils import timezone
from pymisp import MISPAttribute, MISPEvent

from qalxan.intel.choices import IndicatorKind, Tlp
from qalxan.intel.models import Indicator
from qalxan.intel.normalize import InvalidValue, Value, normalise

K = IndicatorKind
NAMESPACE = uuid.UUID("6b1f3c1e-9f53-4a0e-8a39-6c7d1a5e2f10")
PRODUCER_ID = f"identity--{uuid.uuid5(NAMESPACE, 'qalxan')}"

TLP_MARKINGS = {
    Tlp.CLEAR: stix2.TLP_WHITE,
    Tlp.GREEN: stix2.TLP_GREEN,
    Tlp.AMBER: stix2.TLP_AMBER,
    Tlp.AMBER_STRICT: stix2.TLP_AMBER,  # TLP 1.0 markings of STIX 2.1 have no AMBER+STRICT
    Tlp.RED: stix2.TLP_RED,
}
MARKING_TLP = {
    stix2.TLP_WHITE.id: Tlp.CLEAR,
    stix2.TLP_GREEN.id: Tlp.GREEN,
    stix2.TLP_AMBER.id: Tlp.AMBER,
    stix2.TLP_RED.id: Tlp.RED,
    # TLP 2.0 marking definitions published by FIRST/OASIS
    "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487": Tlp.CLEAR,
    "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb": Tlp.GREEN,
    "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421": Tlp.AMBER,
    "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003": Tlp.AMBER_STRICT,
    "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1": Tlp.RED,
}


def _quote(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def pattern_of(kind: str, value: str) -> str:
    v = _quote(value)
    if kind == K.IPV4:
        return f"[ipv4-addr:value = '{v}']"
    if kind == K.IPV6:
        return f"[ipv6-addr:value = '{v}']"
    if kind == K.CIDR:
        return f"[{'ipv6' if ':' in value else 'ipv4'}-addr:value ISSUBSET '{v}']"
    if kind == K.DOMAIN:
        return f"[domain-name:value = '{v}']"
    if kind == K.URL:
        return f"[url:value = '{v}']"
    if kind == K.EMAIL:
        return f"[email-addr:value = '{v}']"
    if kind == K.FILENAME:
        return f"[file:name = '{v}']"
    hashes: dict[str, str] = {
        K.MD5: f"[file:hashes.MD5 = '{v}']",
        K.SHA1: f"[file:hashes.'SHA-1' = '{v}']",
        K.SHA256: f"[file:hashes.'SHA-256' = '{v}']",
    }
    return hashes[kind]


def stix_id(indicator: Indicator) -> str:
    return f"indicator--{indicator.stix_uuid or uuid.uuid5(NAMESPACE, indicator.key)}"


def _stamp(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(microsecond=(value.microsecond // 1000) * 1000)


def stix_indicator(indicator: Indicator) -> stix2.Indicator:
    created = _stamp(indicator.created_at)
    modified = max(_stamp(indicator.updated_at), created)
    valid_from = _stamp(min(indicator.first_seen, indicator.created_at))
    extra: dict[str, Any] = {}
    if indicator.expires_at and indicator.expires_at > valid_from:
        extra["valid_until"] = _stamp(indicator.expires_at)
    if indicator.description:
        extra["description"] = indicator.description
    return stix2.Indicator(
        id=stix_id(indicator),
        created=created,
        modified=modified,
        created_by_ref=PRODUCER_ID,
        name=indicator.value[:250],
        indicator_types=["malicious-activity"],
        pattern=pattern_of(indicator.kind, indicator.value),
        pattern_type="stix",
        pattern_version="2.1",
        valid_from=valid_from,
        confidence=indicator.confidence,
        object_marking_refs=[TLP_MARKINGS[Tlp(indicator.tlp)]],
        **extra,
    )


def producer() -> stix2.Identity:
    return stix2.Identity(
        id=PRODUCER_ID,
        created=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        modified=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        name="Qalxan CERT",
        identity_class="organization",
        sectors=["government"],
    )


def stix_objects(indicators: Iterable[Indicator]) -> list[Any]:
    """The STIX objects of the indicators, preceded by the producer identity and the markings used."""
    objects = [stix_indicator(i) for i in indicators]
    markings = {m for o in objects for m in o.object_marking_refs}
    by_id = {m.id: m for m in TLP_MARKINGS.values()}
    return [producer(), *(by_id[m] for m in sorted(markings)), *objects]


def stix_bundle(indicators: Iterable[Indicator]) -> str:
    return stix2.Bundle(objects=stix_objects(indicators)).serialize(pretty=False)


# --- import --------------------------------------------------------------------------------------


@dataclass
class Imported:
    value: Value
    tlp: str | None = None
    confidence: int | None = None
    expires_at: dt.datetime | None = None


@dataclass
class ExchangeImport:
    items: list[Imported] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    title: str = ""


_COMPARISON = re.compile(r"([\w-]+):([\w.'-]+)\s*(=|ISSUBSET)\s*'((?:\\.|[^'\\])*)'")
_PATH_KIND = {
    ("ipv4-addr", "value"): K.CIDR,
    ("ipv6-addr", "value"): K.CIDR,
    ("domain-name", "value"): K.DOMAIN,
    ("url", "value"): K.URL,
    ("email-addr", "value"): K.EMAIL,
    ("file", "name"): K.FILENAME,
    ("file", "hashes.md5"): K.MD5,
    ("file", "hashes.'md5'"): K.MD5,
    ("file", "hashes.'sha-1'"): K.SHA1,
    ("file", "hashes.sha1"): K.SHA1,
    ("file", "hashes.'sha-256'"): K.SHA256,
    ("file", "hashes.sha256"): K.SHA256,
}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def pattern_values(pattern: str) -> list[tuple[str, str]] | None:
    """(kind, raw value) of a pattern made of simple comparisons joined by OR; None if it is more complex."""
    body = pattern.strip()
    comparisons = list(_COMPARISON.finditer(body))
    if not comparisons:
        return None
    rest = _COMPARISON.sub("", body)
    if re.sub(r"[\s\[\]()]|\bOR\b", "", rest):
        return None  # AND, FOLLOWEDBY, qualifiers …: not a plain list of observables
    found: list[tuple[str, str]] = []
    for match in comparisons:
        kind = _PATH_KIND.get((match.group(1).lower(), match.group(2).lower()))
        if kind is None:
            return None
        found.append((kind, _unquote(match.group(4))))
    return found


def _tlp_of(refs: Iterable[str]) -> str | None:
    for ref in refs or ():
        if ref in MARKING_TLP:
            return MARKING_TLP[ref]
    return None


def _add(result: ExchangeImport, where: str, field_name: str, kind: str, raw: str, **extra: Any) -> None:
    try:
        value = normalise(kind, raw)
    except InvalidValue as exc:
        result.errors.append({"object": where, "field": field_name, "value": raw[:200], "message": str(exc)})
        return
    result.items.append(Imported(value, **extra))


def _aware(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    moment = (
        value
        if isinstance(value, dt.datetime)
        else dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    )
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


def read_stix(data: str | bytes) -> ExchangeImport:
    """Indicators (simple patterns) and observables (SCOs) of a STIX 2.1 bundle."""
    result = ExchangeImport()
    try:
        raw = json.loads(data)
    except ValueError as exc:
        result.errors.append({"object": "", "field": "", "value": "", "message": f"Not JSON: {exc}"})
        return result
    if not isinstance(raw, dict) or raw.get("type") != "bundle":
        result.errors.append({"object": "", "field": "type", "value": "", "message": "Not a STIX bundle."})
        return result
    for index, obj in enumerate(raw.get("objects") or [], start=1):
        where = f"{index} ({obj.get('id', '?')})" if isinstance(obj, dict) else str(index)
        try:
            parsed = stix2.parse(obj, allow_custom=True, version="2.1")
        except Exception as exc:  # stix2 raises many exception types for invalid objects
            result.errors.append({"object": where, "field": "", "value": "", "message": str(exc)[:300]})
            continue
        kind = parsed.get("type")
        tlp = _tlp_of(parsed.get("object_marking_refs") or [])
        if kind == "indicator":
            if parsed.get("pattern_type") != "stix":
                result.skipped.append({"object": where, "message": "pattern type is not stix"})
                continue
            values = pattern_values(parsed["pattern"])
            if values is None:
                result.skipped.append({"object": where, "message": "pattern is not a list of observables"})
                continue
            for value_kind, raw_value in values:
                _add(
                    result,
                    where,
                    "pattern",
                    value_kind,
                    raw_value,
                    tlp=tlp,
                    confidence=parsed.get("confidence"),
                    expires_at=_aware(parsed.get("valid_until")),
                )
        elif kind in {"ipv4-addr", "ipv6-addr"}:
            _add(result, where, "value", K.CIDR, parsed["value"], tlp=tlp)
        elif kind in {"domain-name", "url", "email-addr"}:
            _add(
                result,
                where,
                "value",
                {"domain-name": K.DOMAIN, "url": K.URL, "email-addr": K.EMAIL}[kind],
                parsed["value"],
                tlp=tlp,
            )
        elif kind == "file":
            if parsed.get("name"):
                _add(result, where, "name", K.FILENAME, parsed["name"], tlp=tlp)
            for algorithm, digest in (parsed.get("hashes") or {}).items():
                hash_kind = {
                    "md5": K.MD5,
                    "sha-1": K.SHA1,
                    "sha1": K.SHA1,
                    "sha-256": K.SHA256,
                    "sha256": K.SHA256,
                }.get(algorithm.lower())
                if hash_kind:
                    _add(result, where, f"hashes.{algorithm}", hash_kind, digest, tlp=tlp)
        elif kind not in {"identity", "marking-definition", "extension-definition"}:
            result.skipped.append({"object": where, "message": f"{kind} objects are not indicators"})
    return result


# --- MISP ----------------------------------------------------------------------------------------

MISP_TYPES: dict[str, str] = {
    K.IPV4: "ip-dst",
    K.IPV6: "ip-dst",
    K.CIDR: "ip-dst",
    K.DOMAIN: "domain",
    K.URL: "url",
    K.EMAIL: "email-src",
    K.FILENAME: "filename",
    K.MD5: "md5",
    K.SHA1: "sha1",
    K.SHA256: "sha256",
}
FROM_MISP = {
    "ip-dst": K.CIDR,
    "ip-src": K.CIDR,
    "domain": K.DOMAIN,
    "hostname": K.DOMAIN,
    "url": K.URL,
    "uri": K.URL,
    "link": K.URL,
    "email": K.EMAIL,
    "email-src": K.EMAIL,
    "email-dst": K.EMAIL,
    "filename": K.FILENAME,
    "md5": K.MD5,
    "sha1": K.SHA1,
    "sha256": K.SHA256,
}
TLP_TAGS = {
    "tlp:clear": Tlp.CLEAR,
    "tlp:white": Tlp.CLEAR,
    "tlp:green": Tlp.GREEN,
    "tlp:amber": Tlp.AMBER,
    "tlp:amber+strict": Tlp.AMBER_STRICT,
    "tlp:red": Tlp.RED,
}


def misp_event(indicators: Iterable[Indicator], *, info: str, tlp: str | None = None) -> str:
    """A MISP event with one attribute per indicator (to_ids set), tagged with each one's TLP."""
    event = MISPEvent()
    event.info = info
    event.distribution = 0  # this organisation only; the receiving MISP decides further sharing
    event.threat_level_id = 2
    event.analysis = 2
    event.uuid = str(uuid.uuid5(NAMESPACE, f"misp:{info}"))
    if tlp:
        event.add_tag(f"tlp:{tlp.lower()}")
    for indicator in indicators:
        attribute = event.add_attribute(
            MISP_TYPES[indicator.kind],
            indicator.value,
            to_ids=True,
            comment=indicator.description[:200],
            uuid=str(uuid.uuid5(NAMESPACE, indicator.key)),
        )
        assert isinstance(attribute, MISPAttribute)  # one value gives one attribute
        attribute.add_tag(f"tlp:{indicator.tlp.lower()}")
        attribute.first_seen = indicator.first_seen
        attribute.last_seen = max(indicator.last_seen, indicator.first_seen)
    return event.to_json()


def read_misp(data: str | bytes) -> ExchangeImport:
    """The attributes of a MISP event (and of its objects) that are indicators."""
    result = ExchangeImport()
    event = MISPEvent()
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        event.load(text)
    except Exception as exc:  # pymisp raises several types for a malformed event
        result.errors.append(
            {"object": "", "field": "", "value": "", "message": f"Not a MISP event: {exc}"[:300]}
        )
        return result
    result.title = str(event.info or "")
    event_tlp = next((TLP_TAGS[t.name.lower()] for t in event.tags if t.name.lower() in TLP_TAGS), None)
    attributes = list(event.attributes) + [a for o in event.objects for a in o.attributes]
    for index, attribute in enumerate(attributes, start=1):
        where = f"attribute {index} ({attribute.get('uuid', '')})"
        tlp = next(
            (TLP_TAGS[t.name.lower()] for t in attribute.tags if t.name.lower() in TLP_TAGS), event_tlp
        )
        types = str(attribute.type)
        values = str(attribute.value)
        pairs = (
            list(zip(types.split("|"), values.split("|"), strict=False))
            if "|" in types
            else [(types, values)]
        )
        for misp_type, raw in pairs:
            kind = FROM_MISP.get(misp_type)
            if kind is None:
                result.skipped.append({"object": where, "message": f"type {misp_type} is not an indicator"})
                continue
            _add(result, where, misp_type, kind, raw, tlp=tlp)
    return result
