"""Tables of the cyber-hygiene app."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qalxan.cyberhygiene.models import (
    AdminAccount,
    Exposure,
    Leak,
    PhishingResult,
    StealerVictim,
    TrainingCampaign,
)


class LeakTable(tables.Table):
    name = tables.Column(linkify=True)
    state = tables.Column()
    format = tables.Column()
    leaked_on = tables.DateColumn(format="Y-m-d")
    lines_total = tables.Column()
    records_matched = tables.Column()
    accounts_new = tables.Column()
    organizations_affected = tables.Column()
    created_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("Received"))

    class Meta:
        model = Leak
        fields = [
            "name",
            "state",
            "format",
            "leaked_on",
            "lines_total",
            "records_matched",
            "accounts_new",
            "organizations_affected",
            "created_at",
        ]
        attrs = {"class": "table", "data-testid": "leak-table"}


class ExposureTable(tables.Table):
    login_masked = tables.Column(linkify=True)
    organization = tables.Column(
        accessor="organization__short_name",
        order_by=("organization__short_name",),
        verbose_name=_("Institution"),
    )
    service = tables.Column(accessor="url_host", verbose_name=_("Site"))
    first_leak = tables.Column(
        accessor="first_leak__name", order_by=("first_leak__name",), verbose_name=_("Leak")
    )
    first_seen_at = tables.DateTimeColumn(format="Y-m-d")
    strength = tables.Column()
    password_seen_before = tables.BooleanColumn()
    is_admin = tables.BooleanColumn()
    state = tables.Column()

    class Meta:
        model = Exposure
        fields = [
            "login_masked",
            "organization",
            "service",
            "first_leak",
            "first_seen_at",
            "strength",
            "password_seen_before",
            "is_admin",
            "state",
        ]
        attrs = {"class": "table", "data-testid": "exposure-table"}


class VictimTable(tables.Table):
    machine_name = tables.Column(linkify=True, verbose_name=_("Computer"))
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Institution"))
    leak = tables.Column(accessor="leak__name", verbose_name=_("Leak"))
    infected_at = tables.DateTimeColumn(format="Y-m-d H:i")
    country = tables.Column()
    incident = tables.Column()

    class Meta:
        model = StealerVictim
        fields = ["machine_name", "organization", "leak", "infected_at", "country", "incident"]
        attrs = {"class": "table"}

    def render_machine_name(self, value: Any, record: StealerVictim) -> str:
        return value or record.log_folder


class AdminAccountTable(tables.Table):
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Institution"))
    login_masked = tables.Column()
    added_at = tables.DateTimeColumn(format="Y-m-d")

    class Meta:
        model = AdminAccount
        fields = ["organization", "login_masked", "added_at"]
        attrs = {"class": "table"}


class TrainingCampaignTable(tables.Table):
    course = tables.Column()
    code = tables.Column()
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Institution"))
    starts_on = tables.DateColumn(format="Y-m-d")
    enrolled = tables.Column(verbose_name=_("Enrolled"), orderable=False)
    completed = tables.Column(verbose_name=_("Completed"), orderable=False)
    average_score = tables.Column(verbose_name=_("Average score"), orderable=False)

    class Meta:
        model = TrainingCampaign
        fields = ["course", "code", "organization", "starts_on", "enrolled", "completed", "average_score"]
        attrs = {"class": "table"}

    def render_average_score(self, value: Any) -> str:
        return f"{value:.1f}" if value is not None else "—"


class PhishingResultTable(tables.Table):
    campaign = tables.Column()
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Institution"))
    run_on = tables.DateColumn(format="Y-m-d")
    sent = tables.Column()
    opened = tables.Column()
    clicked = tables.Column()
    submitted = tables.Column()
    reported = tables.Column()

    class Meta:
        model = PhishingResult
        fields = ["campaign", "organization", "run_on", "sent", "opened", "clicked", "submitted", "reported"]
        attrs = {"class": "table"}
