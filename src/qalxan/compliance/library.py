"""Catalogues in and out: OSCAL catalog JSON through compliance-trestle's models, and XLSX sheets.

Both importers build the same list of nodes, validate everything first and write nothing when any
part is wrong; `services.create_catalogue` then writes the tree in one transaction. OSCAL content
that the platform does not model (links, parameters, statement parts with their own structure, other
properties) is kept with each node and written back on export, so a round trip keeps ids, titles,
parts and structure.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import orjson
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qalxan.compliance.choices import ItemKind
from qalxan.core.importers import ImportFileError, RowError, read_table

NS = "https://qalxan.gov.az/ns/oscal"
TOKEN = re.compile(r"^[_A-Za-z][_A-Za-z0-9.\-]*$")
CATEGORIES = ("I", "II", "III")
KNOWN_PROPS = {"label", "weight", "cii-category", "system-kind", "sector", "title-en", "title-ru"}
OBJECTIVE_PARTS = {"assessment-objective", "objective"}
MAX_ERRORS = 50


class CatalogueError(Exception):
    """A catalogue file that cannot be imported, with every reason found (row or path, field, message)."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(f"{e.row}:{e.field}: {e.message}" for e in errors[:5]))
        self.errors = errors


@dataclass
class Node:
    """One group, requirement or sub-requirement read from a file, before it is written."""

    ref_id: str
    kind: str
    parent: int | None  # index of the parent node in the list
    title_az: str
    title_en: str = ""
    title_ru: str = ""
    text_az: str = ""
    text_en: str = ""
    text_ru: str = ""
    guidance: str = ""
    questions: list[str] = field(default_factory=list)
    weight: Decimal = Decimal(1)
    categories: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class CatalogueData:
    """A parsed catalogue: its metadata and its nodes in document order (parents before children)."""

    name_az: str
    version: str
    code: str = ""
    name_en: str = ""
    name_ru: str = ""
    description: str = ""
    is_sample: bool = False
    oscal_uuid: str | None = None
    published: dt.date | None = None
    source_format: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)


# --- OSCAL in.


def _path(loc: tuple[Any, ...]) -> str:
    out = "catalog"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def parse_oscal(content: bytes) -> CatalogueData:
    """Read an OSCAL catalog (JSON); invalid OSCAL raises CatalogueError with the paths that failed."""
    from pydantic import ValidationError as PydanticError
    from trestle.common.err import TrestleError
    from trestle.oscal.catalog import Catalog

    try:
        document = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise CatalogueError([RowError(0, "", _("The file is not JSON: %(err)s") % {"err": exc})]) from exc
    if not isinstance(document, dict) or not isinstance(document.get("catalog"), dict):
        raise CatalogueError(
            [RowError(0, "catalog", _("An OSCAL catalog has a top-level “catalog” object."))]
        )
    try:
        catalog = Catalog.model_validate(document["catalog"])
    except PydanticError as exc:
        errors = [
            RowError(0, _path(tuple(e.get("loc", ()))), str(e.get("msg", "")))
            for e in exc.errors()[:MAX_ERRORS]
        ]
        raise CatalogueError(errors) from exc
    except TrestleError as exc:  # trestle reports a missing or unsupported OSCAL version on its own
        raise CatalogueError([RowError(0, "catalog.metadata.oscal-version", str(exc))]) from exc
    raw = catalog.model_dump(by_alias=True, exclude_none=True, mode="json")
    metadata = raw["metadata"]
    props = metadata.get("props", [])
    data = CatalogueData(
        name_az=metadata["title"],
        name_en=_prop(props, "title-en"),
        name_ru=_prop(props, "title-ru"),
        version=str(metadata.get("version", ""))[:40],
        code=_prop(props, "code"),
        description=metadata.get("remarks", ""),
        is_sample=_prop(props, "sample") == "true",
        oscal_uuid=raw["uuid"],
        published=_date(metadata.get("published")),
        source_format="oscal",
    )
    kept_meta = {
        k: v
        for k, v in metadata.items()
        if k not in {"title", "version", "remarks", "published", "last-modified", "oscal-version"}
    }
    kept_meta["props"] = [p for p in props if not (p.get("ns") == NS and p["name"] in _CATALOGUE_PROPS)]
    if not kept_meta["props"]:
        del kept_meta["props"]
    data.extra = {"metadata": kept_meta} if kept_meta else {}
    for key in ("params", "back-matter"):
        if key in raw:
            data.extra[key] = raw[key]
    for group in raw.get("groups", []):
        _read_group(group, None, data.nodes)
    for control in raw.get("controls", []):
        _read_control(control, None, 0, data.nodes)
    _check_unique(data.nodes)
    if not data.nodes:
        raise CatalogueError([RowError(0, "catalog", _("The catalog has no groups or controls."))])
    return data


