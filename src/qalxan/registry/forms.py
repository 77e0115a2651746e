"""Forms of the registry app."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qalxan.core.tenancy import restrict
from qalxan.core.validators import normalise_domains
from qalxan.registry import services
from qalxan.registry.choices import CiiCategory, SupervisingAgency
from qalxan.registry.models import REGISTRY_PREFIX, CriticalityCriterion, InformationSystem, Subsector


def parse_registry_numbers(value: str) -> list[int]:
    """ "RS-000012, RS-44 17" → [12, 44, 17]."""
    numbers = []
    for token in re.split(r"[\s,;]+", value.strip()):
        if not token:
            continue
        match = re.fullmatch(rf"(?:{REGISTRY_PREFIX})?0*(\d+)", token, re.IGNORECASE)
        if not match:
            raise forms.ValidationError(_("“%(token)s” is not a registry number."), params={"token": token})
        numbers.append(int(match.group(1)))
    return numbers


class SystemForm(forms.ModelForm):
    ip_ranges = forms.CharField(
        label=_("Public IP ranges (CIDR)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, IPv4 or IPv6."),
    )
    domains = forms.CharField(
        label=_("Domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    depends_on_numbers = forms.CharField(
        label=_("Depends on (registry numbers)"),
        required=False,
        help_text=_("Registry numbers of the systems this one needs, e.g. RS-000012, RS-000044."),
    )

    class Meta:
        model = InformationSystem
        fields = list(services.SYSTEM_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "services": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owner"].queryset = services.owners_for(user)  # type: ignore[attr-defined]
        self.fields["subsector"].queryset = Subsector.objects.select_related("sector")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["ip_ranges"].initial = "\n".join(
                self.instance.ip_ranges.values_list("cidr", flat=True)
            )
            self.fields["domains"].initial = "\n".join(self.instance.domains.values_list("domain", flat=True))
            self.fields["depends_on_numbers"].initial = ", ".join(
                f"{REGISTRY_PREFIX}{pk:06d}"
                for pk in self.instance.dependency_edges.values_list("depends_on_id", flat=True)
            )

    def clean_ip_ranges(self) -> list[str]:
        try:
            return services.normalise_cidrs(self.cleaned_data["ip_ranges"].split())
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["ip_ranges"]) from exc

    def clean_domains(self) -> list[str]:
        try:
            return normalise_domains(self.cleaned_data["domains"].split())
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["domains"]) from exc

    def clean_depends_on_numbers(self) -> list[InformationSystem]:
        numbers = parse_registry_numbers(self.cleaned_data["depends_on_numbers"])
        found = {s.pk: s for s in restrict(InformationSystem.objects.filter(pk__in=numbers), self.user)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(
                _("Unknown systems: %(numbers)s"),
                params={"numbers": ", ".join(f"{REGISTRY_PREFIX}{n:06d}" for n in missing)},
            )
        return [found[n] for n in numbers]


class StepForm(forms.Form):
    """The details one lifecycle step may need; the workflow's guards say which are required."""

    step = forms.CharField(widget=forms.HiddenInput)
    message = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decision_reference = forms.CharField(label=_("Decision reference"), required=False, max_length=100)
    decision_date = forms.DateField(
        label=_("Decision date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    category = forms.ChoiceField(
        label=_("CII category"), required=False, choices=[("", "—"), *CiiCategory.choices]
    )
    supervising_agency = forms.ChoiceField(
        label=_("Supervising agency"), required=False, choices=[("", "—"), *SupervisingAgency.choices]
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    FIELDS_BY_STEP = {
        "request_data": ("message",),
        "submit_data": ("message",),
        "start_assessment": ("message",),
        "designate": ("decision_reference", "decision_date", "category", "supervising_agency", "message"),
        "mark_review_due": ("message",),
        "confirm_review": ("decision_reference", "decision_date", "message"),
        "reassess": ("message",),
        "delist": ("reason",),
    }

    def __init__(self, *args: Any, step: str, initial_agency: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["step"].initial = step
        if initial_agency:
            self.fields["supervising_agency"].initial = initial_agency
        keep = {"step", *self.FIELDS_BY_STEP.get(step, ())}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]


class AssessmentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, initial_answers: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in CriticalityCriterion.objects.all():
            self.fields[f"c_{criterion.code}"] = forms.DecimalField(
                label=f"{criterion.name} ({criterion.unit_label})",
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=(initial_answers or {}).get(criterion.code),
            )

    def answers(self) -> dict[str, Any]:
        return {name[2:]: value for name, value in self.cleaned_data.items() if name.startswith("c_")}


class SpecialRequirementsForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, DOCX or ODT)"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return"))]
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
