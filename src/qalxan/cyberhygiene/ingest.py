"""Reading one leak's files into findings: which state accounts it holds, attributed to institutions and
services.

The fast path for combination lists is `scan.py`; this module decides formats, parses the few matching
records, attributes them, and hashes their passwords at once, so that clear-text passwords live only in
local variables of `Collector.add` and never reach the database, the log or a report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext_noop

from qalxan.cyberhygiene import conf, formats, scan
from qalxan.cyberhygiene.choices import AttributionBasis, LeakFormat, Measure
from qalxan.organizations.models import OrganizationDomain
from qalxan.registry.choices import DesignationState
from qalxan.registry.models import SystemDomain

SAMPLE_LIMIT = 20
# Reasons kept in the leak's report; translated when shown.
NO_SEPARATOR = gettext_noop("no separator")
NO_CREDENTIALS = gettext_noop("no login or password")
NO_COLUMNS = gettext_noop("the CSV header has no login or no password column")
FINGERPRINT_BLOCK = 1 << 16


def longest_suffix(table: Mapping[str, object], host: str) -> str | None:
    """The most specific registered domain that `host` is or lies under (hr.mod.gov.az → mod.gov.az)."""
    for candidate in scan.suffixes(host.strip(".").lower()):
        if candidate in table:
            return candidate
    return None


@dataclass(frozen=True)
class Target:
    organization_id: int
    basis: str
    is_staff: bool
    service_id: int | None


class Attributor:
    """The registered domains: e-mail/login domains of organisations and the hosts of state services."""

    def __init__(self) -> None:
        self.org_domains: dict[str, int] = dict(
            OrganizationDomain.objects.filter(organization__is_active=True).values_list(
                "domain", "organization_id"
            )
        )
        self.service_hosts: dict[str, tuple[int, int]] = {
            d: (s, o)
            for d, s, o in SystemDomain.objects.exclude(system__state=DesignationState.DELISTED).values_list(
                "domain", "system_id", "system__owner_id"
            )
        }

    def watched(self) -> frozenset[str]:
        return frozenset({d.lower() for d in self.org_domains} | {d.lower() for d in self.service_hosts})

    def attribute(self, url: str, login: str) -> Target | None:
        """Whose account this is: by the login's e-mail domain, else the institution's own site, else
        the service."""
        host = formats.host_of(url)
        service = longest_suffix(self.service_hosts, host) if host else None
        service_id, service_owner = self.service_hosts[service] if service else (None, None)
        if "@" in login:
            domain = login.rpartition("@")[2].strip().lower()
            org = longest_suffix(self.org_domains, domain)
            if org:
                return Target(self.org_domains[org], AttributionBasis.EMAIL_DOMAIN, True, service_id)
        elif host:
            own = longest_suffix(self.org_domains, host)
            if own:
                return Target(self.org_domains[own], AttributionBasis.OWN_SITE, True, service_id)
        if service_owner is not None:
            return Target(service_owner, AttributionBasis.STATE_SERVICE, False, service_id)
        return None


@dataclass
class Finding:
    """A matched account, with nothing clear but the masked login."""

    target: Target
    login_hmac: str
    password_hmac: str
    login_masked: str
    login_domain: str
    strength: str
    url_host: str
    location: str
    victim: str = ""
    measures: tuple[str, ...] = ()


@dataclass
class Report:
    """What reading the leak found: counts, malformed samples (masked), findings and stealer victims."""

    formats: set[str] = field(default_factory=set)
    lines: int = 0
    malformed: int = 0
    samples: list[dict[str, str]] = field(default_factory=list)
    records: int = 0
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    victims: dict[str, dict[str, str]] = field(default_factory=dict)
    peak_rss_kb: int = 0

    def malformed_line(self, where: str, raw: bytes | str, reason: str) -> None:
        self.malformed += 1
        self.sample(where, raw, reason)

    def sample(self, where: str, raw: bytes | str, reason: str) -> None:
        if len(self.samples) < SAMPLE_LIMIT:
            text = raw if isinstance(raw, str) else formats.decode(raw)[0]
            text = text.strip()
            # A malformed line may still hold a password: show only its first characters and its length.
            self.samples.append({"where": where, "reason": reason, "text": f"{text[:3]}… ({len(text)})"})


class Collector:
    """Attributes and hashes the records of a leak as they are read."""

    def __init__(self, attributor: Attributor, report: Report, key: bytes | None = None) -> None:
        self.attributor = attributor
        self.report = report
        self.key = key or conf.hmac_key()

    def add(self, url: str, login: str, password: str, location: str, victim: str = "") -> bool:
        """Keep the record when it is a state account; the password is hashed here and then dropped."""
        self.report.records += 1
        target = self.attributor.attribute(url, login)
        if target is None:
            return False
        normal = formats.normalise_login(login)
        key = (formats.keyed_hash(self.key, normal), formats.keyed_hash(self.key, password))
        found = self.report.findings.get(key)
        if found is not None:
            if found.target.service_id is None and target.service_id is not None:
                found.target = target
            if victim and not found.victim:
                found.victim = victim
            return True
        measures = [Measure.RESET_PASSWORD, Measure.ENFORCE_2FA]
        if victim:
            measures.append(Measure.CHECK_DEVICE)
        self.report.findings[key] = Finding(
            target=target,
            login_hmac=key[0],
            password_hmac=key[1],
            login_masked=formats.mask_login(normal),
            login_domain=normal.rpartition("@")[2] if "@" in normal else "",
            strength=formats.strength(password),
            url_host=formats.host_of(url)[:253],
            location=location[:400],
            victim=victim,
            measures=tuple(measures),
        )
        return True


Progress = Callable[[int], None]


def file_fingerprint(path: Path) -> tuple[str, int]:
    """SHA-256 over the size and evenly spread 64 KiB blocks: recognises a re-sent file without reading it
    all."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as handle:
        if size <= 64 * FINGERPRINT_BLOCK:
            digest.update(handle.read())
        else:
            step = size // 64
            for i in range(64):
                handle.seek(i * step)
                digest.update(handle.read(FINGERPRINT_BLOCK))
            handle.seek(max(size - FINGERPRINT_BLOCK, 0))
            digest.update(handle.read())
    return digest.hexdigest(), size


