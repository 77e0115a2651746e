"""Every write of the hygiene module: inventories, the licence registry, rules, policy, triage, weights."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.tenancy import can, require
from qalxan.hygiene import figures, pipeline, workflows
from qalxan.hygiene.choices import Pool
from qalxan.hygiene.models import (
    Allocation,
    Entitlement,
    EssentialCategory,
    Finding,
    LicenceTransfer,
    LicensedProduct,
    NormalisationRule,
    ScoreWeights,
)
from qalxan.hygiene.parsers import InventoryRejected

__all__ = ["InventoryRejected"]


def upload_inventory(
    *, actor: Any, organization: Any, filename: str, content: bytes, format: str = "", host: str = ""
) -> pipeline.IngestResult:
    """Ingest one inventory file of an institution (all-or-nothing; InventoryRejected names the line)."""
    require(actor, "hygiene.add_inventorysnapshot", organization_id=organization.pk)
    return pipeline.ingest(
        actor=actor,
        uploads=[
            pipeline.Upload(
                organization=organization, filename=filename, content=content, format=format, host=host
            )
        ],
    )


def _recompute(organization_ids: set[int]) -> None:
    for organization_id in organization_ids:
        figures.recompute(organization_id=organization_id)


# --- Licence registry ----------------------------------------------------------------------------------


@transaction.atomic
def save_product(*, actor: Any, instance: LicensedProduct | None = None, **fields: Any) -> LicensedProduct:
    """Add a product to the licence registry or change it (`instance`: the stored product to change;
    `fields` are the model's: vendor, product, is_commercial)."""
    require(actor, "hygiene.add_licensedproduct" if instance is None else "hygiene.change_licensedproduct")
    before = audit.snapshot(instance) if instance is not None else None
    product = instance or LicensedProduct()
    for name, value in fields.items():
        setattr(product, name, value)
    product.full_clean()
    product.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        target=product,
        before=before,
        after=audit.snapshot(product),
    )
    # A product that becomes (or stops being) commercial changes the licence figures where it is installed.
    _recompute(set(product.installs.values_list("organization_id", flat=True).distinct()))
    return product


def _check_pool(entitlement: Entitlement) -> None:
    kind = getattr(entitlement.organization, "kind", "")
    if entitlement.pool == Pool.CENTRAL and kind != "authority":
        raise ValidationError({"pool": _("The central pool is held by the authority.")})


@transaction.atomic
def create_entitlement(*, actor: Any, **fields: Any) -> Entitlement:
    """Record a licence contract in the central pool or an institution's own pool."""
    entitlement = Entitlement(**fields)
    require(actor, "hygiene.add_entitlement", organization_id=entitlement.organization_id)
    entitlement.full_clean()
    _check_pool(entitlement)
    entitlement.save()
    audit.record(
        actor=actor, action=AuditAction.CREATE, target=entitlement, after=audit.snapshot(entitlement)
    )
    _recompute({entitlement.organization_id})
    return entitlement


@transaction.atomic
def update_entitlement(*, actor: Any, entitlement: Entitlement, **fields: Any) -> Entitlement:
    """Change a contract's seats, dates or reference."""
    require(actor, "hygiene.change_entitlement", entitlement)
    before = audit.snapshot(entitlement)
    for name, value in fields.items():
        setattr(entitlement, name, value)
    require(actor, "hygiene.change_entitlement", entitlement)
    entitlement.full_clean()
    _check_pool(entitlement)
    allocated = entitlement.allocations.aggregate(n=Sum("seats"))["n"] or 0
    if entitlement.seats is not None and allocated > entitlement.seats:
        raise ValidationError({"seats": _("%(n)d seats are already allocated.") % {"n": allocated}})
    entitlement.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=entitlement,
        before=before,
        after=audit.snapshot(entitlement),
    )
    affected = {
        entitlement.organization_id,
        *entitlement.allocations.values_list("organization_id", flat=True),
    }
    _recompute(affected)
    return entitlement


