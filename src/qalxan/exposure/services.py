"""Every write of the exposure app: sites from the registry, scans and their results, findings and their
follow-up, AzStateNet ranges."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qalxan.core import audit, jobs
from qalxan.core.choices import AuditAction
from qalxan.core.roles import Role
from qalxan.core.services import notify
from qalxan.core.tenancy import require
from qalxan.exposure import catalogue, conf
from qalxan.exposure.choices import SEVERITY_PENALTY, CheckGroup, FindingState, ScanState, ScanTrigger
from qalxan.exposure.models import DataExposure, Finding, HostingRange, Scan, Site
from qalxan.exposure.scanner import engine
from qalxan.exposure.scanner.net import Resolver, parse_networks, parse_resolve
from qalxan.exposure.workflows import finding_lifecycle, scan_lifecycle
from qalxan.registry.choices import SystemKind
from qalxan.registry.models import InformationSystem, SystemDomain

SCAN = "exposure.scan_site"
ACTIVE_SCAN_STATES = (ScanState.QUEUED, ScanState.RUNNING)


# --- configuration


def hash_key() -> bytes:
    key = conf.get("HASH_KEY")
    if key:
        return str(key).encode()
    return hashlib.sha256(f"qalxan-exposure:{settings.SECRET_KEY}".encode()).digest()


def scan_config(**overrides: Any) -> engine.ScanConfig:
    """The scanner's limits from the settings, the AzStateNet ranges from the table."""
    resolver = Resolver(
        parse_resolve(conf.get("RESOLVE")),
        dns=conf.get("DNS"),
        allowed=parse_networks(conf.get("ALLOW_NETWORKS")),
    )
    values: dict[str, Any] = {
        "resolver": resolver,
        "max_pages": conf.get("MAX_PAGES"),
        "max_depth": conf.get("MAX_DEPTH"),
        "max_documents": conf.get("MAX_DOCUMENTS"),
        "host_delay": conf.get("HOST_DELAY"),
        "obey_robots": conf.get("ROBOTS").lower() != "ignore",
        "timeout": conf.get("TIMEOUT"),
        "site_timeout": conf.get("SITE_TIMEOUT"),
        "max_page_bytes": conf.get("MAX_PAGE_BYTES"),
        "max_document_bytes": conf.get("MAX_DOCUMENT_BYTES"),
        "concurrency": conf.get("CONCURRENCY"),
        "per_host": conf.get("PER_HOST"),
        "ca_file": conf.get("CA_BUNDLE"),
        "user_agent": conf.get("USER_AGENT"),
        "cert_warning_days": conf.get("CERT_WARNING_DAYS"),
        "hosting_ranges": parse_networks(" ".join(HostingRange.objects.values_list("cidr", flat=True))),
        "hash_key": hash_key(),
    }
    values.update(overrides)
    return engine.ScanConfig(**values)


def interval() -> dt.timedelta:
    return dt.timedelta(days=conf.get("SCAN_INTERVAL_DAYS"))


# --- sites


def sync_sites(*, actor: Any = None) -> int:
    """Follow every website of the registry (kind website); returns how many were added."""
    if actor is not None:
        require(actor, SCAN)
    missing = InformationSystem.objects.filter(kind=SystemKind.WEBSITE, exposure_site__isnull=True)
    created = 0
    with transaction.atomic():
        for system in missing:
            site = Site.objects.create(system=system)
            audit.record(actor=actor, action=AuditAction.CREATE, target=site, after=audit.snapshot(site))
            created += 1
    return created


def site_for(system: InformationSystem) -> Site:
    """The scanner's record of a registered website (created on first use)."""
    if system.kind != SystemKind.WEBSITE:
        raise ValidationError({"system": _("Only registered websites are scanned.")})
    site, _created = Site.objects.get_or_create(system=system)
    return site


