"""Tables of the organisations app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qalxan.organizations.models import Organization


class OrganizationTable(tables.Table):
    short_name = tables.Column(linkify=True, verbose_name=_("Short name"))
    name = tables.Column(
        accessor="name",
        order_by=("name_az",),
        verbose_name=_("Name"),
        linkify=("organizations:organization_detail", {"pk": tables.A("pk")}),
    )
    kind = tables.Column()
    parent = tables.Column(accessor="parent__short_name", verbose_name=_("Parent"))
    voen = tables.Column()
    is_cii_subject = tables.BooleanColumn()

    class Meta:
        model = Organization
        fields = ["short_name", "name", "kind", "parent", "voen", "is_cii_subject"]
        attrs = {"class": "table"}
