"""Every write of the incidents app: reports, triage and handling, comments, measures, deadlines, notices."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from qalxan.core import audit, jobs, sql
from qalxan.core.choices import AuditAction
from qalxan.core.files import Upload, keep
from qalxan.core.models import prefetched
from qalxan.core.roles import Role
from qalxan.core.services import notify
from qalxan.core.tenancy import can, require, restrict, scope
from qalxan.incidents.choices import (
    OPEN_STATES,
    SEVERITY_RANK,
    Channel,
    IncidentState,
    MeasureState,
    Severity,
    TimelineKind,
)
from qalxan.incidents.models import (
    Incident,
    IncidentAttachment,
    Measure,
    SeverityPolicy,
    TaxonomyType,
    TimelineEntry,
)
from qalxan.incidents.workflows import incident_lifecycle
from qalxan.organizations.models import Organization
from qalxan.registry.choices import CiiCategory
from qalxan.registry.models import InformationSystem

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 20
FOREIGN_KEYS = [
    "organization",
    "sector",
    "reported_by",
    "taxonomy_type",
    "taxonomy_class",
    "assignee",
    "duplicate_of",
    "affected_systems",
    "related",
]
EDITABLE_FIELDS = (
    "title",
    "description",
    "impact",
    "indicators",
    "detected_at",
    "taxonomy_type",
    "tlp",
    "pap",
)
OFFICER_EDITABLE_STATES = (IncidentState.DRAFT, IncidentState.REPORTED)


def max_attachment_bytes() -> int:
    return int(getattr(settings, "INCIDENT_MAX_ATTACHMENT_BYTES", MAX_ATTACHMENT_BYTES))


_POLICY_CACHE: dict[str, Any] = {"at": 0.0, "policies": {}}
POLICY_CACHE_SECONDS = 30.0


def policy_for(severity: str) -> SeverityPolicy | None:
    """The SLA of a severity (the small table is cached briefly: intake reads it on every report)."""
    now = time.monotonic()
    if now - _POLICY_CACHE["at"] > POLICY_CACHE_SECONDS:
        _POLICY_CACHE["policies"] = {p.severity: p for p in SeverityPolicy.objects.all()}
        _POLICY_CACHE["at"] = now
    return _POLICY_CACHE["policies"].get(severity)


def forget_policies() -> None:
    _POLICY_CACHE["at"] = 0.0


def severity_floor(
    incident: Incident, systems: Sequence[InformationSystem] | None = None
) -> tuple[str | None, str]:
    """The lowest severity the affected systems allow: high for designated CII, critical for category I."""
    if systems is None:
        systems = list(incident.affected_systems.all()) if incident.pk else []
    cii = [s for s in systems if s.is_cii]
    if not cii:
        return None, ""
    names = ", ".join(s.registry_number for s in cii)
    if any(s.category == CiiCategory.I for s in cii):
        return Severity.CRITICAL, _("Category I CII object affected: %(systems)s") % {"systems": names}
    return Severity.HIGH, _("Designated CII object affected: %(systems)s") % {"systems": names}


def _raise_severity(incident: Incident, systems: Sequence[InformationSystem]) -> None:
    floor, reason = severity_floor(incident, systems)
    if floor is not None and SEVERITY_RANK[Severity(floor)] > SEVERITY_RANK[Severity(incident.severity)]:
        incident.severity = floor
        incident.severity_reason = reason[:300]


def apply_reporting_rules(incident: Incident) -> None:
    """Record the time from detection to report, flag a late report and set the triage deadline."""
    if incident.reported_at is None:
        return
    delay = max(0, int((incident.reported_at - incident.detected_at).total_seconds()))
    incident.report_delay_seconds = delay
    policy = policy_for(incident.severity)
    if policy is not None:
        incident.report_late = delay > policy.report_hours * 3600
        incident.triage_due = incident.reported_at + dt.timedelta(hours=policy.triage_hours)


def reporting_obligations() -> list[SeverityPolicy]:
    return list(SeverityPolicy.objects.all())


def _check_systems(actor: Any, organization: Organization, systems: Iterable[Any]) -> list[InformationSystem]:
    """Affected systems: the institution's own, or any for CERT and supervisors."""
    ids = []
    for s in systems:
        ids.append(s.pk if isinstance(s, InformationSystem) else s)
    if not ids:
        return []
    # Unknown and invisible systems get the same answer: the reporter learns nothing about others' systems.
    # Only what the checks, the severity floor and the sector need (a system has some forty columns).
    # Visibility is the registry's tenancy (`restrict`: owner within the person's scope), checked here on
    # the rows read by key rather than added to a query built per report.
    visible = scope(actor, "registry.view_informationsystem")
    found = {
        pk: s
        for pk, s in sql.by_pk(
            InformationSystem, list(dict.fromkeys(ids)), ["owner", "sector", "state", "category"]
        ).items()
        if s.owner_id in visible
    }
    anywhere = can(actor, "incidents.triage_incident") or can(actor, "registry.supervise_informationsystem")
    bad = [i for i in ids if i not in found or (not anywhere and found[i].owner_id != organization.pk)]
    if bad:
        raise ValidationError(
            {
                "affected_systems": _("Unknown systems or systems of another institution: %(ids)s")
                % {"ids": ", ".join(str(b) for b in bad)}
            }
        )
    return [found[i] for i in dict.fromkeys(ids)]