@transaction.atomic
def set_site_enabled(*, actor: Any, site: Site, enabled: bool) -> Site:
    """Include a site in the periodic scans, or leave it out."""
    require(actor, SCAN, site)
    before = audit.snapshot(site)
    site.enabled = enabled
    site.save(update_fields=["enabled", "updated_at"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=site, before=before, after=audit.snapshot(site)
    )
    return site


def target_of(site: Site) -> engine.SiteTarget:
    """Where a scan may go: the registered domains of the site's system, and nothing else."""
    hosts = [
        d.strip().lower().rstrip(".")
        for d in SystemDomain.objects.filter(system_id=site.system_id)
        .order_by("id")
        .values_list("domain", flat=True)
    ]
    return engine.SiteTarget(site.pk, tuple(dict.fromkeys(h for h in hosts if h)))


def check_target(site: Site, url: str) -> str:
    """Refuse a target URL outside the site's registered domains; return its host."""
    from urllib.parse import urlsplit

    parts = urlsplit(url if "//" in url else f"https://{url}")
    host = (parts.hostname or "").lower()
    if parts.scheme not in {"http", "https"} or host not in target_of(site).hosts:
        raise ValidationError(
            {"target": _("“%(url)s” is not on a registered domain of this site.") % {"url": url}}
        )
    return host


# --- scans


@transaction.atomic
def request_scan(
    *, actor: Any, site: Site, trigger: str = ScanTrigger.ON_DEMAND, enqueue: bool = True
) -> Scan:
    """Queue a scan of a site (on demand, by schedule or from the command line)."""
    if actor is not None:
        require(actor, SCAN, site)
    Site.objects.select_for_update().filter(pk=site.pk).first()
    if Scan.objects.filter(site=site, state__in=ACTIVE_SCAN_STATES).exists():
        raise ValidationError(_("A scan of this site is already queued or running."))
    if not target_of(site).hosts:
        raise ValidationError(_("The site has no registered domain to scan."))
    scan = Scan.objects.create(
        site=site, trigger=trigger, requested_by=actor if getattr(actor, "pk", None) else None
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=scan, after=audit.snapshot(scan))
    if enqueue:
        from qalxan.exposure.tasks import run_scan_job

        jobs.after_commit(run_scan_job, scan.pk)
    return scan


def run_scans(scans: list[Scan], config: engine.ScanConfig | None = None) -> list[Scan]:
    """Start, run and record queued scans (the network part outside any transaction)."""
    config = config or scan_config()
    started = []
    with transaction.atomic():  # one commit for the batch; each start is its own savepoint
        for scan in scans:
            try:
                with transaction.atomic():
                    scan_lifecycle.apply(scan, "start", actor=None, system=True)
                started.append(scan)
            except ValidationError:
                continue  # already taken by another worker
    targets = [target_of(scan.site) for scan in started]
    results = engine.run(targets, config)
    done = []
    failed = []
    with transaction.atomic():
        for scan, result in zip(started, results, strict=True):
            try:
                with transaction.atomic():
                    done.append(record_result(scan=scan, result=result))
            except Exception as exc:  # a failure to record one site's result must not lose the others
                failed.append((scan, f"{type(exc).__name__}: {exc}"))
    for scan, reason in failed:
        fail_scan(scan=scan, reason=reason)
    return done


def run_scan(scan_id: int, config: engine.ScanConfig | None = None) -> Scan | None:
    scan = Scan.objects.select_related("site").filter(pk=scan_id, state=ScanState.QUEUED).first()
    if scan is None:
        return None
    done = run_scans([scan], config)
    return done[0] if done else Scan.objects.get(pk=scan_id)


@transaction.atomic
def fail_scan(*, scan: Scan, reason: str) -> Scan:
    scan.notes = [*scan.notes, {"code": "error", "url": "", "detail": reason[:300]}]
    scan.save(update_fields=["notes"])
    scan_lifecycle.apply(scan, "fail", actor=None, system=True, message=reason[:200])
    return scan


def fingerprint(check: str, location: str, key: str) -> str:
    return hashlib.sha256(f"{check}|{location}|{key}".encode()).hexdigest()


def _closable(finding: Finding, result: engine.SiteResult) -> bool:
    """Whether this scan looked where the finding was, so that not seeing it means it is fixed."""
    group = catalogue.info(finding.check_code).group
    if group not in result.completed:
        return False
    if finding.check_code == "personal_data":
        return finding.location in result.fetched or finding.location in result.gone
    return True


def score_of(findings: Iterable[Finding]) -> int:
    return max(0, 100 - sum(SEVERITY_PENALTY.get(f.severity, 0) for f in findings))


@transaction.atomic
def record_result(*, scan: Scan, result: engine.SiteResult) -> Scan:
    """Turn what a scan saw into findings: new ones opened (and notified), seen ones refreshed, those a
    rescan no longer sees closed as fixed, fixed ones seen again reopened; then the site's score."""
    site = scan.site
    existing = {f.fingerprint: f for f in Finding.objects.filter(site=site)}
    seen: set[str] = set()
    new: list[Finding] = []
    refreshed: list[Finding] = []
    reopened: list[Finding] = []
    data_rows: list[tuple[Finding, engine.Observation]] = []
    for obs in result.observations:
        fp = fingerprint(obs.check, obs.location[:1000], obs.key[:200])
        if fp in seen:
            continue
        seen.add(fp)
        severity = obs.severity or catalogue.info(obs.check).severity
        finding = existing.get(fp)
        if finding is None:
            finding = Finding(
                site=site,
                check_code=obs.check,
                severity=severity,
                location=obs.location[:1000],
                key=obs.key[:200],
                data_kind=obs.data_kind,
                evidence=obs.evidence,
                fingerprint=fp,
                first_scan=scan,
                last_scan=scan,
            )
            new.append(finding)
        else:
            finding.evidence = obs.evidence
            finding.severity = severity
            finding.updated_at = timezone.now()
            finding.last_scan = scan
            if finding.state == FindingState.FIXED:
                reopened.append(finding)
            else:
                refreshed.append(finding)
        if obs.data:
            data_rows.append((finding, obs))
    Finding.objects.bulk_create(new)
    if refreshed:
        Finding.objects.bulk_update(refreshed, ["evidence", "severity", "last_scan", "updated_at"])
    for finding in reopened:
        finding.save(update_fields=["evidence", "severity", "last_scan"])
        finding_lifecycle.apply(
            finding, "reopen", actor=None, system=True, message="seen again", context={"scan": scan}
        )
    fixed = [
        f
        for fp, f in existing.items()
        if fp not in seen and f.state == FindingState.OPEN and _closable(f, result)
    ]
    for finding in fixed:
        finding_lifecycle.apply(finding, "verify_fixed", actor=None, system=True, context={"scan": scan})
    DataExposure.objects.bulk_create(
        DataExposure(
            finding=finding,
            scan=scan,
            url=obs.location[:1000],
            kind=hit.kind,
            masked_value=hit.masked[:80],
            value_hash=hit.digest,
        )
        for finding, obs in data_rows
        for hit in obs.data[:500]
    )
    open_findings = list(Finding.objects.filter(site=site, state=FindingState.OPEN).only("severity"))
    reached = CheckGroup.TRANSPORT in result.completed
    scan.score = score_of(open_findings) if reached else None
    scan.address = result.address
    scan.in_azstatenet = result.in_azstatenet
    scan.pages = result.pages
    scan.documents = result.documents
    scan.requests = result.requests
    scan.new_findings = len(new) + len(reopened)
    scan.fixed_findings = len(fixed)
    scan.notes = [n.as_dict() for n in result.notes]
    scan.summary = {
        "host": result.host,
        "tls": result.tls,
        "headers": result.headers,
        "completed": sorted(str(g) for g in result.completed),
    }
    scan.save()
    scan_lifecycle.apply(
        scan,
        "finish" if reached else "fail",
        actor=None,
        system=True,
        message=_("%(new)d new, %(fixed)d fixed") % {"new": scan.new_findings, "fixed": scan.fixed_findings},
    )
    before = audit.snapshot(site)
    site.last_scanned_at = scan.finished_at
    site.next_scan_at = (scan.finished_at or timezone.now()) + interval()
    if scan.score is not None:
        site.score = scan.score
    site.open_findings = len(open_findings)
    site.save(update_fields=["last_scanned_at", "next_scan_at", "score", "open_findings", "updated_at"])
    audit.record(
        actor=None,
        action=AuditAction.UPDATE,
        target=site,
        before=before,
        after=audit.snapshot(site),
        message=(
            f"scan {scan.pk}: findings opened {[f.pk for f in new + reopened][:200]}, "
            f"fixed {[f.pk for f in fixed][:200]}"
        ),
    )
    if new or reopened:
        _announce(site, scan, len(new) + len(reopened))
    return scan


# --- notifications


def _officers(organization_id: int) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organization_id=organization_id,
            memberships__role=Role.INSTITUTION_OFFICER,
        )
        .distinct()
    )