@transaction.atomic
def delete_entitlement(*, actor: Any, entitlement: Entitlement) -> None:
    """Remove a contract recorded by mistake (its allocations go with it)."""
    require(actor, "hygiene.delete_entitlement", entitlement)
    affected = {
        entitlement.organization_id,
        *entitlement.allocations.values_list("organization_id", flat=True),
    }
    audit.record(
        actor=actor, action=AuditAction.DELETE, target=entitlement, before=audit.snapshot(entitlement)
    )
    entitlement.delete()
    _recompute(affected)


def _unallocated(entitlement: Entitlement) -> int | None:
    if entitlement.seats is None:
        return None
    return entitlement.seats - (entitlement.allocations.aggregate(n=Sum("seats"))["n"] or 0)


def _pool_side(entitlement: Entitlement, organization: Any | None) -> Any | None:
    """None for the entitlement's own pool: an own-pool contract's holder named as a side is its pool."""
    if organization is not None and (
        entitlement.pool == Pool.INSTITUTION and organization.pk == entitlement.organization_id
    ):
        return None
    return organization


@transaction.atomic
def transfer_seats(
    *,
    actor: Any,
    entitlement: Entitlement,
    seats: int,
    to_organization: Any | None = None,
    from_organization: Any | None = None,
    reason: str = "",
) -> LicenceTransfer:
    """Move seats of a contract: from its pool (the central pool, or the holder's own contract) to an
    institution, between two institutions, or back to the pool."""
    require(actor, "hygiene.transfer_entitlement", entitlement)
    entitlement = Entitlement.objects.select_for_update().get(pk=entitlement.pk)
    central = entitlement.pool == Pool.CENTRAL
    to_organization = _pool_side(entitlement, to_organization)
    from_organization = _pool_side(entitlement, from_organization)
    if seats <= 0:
        raise ValidationError({"seats": _("Transfer at least one seat.")})
    if to_organization is None and from_organization is None:
        raise ValidationError({"to_organization": _("Name where the seats go or where they come from.")})
    if (
        to_organization is not None
        and from_organization is not None
        and to_organization.pk == from_organization.pk
    ):
        raise ValidationError({"to_organization": _("The seats already are there.")})
    if from_organization is None:
        free = _unallocated(entitlement)
        if free is not None and free < seats:
            message = (
                _("Only %(n)d seats are left in the central pool.")
                if central
                else _("The holder has only %(n)d seats of this contract left.")
            )
            raise ValidationError({"seats": message % {"n": free}})
    else:
        source = (
            Allocation.objects.select_for_update()
            .filter(entitlement=entitlement, organization=from_organization)
            .first()
        )
        if source is None or (source.seats is not None and source.seats < seats):
            held = 0 if source is None else source.seats
            raise ValidationError(
                {"seats": _("The institution holds only %(n)s seats of this contract.") % {"n": held}}
            )
        if source.seats is not None:
            source.seats -= seats
            if source.seats == 0:
                source.delete()
            else:
                source.save(update_fields=["seats", "updated_at"])
    if to_organization is not None:
        target, _created = Allocation.objects.select_for_update().get_or_create(
            entitlement=entitlement, organization=to_organization, defaults={"seats": 0}
        )
        if target.seats is not None:
            target.seats += seats
            target.save(update_fields=["seats", "updated_at"])
    transfer = LicenceTransfer.objects.create(
        entitlement=entitlement,
        from_organization=from_organization,
        to_organization=to_organization,
        seats=seats,
        reason=reason[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=entitlement,
        message=f"transfer {seats}",
        after=audit.snapshot(transfer),
    )
    affected = {o.pk for o in (to_organization, from_organization) if o is not None}
    if not central:
        affected.add(entitlement.organization_id)  # the holder's own seats changed too
    _recompute(affected)
    return transfer


# --- Normalisation rules -------------------------------------------------------------------------------


def preview_rule(*, actor: Any, rule: NormalisationRule) -> list[dict[str, Any]]:
    """What saving `rule` (new or changed, not yet saved) would change: pairs whose canonical name moves."""
    from qalxan.hygiene import normalise, snapshots

    require(actor, "hygiene.change_normalisationrule")
    rule.full_clean(validate_unique=False)
    current = list(NormalisationRule.objects.filter(is_active=True))
    proposed = [r for r in current if r.pk != rule.pk] + ([rule] if rule.is_active else [])
    before = normalise.compile_rules(current)
    after = normalise.compile_rules(proposed)
    changes = []
    for publisher, name, installs in snapshots.current_pairs().iter_rows():
        old = normalise.apply_one(before, publisher or "", name or "")
        new = normalise.apply_one(after, publisher or "", name or "")
        if old[:4] != new[:4]:
            changes.append(
                {
                    "publisher": publisher,
                    "name": name,
                    "installs": installs,
                    "before": _canon(old),
                    "after": _canon(new),
                }
            )
    return sorted(changes, key=lambda c: (-c["installs"], c["name"]))


def _canon(result: tuple[str, str, str, bool, int | None]) -> str:
    if result[3]:
        return _("(ignored)")
    return " ".join(p for p in result[:3] if p)


@transaction.atomic
def save_rule(*, actor: Any, rule: NormalisationRule) -> NormalisationRule:
    """Save a normalisation rule; current inventories are normalised again after the commit."""
    require(actor, "hygiene.add_normalisationrule" if rule.pk is None else "hygiene.change_normalisationrule")
    before = audit.snapshot(NormalisationRule.objects.get(pk=rule.pk)) if rule.pk else None
    rule.full_clean()
    rule.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        target=rule,
        before=before,
        after=audit.snapshot(rule),
    )
    transaction.on_commit(renormalise_later)
    return rule


