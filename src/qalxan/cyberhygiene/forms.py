"""Forms of the cyber-hygiene app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qalxan.core.tenancy import restrict
from qalxan.cyberhygiene.choices import Measure
from qalxan.organizations.models import Organization


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class LeakUploadForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)
    leaked_on = forms.DateField(
        label=_("Leak date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    uploads = MultipleFileField(
        label=_("Files"),
        help_text=_("Combination lists (.txt), CSV dumps, stealer logs as zip archives."),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class ConfirmForm(forms.Form):
    measures_done = forms.MultipleChoiceField(
        label=_("Measures taken"), choices=Measure.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AdminAccountForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Institution"), queryset=Organization.objects.none())
    login = forms.CharField(label=_("Login"), max_length=200)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]  # a ModelChoiceField
            Organization.objects.filter(is_active=True), user, "cyberhygiene.add_adminaccount"
        ).order_by("short_name")