def _tell(
    users: Iterable[Any], make: Callable[[], tuple[str, str]], *, url: str, organization_id: int
) -> None:
    by_language: dict[str, list[Any]] = defaultdict(list)
    for user in {u.pk: u for u in users}.values():
        by_language[user.preferred_language or "az"].append(user)
    for language, group in by_language.items():
        with translation.override(language):
            subject, body = make()
        notify(
            recipients=group, subject=str(subject), body=str(body), url=url, organization_id=organization_id
        )


def _announce(site: Site, scan: Scan, count: int) -> None:
    system = site.system
    _tell(
        _officers(system.owner_id),
        lambda: (
            _("Website scan: %(n)d new findings on %(site)s") % {"n": count, "site": system.name},
            _(
                "Score %(score)s/100. Open the findings for the advice on fixing them; "
                "a rescan verifies the fix."
            )
            % {"score": scan.score if scan.score is not None else "—"},
        ),
        url=site.get_absolute_url(),
        organization_id=system.owner_id,
    )


# --- follow-up of findings


@transaction.atomic
def accept_risk(*, actor: Any, finding: Finding, reason: str) -> Finding:
    """Record a supervisor's decision to accept a finding's risk (it no longer counts in the score)."""
    finding_lifecycle.apply(
        finding, "accept_risk", actor=actor, message=reason[:200], context={"reason": reason}
    )
    _rescore(finding.site)
    return finding


