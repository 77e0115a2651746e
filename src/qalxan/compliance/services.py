"""Every write of the compliance app: catalogues, campaigns, answers, review, evidence, scores,
inspection plans, inspections and findings. Keyword-only, with an actor, in one transaction, permission
checked inside, audited, notifications after commit."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from qalxan.compliance import conf, library, queries, scoring
from qalxan.compliance.choices import (
    ANSWERABLE_STATES,
    INVERSE_RELATION,
    Answer,
    AssessmentState,
    CampaignState,
    InspectionState,
    ItemKind,
    MappingRelation,
    PlanState,
    Review,
    Severity,
)
from qalxan.compliance.models import (
    Assessment,
    Campaign,
    Catalogue,
    Evidence,
    EvidenceVersion,
    Finding,
    Inspection,
    InspectionPlan,
    Requirement,
    RequirementAssessment,
    RequirementMapping,
)
from qalxan.compliance.workflows import (
    assessment_lifecycle,
    campaign_lifecycle,
    finding_lifecycle,
    plan_lifecycle,
)
from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.files import Upload, keep
from qalxan.core.roles import Role
from qalxan.core.services import notify
from qalxan.core.tenancy import can, require
from qalxan.organizations.models import Organization, Sector
from qalxan.registry.choices import SystemKind
from qalxan.registry.models import InformationSystem

BATCH = 5000


def _people(organization_ids: Iterable[int], roles: Sequence[str]) -> list[Any]:
    ids = list(organization_ids)
    return list(
        get_user_model()
        .objects.filter(
            is_active=True, memberships__organization_id__in=ids, memberships__role__in=list(roles)
        )
        .distinct()
    )


def _supervisors() -> list[Any]:
    return list(get_user_model().objects.filter(is_active=True, memberships__role=Role.SUPERVISOR).distinct())


def _notify_later(recipients: list[Any], subject: str, url: str, organization_id: int | None = None) -> None:
    if recipients:
        transaction.on_commit(
            lambda: notify(recipients=recipients, subject=subject, url=url, organization_id=organization_id)
        )


# --- Catalogues.


@transaction.atomic
def create_catalogue(*, actor: Any, data: library.CatalogueData, system: bool = False) -> Catalogue:
    """Write a parsed catalogue (its whole tree) as a new version of the library (`system`: the platform
    itself loads its shipped samples)."""
    if not system:
        require(actor, "compliance.import_catalogue")
    code = data.code or library.default_code(data.name_az)
    if not data.version:
        raise ValidationError({"version": _("Give the catalogue's version.")})
    if Catalogue.objects.filter(code=code, version=data.version).exists():
        raise ValidationError(
            {
                "version": _("Version %(v)s of the catalogue “%(code)s” exists already.")
                % {"v": data.version, "code": code}
            }
        )
    previous = Catalogue.objects.filter(code=code).order_by("-created_at").first()
    catalogue = Catalogue(
        code=code,
        version=data.version,
        name_az=data.name_az[:300],
        name_en=data.name_en[:300],
        name_ru=data.name_ru[:300],
        description=data.description,
        is_sample=data.is_sample,
        oscal_uuid=data.oscal_uuid or uuid.uuid4(),
        published=data.published,
        source_format=data.source_format,
        supersedes=previous,
        extra=data.extra,
    )
    catalogue.full_clean()
    catalogue.save()
    has_children = {n.parent for n in data.nodes if n.parent is not None}
    depth: dict[int, int] = {}
    top: dict[int, int | None] = {}
    created: dict[int, Requirement] = {}
    levels: dict[int, list[int]] = {}
    for i, node in enumerate(data.nodes):
        depth[i] = 0 if node.parent is None else depth[node.parent] + 1
        if node.parent is None:
            top[i] = i if node.kind == ItemKind.GROUP else None
        else:
            top[i] = top[node.parent]
        levels.setdefault(depth[i], []).append(i)
    # One level at a time, so that every parent has its key before its children are written.
    for level in sorted(levels):
        batch = []
        for i in levels[level]:
            node = data.nodes[i]
            batch.append(
                Requirement(
                    catalogue=catalogue,
                    parent=created[node.parent] if node.parent is not None else None,
                    group=_top_group(created, top[i], i),
                    kind=node.kind,
                    ref_id=node.ref_id,
                    label=node.label,
                    title_az=node.title_az,
                    title_en=node.title_en,
                    title_ru=node.title_ru,
                    text_az=node.text_az,
                    text_en=node.text_en,
                    text_ru=node.text_ru,
                    guidance=node.guidance,
                    questions=node.questions,
                    weight=node.weight,
                    categories=node.categories,
                    kinds=node.kinds,
                    sectors=node.sectors,
                    position=i,
                    depth=level,
                    assessable=node.kind != ItemKind.GROUP and i not in has_children,
                    extra=node.extra,
                )
            )
        written = Requirement.objects.bulk_create(batch, batch_size=1000)
        created.update(zip(levels[level], written, strict=True))
    # A top-level group is its own group for scores.
    Requirement.objects.filter(catalogue=catalogue, parent__isnull=True, kind=ItemKind.GROUP).update(
        group=F("pk")
    )
    audit.record(
        actor=actor,
        action=AuditAction.IMPORT,
        target=catalogue,
        after={"code": code, "version": data.version, "items": len(data.nodes), "format": data.source_format},
    )
    return catalogue


def _top_group(created: dict[int, Requirement], top: int | None, index: int) -> Requirement | None:
    return created[top] if top is not None and top != index else None


def import_catalogue(
    *,
    actor: Any,
    filename: str,
    content: bytes,
    code: str = "",
    version: str = "",
    name_az: str = "",
    name_en: str = "",
    name_ru: str = "",
) -> Catalogue:
    """Import an OSCAL catalog (JSON) or an XLSX/CSV sheet; a bad file raises CatalogueError and writes
    nothing."""
    require(actor, "compliance.import_catalogue")
    if len(content) > conf.catalogue_max_bytes():
        raise library.CatalogueError(
            [
                library.RowError(
                    0,
                    "file",
                    _("The file is larger than %(mb)d MB.") % {"mb": conf.catalogue_max_bytes() // 2**20},
                )
            ]
        )
    stripped = content.lstrip()[:1]
    if filename.lower().endswith(".json") or stripped in (b"{", b"["):
        data = library.parse_oscal(content)
        data.code = code or data.code
        data.version = version or data.version
    else:
        if not name_az:
            raise library.CatalogueError([library.RowError(0, "name_az", _("Give the catalogue's name."))])
        nodes = library.parse_table(
            filename,
            content,
            sector_codes=set(Sector.objects.values_list("code", flat=True)),
            kind_codes=set(SystemKind.values),
        )
        data = library.CatalogueData(
            name_az=name_az,
            name_en=name_en,
            name_ru=name_ru,
            version=version,
            code=code,
            source_format="xlsx",
            nodes=nodes,
        )
    if code and not library.TOKEN.match(code.replace("-", "_")):
        raise library.CatalogueError([library.RowError(0, "code", _("Use letters, digits and hyphens."))])
    try:
        return create_catalogue(actor=actor, data=data)
    except ValidationError as exc:
        errors = [
            library.RowError(0, f if f != "__all__" else "", str(m))
            for f, msgs in getattr(exc, "message_dict", {"": exc.messages}).items()
            for m in msgs
        ]
        raise library.CatalogueError(errors) from exc


@transaction.atomic
def map_requirements(
    *, actor: Any, source: Requirement, target: Requirement, relation: str, system: bool = False
) -> RequirementMapping:
    """Record how a requirement relates to one of another catalogue (equal, subset, superset, intersects)."""
    if not system:
        require(actor, "compliance.map_catalogue")
    if relation not in MappingRelation.values:
        raise ValidationError({"relation": _("Choose a relation.")})
    if source.catalogue_id == target.catalogue_id:
        raise ValidationError({"target": _("Map requirements of two different catalogues.")})
    if source.kind == ItemKind.GROUP or target.kind == ItemKind.GROUP:
        raise ValidationError({"target": _("Map requirements, not groups.")})
    mapping, created = RequirementMapping.objects.update_or_create(
        source=source, target=target, defaults={"relation": relation}
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=mapping,
        after={"source": source.ref_id, "target": target.ref_id, "relation": relation},
    )
    return mapping


# --- Campaigns.


@transaction.atomic
def launch_campaign(
    *,
    actor: Any,
    organization: Organization,
    catalogue: Catalogue,
    title: str,
    deadline: dt.date,
    sectors: Sequence[str] = (),
    categories: Sequence[str] = (),
    organizations: Sequence[int] = (),
    systems: Sequence[int] = (),
) -> Campaign:
    """Launch a campaign: every subject in scope gets its assessment, with one row per applicable
    requirement and object (written in batches, in this one transaction)."""
    require(actor, "compliance.add_campaign", organization_id=organization.pk)
    if not title.strip():
        raise ValidationError({"title": _("Give the campaign a title.")})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline is in the past.")})
    if not (sectors or categories or organizations or systems):
        raise ValidationError({"scope": _("Choose sectors, categories, subjects or objects.")})
    requirements = queries.assessable_requirements(catalogue)
    if not requirements:
        raise ValidationError({"catalogue": _("The catalogue has no requirements to answer.")})
    targets = queries.resolve_scope(
        sectors=list(sectors),
        categories=list(categories),
        organizations=list(organizations),
        systems=list(systems),
    )
    if not targets:
        raise ValidationError({"scope": _("No subject or CII object falls within this scope.")})
    campaign = Campaign.objects.create(
        organization=organization,
        catalogue=catalogue,
        title=title.strip()[:300],
        deadline=deadline,
        scope={
            "sectors": list(sectors),
            "categories": list(categories),
            "organizations": list(organizations),
            "systems": list(systems),
        },
        launched_by=actor if getattr(actor, "pk", None) else None,
    )
    assessments = Assessment.objects.bulk_create(
        [Assessment(campaign=campaign, organization=t.organization) for t in targets], batch_size=1000
    )
    org_sector = _first_sectors([t.organization.pk for t in targets if not t.systems])
    rows: list[tuple[Any, ...]] = []
    count = 0
    weights = {r.pk: connection.ops.adapt_decimalfield_value(r.weight, 6, 2) for r in requirements}
    for target, assessment in zip(targets, assessments, strict=True):
        units: list[tuple[int | None, str, str, int | None]] = [
            (s.pk, s.category, s.kind, s.sector_id) for s in target.systems
        ] or [(None, "", "", org_sector.get(target.organization.pk))]
        for system_id, category, kind, sector_id in units:
            sector_code = _SECTOR_CODES.get(sector_id, "") if sector_id else ""
            for r in requirements:
                if system_id is None and (r.categories or r.kinds):
                    continue  # object-specific requirements do not apply to a subject without objects
                if not r.applies_to(category=category, kind=kind, sector=sector_code):
                    continue
                rows.append((assessment.pk, r.pk, system_id, r.group_id, sector_id, weights[r.pk]))
            if len(rows) >= BATCH:
                count += _insert_items(rows)
                rows = []
    if rows:
        count += _insert_items(rows)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=campaign,
        after={**audit.snapshot(campaign), "assessments": len(assessments), "requirement_assessments": count},
    )
    _notify_later(
        _people([t.organization.pk for t in targets], [Role.INSTITUTION_OFFICER]),
        _("New compliance self-assessment: %(title)s (due %(date)s)")
        % {"title": campaign.title, "date": deadline},
        reverse("compliance:assessment_list"),
    )
    return campaign


_SECTOR_CODES: dict[int, str] = {}
_ITEM_COLUMNS = ("assessment_id", "requirement_id", "system_id", "group_id", "sector_id", "weight")
_ITEM_DEFAULTS = {"answer": "", "comment": "", "review": str(Review.PENDING), "review_comment": ""}


def _insert_items(rows: list[tuple[Any, ...]]) -> int:
    """Write one batch of new requirement assessments.

    A campaign writes hundreds of thousands of rows at once: building a model instance per row (what
    bulk_create needs) costs more than the database does, so each batch goes to the driver as plain
    tuples, inside the launch's transaction — through COPY on PostgreSQL, one prepared INSERT run for
    every row (executemany) elsewhere.
    """
    table = connection.ops.quote_name(RequirementAssessment._meta.db_table)
    columns = (*_ITEM_COLUMNS, *_ITEM_DEFAULTS)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    fixed = tuple(_ITEM_DEFAULTS.values())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row((*row, *fixed))
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608  (names from the model, values bound)
                [(*row, *fixed) for row in rows],
            )
    return len(rows)


def _first_sectors(organization_ids: list[int]) -> dict[int, int]:
    """The first sector of each subject (for subjects that answer without objects), and the sector codes."""
    _SECTOR_CODES.clear()
    _SECTOR_CODES.update(dict(Sector.objects.values_list("pk", "code")))
    out: dict[int, int] = {}
    through = Organization.sectors.through
    for org_id, sector_id in (
        through.objects.filter(organization_id__in=organization_ids)
        .order_by("organization_id", "sector__order")
        .values_list("organization_id", "sector_id")
    ):
        out.setdefault(org_id, sector_id)
    return out


def close_campaign(*, actor: Any, campaign: Campaign) -> Campaign:
    """Close a campaign: no more submissions; reviews and locks continue."""
    campaign_lifecycle.apply(campaign, "close", actor=actor)
    return campaign


def recompute_scores(*, actor: Any, campaign: Campaign) -> dict[str, int]:
    """Recompute every stored score of a campaign."""
    require(actor, "compliance.recompute_scores", campaign)
    with transaction.atomic():
        result = scoring.recompute(campaign)
        audit.record(
            actor=actor, action=AuditAction.UPDATE, target=campaign, message="scores recomputed", after=result
        )
    return result


# --- Answers, submission, review.


def _check_answerable(assessment: Assessment) -> None:
    if assessment.state not in ANSWERABLE_STATES:
        raise ValidationError(
            _("The assessment is %(state)s: answers can no longer be changed.")
            % {"state": assessment.get_state_display()}
        )
    if assessment.campaign.state != CampaignState.ACTIVE:
        raise ValidationError(_("The campaign is closed."))


@transaction.atomic
def answer_requirement(
    *, actor: Any, item: RequirementAssessment, answer: str, comment: str = ""
) -> RequirementAssessment:
    """Save (as a draft) the institution's answer to one requirement."""
    require(actor, "compliance.answer_assessment", item)
    assessment = Assessment.objects.select_for_update().select_related("campaign").get(pk=item.assessment_id)
    _check_answerable(assessment)
    if answer not in Answer.values:
        raise ValidationError(
            {"answer": _("Choose compliant, partially compliant, non-compliant or not applicable.")}
        )
    if answer in (Answer.PARTIAL, Answer.NON_COMPLIANT, Answer.NOT_APPLICABLE) and not comment.strip():
        raise ValidationError({"comment": _("Explain a partial, non-compliant or not-applicable answer.")})
    if item.review == Review.ACCEPTED and assessment.state == AssessmentState.RETURNED:
        raise ValidationError(_("This requirement was accepted; only returned requirements may change."))
    before = audit.snapshot(item)
    item.answer = answer
    item.comment = comment.strip()
    item.answered_at = timezone.now()
    item.answered_by = actor
    item.prefilled_from = None
    item.save(update_fields=["answer", "comment", "answered_at", "answered_by", "prefilled_from"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=item, before=before, after=audit.snapshot(item)
    )
    return item


# What an answer to a mapped requirement says about this one, by relation (source → target).
PREFILL: dict[str, dict[str, str]] = {
    MappingRelation.EQUAL: {a: a for a in Answer.values},
    MappingRelation.SUPERSET: {
        Answer.COMPLIANT: Answer.COMPLIANT,
        Answer.NOT_APPLICABLE: Answer.NOT_APPLICABLE,
    },
    MappingRelation.SUBSET: {
        Answer.COMPLIANT: Answer.PARTIAL,
        Answer.PARTIAL: Answer.PARTIAL,
        Answer.NON_COMPLIANT: Answer.NON_COMPLIANT,
    },
    MappingRelation.INTERSECTS: {Answer.COMPLIANT: Answer.PARTIAL, Answer.PARTIAL: Answer.PARTIAL},
}


@transaction.atomic
def prefill_assessment(*, actor: Any, assessment: Assessment) -> int:
    """Pre-fill unanswered requirements from the subject's answers to mapped requirements of other
    catalogues (its latest answer for the same object); returns how many were filled."""
    require(actor, "compliance.answer_assessment", assessment)
    assessment = Assessment.objects.select_for_update().select_related("campaign").get(pk=assessment.pk)
    _check_answerable(assessment)
    open_items = list(assessment.items.filter(answer=""))
    if not open_items:
        return 0
    wanted = {i.requirement_id for i in open_items}
    links: dict[int, list[tuple[int, str]]] = {}
    for m in RequirementMapping.objects.filter(target_id__in=wanted):
        links.setdefault(m.target_id, []).append((m.source_id, m.relation))
    for m in RequirementMapping.objects.filter(source_id__in=wanted):
        links.setdefault(m.source_id, []).append((m.target_id, INVERSE_RELATION[MappingRelation(m.relation)]))
    other_ids = {rid for pairs in links.values() for rid, _rel in pairs}
    answers: dict[tuple[int, int | None], RequirementAssessment] = {}
    for prior in (
        RequirementAssessment.objects.filter(
            assessment__organization_id=assessment.organization_id, requirement_id__in=other_ids
        )
        .exclude(answer="")
        .exclude(assessment=assessment)
        .order_by("answered_at")
    ):
        answers[(prior.requirement_id, prior.system_id)] = prior  # the latest wins
    filled = 0
    for item in open_items:
        for other_id, relation in links.get(item.requirement_id, []):
            earlier = answers.get((other_id, item.system_id))
            if earlier is None:
                continue
            suggested = PREFILL[MappingRelation(relation)].get(earlier.answer)
            if suggested is None:
                continue
            item.answer = suggested
            item.comment = (earlier.comment or "")[:2000]
            item.prefilled_from = earlier
            item.answered_at = timezone.now()
            item.answered_by = actor
            item.save(update_fields=["answer", "comment", "prefilled_from", "answered_at", "answered_by"])
            filled += 1
            break
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=assessment, message=f"pre-filled {filled} answers"
    )
    return filled


