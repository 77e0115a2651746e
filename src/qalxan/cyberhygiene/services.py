"""Every write of the cyber-hygiene app: leaks and their ingestion, follow-up of compromised accounts,
administrator lists, stealer victims as incidents, training and phishing results."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from qalxan.core import audit, jobs
from qalxan.core.choices import AuditAction
from qalxan.core.tenancy import can, require
from qalxan.cyberhygiene import conf, formats, ingest
from qalxan.cyberhygiene.choices import ExposureState, LeakFormat, LeakState, Measure
from qalxan.cyberhygiene.models import (
    AdminAccount,
    Enrolment,
    Exposure,
    Leak,
    PhishingResult,
    Sighting,
    StealerVictim,
    TrainingCampaign,
)
from qalxan.cyberhygiene.workflows import exposure_followup, leak_ingestion
from qalxan.organizations.models import Organization

log = logging.getLogger(__name__)
BATCH = 500


# --- Leaks ------------------------------------------------------------------------------------------------


def _refuse_duplicate(fingerprint: str) -> None:
    earlier = Leak.objects.filter(fingerprint=fingerprint).exclude(state=LeakState.FAILED).first()
    if earlier is not None:
        raise ValidationError(
            {
                "files": _("This leak was already ingested as “%(name)s” (#%(pk)d).")
                % {"name": earlier.name, "pk": earlier.pk}
            }
        )


@transaction.atomic
def register_leak(
    *,
    actor: Any,
    name: str,
    paths: Sequence[Path],
    source: str = "",
    leaked_on: dt.date | None = None,
) -> Leak:
    """Record a leak whose files are on this machine, ready for its ingestion job."""
    require(actor, "cyberhygiene.add_leak")
    if not name.strip():
        raise ValidationError({"name": _("Give the leak a name.")})
    if not paths:
        raise ValidationError({"files": _("Give at least one file.")})
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ValidationError({"files": _("No such file: %(f)s.") % {"f": ", ".join(missing)}})
    fingerprint, size, listing = ingest.tree_fingerprint(paths)
    _refuse_duplicate(fingerprint)
    leak = Leak(
        name=name.strip()[:200],
        source=source.strip()[:300],
        leaked_on=leaked_on,
        fingerprint=fingerprint,
        files=listing,
        bytes_total=size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    leak.full_clean(exclude=["fingerprint"])
    leak.save()
    audit.record(actor=actor, action=AuditAction.CREATE, target=leak, after=audit.snapshot(leak))
    return leak


def store_uploads(files: Iterable[Any]) -> list[Path]:
    """Save uploaded files under the app's upload folder (they are removed after ingestion)."""
    folder = conf.upload_dir() / timezone.now().strftime("%Y%m%d%H%M%S%f")
    folder.mkdir(parents=True, exist_ok=False)
    paths = []
    limit = conf.max_upload_bytes()
    try:
        for upload in files:
            if upload.size > limit:
                raise ValidationError({"files": _("A file is larger than %(n)d MB.") % {"n": limit // 2**20}})
            target = folder / get_valid_filename(Path(upload.name).name or "leak.txt")
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            paths.append(target)
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return paths


def upload_leak(
    *, actor: Any, name: str, files: Sequence[Any], source: str = "", leaked_on: dt.date | None = None
) -> Leak:
    """Take uploaded leak files and queue their ingestion as a background job."""
    require(actor, "cyberhygiene.add_leak")
    if not files:
        raise ValidationError({"files": _("Give at least one file.")})
    paths = store_uploads(files)
    try:
        with transaction.atomic():
            leak = register_leak(actor=actor, name=name, paths=paths, source=source, leaked_on=leaked_on)
            _enqueue(leak.pk, [str(p) for p in paths])
    except Exception:
        ingest.remove_uploads(paths)
        raise
    return leak


def remove_stale_uploads(max_age_hours: int = 48) -> int:
    """Delete upload folders older than `max_age_hours` (their job never ran or never ended); returns how
    many."""
    limit = time.time() - max_age_hours * 3600
    removed = 0
    for folder in conf.upload_dir().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    if removed:
        log.warning("removed %d stale leak upload folders", removed)
    return removed


def _enqueue(leak_id: int, paths: list[str]) -> None:
    """The ingestion job, queued once the leak's registration commits."""
    from qalxan.cyberhygiene.tasks import ingest_leak_job

    jobs.after_commit(ingest_leak_job, leak_id, paths, True)


def ingest_leak(
    *,
    actor: Any,
    leak: Leak,
    paths: Sequence[Path],
    remove_files: bool = False,
    received_at: dt.datetime | None = None,
    notify: bool | None = None,
) -> Leak:
    """Read the leak's files and record the state accounts they hold (the job behind an upload, and the CLI).

    Progress is written to the leak while reading; the findings are written in one transaction at the end,
    so a failure leaves no half-ingested leak behind.
    """
    require(actor, "cyberhygiene.add_leak")
    leak_ingestion.apply(leak, "start", actor=actor)
    last = [0.0]
    done = [0]

    def progress(n: int) -> None:
        done[0] += n
        now = time.monotonic()
        if now - last[0] >= 1.0:
            last[0] = now
            Leak.objects.filter(pk=leak.pk).update(bytes_done=min(done[0], leak.bytes_total or done[0]))

    try:
        report = ingest.read_leak(paths, progress=progress)
        record_findings(actor=actor, leak=leak, report=report, received_at=received_at)
    except Exception as exc:
        log.exception("ingestion of leak %s failed", leak.pk)
        leak.refresh_from_db()
        if leak.state == LeakState.RUNNING:
            leak_ingestion.apply(
                leak, "fail", actor=actor, context={"error": f"{type(exc).__name__}: {exc}"[:2000]}
            )
        raise
    finally:
        if remove_files:
            ingest.remove_uploads(paths)
    leak.refresh_from_db()
    if conf.auto_notify() if notify is None else notify:
        notify_institutions(actor=actor, leak=leak)
    return leak


@transaction.atomic
def record_findings(
    *, actor: Any, leak: Leak, report: ingest.Report, received_at: dt.datetime | None = None
) -> Leak:
    """Write a leak's findings: new exposures, sightings of known ones, stealer victims; no duplicates."""
    require(actor, "cyberhygiene.add_leak")
    leak = Leak.objects.select_for_update().get(pk=leak.pk)
    seen_at = received_at or timezone.now()
    findings = list(report.findings.values())
    victims = _record_victims(leak, report, findings)
    login_hmacs = sorted({f.login_hmac for f in findings})
    existing: dict[tuple[str, str], Exposure] = {}
    for i in range(0, len(login_hmacs), BATCH):
        for e in Exposure.objects.filter(login_hmac__in=login_hmacs[i : i + BATCH]):
            existing[(e.login_hmac, e.password_hmac)] = e
    password_hmacs = sorted({f.password_hmac for f in findings})
    known_passwords: set[str] = set()
    for i in range(0, len(password_hmacs), BATCH):
        known_passwords.update(
            Exposure.objects.filter(password_hmac__in=password_hmacs[i : i + BATCH]).values_list(
                "password_hmac", flat=True
            )
        )
    admins = set(
        AdminAccount.objects.filter(login_hmac__in=login_hmacs).values_list("organization_id", "login_hmac")
    )
    new: list[Exposure] = []
    for f in findings:
        if (f.login_hmac, f.password_hmac) in existing:
            continue
        exposure = Exposure(
            organization_id=f.target.organization_id,
            login_masked=f.login_masked,
            login_hmac=f.login_hmac,
            login_domain=f.login_domain,
            password_hmac=f.password_hmac,
            strength=f.strength,
            password_seen_before=f.password_hmac in known_passwords,
            basis=f.target.basis,
            is_staff=f.target.is_staff,
            is_admin=(f.target.organization_id, f.login_hmac) in admins,
            service_id=f.target.service_id,
            url_host=f.url_host,
            victim=victims.get(f.victim),
            first_leak=leak,
            first_seen_at=seen_at,
            measures=list(f.measures),
        )
        new.append(exposure)
    Exposure.objects.bulk_create(new, batch_size=BATCH)
    created = {(e.login_hmac, e.password_hmac): e for e in new}
    if new and any(e.pk is None for e in new):  # databases that do not return keys from bulk inserts
        for i in range(0, len(login_hmacs), BATCH):
            for e in Exposure.objects.filter(login_hmac__in=login_hmacs[i : i + BATCH], first_leak=leak):
                created[(e.login_hmac, e.password_hmac)] = e
    by_key = {**existing, **created}
    already = set(Sighting.objects.filter(leak=leak).values_list("exposure_id", flat=True))
    sightings = [
        Sighting(exposure=by_key[k], leak=leak, location=f.location)
        for k, f in report.findings.items()
        if by_key[k].pk not in already
    ]
    Sighting.objects.bulk_create(sightings, batch_size=BATCH, ignore_conflicts=True)
    per_org: dict[int, dict[str, int]] = defaultdict(lambda: {"new": 0, "known": 0})
    for k, f in report.findings.items():
        per_org[f.target.organization_id]["new" if k in created else "known"] += 1
    leak.format = (
        next(iter(report.formats))
        if len(report.formats) == 1
        else (LeakFormat.MIXED if report.formats else "")
    )
    leak.lines_total = report.lines
    leak.lines_malformed = report.malformed
    leak.malformed_samples = report.samples
    leak.records_matched = len(report.findings)
    leak.accounts_new = len(created)
    leak.accounts_known = len(report.findings) - len(created)
    leak.organizations_affected = len(per_org)
    leak.bytes_done = leak.bytes_total
    leak.save()
    for org_id, counts in sorted(per_org.items()):
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            organization_id=org_id,
            message=f"cyberhygiene: leak #{leak.pk}: {counts['new']} new, {counts['known']} known accounts",
            after={"leak": leak.pk, **counts},
        )
    leak_ingestion.apply(
        leak,
        "finish",
        actor=actor,
        message=f"{leak.records_matched} accounts, {leak.lines_malformed} malformed",
    )
    return leak


def _record_victims(
    leak: Leak, report: ingest.Report, findings: list[ingest.Finding]
) -> dict[str, StealerVictim]:
    key = conf.hmac_key()
    orgs: dict[str, int] = {}
    for f in findings:
        if f.victim and (f.victim not in orgs or f.target.is_staff):
            orgs.setdefault(f.victim, f.target.organization_id)
    out: dict[str, StealerVictim] = {}
    for folder, system in report.victims.items():
        if folder not in orgs:
            continue
        identity = "|".join(system.get(k, "") for k in ("hwid", "machine_name", "machine_user", "ip_address"))
        fingerprint = formats.keyed_hash(key, identity if identity.strip("|") else folder)
        victim = StealerVictim.objects.filter(fingerprint=fingerprint).first()
        if victim is None:
            victim = StealerVictim.objects.create(
                organization_id=orgs[folder],
                leak=leak,
                fingerprint=fingerprint,
                log_folder=folder[:300],
                machine_name=system.get("machine_name", ""),
                machine_user=system.get("machine_user", ""),
                ip_address=system.get("ip_address", "")[:64],
                country=system.get("country", "")[:100],
                operating_system=system.get("operating_system", ""),
                stealer=system.get("stealer", "")[:100],
                infected_at=ingest.parse_when(system.get("infected_at", "")),
            )
        out[folder] = victim
    return out


# --- Follow-up ---------------------------------------------------------------------------------------------


def _measures_text(exposure: Exposure) -> str:
    return ", ".join(str(Measure(m).label) for m in exposure.measures if m in Measure.values)


def notify_institutions(
    *, actor: Any, leak: Leak | None = None, organization: Organization | None = None
) -> int:
    """Tell each institution with open, not yet notified accounts which ones and what to do; returns how
    many."""
    from qalxan.incidents.services import notify_institution

    require(actor, "cyberhygiene.notify_exposure")
    pending = Exposure.objects.filter(state=ExposureState.OPEN).select_related("first_leak", "service")
    if leak is not None:
        pending = pending.filter(sightings__leak=leak)
    if organization is not None:
        pending = pending.filter(organization=organization)
    by_org: dict[int, list[Exposure]] = defaultdict(list)
    for exposure in pending.distinct().order_by("organization_id", "id"):
        by_org[exposure.organization_id].append(exposure)
    count = 0
    for org_id, exposures in by_org.items():
        with transaction.atomic():
            for exposure in exposures:
                exposure_followup.apply(exposure, "notify", actor=actor)
                count += 1

            def make(items: list[Exposure] = exposures) -> tuple[str, str]:
                lines = [
                    _(
                        "%(login)s — leak “%(leak)s” of %(date)s; password seen before: %(seen)s; "
                        "measures: %(m)s"
                    )
                    % {
                        "login": e.login_masked + (f" ({e.service})" if e.service else ""),
                        "leak": e.first_leak.name,
                        "date": (e.first_leak.leaked_on or e.first_seen_at.date()).isoformat(),
                        "seen": _("yes") if e.password_seen_before else _("no"),
                        "m": _measures_text(e),
                    }
                    for e in items
                ]
                subject = _("%(n)d compromised accounts of your institution") % {"n": len(items)}
                body = "\n".join(
                    [
                        _(
                            "These accounts of your institution were found in credential leaks. Take "
                            "the measures "
                            "and confirm each account in Qalxan."
                        ),
                        "",
                        *lines,
                    ]
                )
                return subject, body

            transaction.on_commit(
                partial(
                    notify_institution,
                    organization_id=org_id,
                    make=make,
                    url=reverse("cyberhygiene:exposure_list") + "?state=notified",
                )
            )
    return count


@transaction.atomic
def confirm_exposure(
    *, actor: Any, exposure: Exposure, measures_done: Sequence[str], note: str = ""
) -> Exposure:
    """The institution confirms the measures taken for one account."""
    return exposure_followup.apply(  # type: ignore[return-value]  # apply() returns the object it was given
        exposure,
        "confirm",
        actor=actor,
        message=",".join(sorted(measures_done)),
        context={"measures_done": list(measures_done), "note": note},
    )


@transaction.atomic
def dismiss_exposure(*, actor: Any, exposure: Exposure, note: str) -> Exposure:
    """The analyst closes an account that needs nothing (e.g. a test account, or a former employee's)."""
    return exposure_followup.apply(  # type: ignore[return-value]  # apply() returns the object it was given
        exposure, "dismiss", actor=actor, message=note[:200], context={"note": note}
    )


@transaction.atomic
def reopen_exposure(*, actor: Any, exposure: Exposure, note: str) -> Exposure:
    """The analyst sends a closed account back to the institution."""
    return exposure_followup.apply(  # type: ignore[return-value]  # apply() returns the object it was given
        exposure, "reopen", actor=actor, message=note[:200], context={"note": note}
    )


@transaction.atomic
def escalate_victim(*, actor: Any, victim: StealerVictim) -> Any:
    """Turn a stealer-log victim inside a state institution into an incident, in one step."""
    from qalxan.incidents.models import TaxonomyType
    from qalxan.incidents.services import report_incident

    require(actor, "cyberhygiene.escalate_stealervictim", victim)
    if victim.incident_id is not None:
        raise ValidationError(_("This victim is already incident %(ref)s.") % {"ref": victim.incident})
    accounts = list(victim.exposures.all())
    description = "\n".join(
        [
            _("An information stealer's log from a computer of the institution was found in leak “%(leak)s”.")
            % {"leak": victim.leak.name},
            _("Computer: %(m)s; user: %(u)s; operating system: %(os)s; stealer: %(s)s.")
            % {
                "m": victim.machine_name or "—",
                "u": victim.machine_user or "—",
                "os": victim.operating_system or "—",
                "s": victim.stealer or "—",
            },
            _("Accounts in the log: %(a)s.") % {"a": ", ".join(e.login_masked for e in accounts) or "—"},
        ]
    )
    incident = report_incident(
        actor=actor,
        organization=victim.organization,
        title=_("Information stealer on %(m)s") % {"m": victim.machine_name or victim.log_folder},
        detected_at=min(victim.infected_at or timezone.now(), timezone.now()),
        description=description,
        impact=_("%(n)d accounts of the institution are exposed.") % {"n": len(accounts)},
        indicators=victim.ip_address,
        taxonomy_type=TaxonomyType.objects.filter(code="infected-system").first(),
        tlp="AMBER",
        pap="AMBER",
    )
    before = audit.snapshot(victim)
    victim.incident = incident
    victim.save(update_fields=["incident"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=victim, before=before, after=audit.snapshot(victim)
    )
    return incident


# --- Administrator accounts --------------------------------------------------------------------------------


@transaction.atomic
def add_admin_account(*, actor: Any, organization: Organization, login: str) -> tuple[AdminAccount, bool]:
    """Declare an administrator account of an institution (kept hashed); flags its exposures as admin ones."""
    require(actor, "cyberhygiene.add_adminaccount", organization_id=organization.pk)
    normal = formats.normalise_login(login)
    if not normal or len(normal) > 200:
        raise ValidationError({"login": _("Give a login of at most 200 characters.")})
    digest = formats.keyed_hash(conf.hmac_key(), normal)
    account, created = AdminAccount.objects.get_or_create(
        organization=organization,
        login_hmac=digest,
        defaults={
            "login_masked": formats.mask_login(normal),
            "added_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    if created:
        audit.record(actor=actor, action=AuditAction.CREATE, target=account, after=audit.snapshot(account))
        Exposure.objects.filter(organization=organization, login_hmac=digest).update(is_admin=True)
    return account, created


@transaction.atomic
def delete_admin_account(*, actor: Any, account: AdminAccount) -> None:
    """Remove an administrator account from the institution's list."""
    require(actor, "cyberhygiene.delete_adminaccount", account)
    before = audit.snapshot(account)
    Exposure.objects.filter(organization_id=account.organization_id, login_hmac=account.login_hmac).update(
        is_admin=False
    )
    audit.record(actor=actor, action=AuditAction.DELETE, target=account, before=before)
    account.delete()


# --- Training and phishing drills -------------------------------------------------------------------------


@transaction.atomic
def record_enrolment(
    *,
    actor: Any,
    organization: Organization,
    course_code: str,
    course: str,
    learner: str,
    enrolled_on: dt.date,
    full_name: str = "",
    completed_on: dt.date | None = None,
    score: Decimal | None = None,
    starts_on: dt.date | None = None,
) -> tuple[Enrolment, bool]:
    """Record (or update) one learner of an institution's awareness course."""
    require(actor, "cyberhygiene.import_trainingcampaign", organization_id=organization.pk)
    if completed_on is not None and completed_on < enrolled_on:
        raise ValidationError({"completed_on": _("Completion cannot come before enrolment.")})
    campaign, made = TrainingCampaign.objects.get_or_create(
        organization=organization,
        code=course_code,
        defaults={"course": course or course_code, "starts_on": starts_on or enrolled_on},
    )
    if made:
        campaign.full_clean()
        audit.record(actor=actor, action=AuditAction.CREATE, target=campaign, after=audit.snapshot(campaign))
    elif starts_on is None and (campaign.starts_on is None or enrolled_on < campaign.starts_on):
        TrainingCampaign.objects.filter(pk=campaign.pk).update(starts_on=enrolled_on)
    enrolment = Enrolment.objects.filter(campaign=campaign, learner=learner).first()
    created = enrolment is None
    before = audit.snapshot(enrolment) if enrolment else None
    enrolment = enrolment or Enrolment(campaign=campaign, learner=learner)
    enrolment.full_name = full_name[:200]
    enrolment.enrolled_on = enrolled_on
    enrolment.completed_on = completed_on
    enrolment.score = score
    enrolment.full_clean()
    enrolment.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=enrolment,
        before=before,
        after=audit.snapshot(enrolment),
        organization_id=organization.pk,
    )
    return enrolment, created


@transaction.atomic
def record_phishing_result(
    *,
    actor: Any,
    organization: Organization,
    campaign: str,
    run_on: dt.date,
    sent: int,
    opened: int = 0,
    clicked: int = 0,
    submitted: int = 0,
    reported: int = 0,
) -> tuple[PhishingResult, bool]:
    """Record (or replace) the outcome of a phishing drill at one institution."""
    require(actor, "cyberhygiene.import_phishingresult", organization_id=organization.pk)
    errors = {}
    if opened > sent:
        errors["opened"] = _("More opened than sent.")
    if clicked > sent:
        errors["clicked"] = _("More clicked than sent.")
    if submitted > clicked:
        errors["submitted"] = _("More submitted credentials than clicks.")
    if reported > sent:
        errors["reported"] = _("More reported than sent.")
    if errors:
        raise ValidationError(errors)
    result = PhishingResult.objects.filter(organization=organization, campaign=campaign).first()
    created = result is None
    before = audit.snapshot(result) if result else None
    result = result or PhishingResult(organization=organization, campaign=campaign)
    result.run_on, result.sent, result.opened = run_on, sent, opened
    result.clicked, result.submitted, result.reported = clicked, submitted, reported
    result.full_clean()
    result.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=result,
        before=before,
        after=audit.snapshot(result),
    )
    return result, created


def can_escalate(user: Any, victim: StealerVictim) -> bool:
    return (
        victim.incident_id is None
        and can(user, "cyberhygiene.escalate_stealervictim", victim)
        and can(user, "incidents.add_incident", organization_id=victim.organization_id)
    )
