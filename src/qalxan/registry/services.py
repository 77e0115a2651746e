"""Every write to the registry: systems, addresses, dependencies, assessments, designation, documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.services import notify
from qalxan.core.tenancy import can, require, restrict
from qalxan.core.validators import normalise_domains
from qalxan.organizations.models import Membership, Organization
from qalxan.registry import workflows
from qalxan.registry.choices import CriterionDirection, DesignationState, ReviewStatus
from qalxan.registry.models import (
    CategoryRule,
    CriticalityAssessment,
    CriticalityCriterion,
    DataRequest,
    Dependency,
    InformationSystem,
    IpRange,
    SpecialRequirements,
    SystemDomain,
    validate_cidr,
)

SYSTEM_FIELDS = (
    "name_az",
    "name_en",
    "name_ru",
    "kind",
    "description",
    "sector",
    "subsector",
    "owner",
    "operator",
    "hosting",
    "holds_personal_data",
    "personal_data_registration",
    "responsible_name",
    "responsible_email",
    "responsible_phone",
    "secure_contact",
    "services",
)
ALLOWED_UPLOADS = {".pdf": b"%PDF", ".docx": b"PK\x03\x04", ".odt": b"PK\x03\x04"}


def normalise_cidrs(values: Iterable[str]) -> list[str]:
    """Validated, canonical and de-duplicated CIDR ranges (IPv6 compressed, lower case)."""
    result: list[str] = []
    errors: list[str] = []
    for raw in values:
        value = str(raw).strip()
        if not value:
            continue
        try:
            validate_cidr(value)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        canonical = str(ipaddress.ip_network(value, strict=True))
        if canonical not in result:
            result.append(canonical)
    if errors:
        raise ValidationError({"ip_ranges": errors})
    return result


def _snapshot(system: InformationSystem) -> dict[str, Any]:
    data = audit.snapshot(system, exclude=("depends_on",))
    data["ip_ranges"] = sorted(system.ip_ranges.values_list("cidr", flat=True))
    data["domains"] = sorted(system.domains.values_list("domain", flat=True))
    data["depends_on"] = sorted(system.dependency_edges.values_list("depends_on_id", flat=True))
    return data


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(SYSTEM_FIELDS)
    if unknown:
        raise TypeError(f"unknown system fields: {sorted(unknown)}")


def _check_subsector(system: InformationSystem) -> None:
    if system.subsector_id and system.subsector and system.subsector.sector_id != system.sector_id:
        raise ValidationError({"subsector": _("The subsector belongs to another sector.")})
    if system.holds_personal_data is False and system.personal_data_registration:
        raise ValidationError(
            {
                "personal_data_registration": _(
                    "Only a system that holds personal data has a registration number."
                )
            }
        )


def _set_addresses(
    system: InformationSystem, ip_ranges: Iterable[str] | None, domains: Iterable[str] | None
) -> None:
    if ip_ranges is not None:
        wanted = normalise_cidrs(ip_ranges)
        system.ip_ranges.exclude(cidr__in=wanted).delete()
        existing = set(system.ip_ranges.values_list("cidr", flat=True))
        for cidr in wanted:
            if cidr not in existing:
                IpRange(system=system, cidr=cidr).save()
    if domains is not None:
        wanted = normalise_domains(domains)
        system.domains.exclude(domain__in=wanted).delete()
        existing = set(system.domains.values_list("domain", flat=True))
        SystemDomain.objects.bulk_create(
            SystemDomain(system=system, domain=d) for d in wanted if d not in existing
        )


def _set_dependencies(
    actor: Any, system: InformationSystem, depends_on: Iterable[InformationSystem] | None
) -> None:
    if depends_on is None:
        return
    targets = {s.pk: s for s in depends_on}
    if system.pk in targets:
        raise ValidationError({"depends_on": _("A system cannot depend on itself.")})
    visible = set(
        restrict(InformationSystem.objects.filter(pk__in=targets), actor).values_list("pk", flat=True)
    )
    unknown = sorted(set(targets) - visible)
    if unknown:
        raise ValidationError({"depends_on": _("Unknown systems: %(ids)s") % {"ids": unknown}})
    system.dependency_edges.exclude(depends_on_id__in=targets).delete()
    existing = set(system.dependency_edges.values_list("depends_on_id", flat=True))
    Dependency.objects.bulk_create(
        Dependency(dependent=system, depends_on_id=pk) for pk in targets if pk not in existing
    )


@transaction.atomic
def register_system(
    *,
    actor: Any,
    ip_ranges: Iterable[str] = (),
    domains: Iterable[str] = (),
    depends_on: Iterable[InformationSystem] = (),
    **fields: Any,
) -> InformationSystem:
    """Register a system of an owner organisation (by its own officer or by a supervisor)."""
    _check_fields(fields)
    owner = fields.get("owner")
    if owner is None:
        raise ValidationError({"owner": _("Choose the owner (subject).")})
    require(actor, "registry.add_informationsystem", organization_id=owner.pk)
    system = InformationSystem(**fields)
    system.full_clean()
    _check_subsector(system)
    system.save()
    _set_addresses(system, ip_ranges, domains)
    _set_dependencies(actor, system, depends_on)
    audit.record(actor=actor, action=AuditAction.CREATE, target=system, after=_snapshot(system))
    return system


@transaction.atomic
def update_system(
    *,
    actor: Any,
    system: InformationSystem,
    ip_ranges: Iterable[str] | None = None,
    domains: Iterable[str] | None = None,
    depends_on: Iterable[InformationSystem] | None = None,
    **fields: Any,
) -> InformationSystem:
    """Change a system's description; moving it to another owner is for supervisors only."""
    _check_fields(fields)
    require(actor, "registry.change_informationsystem", system)
    locked = InformationSystem.objects.select_for_update().get(pk=system.pk)
    before = _snapshot(locked)
    if "owner" in fields and fields["owner"].pk != locked.owner_id:
        require(actor, workflows.SUPERVISE, locked)
        require(actor, "registry.add_informationsystem", organization_id=fields["owner"].pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    _check_subsector(locked)
    locked.save()
    _set_addresses(locked, ip_ranges, domains)
    _set_dependencies(actor, locked, depends_on)
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=locked, before=before, after=_snapshot(locked)
    )
    return locked