def submit_assessment(*, actor: Any, assessment: Assessment) -> Assessment:
    """Submit the answered assessment for review (every applicable requirement must be answered)."""
    with transaction.atomic():
        assessment_lifecycle.apply(assessment, "submit", actor=actor)
        _notify_later(
            _supervisors(),
            _("Self-assessment submitted for review: %(a)s") % {"a": assessment},
            assessment.get_absolute_url(),
        )
    return assessment


@transaction.atomic
def review_requirement(
    *, actor: Any, item: RequirementAssessment, decision: str, comment: str = ""
) -> RequirementAssessment:
    """The supervisor accepts one answer, or returns it with a comment."""
    require(actor, "compliance.review_assessment", item)
    assessment = Assessment.objects.select_for_update().get(pk=item.assessment_id)
    if assessment.state != AssessmentState.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment is reviewed."))
    if decision not in (Review.ACCEPTED, Review.RETURNED):
        raise ValidationError({"decision": _("Accept or return.")})
    if decision == Review.RETURNED and not comment.strip():
        raise ValidationError({"comment": _("Say what must be corrected.")})
    before = audit.snapshot(item)
    item.review = decision
    item.review_comment = comment.strip()
    item.reviewed_at = timezone.now()
    item.save(update_fields=["review", "review_comment", "reviewed_at"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=item, before=before, after=audit.snapshot(item)
    )
    return item


@transaction.atomic
def accept_remaining(*, actor: Any, assessment: Assessment) -> int:
    """Accept every answer not yet reviewed (the supervisor read them all)."""
    require(actor, "compliance.review_assessment", assessment)
    if assessment.state != AssessmentState.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment is reviewed."))
    count = assessment.items.filter(review=Review.PENDING).update(
        review=Review.ACCEPTED, reviewed_at=timezone.now()
    )
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=assessment, message=f"accepted {count} answers"
    )
    return count


