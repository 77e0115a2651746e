"""Bulk imports: institutions' administrator accounts, training enrolments (XLSX or an LMS CSV export)
and phishing-drill results; all-or-nothing through the core importer framework."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
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


GOPHISH_STAGES = {"email sent": 0, "email opened": 1, "clicked link": 2, "submitted data": 3}


class GophishRow(importers.RowForm):
    """One recipient of a Gophish campaign ("Export CSV" of the campaign's results)."""

    id = forms.CharField(required=False)
    email = forms.EmailField()
    first_name = forms.CharField(required=False)
    last_name = forms.CharField(required=False)
    position = forms.CharField(required=False)
    status = forms.CharField()
    ip = forms.CharField(required=False)
    latitude = forms.CharField(required=False)
    longitude = forms.CharField(required=False)
    send_date = forms.CharField(required=False)
    reported = forms.CharField(required=False)
    modified_date = forms.CharField(required=False)

    def clean_status(self) -> int | None:
        status = self.cleaned_data["status"].strip().lower()
        if status in {"scheduled", "sending", "error", "queued"}:
            return None  # never delivered
        if status not in GOPHISH_STAGES and status != "email reported":
            raise ValidationError(
                _("Unknown status; expected: %(s)s.")
                % {"s": ", ".join(["Email Sent", "Email Opened", "Clicked Link", "Submitted Data"])}
            )
        return GOPHISH_STAGES.get(status, 0)

    def clean_reported(self) -> bool:
        return self.cleaned_data["reported"].strip().lower() in {"true", "1", "yes"}

    def clean_send_date(self) -> Any:
        value = self.cleaned_data["send_date"].strip()
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError as exc:
            raise ValidationError(_("Not a date.")) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        from qalxan.cyberhygiene.ingest import longest_suffix

        email = data.get("email")
        if email:
            domain = longest_suffix(self.context["domains"], email.rpartition("@")[2])
            org_id = self.context["domains"][domain] if domain else None
            if (
                org_id is not None
                and self.context["allowed"] is not None
                and org_id not in self.context["allowed"]
            ):
                self.add_error("email", _("You may not import data for this organisation."))
            data["organization_id"] = org_id
        return data


@importers.register
class GophishImporter(ScopedImporter):
    """Per-recipient results of a Gophish campaign, summed up per institution by the e-mail domain."""

    key = "cyberhygiene-gophish"
    label = gettext_lazy("Phishing drill results (Gophish export)")
    permission = "cyberhygiene.import_phishingresult"
    row_form = GophishRow
    unique_together = ("email",)
    example = (
        "id,email,first_name,last_name,position,status,ip,latitude,longitude,send_date,reported,modified_date\n"
        "a1,a.aliyev@ministry-a.gov.az,Əli,Əliyev,,Clicked Link,10.0.0.5,0,0,2026-02-10T09:00:00Z,false,"
        "2026-02-10T09:05:00Z\n"
    )

    def context(self) -> dict[str, Any]:
        from qalxan.organizations.models import OrganizationDomain

        ctx = super().context()
        ctx["domains"] = dict(OrganizationDomain.objects.values_list("domain", "organization_id"))
        return ctx

    def run(self, *, filename: str, content: bytes, commit: bool) -> importers.ImportResult:
        # The export holds no campaign name: the file's name is the campaign's.
        self.campaign = (filename.rsplit(".", 1)[0] or "Gophish")[:200]
        return super().run(filename=filename, content=content, commit=commit)

    def commit_rows(self, rows: list[tuple[int, dict[str, Any]]], result: importers.ImportResult) -> None:
        sums: dict[int, dict[str, Any]] = defaultdict(
            lambda: {"sent": 0, "opened": 0, "clicked": 0, "submitted": 0, "reported": 0, "run_on": None}
        )
        for number, data in rows:
            if data["organization_id"] is None:
                result.warnings.append(
                    importers.RowError(number, "email", _("No institution has this domain."))
                )
                continue
            if data["status"] is None:
                continue
            s = sums[data["organization_id"]]
            s["sent"] += 1
            s["opened"] += int(data["status"] >= 1)
            s["clicked"] += int(data["status"] >= 2)
            s["submitted"] += int(data["status"] >= 3)
            s["reported"] += int(data["reported"])
            day = data.get("send_date")
            if day and (s["run_on"] is None or day < s["run_on"]):
                s["run_on"] = day
        organizations = {o.pk: o for o in self.context_organizations(sums)}
        for org_id, s in sums.items():
            try:
                _r, created = services.record_phishing_result(
                    actor=self.actor,
                    organization=organizations[org_id],
                    campaign=self.campaign,
                    run_on=s["run_on"] or timezone.localdate(),
                    sent=s["sent"],
                    opened=s["opened"],
                    clicked=s["clicked"],
                    submitted=s["submitted"],
                    reported=s["reported"],
                )
            except ValidationError as exc:
                result.errors.append(importers.RowError(0, "", " ".join(exc.messages)))
                continue
            result.created += int(created)
            result.updated += int(not created)

    def context_organizations(self, sums: dict[int, Any]) -> list[Organization]:
        return list(Organization.objects.filter(pk__in=list(sums)))