def _check_upload(upload: Upload) -> None:
    if len(upload.content) > max_attachment_bytes():
        raise ValidationError(
            {
                "attachments": _("“%(name)s” is larger than %(mb)d MB.")
                % {"name": upload.filename, "mb": max_attachment_bytes() // (1024 * 1024)}
            }
        )


def _store_attachment(incident: Incident, upload: Upload, actor: Any) -> IncidentAttachment:
    return keep(IncidentAttachment(incident=incident), upload, actor)


def _timeline_entry(incident: Incident, kind: str, message: str, actor: Any = None) -> TimelineEntry:
    return TimelineEntry(
        incident=incident,
        kind=kind,
        message=message[:10000],
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _timeline(incident: Incident, kind: str, message: str, actor: Any = None) -> TimelineEntry:
    entry = _timeline_entry(incident, kind, message, actor)
    entry.save()
    return entry


def _officers(organization_id: int) -> list[Any]:
    user_model = get_user_model()
    return list(
        user_model.objects.filter(
            is_active=True,
            memberships__organization_id=organization_id,
            memberships__role=Role.INSTITUTION_OFFICER,
        ).distinct()
    )


def _analysts() -> list[Any]:
    user_model = get_user_model()
    return list(user_model.objects.filter(is_active=True, memberships__role=Role.ANALYST).distinct())


def tell(
    users: Iterable[Any],
    make: Callable[[], tuple[str, str]],
    *,
    url: str = "",
    organization_id: int | None = None,
) -> None:
    """Notify people, each in their preferred language (subject and text are made under that language)."""
    by_language: dict[str, list[Any]] = defaultdict(list)
    for user in {u.pk: u for u in users if u is not None}.values():
        by_language[user.preferred_language or "az"].append(user)
    for language, group in by_language.items():
        with translation.override(language):
            subject, body = make()
        notify(
            recipients=group, subject=str(subject), body=str(body), url=url, organization_id=organization_id
        )


def notify_institution(*, organization_id: int, make: Callable[[], tuple[str, str]], url: str = "") -> None:
    """Tell an institution's officers something (used by other modules, e.g. threat-indicator alerts)."""
    tell(_officers(organization_id), make, url=url, organization_id=organization_id)


@transaction.atomic
def report_incident(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    detected_at: dt.datetime,
    description: str = "",
    impact: str = "",
    indicators: str = "",
    taxonomy_type: TaxonomyType | None = None,
    tlp: str = "AMBER",
    pap: str = "AMBER",
    severity: str = Severity.MEDIUM,
    affected_systems: Iterable[Any] = (),
    attachments: Sequence[Upload] = (),
    channel: str = Channel.WEB,
    draft: bool = False,
    reported_at: dt.datetime | None = None,
) -> Incident:
    """Record an institution's report (or a draft from e-mail intake, which the institution then submits)."""
    if actor is not None:
        require(actor, "incidents.add_incident", organization_id=organization.pk)
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(n)d attachments.") % {"n": MAX_ATTACHMENTS}})
    for upload in attachments:
        _check_upload(upload)
    if detected_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"detected_at": _("The detection time cannot be in the future.")})
    systems = (
        _check_systems(actor, organization, affected_systems)
        if actor is not None
        else list(
            InformationSystem.objects.filter(
                pk__in=[getattr(s, "pk", s) for s in affected_systems], owner=organization
            )
        )
    )
    incident = Incident(
        organization=organization,
        title=title.strip()[:300],
        description=description,
        impact=impact,
        indicators=indicators,
        detected_at=detected_at,
        taxonomy_type=taxonomy_type,
        taxonomy_class_id=taxonomy_type.taxonomy_class_id if taxonomy_type else None,
        tlp=tlp,
        pap=pap,
        severity=severity,
        channel=channel,
        reported_by=actor if getattr(actor, "pk", None) else None,
        state=IncidentState.DRAFT if draft else IncidentState.REPORTED,
        reported_at=None if draft else (reported_at or timezone.now()),
    )
    sector = next((s.sector_id for s in systems), None)
    if sector is None:
        sector = organization.sectors.values_list("pk", flat=True).first()
    incident.sector_id = sector
    _raise_severity(incident, systems)
    apply_reporting_rules(incident)
    # Related objects were resolved above (organisation, systems) or by the caller; validate the plain fields.
    incident.clean_fields(exclude=FOREIGN_KEYS)
    sql.insert([incident])
    stored = [_store_attachment(incident, upload, actor) for upload in attachments]
    events = [
        _timeline_entry(
            incident,
            TimelineKind.EVENT,
            (
                _("Draft created from an e-mail.")
                if draft
                else _("Reported through: %(channel)s.") % {"channel": Channel(incident.channel).label}
            ),
            actor,
        )
    ]
    if incident.severity_reason:
        events.append(_timeline_entry(incident, TimelineKind.EVENT, incident.severity_reason))
    if incident.report_late:
        events.append(
            _timeline_entry(incident, TimelineKind.EVENT, _("Reported after the deadline for its severity."))
        )
    with sql.together():  # the systems, the timeline and the audit entry: one statement on PostgreSQL
        sql.insert(
            [
                Incident.affected_systems.through(incident_id=incident.pk, informationsystem_id=s.pk)
                for s in systems
            ]
        )
        sql.insert(events)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            target=incident,
            after=_snapshot(incident, systems=[s.pk for s in systems]),
        )
    # The caller answers with the new report: it need not read back what was just written.
    prefetched(incident, affected_systems=systems, attachments=stored)
    if not draft:
        _schedule_announcement(incident)
    else:
        tell(
            _officers(organization.pk),
            lambda: (
                _("Draft incident report from e-mail: %(title)s") % {"title": incident.title},
                _("Check the draft and submit it."),
            ),
            url=incident.get_absolute_url(),
            organization_id=organization.pk,
        )
    return incident


