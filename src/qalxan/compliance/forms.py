"""Forms of the compliance app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.compliance.choices import Answer, MappingRelation, Severity
from qalxan.compliance.models import Catalogue
from qalxan.core.roles import Role
from qalxan.core.tenancy import restrict
from qalxan.organizations.models import Organization, Sector
from qalxan.registry.choices import CiiCategory
from qalxan.registry.models import InformationSystem

DATE = forms.DateInput(attrs={"type": "date"})


class CatalogueImportForm(forms.Form):
    file = forms.FileField(label=_("File (OSCAL catalog JSON, or XLSX)"))
    code = forms.SlugField(
        label=_("Code"), max_length=60, required=False, help_text=_("Taken from the OSCAL file when empty.")
    )
    version = forms.CharField(label=_("Version"), max_length=40, required=False)
    name_az = forms.CharField(
        label=_("Name (Azerbaijani)"), max_length=300, required=False, help_text=_("Required for XLSX.")
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)


class MappingForm(forms.Form):
    source = forms.CharField(label=_("Requirement id in this catalogue"), max_length=100)
    target_catalogue = forms.ModelChoiceField(queryset=Catalogue.objects.all(), label=_("Other catalogue"))
    target = forms.CharField(label=_("Requirement id there"), max_length=100)
    relation = forms.ChoiceField(choices=MappingRelation.choices, label=_("Relation"))


class CampaignForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Supervising body"))
    catalogue = forms.ModelChoiceField(queryset=Catalogue.objects.all(), label=_("Catalogue"))
    title = forms.CharField(label=_("Title"), max_length=300)
    deadline = forms.DateField(label=_("Deadline"), widget=DATE)
    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Sectors"),
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        choices=CiiCategory.choices,
        required=False,
        label=_("CII categories"),
        widget=forms.CheckboxSelectMultiple,
    )
    organizations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        label=_("Subjects"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organization"]
        field.queryset = restrict(
            Organization.objects.filter(kind__in=["authority", "supervising_agency"]),
            user,
            "compliance.add_campaign",
        )
        self.fields["deadline"].initial = timezone.localdate() + dt.timedelta(days=60)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("", "—"), *Answer.choices], label=_("Answer"), required=False)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accepted", _("Accept")), ("returned", _("Return"))], label=_("Decision")
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    file = forms.FileField(label=_("File"))
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DATE)


class EvidenceVersionForm(forms.Form):
    file = forms.FileField(label=_("New version"))
    expires_on = forms.DateField(label=_("Valid until"), required=False, widget=DATE)


class PlanForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Supervising body"))
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    recipient = forms.ModelChoiceField(
        queryset=Organization.objects.filter(kind="supervising_agency"),
        required=False,
        label=_("Co-supervising agency"),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organization"]
        field.queryset = restrict(
            Organization.objects.filter(kind="authority"), user, "compliance.add_inspectionplan"
        )
        self.fields["year"].initial = timezone.localdate().year + 1


class SystemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: InformationSystem) -> str:
        return f"{obj.registry_number} {obj.name}"


class InspectionForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(is_active=True), label=_("Subject")
    )
    system = SystemChoice(
        queryset=InformationSystem.objects.select_related("owner"), required=False, label=_("Object")
    )
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To"), widget=DATE)
    inspectors = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), required=False, label=_("Inspectors")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["inspectors"]
        field.queryset = (
            get_user_model().objects.filter(memberships__role=Role.SUPERVISOR, is_active=True).distinct()
        )


class InspectionReportForm(forms.Form):
    report = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 6}), max_length=50000)


class FindingForm(forms.Form):
    requirement = forms.CharField(label=_("Requirement id"), max_length=100, required=False)
    severity = forms.ChoiceField(choices=Severity.choices, label=_("Severity"), initial=Severity.MEDIUM)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    deadline = forms.DateField(label=_("Remediation deadline"), widget=DATE)
    owner = forms.CharField(label=_("Responsible person"), max_length=200, required=False)


class RemediationForm(forms.Form):
    remediation = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Verified: close")), ("reject", _("Reject"))], label=_("Decision")
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000)