@transaction.atomic
def delete_system(*, actor: Any, system: InformationSystem) -> None:
    """Remove a system registered by mistake; a CII object is delisted instead."""
    require(actor, "registry.delete_informationsystem", system)
    if system.state != DesignationState.IDENTIFIED:
        raise ValidationError(
            _("Only a system still in the state “identified” can be deleted; delist it instead.")
        )
    before = _snapshot(system)
    pk = system.pk
    system.delete()
    system.pk = pk
    audit.record(
        actor=actor, action=AuditAction.DELETE, target=system, before=before, organization_id=system.owner_id
    )


def score_answers(answers: dict[str, Any]) -> tuple[Decimal, str, list[dict[str, Any]]]:
    """Score answers against the declared criteria: (score 0–100, proposed category or "", reasoning)."""
    lines: list[dict[str, Any]] = []
    earned = Decimal(0)
    possible = Decimal(0)
    errors = {}
    for criterion in CriticalityCriterion.objects.all():
        raw = answers.get(criterion.code)
        try:
            value = Decimal(str(raw))
        except Exception:
            errors[criterion.code] = _("A number is required.")
            continue
        if value < 0:
            errors[criterion.code] = _("The value cannot be negative.")
            continue
        points = 0
        reached = None
        for threshold, threshold_points in criterion.thresholds:
            limit = Decimal(str(threshold))
            hit = (
                value >= limit
                if criterion.direction == CriterionDirection.HIGHER_IS_MORE_CRITICAL
                else value <= limit
            )
            if hit and threshold_points > points:
                points, reached = int(threshold_points), threshold
        top = max(int(p) for _t, p in criterion.thresholds)
        earned += criterion.weight * points
        possible += criterion.weight * top
        lines.append(
            {
                "criterion": criterion.code,
                "label": criterion.name,
                "value": str(value),
                "unit": criterion.unit_label,
                "threshold": reached,
                "direction": criterion.direction,
                "points": points,
                "max_points": top,
                "weight": str(criterion.weight),
                "weighted": str(criterion.weight * points),
            }
        )
    if errors:
        raise ValidationError(errors)
    score = (earned / possible * 100).quantize(Decimal("0.01"), ROUND_HALF_UP) if possible else Decimal(0)
    category = ""
    for rule in CategoryRule.objects.order_by("-min_score"):
        if score >= rule.min_score:
            category = rule.category
            break
    return score, category, lines


