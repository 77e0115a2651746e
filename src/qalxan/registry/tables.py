"""Tables of the registry app."""

from typing import Any

import django_tables2 as tables
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qalxan.registry.models import REGISTRY_PREFIX, InformationSystem

# The columns a list row needs, read as plain values: building a system, its sector and its owner as
# model instances for every row cost more than writing the rows.
ROW_COLUMNS = (
    "id",
    "name_az",
    "name_en",
    "name_ru",
    "kind",
    "sector__name_az",
    "sector__name_en",
    "sector__name_ru",
    "owner__short_name",
    "state",
    "category",
    "review_due_date",
)
_LANGUAGES = ("az", "en", "ru")

_PK = "987654321"
_DETAIL: dict[str, str] = {}
# Choice labels per (field, language): translations do not change while a process runs.
_LABELS: dict[tuple[str, str], dict[Any, str]] = {}


def _labels(field: str, language: str) -> dict[Any, str]:
    labels = _LABELS.get((field, language))
    if labels is None:
        choices = getattr(InformationSystem._meta.get_field(field), "flatchoices", [])
        labels = _LABELS[(field, language)] = {key: str(label) for key, label in choices}
    return labels


def system_row(values: dict[str, Any]) -> str:
    """One row of the registry list (the columns of `InformationSystemTable`) from its `ROW_COLUMNS`,
    written directly; every value is escaped as `format_html` would."""
    # The object page's address differs only in the id: one reverse() per process and script prefix.
    prefix = get_script_prefix()
    pattern = _DETAIL.get(prefix)
    if pattern is None:
        pattern = _DETAIL[prefix] = reverse("registry:system_detail", args=[int(_PK)])
    active = get_language() or ""
    # The name columns follow the language as `TranslatedNameMixin.name` does; labels its translation.
    language = active[:2] if active[:2] in _LANGUAGES else "az"
    pk = values["id"]
    detail = escape(pattern.replace(_PK, str(pk)))
    kind, state, due = values["kind"], values["state"], values["review_due_date"]
    cells = (
        escape(_labels("kind", active).get(kind, kind)),
        escape(values[f"sector__name_{language}"] or values["sector__name_az"]),
        escape(values["owner__short_name"]),
        escape(_labels("state", active).get(state, state)),
        escape(values["category"] or "—"),
        due.strftime("%Y-%m-%d") if due else "—",
    )
    return (
        f'<tr><td><a href="{detail}">{escape(f"{REGISTRY_PREFIX}{pk:06d}")}</a></td>'
        f'<td><a href="{detail}">{escape(values[f"name_{language}"] or values["name_az"])}</a></td>'
        f"<td>{'</td><td>'.join(cells)}</td></tr>"
    )


class InformationSystemTable(tables.Table):
    registry_number = tables.Column(
        accessor="registry_number",
        order_by=("id",),
        verbose_name=_("Number"),
        linkify=("registry:system_detail", {"pk": tables.A("pk")}),
    )
    name = tables.Column(
        accessor="name",
        order_by=("name_az",),
        verbose_name=_("Name"),
        linkify=("registry:system_detail", {"pk": tables.A("pk")}),
    )
    kind = tables.Column()
    sector = tables.Column(accessor="sector__name", order_by=("sector__order",), verbose_name=_("Sector"))
    owner = tables.Column(
        accessor="owner__short_name", order_by=("owner__short_name",), verbose_name=_("Subject")
    )
    state = tables.Column()
    category = tables.Column()
    review_due_date = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = InformationSystem
        fields = [
            "registry_number",
            "name",
            "kind",
            "sector",
            "owner",
            "state",
            "category",
            "review_due_date",
        ]
        attrs = {"class": "table"}