def return_assessment(*, actor: Any, assessment: Assessment, message: str = "") -> Assessment:
    """Send the assessment back to the institution to correct the returned answers."""
    with transaction.atomic():
        assessment_lifecycle.apply(assessment, "return", actor=actor, message=message)
        _notify_later(
            _people([assessment.organization_id], [Role.INSTITUTION_OFFICER]),
            _("Self-assessment returned for correction: %(a)s") % {"a": assessment},
            assessment.get_absolute_url(),
            assessment.organization_id,
        )
    return assessment


def lock_assessment(*, actor: Any, assessment: Assessment) -> Assessment:
    """Lock a fully accepted assessment; nothing in it changes afterwards."""
    with transaction.atomic():
        assessment_lifecycle.apply(assessment, "lock", actor=actor)
        summary = scoring.summarise(assessment.items.all())
        Assessment.objects.filter(pk=assessment.pk).update(score=summary["score"])
        assessment.score = summary["score"]
        _notify_later(
            _people([assessment.organization_id], [Role.INSTITUTION_OFFICER, Role.INSTITUTION_VIEWER]),
            _("Self-assessment accepted and locked: %(a)s") % {"a": assessment},
            assessment.get_absolute_url(),
            assessment.organization_id,
        )
    return assessment


# --- Evidence.

