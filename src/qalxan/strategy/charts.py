"""Charts drawn offline with matplotlib: SVG for pages, PNG for documents."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from django.utils.translation import gettext as _

from qalxan.strategy import queries
from qalxan.strategy.models import IndexFramework, Indicator

plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.fonttype": "none"})
BLUE, GREY, GREEN, ORANGE, RED = "#1f4e79", "#9aa5b1", "#2e7d32", "#ef6c00", "#c62828"


def _render(fig: Any, fmt: str, left: float = 0.1, bottom: float = 0.2, top: float = 0.9) -> bytes:
    buffer = io.BytesIO()
    # Fixed margins: tight_layout draws the figure twice and doubles the time of a report.
    fig.subplots_adjust(left=left, right=0.97, top=top, bottom=bottom)
    fig.savefig(
        buffer,
        format=fmt,
        dpi=110 if fmt == "png" else None,
        metadata={"Date": None} if fmt == "svg" else None,
    )
    plt.close(fig)
    return buffer.getvalue()


def svg_text(data: bytes) -> str:
    text = data.decode("utf-8")
    return text[text.index("<svg") :]


def indicator_chart(indicator: Indicator, fmt: str = "svg") -> bytes:
    """The indicator's values over time against its yearly targets and baseline."""
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    values = [v for v in queries.current_values(indicator) if v.value is not None]
    if values:
        ax.plot(
            mdates.date2num([v.on for v in values]),
            [float(v.value or 0) for v in values],
            marker="o",
            color=BLUE,
            label=_("value"),
        )
    targets = list(indicator.targets.all())
    if targets:
        import datetime as dt

        ax.plot(
            mdates.date2num([dt.date(t.year, 12, 31) for t in targets]),
            [float(t.value) for t in targets],
            linestyle="--",
            marker="s",
            color=ORANGE,
            label=_("target"),
        )
    if indicator.baseline is not None:
        ax.axhline(float(indicator.baseline), color=GREY, linewidth=1, label=_("baseline"))
    ax.set_ylabel(indicator.unit)
    ax.grid(alpha=0.3)
    if values or targets or indicator.baseline is not None:
        ax.legend(loc="best", fontsize=8)
    else:
        ax.text(0.5, 0.5, _("No values yet"), ha="center", va="center", transform=ax.transAxes, color=GREY)
    ax.xaxis_date()
    fig.autofmt_xdate()
    return _render(fig, fmt)


def completion_chart(rows: list[dict[str, Any]], fmt: str = "svg") -> bytes:
    """Actions by status for each responsible institution (stacked bars)."""
    height = max(2.0, 0.32 * len(rows) + 1.0)
    fig, ax = plt.subplots(figsize=(6.4, height))
    labels = [r["organization"].short_name for r in rows]
    left = [0.0] * len(rows)
    from qalxan.strategy.choices import ActionStatus

    for status, colour in (
        (ActionStatus.DONE, GREEN),
        (ActionStatus.IN_PROGRESS, BLUE),
        (ActionStatus.DELAYED, RED),
        (ActionStatus.NOT_STARTED, GREY),
    ):
        widths = [float(r[status]) for r in rows]
        ax.barh(labels, widths, left=left, color=colour, label=str(status.label))
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel(_("actions"))
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if rows:
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=8, frameon=False)
    return _render(fig, fmt, left=0.3, bottom=0.55 / height, top=1 - 0.4 / height)


def index_chart(framework: IndexFramework, fmt: str = "svg") -> bytes:
    """Section scores of every assessment of a framework, grouped by section."""
    from qalxan.strategy import indices

    data = indices.comparison(framework)
    sections = [r["section"].code for r in data["rows"]]
    count = max(1, len(data["assessments"]))
    width = 0.8 / count
    fig, ax = plt.subplots(figsize=(6.4 if len(sections) <= 8 else 9, 2.8))
    colours = [GREY, BLUE, GREEN, ORANGE, RED]
    for i, assessment in enumerate(data["assessments"]):
        scores = [float(r["scores"][i]) if r["scores"][i] is not None else 0.0 for r in data["rows"]]
        ax.bar(
            [x + i * width for x in range(len(sections))],
            scores,
            width=width,
            color=colours[i % len(colours)],
            label=f"{assessment.year} ({assessment.get_source_display()})",
        )
    ax.set_xticks(
        [x + width * (count - 1) / 2 for x in range(len(sections))],
        sections,
        rotation=45 if len(sections) > 8 else 0,
    )
    ax.set_ylim(0, float(framework.section_max or Decimal(1)))
    ax.grid(axis="y", alpha=0.3)
    if data["assessments"]:
        ax.legend(
            fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(count, 4), frameon=False
        )
    return _render(fig, fmt, left=0.07, bottom=0.25 if len(sections) > 8 else 0.12, top=0.85)
