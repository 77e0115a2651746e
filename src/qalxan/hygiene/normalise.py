"""Software normalisation: publisher and name patterns → canonical vendor, product and edition.

Rules run in priority order on each distinct (publisher, name) pair, never per installed row; the first
matching rule decides. A pair no rule matches keeps its publisher as vendor and its name as product.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from qalxan.hygiene.choices import RuleAction

MAPPING_SCHEMA: dict[str, Any] = {
    "publisher": pl.Utf8,
    "name": pl.Utf8,
    "vendor": pl.Utf8,
    "product": pl.Utf8,
    "edition": pl.Utf8,
    "ignored": pl.Boolean,
    "rule_id": pl.Int64,
}


@dataclass(frozen=True)
class CompiledRule:
    id: int
    publisher: re.Pattern[str] | None
    name: re.Pattern[str]
    action: str
    vendor: str
    product: str
    edition: str


def compile_rules(rules: Iterable[Any]) -> list[CompiledRule]:
    """Rules (model instances or anything with the same attributes) in the order they run."""
    compiled = []
    for rule in sorted(rules, key=lambda r: (r.priority, r.id or 0)):
        if not getattr(rule, "is_active", True):
            continue
        compiled.append(
            CompiledRule(
                rule.id or 0,
                re.compile(rule.publisher_pattern, re.IGNORECASE) if rule.publisher_pattern else None,
                re.compile(rule.name_pattern, re.IGNORECASE),
                rule.action,
                rule.vendor,
                rule.product,
                rule.edition,
            )
        )
    return compiled


def active_rules() -> list[CompiledRule]:
    from qalxan.hygiene.models import NormalisationRule

    return compile_rules(NormalisationRule.objects.filter(is_active=True))


def apply_one(rules: list[CompiledRule], publisher: str, name: str) -> tuple[str, str, str, bool, int | None]:
    for rule in rules:
        if rule.publisher is not None and not rule.publisher.search(publisher):
            continue
        found = rule.name.search(name)
        if not found:
            continue
        if rule.action == RuleAction.IGNORE:
            return "", "", "", True, rule.id
        try:
            edition = found.expand(rule.edition) if rule.edition else ""
        except (re.error, IndexError):
            edition = rule.edition
        return rule.vendor, rule.product, edition.strip(), False, rule.id
    return publisher.strip(), name.strip(), "", False, None


def mapping(pairs: pl.DataFrame, rules: list[CompiledRule]) -> pl.DataFrame:
    """Canonical names for the distinct (publisher, name) rows of `pairs`."""
    records = []
    for publisher, name in pairs.select("publisher", "name").iter_rows():
        vendor, product, edition, ignored, rule_id = apply_one(rules, publisher or "", name or "")
        records.append((publisher, name, vendor, product, edition, ignored, rule_id))
    if not records:
        return pl.DataFrame(schema=MAPPING_SCHEMA)
    return pl.DataFrame(records, schema=MAPPING_SCHEMA, orient="row")


def normalise(rows: pl.DataFrame, rules: list[CompiledRule]) -> pl.DataFrame:
    """`rows` with vendor, product, edition and ignored columns (packages and security products only)."""
    named = rows.with_columns(pl.col("publisher").fill_null(""))
    pairs = named.filter(pl.col("table").is_in(("package", "security"))).select("publisher", "name").unique()
    table = mapping(pairs, rules).drop("rule_id")
    out = named.join(table, on=["publisher", "name"], how="left", nulls_equal=True)
    return out.with_columns(pl.col("ignored").fill_null(False))