ALLOWED_EVIDENCE = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".txt": (),
    ".csv": (),
}


def check_upload(upload: Upload) -> str:
    """Refuse a file of a forbidden type (by name and content) or too large; returns the safe file name."""
    name = get_valid_filename(upload.filename or "")[:200]
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension not in ALLOWED_EVIDENCE:
        raise ValidationError(
            {
                "file": _("Files of this type are not accepted as evidence; use %(types)s.")
                % {"types": ", ".join(sorted(ALLOWED_EVIDENCE))}
            }
        )
    if not upload.content:
        raise ValidationError({"file": _("The file is empty.")})
    if len(upload.content) > conf.evidence_max_bytes():
        raise ValidationError(
            {"file": _("The file is larger than %(mb)d MB.") % {"mb": conf.evidence_max_bytes() // 2**20}}
        )
    signatures = ALLOWED_EVIDENCE[extension]
    if signatures and not upload.content.startswith(signatures):
        raise ValidationError(
            {"file": _("The content of the file does not match its type %(ext)s.") % {"ext": extension}}
        )
    if not signatures:
        try:
            text = upload.content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError({"file": _("A text file must be UTF-8 text.")}) from exc
        if "\x00" in text:
            raise ValidationError({"file": _("A text file must be UTF-8 text.")})
    return name


def _store_version(evidence: Evidence, upload: Upload, actor: Any) -> EvidenceVersion:
    number = (evidence.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return keep(EvidenceVersion(evidence=evidence, number=number), upload, actor)


@transaction.atomic
def add_evidence(
    *,
    actor: Any,
    organization: Organization,
    title: str,
    upload: Upload,
    expires_on: dt.date | None = None,
    items: Sequence[RequirementAssessment] = (),
) -> Evidence:
    """File a new piece of evidence of an institution, optionally serving some of its answers."""
    require(actor, "compliance.add_evidence", organization_id=organization.pk)
    name = check_upload(upload)
    if not title.strip():
        title = name
    evidence = Evidence.objects.create(
        organization=organization, title=title.strip()[:300], expires_on=expires_on
    )
    version = _store_version(evidence, upload, actor)
    for item in items:
        _link(actor, evidence, item)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=evidence,
        after={**audit.snapshot(evidence), "file": name, "sha256": version.sha256, "size": version.size},
    )
    return evidence


@transaction.atomic
def add_evidence_version(
    *, actor: Any, evidence: Evidence, upload: Upload, expires_on: dt.date | None = None
) -> EvidenceVersion:
    """Upload a new version of a piece of evidence (the earlier versions are kept)."""
    require(actor, "compliance.add_evidence", evidence)
    name = check_upload(upload)
    version = _store_version(evidence, upload, actor)
    if expires_on is not None:
        evidence.expires_on = expires_on
        evidence.reminded_on = None
        evidence.save(update_fields=["expires_on", "reminded_on", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=evidence,
        after={
            "version": version.number,
            "file": name,
            "sha256": version.sha256,
            "expires_on": evidence.expires_on,
        },
    )
    return version


def _link(actor: Any, evidence: Evidence, item: RequirementAssessment) -> None:
    if tenant_id(item) != evidence.organization_id:
        raise ValidationError({"items": _("Evidence serves only its own institution's answers.")})
    assessment = item.assessment
    if assessment.state not in ANSWERABLE_STATES:
        raise ValidationError(
            _("The assessment is %(state)s: answers can no longer be changed.")
            % {"state": assessment.get_state_display()}
        )
    evidence.items.add(item)


def tenant_id(item: RequirementAssessment) -> int:
    return item.assessment.organization_id


@transaction.atomic
def link_evidence(*, actor: Any, evidence: Evidence, item: RequirementAssessment) -> Evidence:
    """Let an existing piece of evidence also serve another answer."""
    require(actor, "compliance.add_evidence", evidence)
    require(actor, "compliance.answer_assessment", item)
    _link(actor, evidence, item)
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=evidence, message=f"serves {item.requirement.ref_id}"
    )
    return evidence


def remind_expiring_evidence(*, today: dt.date | None = None) -> int:
    """Tell the institution's officers about evidence that lapses soon (once per expiry date)."""
    today = today or timezone.localdate()
    days = conf.evidence_reminder_days()
    due = list(
        Evidence.objects.filter(
            expires_on__isnull=False,
            expires_on__lte=today + dt.timedelta(days=days),
            reminded_on__isnull=True,
        ).select_related("organization")
    )
    for evidence in due:
        with transaction.atomic():
            officers = _people([evidence.organization_id], [Role.INSTITUTION_OFFICER])
            subject = (
                _("Evidence has lapsed: %(title)s (%(date)s)")
                if evidence.expires_on < today  # type: ignore[operator]  # filtered on not null
                else _("Evidence lapses soon: %(title)s (%(date)s)")
            ) % {"title": evidence.title, "date": evidence.expires_on}
            if officers:
                notify(
                    recipients=officers,
                    subject=subject,
                    url=reverse("compliance:evidence_list"),
                    organization_id=evidence.organization_id,
                )
            Evidence.objects.filter(pk=evidence.pk).update(reminded_on=today)
            audit.record(
                actor=None, action=AuditAction.UPDATE, target=evidence, message="expiry reminder sent"
            )
    return len(due)


# --- Inspection plans, inspections, findings.


def plan_due_date(year: int) -> dt.date:
    month, day = conf.plan_due_day()
    return dt.date(year - 1, month, day)


@transaction.atomic
def create_plan(
    *, actor: Any, organization: Organization, year: int, recipient: Organization | None = None
) -> InspectionPlan:
    """Start the annual inspection plan of a supervising body (due at the co-supervising agency by
    20 December of the year before)."""
    require(actor, "compliance.add_inspectionplan", organization_id=organization.pk)
    if InspectionPlan.objects.filter(organization=organization, year=year).exists():
        raise ValidationError({"year": _("A plan for %(year)d exists already.") % {"year": year}})
    plan = InspectionPlan(
        organization=organization, year=year, recipient=recipient, due_date=plan_due_date(year)
    )
    plan.full_clean()
    plan.save()
    audit.record(actor=actor, action=AuditAction.CREATE, target=plan, after=audit.snapshot(plan))
    return plan


@transaction.atomic
def add_inspection(
    *,
    actor: Any,
    plan: InspectionPlan,
    organization: Organization,
    starts_on: dt.date,
    ends_on: dt.date,
    system: InformationSystem | None = None,
    inspectors: Sequence[Any] = (),
) -> Inspection:
    """Put an inspection of a subject (and optionally one of its objects) on the plan."""
    require(actor, "compliance.add_inspection", plan)
    if plan.state != PlanState.DRAFT:
        raise ValidationError(_("The plan was sent; it no longer changes."))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The inspection ends before it starts.")})
    if starts_on.year != plan.year:
        raise ValidationError({"starts_on": _("The inspection falls outside the plan's year.")})
    if system is not None and system.owner_id != organization.pk:
        raise ValidationError({"system": _("The object belongs to another subject.")})
    inspection = Inspection.objects.create(
        plan=plan, organization=organization, system=system, starts_on=starts_on, ends_on=ends_on
    )
    inspection.inspectors.set(inspectors)
    audit.record(actor=actor, action=AuditAction.CREATE, target=inspection, after=audit.snapshot(inspection))
    return inspection


def send_plan(*, actor: Any, plan: InspectionPlan) -> InspectionPlan:
    """Send the plan to the co-supervising agency."""
    with transaction.atomic():
        plan_lifecycle.apply(plan, "send", actor=actor)
        if plan.recipient_id:
            _notify_later(
                _people([plan.recipient_id], [Role.SUPERVISOR]),
                _("Inspection plan %(year)d received") % {"year": plan.year},
                plan.get_absolute_url(),
            )
    return plan


@transaction.atomic
def file_inspection_report(*, actor: Any, inspection: Inspection, report: str) -> Inspection:
    """Record the inspection's report."""
    require(actor, "compliance.report_inspection", inspection)
    if not report.strip():
        raise ValidationError({"report": _("The report is empty.")})
    before = audit.snapshot(inspection)
    inspection.report = report.strip()
    inspection.state = InspectionState.REPORTED
    inspection.reported_at = timezone.now()
    inspection.save(update_fields=["report", "state", "reported_at", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=inspection,
        before=before,
        after=audit.snapshot(inspection),
    )
    return inspection


@transaction.atomic
def create_finding(
    *,
    actor: Any,
    organization: Organization,
    description: str,
    deadline: dt.date,
    severity: str = Severity.MEDIUM,
    requirement: Requirement | None = None,
    inspection: Inspection | None = None,
    assessment: Assessment | None = None,
    owner: str = "",
) -> Finding:
    """Record a finding against a subject, from an inspection or a review."""
    require(actor, "compliance.add_finding", organization_id=organization.pk)
    if inspection is not None and inspection.organization_id != organization.pk:
        raise ValidationError({"inspection": _("The inspection concerns another subject.")})
    if assessment is not None and assessment.organization_id != organization.pk:
        raise ValidationError({"assessment": _("The assessment belongs to another subject.")})
    finding = Finding(
        organization=organization,
        description=description.strip(),
        deadline=deadline,
        severity=severity,
        requirement=requirement,
        inspection=inspection,
        assessment=assessment,
        owner=owner.strip()[:200],
    )
    finding.full_clean()
    finding.save()
    audit.record(actor=actor, action=AuditAction.CREATE, target=finding, after=audit.snapshot(finding))
    _notify_later(
        _people([organization.pk], [Role.INSTITUTION_OFFICER]),
        _("Compliance finding %(ref)s: remediation due %(date)s")
        % {"ref": finding.reference, "date": deadline},
        finding.get_absolute_url(),
        organization.pk,
    )
    return finding


def submit_remediation(*, actor: Any, finding: Finding, remediation: str) -> Finding:
    """The subject reports what it did about the finding."""
    with transaction.atomic():
        finding_lifecycle.apply(
            finding, "submit_remediation", actor=actor, context={"remediation": remediation}
        )
        _notify_later(
            _supervisors(),
            _("Remediation submitted for %(ref)s") % {"ref": finding.reference},
            finding.get_absolute_url(),
        )
    return finding


def verify_finding(*, actor: Any, finding: Finding, accept: bool, comment: str = "") -> Finding:
    """The supervisor verifies the remediation (closing the finding) or rejects it with a reason."""
    with transaction.atomic():
        finding_lifecycle.apply(
            finding,
            "verify" if accept else "reject_remediation",
            actor=actor,
            message=comment,
            context={"comment": comment},
        )
        _notify_later(
            _people([finding.organization_id], [Role.INSTITUTION_OFFICER]),
            (_("Finding %(ref)s closed") if accept else _("Remediation of %(ref)s rejected"))
            % {"ref": finding.reference},
            finding.get_absolute_url(),
            finding.organization_id,
        )
    return finding


@transaction.atomic
def escalate_finding(*, actor: Any, finding: Finding) -> Finding:
    """Refer an overdue finding to the Coordination Commission: it becomes a candidate agenda item."""
    require(actor, "compliance.escalate_finding", finding)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if not finding.overdue:
        raise ValidationError(_("Only an overdue finding is escalated."))
    if finding.escalated_at is not None:
        raise ValidationError(_("The finding is escalated already."))
    finding.escalated_at = timezone.now()
    finding.save(update_fields=["escalated_at", "updated_at"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=finding, message="escalated to the commission"
    )
    return finding


def record_agenda_item(*, actor: Any, finding: Finding, item_id: int) -> None:
    """The commission put the escalated finding on a meeting's agenda (called in that transaction)."""
    before = {"agenda_item_id": finding.agenda_item_id}
    Finding.objects.filter(pk=finding.pk).update(agenda_item_id=item_id)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=finding,
        before=before,
        after={"agenda_item_id": item_id},
    )


def ensure_can(actor: Any, permission: str, obj: Any) -> None:
    if not can(actor, permission, obj):
        raise PermissionDenied(_("You do not have permission to do this."))