@transaction.atomic
def assess_criticality(
    *, actor: Any, system: InformationSystem, answers: dict[str, Any], comment: str = ""
) -> CriticalityAssessment:
    """Score a system against the criteria and keep the result with its reasoning."""
    require(actor, workflows.SUPERVISE, system)
    score, category, lines = score_answers(answers)
    assessment = CriticalityAssessment.objects.create(
        system=system,
        answers={k: str(v) for k, v in answers.items()},
        lines=lines,
        score=score,
        proposed_category=category,
        assessed_by=actor,
        comment=comment,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=assessment,
        after={"score": str(score), "proposed_category": category, "answers": assessment.answers},
    )
    return assessment


def _officers(organization_id: int) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            organization_id=organization_id, role="institution_officer"
        ).select_related("user")
    ]


def _parse_date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError({field: _("Use the date format YYYY-MM-DD.")}) from exc


@transaction.atomic
def move_system(
    *,
    actor: Any,
    system: InformationSystem,
    step: str,
    message: str = "",
    system_job: bool = False,
    **data: Any,
) -> InformationSystem:
    """Take one step of the designation lifecycle (see registry/workflows.py)."""
    context = dict(data)
    if "decision_date" in context:
        context["decision_date"] = _parse_date(context["decision_date"], "decision_date")
    context["scheduled"] = system_job
    workflows.designation.apply(
        system,
        step,
        actor=actor,
        message=message or str(data.get("reason", "")),
        context=context,
        system=system_job,
    )
    if step == "request_data":
        deadline = timezone.localdate() + dt.timedelta(days=settings.REGISTRY_DATA_REQUEST_DAYS)
        DataRequest.objects.create(
            system=system, requested_by=actor if not system_job else None, deadline=deadline, message=message
        )
        notify(
            recipients=_officers(system.owner_id),
            organization_id=system.owner_id,
            subject=_("Data requested for %(system)s by %(deadline)s")
            % {"system": system, "deadline": deadline},
            body=message,
            url=system.get_absolute_url(),
        )
    elif step == "submit_data":
        system.data_requests.filter(answered_at__isnull=True).update(answered_at=timezone.now())
    elif step == "designate":
        notify(
            recipients=_officers(system.owner_id),
            organization_id=system.owner_id,
            subject=_(
                "%(system)s is designated CII (category %(category)s); special requirements due by %(due)s"
            )
            % {"system": system, "category": system.category, "due": system.special_requirements_due},
            url=system.get_absolute_url(),
        )
    return system


@transaction.atomic
def file_special_requirements(
    *, actor: Any, system: InformationSystem, filename: str, content: bytes, note: str = ""
) -> SpecialRequirements:
    """The subject files (a new version of) the special-requirements document of a CII object."""
    require(actor, "registry.file_specialrequirements", system)
    if not system.is_cii:
        raise ValidationError(_("Special requirements are filed for designated CII objects only."))
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ALLOWED_UPLOADS:
        raise ValidationError({"file": _("Upload a PDF, DOCX or ODT document.")})
    if not content.startswith(ALLOWED_UPLOADS[extension]):
        raise ValidationError(
            {"file": _("The file's content does not match its type %(ext)s.") % {"ext": extension}}
        )
    if len(content) > settings.REGISTRY_UPLOAD_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    version = (system.special_requirements.aggregate(v=Max("version"))["v"] or 0) + 1
    document = SpecialRequirements(
        system=system,
        version=version,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        note=note,
        submitted_by=actor,
    )
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=document,
        after={"version": version, "sha256": document.sha256, "file": filename},
    )
    supervisors = [m.user for m in Membership.objects.filter(role="supervisor").select_related("user")]
    notify(
        recipients=supervisors,
        subject=_("Special requirements filed for %(system)s (version %(v)d)")
        % {"system": system, "v": version},
        url=system.get_absolute_url(),
    )
    return document


