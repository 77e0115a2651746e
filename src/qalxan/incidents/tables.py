"""Tables of the incidents app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qalxan.incidents.models import Incident, Measure


class IncidentTable(tables.Table):
    reference = tables.Column(
        accessor="reference",
        order_by=("id",),
        verbose_name=_("Number"),
        linkify=("incidents:incident_detail", {"pk": tables.A("pk")}),
    )
    title = tables.Column(linkify=("incidents:incident_detail", {"pk": tables.A("pk")}))
    organization = tables.Column(
        accessor="organization__short_name",
        order_by=("organization__short_name",),
        verbose_name=_("Institution"),
    )
    severity = tables.Column()
    state = tables.Column()
    tlp = tables.Column()
    reported_at = tables.DateTimeColumn(format="Y-m-d H:i")
    report_late = tables.BooleanColumn()
    sla_breached = tables.BooleanColumn()

    class Meta:
        model = Incident
        fields = [
            "reference",
            "title",
            "organization",
            "severity",
            "state",
            "tlp",
            "reported_at",
            "report_late",
            "sla_breached",
        ]
        attrs = {"class": "table"}


class MeasureTable(tables.Table):
    incident = tables.Column(
        accessor="incident__reference",
        order_by=("incident_id",),
        verbose_name=_("Incident"),
        linkify=lambda record: record.get_absolute_url(),
    )
    organization = tables.Column(
        accessor="incident__organization__short_name",
        verbose_name=_("Institution"),
        order_by=("incident__organization__short_name",),
    )
    kind = tables.Column()
    description = tables.Column()
    state = tables.Column()
    due_date = tables.DateColumn(format="Y-m-d")

    class Meta:
        model = Measure
        fields = ["incident", "organization", "kind", "description", "state", "due_date"]
        attrs = {"class": "table"}