@transaction.atomic
def delete_rule(*, actor: Any, rule: NormalisationRule) -> None:
    """Remove a normalisation rule."""
    require(actor, "hygiene.delete_normalisationrule")
    audit.record(actor=actor, action=AuditAction.DELETE, target=rule, before=audit.snapshot(rule))
    rule.delete()
    transaction.on_commit(renormalise_later)


def renormalise_later() -> None:
    from qalxan.hygiene import tasks

    tasks.renormalise_task()


def rematch_later() -> None:
    from qalxan.hygiene import tasks

    tasks.rematch_task()


def _current_inventories(rules: list[Any]) -> Iterator[tuple[int, list[int], Any]]:
    """(institution, endpoint ids, annotated rows) of every endpoint's latest inventory, one snapshot at
    a time: the rows the last upload left, normalised and matched under today's rules and advisories."""
    import polars as pl

    from qalxan.hygiene import snapshots
    from qalxan.hygiene.models import Endpoint, InventorySnapshot

    by_snapshot: dict[int, list[int]] = {}
    for endpoint_id, snapshot_id in Endpoint.objects.exclude(last_snapshot=None).values_list(
        "id", "last_snapshot_id"
    ):
        by_snapshot.setdefault(snapshot_id, []).append(endpoint_id)
    for snapshot in InventorySnapshot.objects.filter(pk__in=list(by_snapshot)):
        path = snapshots.root() / snapshot.path
        if not snapshot.path or not path.exists():
            continue
        ids = by_snapshot[snapshot.pk]
        rows = pl.read_parquet(path).filter(pl.col("endpoint_id").is_in(ids))
        rows = pipeline.annotate(rows.drop("vendor", "product", "edition", "ignored"), rules).with_columns(
            pl.lit(snapshot.organization_id, pl.Int64).alias("organization_id")
        )
        yield snapshot.organization_id, ids, rows


def _store_findings(rows: Any, ids: list[int], now: dt.datetime, serious: dict[int, int]) -> int:
    found, new_serious = pipeline.store_findings(rows, ids, now)
    for organization_id, count in new_serious.items():
        serious[organization_id] = serious.get(organization_id, 0) + count
    return found


def _notify(serious: dict[int, int]) -> None:
    for organization_id, count in serious.items():
        pipeline.notify_serious(organization_id, count)


