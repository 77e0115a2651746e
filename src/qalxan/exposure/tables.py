"""Tables of the exposure app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qalxan.exposure.models import Finding, HostingRange, Scan, Site


class SiteTable(tables.Table):
    name = tables.Column(
        accessor="system__name_az",
        order_by=("system__name_az",),
        verbose_name=_("Website"),
        linkify=("exposure:site_detail", {"pk": tables.A("pk")}),
    )
    organization = tables.Column(
        accessor="system__owner__short_name",
        order_by=("system__owner__short_name",),
        verbose_name=_("Institution"),
    )
    score = tables.Column(attrs={"td": {"class": "num", "data-testid": "score"}})
    open_findings = tables.Column(attrs={"td": {"class": "num"}})
    last_scanned_at = tables.DateTimeColumn(format="Y-m-d H:i")
    next_scan_at = tables.DateTimeColumn(format="Y-m-d")

    class Meta:
        model = Site
        fields = ("name", "organization", "score", "open_findings", "last_scanned_at", "next_scan_at")
        attrs = {"class": "table"}


class FindingTable(tables.Table):
    check_code = tables.Column(linkify=("exposure:finding_detail", {"pk": tables.A("pk")}))
    site = tables.Column(
        accessor="site__system__name_az", order_by=("site__system__name_az",), verbose_name=_("Website")
    )
    severity = tables.Column()
    state = tables.Column()
    location = tables.Column()
    created_at = tables.DateTimeColumn(format="Y-m-d", verbose_name=_("First seen"))

    class Meta:
        model = Finding
        fields = ("check_code", "site", "severity", "state", "location", "created_at")
        attrs = {"class": "table", "data-testid": "findings"}


class ScanTable(tables.Table):
    id = tables.Column(linkify=("exposure:scan_detail", {"pk": tables.A("pk")}), verbose_name=_("Scan"))
    site = tables.Column(
        accessor="site__system__name_az", order_by=("site__system__name_az",), verbose_name=_("Website")
    )
    state = tables.Column()
    trigger = tables.Column()
    score = tables.Column(attrs={"td": {"class": "num"}})
    new_findings = tables.Column(attrs={"td": {"class": "num"}})
    fixed_findings = tables.Column(attrs={"td": {"class": "num"}})
    finished_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = Scan
        fields = ("id", "site", "state", "trigger", "score", "new_findings", "fixed_findings", "finished_at")
        attrs = {"class": "table"}


class HostingRangeTable(tables.Table):
    class Meta:
        model = HostingRange
        fields = ("cidr", "label", "created_at")
        attrs = {"class": "table"}
