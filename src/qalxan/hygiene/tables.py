"""Tables of the hygiene pages."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qalxan.hygiene.models import (
    CoverageStatus,
    Endpoint,
    EssentialCategory,
    Finding,
    LicensedProduct,
    NormalisationRule,
)


class EndpointTable(tables.Table):
    hostname = tables.Column(
        linkify=("hygiene:endpoint_detail", {"pk": tables.A("pk")}), verbose_name=_("Host name")
    )
    organization = tables.Column(
        accessor="organization__short_name",
        order_by=("organization__short_name",),
        verbose_name=_("Institution"),
    )
    os_name = tables.Column()
    kind = tables.Column()
    source = tables.Column()
    package_count = tables.Column()
    last_seen = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = Endpoint
        fields = ["hostname", "organization", "os_name", "kind", "source", "package_count", "last_seen"]
        attrs = {"class": "table"}


class CoverageTable(tables.Table):
    endpoint = tables.Column(
        linkify=("hygiene:endpoint_detail", {"pk": tables.A("endpoint_id")}), verbose_name=_("Endpoint")
    )
    organization = tables.Column(
        accessor="organization__short_name",
        order_by=("organization__short_name",),
        verbose_name=_("Institution"),
    )
    category = tables.Column()
    reason = tables.Column()
    product = tables.Column()
    version = tables.Column()

    class Meta:
        model = CoverageStatus
        fields = ["endpoint", "organization", "category", "reason", "product", "version"]
        attrs = {"class": "table"}


class FindingTable(tables.Table):
    advisory = tables.Column(
        linkify=("hygiene:finding_detail", {"pk": tables.A("pk")}), verbose_name=_("Advisory")
    )
    endpoint = tables.Column(
        linkify=("hygiene:endpoint_detail", {"pk": tables.A("endpoint_id")}), verbose_name=_("Endpoint")
    )
    organization = tables.Column(
        accessor="organization__short_name",
        order_by=("organization__short_name",),
        verbose_name=_("Institution"),
    )
    package = tables.Column()
    version = tables.Column()
    fixed_version = tables.Column()
    severity = tables.Column()
    known_exploited = tables.BooleanColumn()
    state = tables.Column()

    class Meta:
        model = Finding
        fields = [
            "advisory",
            "endpoint",
            "organization",
            "package",
            "version",
            "fixed_version",
            "severity",
            "known_exploited",
            "state",
        ]
        attrs = {"class": "table"}


class RuleTable(tables.Table):
    name_pattern = tables.Column(linkify=("hygiene:rule_edit", {"pk": tables.A("pk")}))

    class Meta:
        model = NormalisationRule
        fields = list(NormalisationRule.EDITABLE_FIELDS)
        attrs = {"class": "table"}


class ProductTable(tables.Table):
    product = tables.Column(linkify=("hygiene:product_edit", {"pk": tables.A("pk")}))

    class Meta:
        model = LicensedProduct
        fields = ["vendor", "product", "is_commercial"]
        attrs = {"class": "table"}


class CategoryTable(tables.Table):
    name = tables.Column(linkify=("hygiene:category_edit", {"pk": tables.A("pk")}))

    class Meta:
        model = EssentialCategory
        fields = [
            "code",
            "name",
            "min_version",
            "require_signatures",
            "max_age_days",
            "applies_to",
            "is_active",
        ]
        attrs = {"class": "table"}
