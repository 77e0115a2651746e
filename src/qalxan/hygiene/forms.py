"""Forms of the hygiene pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qalxan.core.tenancy import restrict
from qalxan.hygiene.choices import InventoryFormat, Justification
from qalxan.hygiene.models import (
    Entitlement,
    EssentialCategory,
    LicensedProduct,
    NormalisationRule,
    ScoreWeights,
)
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
        fields = list(NormalisationRule.EDITABLE_FIELDS)

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
        label=_("From (empty: the contract's pool)"),
    )
    to_organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        label=_("To (empty: back to the contract's pool)"),
    )
    reason = forms.CharField(max_length=300, required=False, label=_("Reason"))


class ProductForm(forms.ModelForm):
    class Meta:
        model = LicensedProduct
        fields = ["vendor", "product", "is_commercial"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ServiceNamesField(forms.CharField):
    """Service names, one a line (commas also separate them)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]  # a list, not a string
        text = super().to_python(value) or ""
        names = [n.strip() for line in text.splitlines() for n in line.split(",")]
        unique: list[str] = []
        for name in names:
            if name and name not in unique:
                unique.append(name)
        return unique


class CategoryForm(forms.ModelForm):
    approved_products = forms.ModelMultipleChoiceField(
        queryset=LicensedProduct.objects.all(),
        label=_("Approved products"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Any of these products meets the requirement."),
    )
    service_names = ServiceNamesField(
        required=False,
        label=_("Service names"),
        help_text=_("One a line; any of them running meets the requirement. Empty: no service is checked."),
    )

    class Meta:
        model = EssentialCategory
        fields = [
            "code",
            "name",
            "approved_products",
            "service_names",
            "min_version",
            "require_signatures",
            "max_age_days",
            "applies_to",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean_max_age_days(self) -> int:
        days: int = self.cleaned_data["max_age_days"]
        if days < 1:
            raise forms.ValidationError(_("An endpoint must have been seen within at least one day."))
        return days

    def clean_min_version(self) -> str:
        from qalxan.hygiene.versions import compare

        version: str = self.cleaned_data["min_version"].strip()
        # Installed versions are compared with the baseline in the generic order: it must read it.
        if version and (not any(ch.isdigit() for ch in version) or compare("generic", version, version) != 0):
            raise forms.ValidationError(_("Not a version that can be compared, e.g. 11.0."))
        return version


class WeightsForm(forms.ModelForm):
    class Meta:
        model = ScoreWeights
        fields = ["licence", "coverage", "exposure", "freshness", "stale_days"]

    def clean_stale_days(self) -> int:
        days: int = self.cleaned_data["stale_days"]
        if days < 1:
            raise forms.ValidationError(_("Data is stale after at least one day."))
        return days


class EntitlementForm(forms.ModelForm):
    class Meta:
        model = Entitlement
        fields = ["organization", "product", "pool", "contract", "seats", "valid_from", "valid_until"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        permission = "hygiene.add_entitlement" if self.instance.pk is None else "hygiene.change_entitlement"
        field: Any = self.fields["organization"]  # a ModelChoiceField
        field.queryset = restrict(Organization.objects.filter(is_active=True), user, permission)
