"""Bulk imports: institutions' administrator accounts, training enrolments (XLSX or an LMS CSV export)
and phishing-drill results; all-or-nothing through the core importer framework."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core import importers
from qalxan.core.tenancy import scope
from qalxan.cyberhygiene import services
from qalxan.organizations.models import Organization

DATE_FORMATS = [
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%Y-%m-%dT%H:%M:%S",
]


class OrganizationRowMixin(importers.RowForm):
    organization = forms.CharField(max_length=60)

    def clean_organization(self) -> Organization:
        code = self.cleaned_data["organization"].strip()
        org = self.context["organizations"].get(code)
        if org is None:
            raise ValidationError(_("No organisation has the code “%(code)s”.") % {"code": code})
        if self.context["allowed"] is not None and org.pk not in self.context["allowed"]:
            raise ValidationError(_("You may not import data for this organisation."))
        return org


class ScopedImporter(importers.Importer):
    aliases: dict[str, str] = {}

    def context(self) -> dict[str, Any]:
        ctx = super().context()
        allowed = scope(self.actor, self.permission)
        ctx["organizations"] = Organization.objects.in_bulk(field_name="code")
        ctx["allowed"] = None if allowed.everything else set(allowed.organization_ids)
        return ctx

    def validate(self, rows: list[dict[str, str]]) -> Any:
        # LMS exports name their columns their own way; map the usual names onto ours.
        renamed = [{self.aliases.get(k, k): v for k, v in row.items()} if row else row for row in rows]
        return super().validate(renamed)


class AdminAccountRow(OrganizationRowMixin):
    login = forms.CharField(max_length=200)


@importers.register
class AdminAccountImporter(ScopedImporter):
    key = "cyberhygiene-admins"
    label = gettext_lazy("Administrator accounts")
    permission = "cyberhygiene.add_adminaccount"
    row_form = AdminAccountRow
    unique_together = ("organization", "login")
    aliases = {"username": "login", "account": "login", "email": "login", "e-mail": "login"}
    example = "organization,login\nministry-a,admin@ministry-a.gov.az\nministry-a,DOMAIN\\administrator\n"

    def commit_row(self, data: dict[str, Any]) -> tuple[bool, list[str]]:
        _account, created = services.add_admin_account(
            actor=self.actor, organization=data["organization"], login=data["login"]
        )
        return created, []


class EnrolmentRow(OrganizationRowMixin):
    course_code = forms.SlugField(max_length=60)
    course = forms.CharField(max_length=200, required=False)
    learner = forms.CharField(max_length=200)
    full_name = forms.CharField(max_length=200, required=False)
    enrolled_on = forms.DateField(input_formats=DATE_FORMATS)
    completed_on = forms.DateField(input_formats=DATE_FORMATS, required=False)
    score = forms.DecimalField(min_value=0, max_value=100, decimal_places=2, required=False)

    def clean_score(self) -> Any:
        return self.cleaned_data.get("score")


@importers.register
class EnrolmentImporter(ScopedImporter):
    key = "cyberhygiene-training"
    label = gettext_lazy("Training enrolments")
    permission = "cyberhygiene.import_trainingcampaign"
    row_form = EnrolmentRow
    unique_together = ("organization", "course_code", "learner")
    aliases = {
        "email address": "learner",
        "email": "learner",
        "username": "learner",
        "course short name": "course_code",
        "shortname": "course_code",
        "course full name": "course",
        "fullname": "full_name",
        "time enrolled": "enrolled_on",
        "enrolled": "enrolled_on",
        "time completed": "completed_on",
        "date completed": "completed_on",
        "completed": "completed_on",
        "grade": "score",
        "course total": "score",
    }
    example = (
        "organization,course_code,course,learner,full_name,enrolled_on,completed_on,score\n"
        "ministry-a,phishing-101,Fişinqi tanıyın,a.aliyev@ministry-a.gov.az,Əli Əliyev,2026-01-12,"
        "2026-01-20,86\n"
    )

    def commit_row(self, data: dict[str, Any]) -> tuple[bool, list[str]]:
        _e, created = services.record_enrolment(
            actor=self.actor,
            organization=data["organization"],
            course_code=data["course_code"],
            course=data.get("course") or "",
            learner=data["learner"].strip().lower(),
            full_name=data.get("full_name") or "",
            enrolled_on=data["enrolled_on"],
            completed_on=data.get("completed_on"),
            score=data.get("score"),
        )
        return created, []


class PhishingRow(OrganizationRowMixin):
    campaign = forms.CharField(max_length=200)
    run_on = forms.DateField(input_formats=DATE_FORMATS)
    sent = forms.IntegerField(min_value=1)
    opened = forms.IntegerField(min_value=0, required=False)
    clicked = forms.IntegerField(min_value=0, required=False)
    submitted = forms.IntegerField(min_value=0, required=False)
    reported = forms.IntegerField(min_value=0, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        sent = data.get("sent") or 0
        for name in ("opened", "clicked", "reported"):
            if (data.get(name) or 0) > sent:
                self.add_error(name, _("More than were sent."))
        if (data.get("submitted") or 0) > (data.get("clicked") or 0):
            self.add_error("submitted", _("More submitted credentials than clicks."))
        return data


@importers.register
class PhishingImporter(ScopedImporter):
    key = "cyberhygiene-phishing"
    label = gettext_lazy("Phishing drill results")
    permission = "cyberhygiene.import_phishingresult"
    row_form = PhishingRow
    unique_together = ("organization", "campaign")
    aliases = {
        "date": "run_on",
        "emails sent": "sent",
        "email opened": "opened",
        "clicked link": "clicked",
        "submitted data": "submitted",
        "email reported": "reported",
    }
    example = (
        "organization,campaign,run_on,sent,opened,clicked,submitted,reported\n"
        "ministry-a,2026 Q1 drill,2026-02-10,120,80,22,9,31\n"
    )

    def commit_row(self, data: dict[str, Any]) -> tuple[bool, list[str]]:
        _r, created = services.record_phishing_result(
            actor=self.actor,
            organization=data["organization"],
            campaign=data["campaign"],
            run_on=data["run_on"],
            sent=data["sent"],
            opened=data.get("opened") or 0,
            clicked=data.get("clicked") or 0,
            submitted=data.get("submitted") or 0,
            reported=data.get("reported") or 0,
        )
        return created, []