@transaction.atomic
def reopen_finding(*, actor: Any, finding: Finding, reason: str = "") -> Finding:
    """Open a fixed or accepted finding again."""
    finding_lifecycle.apply(finding, "reopen", actor=actor, message=reason[:200], context={"reason": reason})
    _rescore(finding.site)
    return finding


def _rescore(site: Site) -> None:
    open_findings = list(Finding.objects.filter(site=site, state=FindingState.OPEN).only("severity"))
    site.open_findings = len(open_findings)
    if site.score is not None:
        site.score = score_of(open_findings)
    site.save(update_fields=["open_findings", "score", "updated_at"])


# --- schedule


def schedule_due_scans(*, now: dt.datetime | None = None, enqueue: bool = True) -> list[Scan]:
    """Queue a scan of every enabled site whose interval has passed (and of sites never scanned)."""
    now = now or timezone.now()
    sync_sites()
    due = (
        Site.objects.filter(enabled=True)
        .exclude(next_scan_at__gt=now)
        .exclude(scans__state__in=ACTIVE_SCAN_STATES)
    )
    scans = []
    for site in due.distinct():
        try:
            scans.append(request_scan(actor=None, site=site, trigger=ScanTrigger.SCHEDULE, enqueue=enqueue))
        except ValidationError:
            continue  # no registered domain yet
    return scans


# --- AzStateNet ranges


@transaction.atomic
def add_hosting_range(*, actor: Any, cidr: str, label: str = "") -> HostingRange:
    """Add an address range of AzStateNet (reference data for the hosting check)."""
    require(actor, "exposure.add_hostingrange")
    entry = HostingRange(cidr=cidr.strip(), label=label.strip())
    entry.full_clean()
    import ipaddress

    entry.cidr = str(ipaddress.ip_network(entry.cidr, strict=False))
    if HostingRange.objects.filter(cidr=entry.cidr).exists():
        raise ValidationError({"cidr": _("This range is already listed.")})
    entry.save()
    audit.record(actor=actor, action=AuditAction.CREATE, target=entry, after=audit.snapshot(entry))
    return entry


@transaction.atomic
def delete_hosting_range(*, actor: Any, entry: HostingRange) -> None:
    """Remove an AzStateNet range."""
    require(actor, "exposure.delete_hostingrange")
    audit.record(actor=actor, action=AuditAction.DELETE, target=entry, before=audit.snapshot(entry))
    entry.delete()