def _schedule_announcement(incident: Incident) -> None:
    """The analysts hear of a new report from a background job once it is committed: the report
    itself is not held up by writing to every analyst."""
    from qalxan.incidents.tasks import announce_incident

    jobs.after_commit(announce_incident, incident.pk)


def announce_report(incident_id: int) -> None:
    """Tell the CERT analysts of a new report (a background job after the report's commit)."""
    incident = Incident.objects.select_related("organization").filter(pk=incident_id).first()
    if incident is None or incident.state == IncidentState.DRAFT:
        return
    _announce_report(incident)


def _announce_report(incident: Incident) -> None:
    tell(
        _analysts(),
        lambda: (
            _("New incident %(ref)s from %(org)s: %(title)s")
            % {"ref": incident.reference, "org": incident.organization.short_name, "title": incident.title},
            _("Severity: %(severity)s.") % {"severity": incident.get_severity_display()},
        ),
        url=incident.get_absolute_url(),
        organization_id=incident.organization_id,
    )


def _snapshot(incident: Incident, systems: list[int] | None = None) -> dict[str, Any]:
    data = audit.snapshot(incident, exclude=("affected_systems", "related", "updated_at"))
    if systems is None:
        systems = list(incident.affected_systems.values_list("pk", flat=True))
    data["affected_systems"] = sorted(systems)
    return data