_CATALOGUE_PROPS = {"title-en", "title-ru", "code", "sample"}


def _prop(props: list[dict[str, Any]], name: str) -> str:
    for p in props:
        if p.get("name") == name and p.get("ns", NS) == NS:
            return str(p.get("value", ""))
    return ""


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value)).date()
    except ValueError:
        return None


def _flatten(part: dict[str, Any]) -> str:
    texts = [part.get("prose", "")]
    texts.extend(_flatten(p) for p in part.get("parts", []))
    return "\n".join(t for t in texts if t)


def _read_common(item: dict[str, Any], node: Node) -> None:
    """Props and parts the platform models go to fields; everything else is kept as it came."""
    kept_props = []
    for p in item.get("props", []):
        name, value, ours = p["name"], str(p["value"]), p.get("ns", NS) == NS
        if ours and name in KNOWN_PROPS and set(p) <= {"name", "value", "ns"}:
            if name == "label":
                node.label = value[:60]
            elif name == "weight":
                try:
                    node.weight = Decimal(value)
                except InvalidOperation:
                    kept_props.append(p)
            elif name == "cii-category":
                node.categories.append(value)
            elif name == "system-kind":
                node.kinds.append(value)
            elif name == "sector":
                node.sectors.append(value)
            elif name == "title-en":
                node.title_en = value[:300]
            elif name == "title-ru":
                node.title_ru = value[:300]
        else:
            kept_props.append(p)
    kept_parts = []
    for part in item.get("parts", []):
        simple = set(part) <= {"name", "prose", "class"}
        name, language = part["name"], part.get("class", "az")
        if simple and name == "statement" and language in {"az", "en", "ru"}:
            setattr(node, f"text_{language}", part.get("prose", ""))
        elif simple and name == "guidance" and "class" not in part:
            node.guidance = part.get("prose", "")
        elif simple and name in OBJECTIVE_PARTS and "class" not in part:
            node.questions.append(part.get("prose", ""))
            node.extra.setdefault("objective_name", name)
        else:
            kept_parts.append(part)
            if name == "statement" and not node.text_az:
                node.text_az = _flatten(part)
                node.extra["text_from_parts"] = True
    if kept_props:
        node.extra["props"] = kept_props
    if kept_parts:
        node.extra["parts"] = kept_parts
    for key in ("links", "params", "class"):
        if key in item:
            node.extra[key] = item[key]


def _read_group(group: dict[str, Any], parent: int | None, nodes: list[Node]) -> None:
    index = len(nodes)
    ref_id = group.get("id") or f"group-{index + 1}"
    node = Node(ref_id=ref_id, kind=ItemKind.GROUP, parent=parent, title_az=group["title"][:300])
    if not group.get("id"):
        node.extra["generated_id"] = True
    _read_common(group, node)
    nodes.append(node)
    for sub in group.get("groups", []):
        _read_group(sub, index, nodes)
    for control in group.get("controls", []):
        _read_control(control, index, 0, nodes)


