"""Tables of the strategy list pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qalxan.strategy.models import Action, Indicator, ProgressReport


class ActionTable(tables.Table):
    code = tables.Column(linkify=True, verbose_name=_("Code"))
    title = tables.Column(linkify=True, verbose_name=_("Title"))
    responsible = tables.Column(accessor="responsible__short_name", verbose_name=_("Responsible institution"))
    deadline = tables.DateColumn(format="Y-m-d", verbose_name=_("Deadline"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Action
        fields = ["code", "title", "responsible", "deadline", "status"]
        attrs = {"class": "table"}


class IndicatorTable(tables.Table):
    code = tables.Column(linkify=True, verbose_name=_("Code"))
    name = tables.Column(linkify=True, accessor="name_az", verbose_name=_("Name"))
    unit = tables.Column(verbose_name=_("Unit"))
    metric = tables.Column(verbose_name=_("Metric function"), default="—")

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "metric"]
        attrs = {"class": "table"}

    def render_name(self, record: Indicator) -> str:
        return record.name


class ProgressReportTable(tables.Table):
    action = tables.Column(
        linkify=lambda record: record.get_absolute_url(), verbose_name=pgettext_lazy("strategy", "Action")
    )
    period = tables.Column(verbose_name=_("Period"))
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Institution"))
    status = tables.Column(verbose_name=_("Reported status"))
    state = tables.Column(verbose_name=_("State"))

    class Meta:
        model = ProgressReport
        fields = ["action", "period", "organization", "status", "state"]
        attrs = {"class": "table"}
