"""Tables of the intel app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qalxan.intel.models import Campaign, Indicator, Sighting, WarningList


class IndicatorTable(tables.Table):
    value = tables.Column(linkify=("intel:indicator_detail", {"pk": tables.A("pk")}), verbose_name=_("Value"))
    kind = tables.Column()
    tlp = tables.Column()
    confidence = tables.Column()
    last_seen = tables.DateTimeColumn(format="Y-m-d H:i")
    expires_at = tables.DateTimeColumn(format="Y-m-d")
    suppressed = tables.TemplateColumn(
        '{% load i18n %}{% if record.suppressed %}<span class="tag warn" title="{{ record.warning_list }}">'
        '{% translate "known benign" %}</span>{% elif not record.active %}'
        '<span class="tag">{% translate "Expired" %}</span>'
        "{% endif %}",
        verbose_name=_("Status"),
        orderable=False,
    )

    class Meta:
        model = Indicator
        fields = ["value", "kind", "tlp", "confidence", "last_seen", "expires_at", "suppressed"]
        attrs = {"class": "table", "data-testid": "indicator-table"}


class CampaignTable(tables.Table):
    name = tables.Column(linkify=("intel:campaign_detail", {"pk": tables.A("pk")}))
    state = tables.Column()
    threat_actor = tables.Column()
    first_seen = tables.DateTimeColumn(format="Y-m-d")
    last_seen = tables.DateTimeColumn(format="Y-m-d")

    class Meta:
        model = Campaign
        fields = ["name", "state", "threat_actor", "intrusion_set", "first_seen", "last_seen"]
        attrs = {"class": "table"}


class SightingTable(tables.Table):
    indicator = tables.Column(linkify=("intel:indicator_detail", {"pk": tables.A("indicator_id")}))
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Institution"))
    seen_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = Sighting
        fields = ["seen_at", "indicator", "organization", "log_type", "log_file", "line", "field", "count"]
        attrs = {"class": "table"}


class WarningListTable(tables.Table):
    name = tables.Column(linkify=("intel:warninglist_detail", {"pk": tables.A("pk")}))
    entries = tables.Column(accessor="entry_count", verbose_name=_("Entries"), orderable=False)
    indicators = tables.Column(
        accessor="indicator_count", verbose_name=_("Indicators flagged"), orderable=False
    )

    class Meta:
        model = WarningList
        fields = ["name", "match", "version", "enabled", "entries", "indicators"]
        attrs = {"class": "table"}
