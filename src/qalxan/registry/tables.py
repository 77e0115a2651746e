"""Tables of the registry app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qalxan.registry.models import InformationSystem


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
