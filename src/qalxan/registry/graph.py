"""The impact picture: an SVG drawn on the server, layered by distance from the failed object (no scripts)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qalxan.registry.queries import Impact

COLUMN = 230
ROW = 34
PER_COLUMN = 14


def _label(item: dict[str, Any], show_names: bool) -> str:
    system = item["system"]
    if item["visible"] and show_names:
        name = system.name
        return f"{system.registry_number} {name[:17]}{'…' if len(name) > 17 else ''}"
    return system.registry_number


def impact_svg(origin: Any, impact: Impact, summary: dict[str, Any], *, show_names: bool) -> SafeString:
    """Columns by distance (0 = the failed object); at most PER_COLUMN boxes a column, the rest counted."""
    columns: dict[int, list[dict[str, Any]]] = defaultdict(list)
    hidden: dict[int, int] = defaultdict(int)
    for item in summary["systems"]:
        if len(columns[item["distance"]]) < PER_COLUMN:
            columns[item["distance"]].append(item)
        else:
            hidden[item["distance"]] += 1
    depth = max(columns, default=0)
    positions: dict[int, tuple[int, int]] = {origin.pk: (20, 20)}
    for distance in range(1, depth + 1):
        for index, item in enumerate(columns[distance]):
            positions[item["system"].pk] = (20 + distance * COLUMN, 20 + index * ROW)
    height = 40 + ROW * max([1] + [len(c) + (1 if hidden[d] else 0) for d, c in columns.items()])
    width = 40 + COLUMN * (depth + 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" class="impact-graph" font-family="DejaVu Sans, sans-serif" '
        f'font-size="11">'
    ]
    for dependent, depends_on in impact.edges:
        if dependent in positions and depends_on in positions:
            (x1, y1), (x2, y2) = positions[depends_on], positions[dependent]
            parts.append(
                f'<line x1="{x1 + 190}" y1="{y1 + 12}" x2="{x2}" y2="{y2 + 12}" stroke="#9fb3c8" '
                f'stroke-width="1"/>'
            )
    origin_item = {"system": origin, "visible": True}
    boxes = [(origin_item, positions[origin.pk], "#b3261e")]
    for distance in range(1, depth + 1):
        for item in columns[distance]:
            colour = "#0b4f8a" if item["system"].is_cii else "#5d6b7e"
            boxes.append((item, positions[item["system"].pk], colour))
    for item, (x, y), colour in boxes:
        parts.append(
            f'<rect x="{x}" y="{y}" width="190" height="24" rx="4" fill="#fff" stroke="{colour}" '
            f'stroke-width="1.5"/><text x="{x + 6}" y="{y + 16}" fill="{colour}">'
            f"{escape(_label(item, show_names))}</text>"
        )
    for distance, count in hidden.items():
        x, y = 20 + distance * COLUMN, 20 + PER_COLUMN * ROW
        parts.append(f'<text x="{x + 6}" y="{y + 16}" fill="#5d6b7e">+{count}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text in it is escaped above)