def _read_control(control: dict[str, Any], parent: int | None, level: int, nodes: list[Node]) -> None:
    index = len(nodes)
    kind = ItemKind.REQUIREMENT if level == 0 else ItemKind.SUBREQUIREMENT
    node = Node(ref_id=control["id"], kind=kind, parent=parent, title_az=control["title"][:300])
    _read_common(control, node)
    nodes.append(node)
    for sub in control.get("controls", []):
        _read_control(sub, index, level + 1, nodes)


def _check_unique(nodes: list[Node]) -> None:
    seen: dict[str, int] = {}
    errors = []
    for i, node in enumerate(nodes):
        if len(node.ref_id) > 100:
            errors.append(RowError(0, node.ref_id[:40], _("An id may be at most 100 characters long.")))
        if node.ref_id in seen:
            errors.append(RowError(0, node.ref_id, _("The id appears twice.")))
        seen[node.ref_id] = i
    if errors:
        raise CatalogueError(errors[:MAX_ERRORS])


# --- OSCAL out.


def _props(node: Any) -> list[dict[str, Any]]:
    props: list[dict[str, Any]] = []
    if node.label:
        props.append({"name": "label", "ns": NS, "value": node.label})
    if node.kind != ItemKind.GROUP:
        props.append({"name": "weight", "ns": NS, "value": _decimal_text(node.weight)})
    for name, values in (
        ("cii-category", node.categories),
        ("system-kind", node.kinds),
        ("sector", node.sectors),
    ):
        props.extend({"name": name, "ns": NS, "value": v} for v in values)
    for language in ("en", "ru"):
        title = getattr(node, f"title_{language}")
        if title:
            props.append({"name": f"title-{language}", "ns": NS, "value": title})
    props.extend(node.extra.get("props", []))
    return props


def _decimal_text(value: Any) -> str:
    text = format(Decimal(value).normalize(), "f")
    return text


def _parts(node: Any) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    if not node.extra.get("text_from_parts"):
        for language in ("az", "en", "ru"):
            text = getattr(node, f"text_{language}")
            if text:
                part = {"name": "statement", "prose": text}
                if language != "az":
                    part["class"] = language
                parts.append(part)
    if node.guidance:
        parts.append({"name": "guidance", "prose": node.guidance})
    objective = node.extra.get("objective_name", "assessment-objective")
    parts.extend({"name": objective, "prose": q} for q in node.questions if q)
    parts.extend(node.extra.get("parts", []))
    return parts


def _item(node: Any, children: dict[Any, list[Any]]) -> dict[str, Any]:
    item: dict[str, Any] = {"title": node.title_az}
    if not node.extra.get("generated_id"):
        item["id"] = node.ref_id
    if "class" in node.extra:
        item["class"] = node.extra["class"]
    for key in ("params",):
        if key in node.extra:
            item[key] = node.extra[key]
    props = _props(node)
    if props:
        item["props"] = props
    if "links" in node.extra:
        item["links"] = node.extra["links"]
    parts = _parts(node)
    if parts:
        item["parts"] = parts
    kids = children.get(node.pk, [])
    groups = [_item(k, children) for k in kids if k.kind == ItemKind.GROUP]
    controls = [_item(k, children) for k in kids if k.kind != ItemKind.GROUP]
    if groups:
        item["groups"] = groups
    if controls:
        item["controls"] = controls
    return item


