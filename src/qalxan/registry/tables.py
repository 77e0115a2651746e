"""Tables of the registry app."""

from typing import Any

import django_tables2 as tables
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from qalxan.core.templatetags.qalxan import display
from qalxan.registry.models import InformationSystem

_ROW = (
    '<tr><td><a href="{}">{}</a></td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
    "<td>{}</td><td>{}</td><td>{}</td></tr>"
)


_PK = "987654321"
_DETAIL: dict[str, str] = {}


def system_row(record: Any) -> str:
    """One row of the registry list (the columns of `InformationSystemTable`), written directly."""
    # The object page's address differs only in the id: one reverse() per process and script prefix.
    prefix = get_script_prefix()
    pattern = _DETAIL.get(prefix)
    if pattern is None:
        pattern = _DETAIL[prefix] = reverse("registry:system_detail", args=[int(_PK)])
    detail = pattern.replace(_PK, str(record.pk))
    due = record.review_due_date
    return format_html(
        _ROW,
        detail,
        record.registry_number,
        detail,
        record.name,
        display(record, "kind"),
        record.sector.name,
        record.owner.short_name,
        display(record, "state"),
        record.category or "—",
        due.strftime("%Y-%m-%d") if due else "—",
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
