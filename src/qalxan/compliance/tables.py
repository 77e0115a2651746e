"""Tables of the compliance app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qalxan.compliance.models import Assessment, Campaign, Evidence, Finding, InspectionPlan


class CampaignTable(tables.Table):
    title = tables.Column(linkify=True)
    catalogue = tables.Column(accessor="catalogue__name_az", verbose_name=_("Catalogue"))
    deadline = tables.DateColumn(format="Y-m-d")
    state = tables.Column()
    score = tables.Column()
    created_at = tables.DateTimeColumn(format="Y-m-d", verbose_name=_("Launched"))

    class Meta:
        model = Campaign
        fields = ["title", "catalogue", "deadline", "state", "score", "created_at"]
        attrs = {"class": "table"}


class AssessmentTable(tables.Table):
    campaign = tables.Column(
        accessor="campaign__title",
        verbose_name=_("Campaign"),
        linkify=lambda record: record.get_absolute_url(),
    )
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Subject"))
    deadline = tables.DateColumn(accessor="campaign__deadline", format="Y-m-d", verbose_name=_("Deadline"))
    state = tables.Column()
    score = tables.Column()

    class Meta:
        model = Assessment
        fields = ["campaign", "organization", "deadline", "state", "score"]
        attrs = {"class": "table"}


class FindingTable(tables.Table):
    reference = tables.Column(
        accessor="reference",
        order_by=("id",),
        verbose_name=_("Number"),
        linkify=lambda record: record.get_absolute_url(),
    )
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Subject"))
    severity = tables.Column()
    description = tables.Column()
    deadline = tables.DateColumn(format="Y-m-d")
    state = tables.Column()
    overdue = tables.BooleanColumn(accessor="overdue", orderable=False, verbose_name=_("Overdue"))

    class Meta:
        model = Finding
        fields = ["reference", "organization", "severity", "description", "deadline", "state", "overdue"]
        attrs = {"class": "table"}


class EvidenceTable(tables.Table):
    title = tables.Column(linkify=("compliance:evidence_detail", {"pk": tables.A("pk")}))
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Institution"))
    expires_on = tables.DateColumn(format="Y-m-d")
    updated_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("Updated"))

    class Meta:
        model = Evidence
        fields = ["title", "organization", "expires_on", "updated_at"]
        attrs = {"class": "table"}


class PlanTable(tables.Table):
    year = tables.Column(linkify=True)
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Supervising body"))
    due_date = tables.DateColumn(format="Y-m-d")
    state = tables.Column()
    sent_at = tables.DateTimeColumn(format="Y-m-d H:i")

    class Meta:
        model = InspectionPlan
        fields = ["year", "organization", "due_date", "state", "sent_at"]
        attrs = {"class": "table"}
