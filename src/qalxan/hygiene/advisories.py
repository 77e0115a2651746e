"""Offline import of OSV advisories (JSON files or per-ecosystem zip dumps) and of a known-exploited list.

All-or-nothing: a file with a malformed advisory changes nothing and names the entry and the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.tenancy import require
from qalxan.hygiene.models import Advisory, AffectedPackage, KnownExploited
from qalxan.hygiene.parsers import InventoryRejected, pypi_normalise
from qalxan.hygiene.versions import cvss3_base_score, inventory_ecosystem, severity_of

SEVERITY_WORDS = {
    "critical": "critical",
    "high": "high",
    "moderate": "medium",
    "medium": "medium",
    "low": "low",
}


@dataclass
class AdvisoryImport:
    advisories: int = 0
    packages: int = 0
    skipped_ecosystems: set[str] = field(default_factory=set)
    known_exploited: int = 0


def _documents(filename: str, content: bytes) -> list[tuple[str, Any]]:
    """(entry name, parsed JSON) for a single OSV JSON file, a JSON list, or a zip dump of JSON files."""
    if content[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
        except zipfile.BadZipFile as exc:
            raise InventoryRejected(filename, "", _("Not a readable zip archive.")) from exc
        out = []
        for info in archive.infolist():
            if info.is_dir() or not info.filename.endswith(".json"):
                continue
            try:
                out.append((info.filename, orjson.loads(archive.read(info))))
            except orjson.JSONDecodeError as exc:
                raise InventoryRejected(
                    info.filename, "", _("Not valid JSON: %(err)s") % {"err": exc}
                ) from exc
        return out
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise InventoryRejected(filename, "", _("Not valid JSON: %(err)s") % {"err": exc}) from exc
    if isinstance(data, list):
        return [(f"{filename}[{i}]", d) for i, d in enumerate(data)]
    return [(filename, data)]


def _severity(doc: dict[str, Any]) -> tuple[str, Decimal | None]:
    best: float | None = None
    for entry in doc.get("severity") or []:
        if isinstance(entry, dict) and str(entry.get("type", "")).startswith("CVSS_V3"):
            score = cvss3_base_score(str(entry.get("score", "")))
            if score is not None and (best is None or score > best):
                best = score
    word = str((doc.get("database_specific") or {}).get("severity", "")).lower()
    if best is not None:
        return severity_of(best), Decimal(str(best))
    return SEVERITY_WORDS.get(word, "unknown"), None


def _parse_advisory(
    where: str, doc: Any, result: AdvisoryImport
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not isinstance(doc, dict):
        raise InventoryRejected(where, "", _("An advisory must be a JSON object."))
    osv_id = doc.get("id")
    if not isinstance(osv_id, str) or not osv_id:
        raise InventoryRejected(where, "id", _("Missing or empty."))
    affected = doc.get("affected") or []
    if not isinstance(affected, list):
        raise InventoryRejected(where, "affected", _("Must be a list."))
    severity, score = _severity(doc)
    modified = parse_datetime(str(doc.get("modified", ""))) if doc.get("modified") else None
    advisory = {
        "osv_id": osv_id[:100],
        "aliases": [a for a in doc.get("aliases") or [] if isinstance(a, str)],
        "summary": str(doc.get("summary") or doc.get("details") or "")[:500],
        "severity": severity,
        "cvss_score": score,
        "modified": modified,
    }
    packages = []
    for index, entry in enumerate(affected):
        package = entry.get("package") if isinstance(entry, dict) else None
        if not isinstance(package, dict) or not package.get("name") or not package.get("ecosystem"):
            raise InventoryRejected(where, f"affected[{index}].package", _("Needs an ecosystem and a name."))
        ecosystem = inventory_ecosystem(str(package["ecosystem"]))
        if ecosystem is None:
            result.skipped_ecosystems.add(str(package["ecosystem"]).split(":", 1)[0])
            continue
        name = str(package["name"])
        if ecosystem == "pypi":
            name = pypi_normalise(name)
        events: list[dict[str, str]] = []
        for r_index, rng in enumerate(entry.get("ranges") or []):
            if not isinstance(rng, dict) or rng.get("type") not in {"ECOSYSTEM", "SEMVER"}:
                continue  # GIT ranges name commits, which inventories do not report
            for event in rng.get("events") or []:
                if not isinstance(event, dict) or len(event) != 1:
                    raise InventoryRejected(
                        where, f"affected[{index}].ranges[{r_index}]", _("Each event has exactly one key.")
                    )
                key, value = next(iter(event.items()))
                if key not in {"introduced", "fixed", "last_affected", "limit"}:
                    raise InventoryRejected(
                        where,
                        f"affected[{index}].ranges[{r_index}]",
                        _("Unknown event “%(e)s”.") % {"e": key},
                    )
                events.append({key: str(value)})
        listed = [str(v) for v in entry.get("versions") or []]
        fixed = next((e["fixed"] for e in events if "fixed" in e), "")
        packages.append(
            {
                "ecosystem": ecosystem,
                "name": name[:250],
                "events": events,
                "versions": listed,
                "fixed_version": fixed[:100],
            }
        )
    return advisory, packages


def import_osv(*, actor: Any, filename: str, content: bytes, system: bool = False) -> AdvisoryImport:
    """Import OSV advisories; newer versions of an advisory replace older ones (by id)."""
    if not system:
        require(actor, "hygiene.import_advisory")
    result = AdvisoryImport()
    parsed = [_parse_advisory(where, doc, result) for where, doc in _documents(filename, content)]
    if not parsed:
        raise InventoryRejected(filename, "", _("The file holds no advisory."))
    exploited = set(KnownExploited.objects.values_list("cve_id", flat=True))
    with transaction.atomic():
        ids = [a["osv_id"] for a, _p in parsed]
        existing: dict[str, int] = {}
        for chunk in range(0, len(ids), 5000):
            existing.update(
                Advisory.objects.filter(osv_id__in=ids[chunk : chunk + 5000]).values_list("osv_id", "id")
            )
        new = [
            Advisory(**a, known_exploited=bool(exploited & {a["osv_id"], *a["aliases"]}))
            for a, _p in parsed
            if a["osv_id"] not in existing
        ]
        Advisory.objects.bulk_create(new, batch_size=2000)
        for a, _p in parsed:
            if a["osv_id"] in existing:
                Advisory.objects.filter(pk=existing[a["osv_id"]]).update(
                    **a, known_exploited=bool(exploited & {a["osv_id"], *a["aliases"]})
                )
        pk_of: dict[str, int] = {}
        for chunk in range(0, len(ids), 5000):
            pk_of.update(
                Advisory.objects.filter(osv_id__in=ids[chunk : chunk + 5000]).values_list("osv_id", "id")
            )
        AffectedPackage.objects.filter(advisory_id__in=list(existing.values())).delete()
        rows = [
            AffectedPackage(advisory_id=pk_of[a["osv_id"]], **p) for a, packages in parsed for p in packages
        ]
        AffectedPackage.objects.bulk_create(rows, batch_size=5000)
        result.advisories = len(parsed)
        result.packages = len(rows)
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            message=f"hygiene.osv: {filename}: {result.advisories} advisories, {result.packages} packages",
            after={"file": filename, "advisories": result.advisories, "packages": result.packages},
        )
        # Now, for what this transaction matches next (the demo uploads right after), and again once
        # committed, for what other threads read in between.
        _forget_matches()
        transaction.on_commit(_forget_matches)
        transaction.on_commit(_rematch_current)
    return result


def import_known_exploited(
    *, actor: Any, filename: str, content: bytes, system: bool = False
) -> AdvisoryImport:
    """A known-exploited list: CISA KEV JSON (`vulnerabilities[].cveID`) or CSV with a `cveID` column."""
    if not system:
        require(actor, "hygiene.import_advisory")
    entries: list[dict[str, Any]] = []
    if content.lstrip()[:1] in {b"{", b"["}:
        try:
            data = orjson.loads(content)
        except orjson.JSONDecodeError as exc:
            raise InventoryRejected(1, "", _("Not valid JSON: %(err)s") % {"err": exc}) from exc
        items = data.get("vulnerabilities") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise InventoryRejected(1, "vulnerabilities", _("Must be a list."))
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not str(item.get("cveID", "")).startswith("CVE-"):
                raise InventoryRejected(f"vulnerabilities[{index}]", "cveID", _("Must be a CVE identifier."))
            entries.append(item)
    else:
        reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig", errors="replace")))
        if "cveID" not in (reader.fieldnames or []):
            raise InventoryRejected(1, "cveID", _("The required column is missing."))
        for item in reader:
            if not str(item.get("cveID", "")).startswith("CVE-"):
                raise InventoryRejected(reader.line_num, "cveID", _("Must be a CVE identifier."))
            entries.append(item)
    with transaction.atomic():
        known = set(KnownExploited.objects.values_list("cve_id", flat=True))
        new = []
        for item in entries:
            cve = str(item["cveID"]).strip()[:30]
            if cve in known:
                continue
            known.add(cve)
            added = item.get("dateAdded")
            new.append(
                KnownExploited(
                    cve_id=cve,
                    vendor=str(item.get("vendorProject", ""))[:200],
                    product=str(item.get("product", ""))[:200],
                    date_added=dt.date.fromisoformat(added) if added else None,
                )
            )
        KnownExploited.objects.bulk_create(new, batch_size=2000)
        flagged = 0
        for advisory in Advisory.objects.filter(known_exploited=False).only("id", "osv_id", "aliases"):
            if known & {advisory.osv_id, *advisory.aliases}:
                Advisory.objects.filter(pk=advisory.pk).update(known_exploited=True)
                flagged += 1
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            message=f"hygiene.kev: {filename}: {len(new)} new, {flagged} advisories flagged",
        )
        # Now, for what this transaction matches next (the demo uploads right after), and again once
        # committed, for what other threads read in between.
        _forget_matches()
        transaction.on_commit(_forget_matches)
        transaction.on_commit(_rematch_current)
    return AdvisoryImport(known_exploited=len(new), advisories=flagged)


def _forget_matches() -> None:
    from qalxan.hygiene.matching import forget

    forget()


def _rematch_current() -> None:
    """The current inventories are matched again in the background: no need to wait for new uploads."""
    from qalxan.hygiene import tasks
    from qalxan.hygiene.models import Endpoint

    if Endpoint.objects.exclude(last_snapshot=None).exists():  # e.g. the demo imports before uploading
        tasks.rematch_task()