def tree_fingerprint(paths: Iterable[Path]) -> tuple[str, int, list[dict[str, object]]]:
    """One fingerprint and size for the files (and folders) of a leak, with a per-file list."""
    entries: list[tuple[str, str, int]] = []
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for p in files:
            fp, size = file_fingerprint(p)
            entries.append((str(p.relative_to(root.parent)), fp, size))
    total = hashlib.sha256(
        "\n".join(f"{fp}:{size}" for _n, fp, size in sorted(entries, key=lambda e: e[1])).encode()
    )
    listing: list[dict[str, object]] = [{"name": n, "size": s} for n, _fp, s in entries][:200]
    return total.hexdigest(), sum(s for _n, _f, s in entries), listing


def read_leak(
    paths: Iterable[Path],
    *,
    progress: Progress | None = None,
    workers: int | None = None,
    attributor: Attributor | None = None,
) -> Report:
    """Read every file of a leak (files, folders, zip archives) and return what it holds."""
    attributor = attributor or Attributor()
    report = Report()
    collector = Collector(attributor, report)
    watched = attributor.watched()
    tick = progress or (lambda n: None)
    for root in paths:
        if root.is_dir():
            _read_folder(root, collector, watched, tick, workers)
        elif zipfile.is_zipfile(root):
            _read_zip(root, collector, watched, tick)
        elif root.suffix.lower() == ".csv":
            with root.open("rb") as handle:
                _read_csv(handle, root.name, collector)
            tick(root.stat().st_size)
        else:
            _read_combolist_file(root, root.name, collector, watched, tick, workers)
    return report


def _read_combolist_file(
    path: Path, name: str, collector: Collector, watched: frozenset[str], tick: Progress, workers: int | None
) -> None:
    collector.report.formats.add(LeakFormat.COMBOLIST)
    result = scan.scan_file(str(path), watched, workers=workers or conf.scan_workers(), progress=tick)
    _take_scan(result, name, collector)


def _take_scan(result: scan.ScanResult, name: str, collector: Collector) -> None:
    report = collector.report
    report.lines += result.lines
    report.malformed += result.malformed
    report.peak_rss_kb = max(report.peak_rss_kb, result.peak_rss_kb)
    for number, raw in result.samples:
        report.sample(f"{name}:{number}", raw, NO_SEPARATOR)
    for number, raw in result.hits:
        text, _encoding = formats.decode(raw)
        parsed = formats.parse_combo_line(text)
        if parsed is None:
            report.malformed_line(f"{name}:{number}", text, NO_CREDENTIALS)
            continue
        collector.add(parsed[0], parsed[1], parsed[2], f"{name}:{number}")