@transaction.atomic
def review_special_requirements(
    *, actor: Any, document: SpecialRequirements, accept: bool, comment: str = ""
) -> SpecialRequirements:
    """The supervisor accepts the document, or returns it with comments."""
    require(actor, workflows.SUPERVISE, document.system)
    locked = SpecialRequirements.objects.select_for_update().get(pk=document.pk)
    if locked.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("This version has been reviewed already."))
    if not accept and not comment.strip():
        raise ValidationError({"comment": _("Say what must change when returning the document.")})
    latest = locked.system.special_requirements.aggregate(v=Max("version"))["v"]
    if locked.version != latest:
        raise ValidationError(_("Only the latest version can be reviewed."))
    before = audit.snapshot(locked, exclude=("file",))
    locked.status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
    locked.review_comment = comment.strip()
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save()
    audit.record(
        actor=actor,
        action=AuditAction.TRANSITION,
        target=locked,
        before=before,
        after=audit.snapshot(locked, exclude=("file",)),
    )
    notify(
        recipients=_officers(locked.system.owner_id),
        organization_id=locked.system.owner_id,
        subject=(
            _("Special requirements of %(system)s accepted")
            if accept
            else _("Special requirements of %(system)s returned with comments")
        )
        % {"system": locked.system},
        body=comment,
        url=locked.system.get_absolute_url(),
    )
    return locked


def send_reminders(*, today: dt.date | None = None) -> int:
    """Remind subjects of open data requests and special requirements as deadlines come near."""
    today = today or timezone.localdate()
    sent = 0
    for request in DataRequest.objects.filter(answered_at__isnull=True).select_related("system"):
        days_left = (request.deadline - today).days
        key = (
            f"{days_left}d"
            if days_left in settings.REGISTRY_REMINDER_DAYS
            else ("overdue" if days_left < 0 else "")
        )
        if not key or key in request.reminders_sent:
            continue
        with transaction.atomic():
            request.reminders_sent = [*request.reminders_sent, key]
            request.save(update_fields=["reminders_sent"])
            subject = (
                _("Overdue: data for %(system)s were due on %(deadline)s")
                if key == "overdue"
                else _("Reminder: data for %(system)s are due on %(deadline)s")
            )
            notify(
                recipients=_officers(request.system.owner_id),
                organization_id=request.system.owner_id,
                subject=subject % {"system": request.system, "deadline": request.deadline},
                url=request.system.get_absolute_url(),
            )
        sent += 1
    return sent


def send_special_requirements_reminders(*, today: dt.date | None = None) -> int:
    """Remind subjects whose special requirements are due soon (or overdue) and not yet accepted."""
    today = today or timezone.localdate()
    sent = 0
    due = InformationSystem.objects.filter(
        state__in=[DesignationState.DESIGNATED, DesignationState.REVIEW_DUE],
        special_requirements_due__isnull=False,
    ).exclude(special_requirements__status=ReviewStatus.ACCEPTED)
    for system in due:
        assert system.special_requirements_due is not None
        days_left = (system.special_requirements_due - today).days
        if days_left in settings.REGISTRY_REMINDER_DAYS or days_left == -1:
            subject = (
                _("Overdue: special requirements of %(system)s were due on %(due)s")
                if days_left < 0
                else _("Reminder: special requirements of %(system)s are due on %(due)s")
            )
            notify(
                recipients=_officers(system.owner_id),
                organization_id=system.owner_id,
                subject=subject % {"system": system, "due": system.special_requirements_due},
                url=system.get_absolute_url(),
            )
            sent += 1
    return sent


def mark_reviews_due(*, today: dt.date | None = None) -> int:
    """Move designated objects whose review date has come to "review due" (the daily job)."""
    today = today or timezone.localdate()
    moved = 0
    for system in InformationSystem.objects.filter(
        state=DesignationState.DESIGNATED, review_due_date__lte=today
    ):
        move_system(actor=None, system=system, step="mark_review_due", system_job=True)
        moved += 1
    return moved


def visible_sensitive(user: Any, system: InformationSystem) -> bool:
    """IP ranges, contacts and dependencies: supervisors and the subject itself."""
    return can(user, "registry.view_sensitive", system)


def owners_for(user: Any) -> Any:
    """Organisations in which `user` may register systems."""
    return restrict(Organization.objects.filter(is_active=True), user, "registry.add_informationsystem")