@transaction.atomic
def update_incident(
    *, actor: Any, incident: Incident, affected_systems: Iterable[Any] | None = None, **fields: Any
) -> Incident:
    """Change a report's details: the institution while it is a draft or newly reported, CERT until closed."""
    require(actor, "incidents.change_incident", incident)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown incident fields: {sorted(unknown)}")
    cert = can(actor, "incidents.triage_incident", incident)
    if not cert and incident.state not in OFFICER_EDITABLE_STATES:
        raise PermissionDenied(_("The report can no longer be changed; add a comment instead."))
    if incident.state in {IncidentState.CLOSED, IncidentState.REJECTED, IncidentState.DUPLICATE}:
        raise ValidationError(_("A closed, rejected or duplicate incident cannot be changed."))
    if "detected_at" in fields and fields["detected_at"] > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"detected_at": _("The detection time cannot be in the future.")})
    before = _snapshot(incident)
    for name, value in fields.items():
        setattr(incident, name, value)
    if "detected_at" in fields:
        apply_reporting_rules(incident)
    if "taxonomy_type" in fields:
        incident.taxonomy_class_id = (
            incident.taxonomy_type.taxonomy_class_id if incident.taxonomy_type else None
        )
    systems = None
    if affected_systems is not None:
        systems = _check_systems(actor, incident.organization, affected_systems)
        _raise_severity(incident, systems)
    incident.full_clean(exclude=["affected_systems", "related"])
    incident.save()
    if systems is not None:
        incident.affected_systems.set(systems)
    after = _snapshot(incident)
    changed = sorted(k for k in after if before.get(k) != after.get(k))
    if changed:
        _timeline(
            incident,
            TimelineKind.EVENT,
            _("Details changed: %(fields)s") % {"fields": ", ".join(changed)},
            actor,
        )
    audit.record(actor=actor, action=AuditAction.UPDATE, target=incident, before=before, after=after)
    return incident


@transaction.atomic
def move_incident(
    *,
    actor: Any,
    incident: Incident,
    step: str,
    message: str = "",
    severity: str = "",
    assignee: Any = None,
    duplicate_of: Incident | None = None,
    reason: str = "",
) -> Incident:
    """Take one lifecycle step (triage, handling, closing; duplicate and merge link the original)."""
    if assignee is not None and not can(assignee, "incidents.handle_incident", incident):
        raise ValidationError({"assignee": _("The assignee must be a CERT analyst.")})
    if duplicate_of is not None and not restrict(Incident.objects.filter(pk=duplicate_of.pk), actor).exists():
        raise ValidationError({"duplicate_of": _("Unknown incident.")})
    old_state = incident.get_state_display()
    context = {
        "severity": severity,
        "assignee": assignee,
        "duplicate_of": duplicate_of,
        "reason": reason or message,
    }
    incident_lifecycle.apply(incident, step, actor=actor, message=message, context=context)
    text = _("%(from)s → %(to)s") % {"from": old_state, "to": incident.get_state_display()}
    if message or reason:
        text += f": {message or reason}"
    _timeline(incident, TimelineKind.TRANSITION, text, actor)
    if step == "merge" and duplicate_of is not None:
        _merge_into(actor, incident, duplicate_of)
    if step in {"mark_duplicate", "merge"} and duplicate_of is not None:
        incident.related.add(duplicate_of)
    if step == "submit":
        _schedule_announcement(incident)
    url = incident.get_absolute_url()
    tell(
        [*_officers(incident.organization_id), incident.reported_by],
        lambda: (
            _("Incident %(ref)s: %(state)s")
            % {"ref": incident.reference, "state": incident.get_state_display()},
            message or reason or "",
        ),
        url=url,
        organization_id=incident.organization_id,
    )
    if step == "accept" and incident.assignee is not None and incident.assignee != actor:
        tell(
            [incident.assignee],
            lambda: (
                _("Incident %(ref)s is assigned to you") % {"ref": incident.reference},
                incident.title,
            ),
            url=url,
            organization_id=incident.organization_id,
        )
    return incident