def _read_csv(handle: IO[bytes], name: str, collector: Collector) -> None:
    report = collector.report
    report.formats.add(LeakFormat.CSV)
    try:
        for number, cred in formats.read_csv(handle, name):
            report.lines += 1
            if cred is None:
                report.malformed_line(f"{name}:{number}", "", NO_CREDENTIALS)
            else:
                collector.add(cred.url, cred.login, cred.password, cred.location)
    except formats.CsvLayoutError:
        report.malformed_line(name, "", NO_COLUMNS)


def _take_victims(victims: dict[str, formats.VictimLog], prefix: str, collector: Collector) -> None:
    report = collector.report
    if victims:
        report.formats.add(LeakFormat.STEALER)
    for folder, log in victims.items():
        key = f"{prefix}{folder}"
        report.lines += len(log.credentials) + log.broken
        report.malformed += log.broken
        matched = False
        for cred in log.credentials:
            matched |= collector.add(
                cred.url, cred.login, cred.password, f"{prefix}{cred.location}", victim=key
            )
        if matched:
            report.victims[key] = log.system


def _read_zip(path: Path, collector: Collector, watched: frozenset[str], tick: Progress) -> None:
    with zipfile.ZipFile(path) as archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        names = [i.filename for i in members]
        folders = formats.victim_folders(names)
        victims = {
            folder: formats.read_victim(folder, {n: archive.read(n) for n in files})
            for folder, files in folders.items()
        }
        _take_victims(victims, f"{path.name}!", collector)
        for info in members:
            name = info.filename.replace("\\", "/")
            if formats.in_victim_folder(name, folders):
                tick(info.compress_size)
                continue
            lower = name.lower()
            with archive.open(info) as member:
                if lower.endswith(".csv"):
                    _read_csv(member, f"{path.name}!{name}", collector)
                elif lower.endswith(".txt"):
                    collector.report.formats.add(LeakFormat.COMBOLIST)
                    result = scan.scan_stream(member, scan.Scanner(watched))  # type: ignore[arg-type]  # a zip member is a binary stream
                    _take_scan(result, f"{path.name}!{name}", collector)
            tick(info.compress_size)


def _read_folder(
    root: Path, collector: Collector, watched: frozenset[str], tick: Progress, workers: int | None
) -> None:
    files = sorted(p for p in root.rglob("*") if p.is_file())
    names = [p.relative_to(root).as_posix() for p in files]
    folders = formats.victim_folders(names)
    victims = {
        folder: formats.read_victim(folder, {n: (root / n).read_bytes() for n in group})
        for folder, group in folders.items()
    }
    _take_victims(victims, f"{root.name}/", collector)
    for path, name in zip(files, names, strict=True):
        if formats.in_victim_folder(name, folders):
            tick(path.stat().st_size)
        elif name.lower().endswith(".csv"):
            with path.open("rb") as handle:
                _read_csv(handle, f"{root.name}/{name}", collector)
            tick(path.stat().st_size)
        elif name.lower().endswith(".txt"):
            _read_combolist_file(path, f"{root.name}/{name}", collector, watched, tick, workers)
        elif zipfile.is_zipfile(path):
            _read_zip(path, collector, watched, tick)
        else:
            tick(path.stat().st_size)


def parse_when(value: str) -> dt.datetime | None:
    """A stealer log's date in its usual shapes, as an aware datetime (Baku time when none is given)."""
    value = value.strip()
    for fmt in (
        "%Y-%m-%d %H:%M:%S",
        "%d.%m.%Y %H:%M:%S",
        "%m/%d/%Y %I:%M:%S %p",
        "%d/%m/%Y %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%d.%m.%Y",
        "%Y-%m-%d",
    ):
        try:
            # Stealer logs write the victim's local time without a zone: read it as Baku time.
            parsed = dt.datetime.strptime(value, fmt)  # noqa: DTZ007
        except ValueError:
            continue
        return timezone.make_aware(parsed)
    return None


def remove_uploads(paths: Iterable[Path]) -> None:
    """Delete uploaded leak files once read: raw leaks hold clear passwords and must not stay on disk."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*"), reverse=True):
                child.unlink() if child.is_file() else child.rmdir()
            path.rmdir()
        elif path.exists():
            os.unlink(path)
