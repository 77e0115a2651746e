"""Forms of the hygiene pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qalxan.core.tenancy import restrict
from qalxan.hygiene.choices import InventoryFormat, Justification
from qalxan.hygiene.models import NormalisationRule
from qalxan.organizations.models import Organization


class InventoryUploadForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Institution"))
    file = forms.FileField(
        label=_("Inventory file"), help_text=_("osquery result log, CycloneDX JSON/XML, SPDX JSON or CSV.")
    )
    format = forms.ChoiceField(
        choices=[("", _("Detect from the file")), *InventoryFormat.choices],
        required=False,
        label=_("Format"),
    )
    host = forms.CharField(
        required=False,
        max_length=255,
        label=_("Host identifier"),
        help_text=_("For an SBOM that does not name its endpoint."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organization"]  # a ModelChoiceField
        field.queryset = restrict(
            Organization.objects.filter(is_active=True), user, "hygiene.add_inventorysnapshot"
        )


class RuleForm(forms.ModelForm):
    class Meta:
        model = NormalisationRule
        fields = [
            "priority",
            "publisher_pattern",
            "name_pattern",
            "action",
            "vendor",
            "product",
            "edition",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class TriageForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    justification = forms.ChoiceField(
        choices=[("", "—"), *Justification.choices], required=False, label=_("Justification")
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Note"))


class AdvisoryUploadForm(forms.Form):
    KIND_CHOICES = (
        ("osv", _("OSV advisories (JSON or zip)")),
        ("kev", _("Known-exploited list (CISA KEV JSON or CSV)")),
    )
    kind = forms.ChoiceField(choices=KIND_CHOICES, label=_("What"))
    file = forms.FileField(label=_("File"))


class TransferForm(forms.Form):
    seats = forms.IntegerField(min_value=1, label=_("Seats"))
    from_organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        label=_("From (empty: the central pool)"),
    )
    to_organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        label=_("To (empty: back to the central pool)"),
    )
    reason = forms.CharField(max_length=300, required=False, label=_("Reason"))
