"""Forms of the incidents app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.core.roles import Role
from qalxan.core.tenancy import can, restrict
from qalxan.incidents.choices import MeasureKind, Pap, Severity, Tlp
from qalxan.incidents.models import Incident, SeverityPolicy, TaxonomyType
from qalxan.organizations.models import Organization
from qalxan.registry.models import InformationSystem


class TaxonomyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TaxonomyType) -> str:
        return f"{obj.taxonomy_class.name} — {obj.name}"


class SystemsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: InformationSystem) -> str:
        return f"{obj.registry_number} {obj.name}" + (" [CII]" if obj.is_cii else "")


class IncidentForm(forms.ModelForm):
    """The guided report: what happened, when, which systems, impact, classification, markings, a file."""

    taxonomy_type = TaxonomyChoiceField(
        queryset=TaxonomyType.objects.select_related("taxonomy_class"),
        label=_("Classification (RSIT class and type)"),
        required=False,
    )
    affected_systems = SystemsField(
        queryset=InformationSystem.objects.none(),
        required=False,
        label=_("Affected systems (from the registry)"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    detected_at = forms.DateTimeField(
        label=_("When was it detected?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    attachment = forms.FileField(label=_("Attachment"), required=False)

    class Meta:
        model = Incident
        fields = [
            "organization",
            "title",
            "detected_at",
            "description",
            "affected_systems",
            "impact",
            "taxonomy_type",
            "severity",
            "tlp",
            "pap",
            "indicators",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "impact": forms.Textarea(attrs={"rows": 3}),
            "indicators": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        orgs = restrict(Organization.objects.filter(is_active=True), user, "incidents.add_incident")
        self.fields["organization"].queryset = orgs  # type: ignore[attr-defined]
        if orgs.count() == 1 and not self.instance.pk:
            self.fields["organization"].initial = orgs.first()
        systems = restrict(InformationSystem.objects.all(), user, "registry.view_informationsystem")
        if not can(user, "incidents.triage_incident"):
            systems = systems.filter(owner__in=orgs)
        self.fields["affected_systems"].queryset = systems.order_by("owner__short_name", "id")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields.pop("organization")
            self.fields.pop("attachment")
            self.fields.pop("severity")
            self.initial["affected_systems"] = list(
                self.instance.affected_systems.values_list("pk", flat=True)
            )
            self.initial["detected_at"] = timezone.localtime(self.instance.detected_at).strftime(
                "%Y-%m-%dT%H:%M"
            )
        else:
            self.initial.setdefault("detected_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))

    def clean_detected_at(self) -> Any:
        value = self.cleaned_data["detected_at"]
        if value and value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("The detection time cannot be in the future."))
        return value


class StepForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput)
    message = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    severity = forms.ChoiceField(label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False)
    assignee = forms.ModelChoiceField(
        label=_("Assign to"), queryset=get_user_model().objects.none(), required=False
    )
    duplicate_of = forms.IntegerField(label=_("Incident number it duplicates"), required=False, min_value=1)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (  # type: ignore[attr-defined]
            get_user_model().objects.filter(is_active=True, memberships__role=Role.ANALYST).distinct()
        )


class CommentForm(forms.Form):
    message = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class MeasureRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=MeasureKind.choices)
    description = forms.CharField(
        label=_("What to do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    due_date = forms.DateField(label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class MeasureConfirmForm(forms.Form):
    comment = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    evidence = forms.FileField(label=_("Evidence"), required=False)


class MeasureVerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Verified")), ("return", _("Return to the institution"))]
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=4000)


class RelateForm(forms.Form):
    other = forms.IntegerField(label=_("Related incident number"), min_value=1)


class SeverityPolicyForm(forms.ModelForm):
    class Meta:
        model = SeverityPolicy
        fields = ["report_hours", "triage_hours", "resolve_hours", "reminder_percent"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


TLP_HELP = {
    Tlp.CLEAR: _("may be shared freely"),
    Tlp.GREEN: _("within the community"),
    Tlp.AMBER: _("within the organisation and its clients"),
    Tlp.AMBER_STRICT: _("within the organisation only"),
    Tlp.RED: _("named recipients only"),
}
PAP_HELP = {
    Pap.CLEAR: _("any action"),
    Pap.GREEN: _("active actions allowed"),
    Pap.AMBER: _("passive cross-checks only"),
    Pap.RED: _("no action outside the institution"),
}