def _merge_into(actor: Any, incident: Incident, target: Incident) -> None:
    """Carry the duplicate's systems, attachments and indicators over to the incident it is merged into."""
    before = _snapshot(target)
    target.affected_systems.add(*incident.affected_systems.all())
    IncidentAttachment.objects.filter(incident=incident).update(incident=target)
    if incident.indicators.strip():
        target.indicators = (target.indicators.rstrip() + "\n" + incident.indicators.strip()).strip()
        target.save(update_fields=["indicators", "updated_at"])
    _timeline(
        target,
        TimelineKind.EVENT,
        _("%(ref)s merged into this incident.") % {"ref": incident.reference},
        actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=target,
        before=before,
        after=_snapshot(target),
        message=f"merge {incident.reference}",
    )


@transaction.atomic
def assign_incident(*, actor: Any, incident: Incident, assignee: Any) -> Incident:
    """Give the incident to an analyst."""
    require(actor, "incidents.triage_incident", incident)
    if assignee is not None and not can(assignee, "incidents.handle_incident", incident):
        raise ValidationError({"assignee": _("The assignee must be a CERT analyst.")})
    before = _snapshot(incident)
    incident.assignee = assignee
    incident.save(update_fields=["assignee", "updated_at"])
    _timeline(incident, TimelineKind.EVENT, _("Assigned to %(who)s.") % {"who": assignee or "—"}, actor)
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=incident, before=before, after=_snapshot(incident)
    )
    return incident


@transaction.atomic
def set_severity(*, actor: Any, incident: Incident, severity: str) -> Incident:
    """Change the severity (never below what an affected CII object requires)."""
    require(actor, "incidents.triage_incident", incident)
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Choose a severity.")})
    floor, reason = severity_floor(incident)
    if floor is not None and SEVERITY_RANK[Severity(floor)] > SEVERITY_RANK[Severity(severity)]:
        raise ValidationError({"severity": reason})
    before = _snapshot(incident)
    incident.severity = severity
    incident.save(update_fields=["severity", "updated_at"])
    _timeline(
        incident, TimelineKind.EVENT, _("Severity: %(s)s.") % {"s": incident.get_severity_display()}, actor
    )
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=incident, before=before, after=_snapshot(incident)
    )
    return incident


@transaction.atomic
def relate_incidents(*, actor: Any, incident: Incident, other: Incident) -> Incident:
    """Link two related incidents (both must be visible to the analyst)."""
    require(actor, "incidents.triage_incident", incident)
    if other.pk == incident.pk or not restrict(Incident.objects.filter(pk=other.pk), actor).exists():
        raise ValidationError({"related": _("Unknown incident.")})
    incident.related.add(other)
    _timeline(incident, TimelineKind.EVENT, _("Related to %(ref)s.") % {"ref": other.reference}, actor)
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=incident, message=f"related {other.reference}"
    )
    return incident