@transaction.atomic
def renormalise(*, actor: Any) -> int:
    """Normalise every endpoint's current rows again and rebuild installs, coverage, findings and figures."""
    from qalxan.hygiene.normalise import active_rules

    now = timezone.now()
    _sync_advisory_facts()
    touched = 0
    organizations: set[int] = set()
    serious: dict[int, int] = {}
    for organization_id, ids, rows in _current_inventories(active_rules()):
        installs = pipeline.store_installs(rows, ids)
        pipeline.store_coverage(rows, installs, ids, now)
        # A rule that renames a Windows program changes the name advisories match it under (`generic`).
        _store_findings(rows, ids, now, serious)
        organizations.add(organization_id)
        touched += len(ids)
    _notify(serious)
    _recompute(organizations)
    audit.record(actor=actor, action=AuditAction.UPDATE, message=f"hygiene.renormalise: {touched} endpoints")
    return touched


def _sync_advisory_facts() -> None:
    """Findings take their advisory's current severity and known-exploited flag (a re-import or the
    known-exploited list may have changed them)."""
    from qalxan.hygiene.choices import Severity

    for severity in Severity.values:
        Finding.objects.filter(advisory__severity=severity).exclude(severity=severity).update(
            severity=severity, updated_at=timezone.now()
        )
    for flag in (True, False):
        Finding.objects.filter(advisory__known_exploited=flag, known_exploited=not flag).update(
            known_exploited=flag, updated_at=timezone.now()
        )


@transaction.atomic
def rematch(*, actor: Any) -> int:
    """Match every endpoint's current software against the advisories again (after an OSV or
    known-exploited import), without a new upload; triage decisions are kept as on a re-ingest."""
    from qalxan.hygiene import matching
    from qalxan.hygiene.normalise import active_rules

    # The job may run in another process than the import: its cached ranges would be stale.
    matching.forget()
    now = timezone.now()
    _sync_advisory_facts()
    touched = findings = 0
    organizations: set[int] = set()
    serious: dict[int, int] = {}
    for organization_id, ids, rows in _current_inventories(active_rules()):
        findings += _store_findings(rows, ids, now, serious)
        organizations.add(organization_id)
        touched += len(ids)
    _notify(serious)
    _recompute(organizations)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        message=f"hygiene.rematch: {touched} endpoints, {findings} vulnerable packages",
    )
    return findings


# --- Policy and weights --------------------------------------------------------------------------------


@transaction.atomic
def save_category(
    *, actor: Any, category: EssentialCategory, approved: list[LicensedProduct] | None = None
) -> EssentialCategory:
    """Save an essential-software category and its approved products; coverage is evaluated again."""
    require(actor, "hygiene.change_essentialcategory")
    before = audit.snapshot(EssentialCategory.objects.get(pk=category.pk)) if category.pk else None
    category.full_clean()
    category.save()
    if approved is not None:
        category.approved_products.set(approved)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        target=category,
        before=before,
        after=audit.snapshot(category),
    )
    transaction.on_commit(renormalise_later)
    return category


@transaction.atomic
def set_weights(
    *, actor: Any, licence: int, coverage: int, exposure: int, freshness: int, stale_days: int
) -> ScoreWeights:
    """New score weights (kept as history: the newest row applies)."""
    require(actor, "hygiene.change_scoreweights")
    weights = ScoreWeights(
        licence=licence, coverage=coverage, exposure=exposure, freshness=freshness, stale_days=stale_days
    )
    weights.full_clean()
    weights.save()
    audit.record(actor=actor, action=AuditAction.CREATE, target=weights, after=audit.snapshot(weights))
    transaction.on_commit(_recompute_all_later)
    return weights


def _recompute_all_later() -> None:
    from qalxan.hygiene import tasks

    tasks.recompute_task()


# --- Triage --------------------------------------------------------------------------------------------


@transaction.atomic
def triage_finding(
    *, actor: Any, finding: Finding, step: str, justification: str = "", note: str = ""
) -> Finding:
    """Take a triage step on a finding (a `not affected` statement needs its justification)."""
    if not can(actor, "hygiene.triage_finding", finding):
        raise PermissionDenied(_("You do not have permission to do this."))
    workflows.finding_triage.apply(
        finding, step, actor=actor, message=note, context={"justification": justification, "note": note}
    )
    figures.recompute(organization_id=finding.organization_id)
    return finding


def today() -> dt.date:
    return timezone.localdate()