def catalogue_to_oscal(catalogue: Any) -> bytes:
    """The catalogue as OSCAL catalog JSON, built and validated by compliance-trestle's models."""
    from trestle.oscal import OSCAL_VERSION
    from trestle.oscal.catalog import Catalog

    items = list(catalogue.items.order_by("position"))
    children: dict[Any, list[Any]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    extra = catalogue.extra or {}
    metadata: dict[str, Any] = dict(extra.get("metadata", {}))
    props = [{"name": "code", "ns": NS, "value": catalogue.code}]
    if catalogue.name_en:
        props.append({"name": "title-en", "ns": NS, "value": catalogue.name_en})
    if catalogue.name_ru:
        props.append({"name": "title-ru", "ns": NS, "value": catalogue.name_ru})
    if catalogue.is_sample:
        props.append({"name": "sample", "ns": NS, "value": "true"})
    metadata["props"] = props + list(metadata.get("props", []))
    metadata.update(
        {
            "title": catalogue.name_az,
            "version": catalogue.version,
            "oscal-version": OSCAL_VERSION,
            "last-modified": timezone.localtime(catalogue.updated_at).isoformat(),
        }
    )
    if catalogue.published:
        metadata["published"] = dt.datetime.combine(catalogue.published, dt.time(), tzinfo=dt.UTC).isoformat()
    if catalogue.description:
        metadata["remarks"] = catalogue.description
    body: dict[str, Any] = {"uuid": str(catalogue.oscal_uuid or uuid.uuid4()), "metadata": metadata}
    if "params" in extra:
        body["params"] = extra["params"]
    top = children.get(None, [])
    controls = [_item(n, children) for n in top if n.kind != ItemKind.GROUP]
    groups = [_item(n, children) for n in top if n.kind == ItemKind.GROUP]
    if controls:
        body["controls"] = controls
    if groups:
        body["groups"] = groups
    if "back-matter" in extra:
        body["back-matter"] = extra["back-matter"]
    catalog = Catalog.model_validate(body)
    return catalog.oscal_serialize_json_bytes(pretty=True)


# --- XLSX (or CSV) in.

XLSX_COLUMNS = [
    "id",
    "parent",
    "kind",
    "label",
    "title_az",
    "title_en",
    "title_ru",
    "text_az",
    "text_en",
    "text_ru",
    "guidance",
    "questions",
    "weight",
    "categories",
    "kinds",
    "sectors",
]
REQUIRED_COLUMNS = ("id", "kind", "title_az")


def _split(value: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,;\n]", value or "") if v.strip()]


def parse_table(filename: str, content: bytes, *, sector_codes: set[str], kind_codes: set[str]) -> list[Node]:
    """Rows of a catalogue sheet as nodes; every bad row and field is reported (the header is row 1)."""
    try:
        rows = read_table(filename, content)
    except ImportFileError as exc:
        raise CatalogueError([RowError(0, "", str(exc))]) from exc
    present = set().union(*(r.keys() for r in rows)) if rows else set()
    errors = [
        RowError(1, c, _("The required column is missing.")) for c in REQUIRED_COLUMNS if c not in present
    ]
    errors += [
        RowError(1, c, _("Unknown column; expected: %(cols)s.") % {"cols": ", ".join(XLSX_COLUMNS)})
        for c in sorted(present - set(XLSX_COLUMNS))
    ]
    if errors:
        raise CatalogueError(errors)
    nodes: list[Node] = []
    index: dict[str, int] = {}
    rows_of: dict[int, int] = {}
    for number, row in enumerate(rows, start=2):
        if not row:
            continue
        bad = len(errors)
        ref_id = row.get("id", "")
        if not TOKEN.match(ref_id) or len(ref_id) > 100:
            errors.append(
                RowError(number, "id", _("Use letters, digits, “.”, “-” or “_”, starting with a letter."))
            )
        elif ref_id in index:
            errors.append(RowError(number, "id", _("Repeats row %(row)d.") % {"row": rows_of[index[ref_id]]}))
        kind = row.get("kind", "").lower()
        if kind not in ItemKind.values:
            errors.append(
                RowError(number, "kind", _("Use one of: %(kinds)s.") % {"kinds": ", ".join(ItemKind.values)})
            )
        title = row.get("title_az", "")
        if not title:
            errors.append(RowError(number, "title_az", _("The title is required.")))
        for column in ("title_az", "title_en", "title_ru"):
            if len(row.get(column, "")) > 300 or "\n" in row.get(column, ""):
                errors.append(RowError(number, column, _("A title is one line of at most 300 characters.")))
        parent_ref = row.get("parent", "")
        parent: int | None = None
        if parent_ref:
            if parent_ref not in index:
                errors.append(
                    RowError(number, "parent", _("No earlier row has the id “%(id)s”.") % {"id": parent_ref})
                )
            else:
                parent = index[parent_ref]
                parent_kind = nodes[parent].kind
                if kind == ItemKind.SUBREQUIREMENT and parent_kind == ItemKind.GROUP:
                    errors.append(
                        RowError(number, "parent", _("A sub-requirement belongs to a requirement."))
                    )
                if kind in (ItemKind.GROUP, ItemKind.REQUIREMENT) and parent_kind != ItemKind.GROUP:
                    errors.append(RowError(number, "parent", _("Groups and requirements belong to a group.")))
        elif kind == ItemKind.SUBREQUIREMENT:
            errors.append(RowError(number, "parent", _("A sub-requirement belongs to a requirement.")))
        weight = Decimal(1)
        if row.get("weight"):
            try:
                weight = Decimal(row["weight"].replace(",", "."))
            except InvalidOperation:
                weight = Decimal(-1)
            if not (Decimal(0) < weight <= Decimal(1000)) or weight != weight.quantize(Decimal("0.01")):
                errors.append(
                    RowError(
                        number, "weight", _("A weight is a number above 0 and at most 1000 (two decimals).")
                    )
                )
        categories = [c.upper() for c in _split(row.get("categories", ""))]
        if set(categories) - set(CATEGORIES):
            errors.append(RowError(number, "categories", _("Use I, II or III.")))
        kinds = _split(row.get("kinds", ""))
        if set(kinds) - kind_codes:
            errors.append(
                RowError(
                    number,
                    "kinds",
                    _("Unknown system kinds: %(v)s.") % {"v": ", ".join(sorted(set(kinds) - kind_codes))},
                )
            )
        sectors = _split(row.get("sectors", ""))
        if set(sectors) - sector_codes:
            errors.append(
                RowError(
                    number,
                    "sectors",
                    _("Unknown sectors: %(v)s.") % {"v": ", ".join(sorted(set(sectors) - sector_codes))},
                )
            )
        if len(errors) > bad:
            continue
        questions = [q.strip() for q in (row.get("questions") or "").split("\n") if q.strip()]
        node = Node(
            ref_id=ref_id,
            kind=kind,
            parent=parent,
            title_az=title,
            title_en=row.get("title_en", ""),
            title_ru=row.get("title_ru", ""),
            text_az=row.get("text_az", ""),
            text_en=row.get("text_en", ""),
            text_ru=row.get("text_ru", ""),
            guidance=row.get("guidance", ""),
            questions=questions,
            weight=weight,
            categories=categories,
            kinds=kinds,
            sectors=sectors,
            label=row.get("label", "")[:60],
        )
        index[ref_id] = len(nodes)
        rows_of[len(nodes)] = number
        nodes.append(node)
    # OSCAL (as modelled by compliance-trestle) lets a group hold either groups or controls, not both.
    for i, node in enumerate(nodes):
        if node.kind == ItemKind.GROUP:
            kids = {n.kind == ItemKind.GROUP for n in nodes if n.parent == i}
            if len(kids) == 2:
                errors.append(
                    RowError(rows_of[i], "kind", _("A group holds either groups or requirements, not both."))
                )
    if not nodes and not errors:
        errors.append(RowError(1, "", _("The file has no data rows.")))
    if errors:
        raise CatalogueError(sorted(errors, key=lambda e: (e.row, e.field))[:MAX_ERRORS])
    return nodes


def default_code(name: str) -> str:
    return slugify(name)[:60] or "catalogue"