@transaction.atomic
def add_comment(*, actor: Any, incident: Incident, message: str) -> TimelineEntry:
    """A comment on the incident's timeline, seen by the institution and CERT."""
    require(actor, "incidents.comment_incident", incident)
    text = message.strip()
    if not text:
        raise ValidationError({"message": _("Write a comment.")})
    entry = _timeline(incident, TimelineKind.COMMENT, text, actor)
    audit.record(actor=actor, action=AuditAction.CREATE, target=incident, message="comment")
    cert = can(actor, "incidents.triage_incident", incident)
    recipients = (
        _officers(incident.organization_id)
        if cert
        else ([incident.assignee] if incident.assignee else _analysts())
    )
    tell(
        [r for r in recipients if r.pk != actor.pk],
        lambda: (
            _("New comment on %(ref)s") % {"ref": incident.reference},
            text[:1000],
        ),
        url=incident.get_absolute_url(),
        organization_id=incident.organization_id,
    )
    return entry


@transaction.atomic
def add_attachment(*, actor: Any, incident: Incident, upload: Upload) -> IncidentAttachment:
    """Attach a file to an incident."""
    require(actor, "incidents.comment_incident", incident)
    _check_upload(upload)
    attachment = _store_attachment(incident, upload, actor)
    _timeline(
        incident, TimelineKind.EVENT, _("File attached: %(name)s") % {"name": attachment.filename}, actor
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=attachment, after=audit.snapshot(attachment))
    return attachment


@transaction.atomic
def request_measure(
    *, actor: Any, incident: Incident, kind: str, description: str, due_date: dt.date | None = None
) -> Measure:
    """CERT asks the institution to take a measure."""
    require(actor, "incidents.request_measure", incident)
    if incident.state not in {IncidentState.TRIAGED, IncidentState.IN_PROGRESS, IncidentState.CONTAINED}:
        raise ValidationError(_("Measures are requested while the incident is being handled."))
    measure = Measure(
        incident=incident, kind=kind, description=description.strip(), due_date=due_date, requested_by=actor
    )
    measure.full_clean()
    measure.save()
    _timeline(
        incident,
        TimelineKind.MEASURE,
        _("Measure requested: %(kind)s — %(text)s")
        % {"kind": measure.get_kind_display(), "text": measure.description},
        actor,
    )
    audit.record(actor=actor, action=AuditAction.CREATE, target=measure, after=audit.snapshot(measure))
    tell(
        _officers(incident.organization_id),
        lambda: (
            _("Measure requested for %(ref)s: %(kind)s")
            % {"ref": incident.reference, "kind": measure.get_kind_display()},
            measure.description,
        ),
        url=measure.get_absolute_url(),
        organization_id=incident.organization_id,
    )
    return measure


@transaction.atomic
def confirm_measure(*, actor: Any, measure: Measure, comment: str, evidence: Upload | None = None) -> Measure:
    """The institution confirms a measure is done, with a comment and evidence."""
    require(actor, "incidents.confirm_measure", measure)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.state not in {MeasureState.REQUESTED, MeasureState.RETURNED}:
        raise ValidationError(_("This measure is not waiting for the institution."))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what was done.")})
    before = audit.snapshot(measure)
    measure.response = comment.strip()
    if evidence is not None:
        _check_upload(evidence)
        name = get_valid_filename(evidence.filename or "evidence")[:200] or "evidence"
        measure.evidence.save(name, ContentFile(evidence.content), save=False)
        measure.evidence_name = name
    measure.state = MeasureState.CONFIRMED
    measure.confirmed_by, measure.confirmed_at = actor, timezone.now()
    measure.save()
    incident = measure.incident
    _timeline(
        incident,
        TimelineKind.MEASURE,
        _("Measure confirmed by the institution: %(kind)s — %(text)s")
        % {"kind": measure.get_kind_display(), "text": measure.response},
        actor,
    )
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=measure, before=before, after=audit.snapshot(measure)
    )
    tell(
        [measure.requested_by or incident.assignee],
        lambda: (
            _("Measure confirmed for %(ref)s: %(kind)s")
            % {"ref": incident.reference, "kind": measure.get_kind_display()},
            measure.response,
        ),
        url=measure.get_absolute_url(),
        organization_id=incident.organization_id,
    )
    return measure


