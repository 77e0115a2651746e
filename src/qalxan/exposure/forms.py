"""Forms of the exposure app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qalxan.exposure.models import HostingRange


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class HostingRangeForm(forms.ModelForm):
    class Meta:
        model = HostingRange
        fields = ["cidr", "label"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def validate_unique(self) -> None:
        """The service says when a range is listed already (after normalising it)."""
