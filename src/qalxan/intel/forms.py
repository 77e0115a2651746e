"""Forms of the intel app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qalxan.core.tenancy import restrict, scope
from qalxan.intel.choices import Tlp
from qalxan.organizations.models import Organization


def _organization_field(user: Any, permission: str) -> forms.ModelChoiceField:
    national = scope(user, permission).everything
    return forms.ModelChoiceField(
        queryset=restrict(Organization.objects.filter(is_active=True), user, permission).order_by(
            "short_name"
        ),
        required=not national,
        label=_("Reporting institution"),
        help_text=_("Leave empty for CERT's own indicators.") if national else "",
    )


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("Text with indicators"),
        widget=forms.Textarea(attrs={"rows": 10, "placeholder": "hxxp://evil[.]az/login 185.220.101[.]4 …"}),
        help_text=_(
            "Paste a report, an e-mail or a list; defanged values are refanged and duplicates removed."
        ),
    )
    tlp = forms.ChoiceField(label=_("TLP"), choices=Tlp.choices, initial=Tlp.AMBER)
    confidence = forms.IntegerField(label=_("Confidence (0–100)"), min_value=0, max_value=100, initial=50)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"] = _organization_field(user, "intel.add_indicator")


class ExchangeImportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("stix", _("STIX 2.1 bundle")), ("misp", _("MISP event (JSON)"))]
    )
    file = forms.FileField(label=_("File"))
    tlp = forms.ChoiceField(label=_("TLP for unmarked objects"), choices=Tlp.choices, initial=Tlp.AMBER)


class CampaignStepForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    threat_actor = forms.CharField(label=_("Threat actor"), max_length=200, required=False)
    intrusion_set = forms.CharField(label=_("Intrusion set"), max_length=200, required=False)
    message = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class WarningListUploadForm(forms.Form):
    file = forms.FileField(label=_("MISP warning list (JSON)"))
    slug = forms.SlugField(
        label=_("Code"), max_length=80, required=False, help_text=_("Replaces the list with this code.")
    )