@transaction.atomic
def verify_measure(*, actor: Any, measure: Measure, accept: bool, comment: str = "") -> Measure:
    """The analyst verifies a confirmed measure, or returns it to the institution."""
    require(actor, "incidents.verify_measure", measure)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    if measure.state != MeasureState.CONFIRMED:
        raise ValidationError(_("Only a confirmed measure can be verified."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say why the measure is returned.")})
    before = audit.snapshot(measure)
    measure.state = MeasureState.VERIFIED if accept else MeasureState.RETURNED
    measure.verification_comment = comment.strip()
    measure.verified_by, measure.verified_at = actor, timezone.now()
    measure.save()
    incident = measure.incident
    _timeline(
        incident,
        TimelineKind.MEASURE,
        _("Measure %(state)s: %(kind)s")
        % {"state": measure.get_state_display(), "kind": measure.get_kind_display()}
        + (f" — {measure.verification_comment}" if measure.verification_comment else ""),
        actor,
    )
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=measure, before=before, after=audit.snapshot(measure)
    )
    tell(
        _officers(incident.organization_id),
        lambda: (
            _("Measure for %(ref)s: %(state)s")
            % {"ref": incident.reference, "state": measure.get_state_display()},
            measure.verification_comment,
        ),
        url=measure.get_absolute_url(),
        organization_id=incident.organization_id,
    )
    return measure


@transaction.atomic
def update_policy(*, actor: Any, policy: SeverityPolicy, **fields: Any) -> SeverityPolicy:
    """Change the reporting deadline or SLA of a severity."""
    require(actor, "incidents.change_severitypolicy")
    before = audit.snapshot(policy)
    for name in ("report_hours", "triage_hours", "resolve_hours", "reminder_percent"):
        if name in fields:
            setattr(policy, name, fields[name])
    policy.full_clean()
    policy.save()
    forget_policies()
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=policy, before=before, after=audit.snapshot(policy)
    )
    return policy


def _deadline_passed_notice(incident: Incident) -> tuple[str, str]:
    return _("Deadline passed: %(ref)s") % {"ref": incident.reference}, incident.title


def _reminder_notice(incident: Incident, due: dt.datetime) -> tuple[str, str]:
    when = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
    return _("Reminder: %(ref)s is due at %(due)s") % {"ref": incident.reference, "due": when}, incident.title


def check_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """Flag breached SLAs and send one reminder before each deadline (run by a periodic job)."""
    now = now or timezone.now()
    counts = {"breached": 0, "reminded": 0}
    policies = {p.severity: p for p in SeverityPolicy.objects.all()}
    open_incidents = Incident.objects.filter(state__in=OPEN_STATES).select_related("assignee", "organization")
    for incident in open_incidents.iterator(chunk_size=500):
        due = incident.triage_due if incident.state == IncidentState.REPORTED else incident.resolve_due
        if due is None:
            continue
        with transaction.atomic():
            if due <= now and not incident.sla_breached:
                Incident.objects.filter(pk=incident.pk).update(sla_breached=True)
                _timeline(incident, TimelineKind.EVENT, _("The deadline for this stage has passed."))
                audit.record(actor=None, action=AuditAction.UPDATE, target=incident, message="sla breached")
                tell(
                    [incident.assignee] if incident.assignee else _analysts(),
                    partial(_deadline_passed_notice, incident),
                    url=incident.get_absolute_url(),
                    organization_id=incident.organization_id,
                )
                counts["breached"] += 1
                continue
            policy = policies.get(incident.severity)
            start = incident.reported_at if incident.state == IncidentState.REPORTED else incident.triaged_at
            if policy is None or start is None or due <= now:
                continue
            left = (due - now).total_seconds() / max((due - start).total_seconds(), 1)
            if left * 100 <= policy.reminder_percent and (
                incident.reminded_at is None or incident.reminded_at < start
            ):
                Incident.objects.filter(pk=incident.pk).update(reminded_at=now)
                tell(
                    [incident.assignee] if incident.assignee else _analysts(),
                    partial(_reminder_notice, incident, due),
                    url=incident.get_absolute_url(),
                    organization_id=incident.organization_id,
                )
                counts["reminded"] += 1
    return counts
