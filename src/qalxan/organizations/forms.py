"""Forms of the organisations app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from qalxan.core.roles import Role
from qalxan.core.tenancy import can, restrict
from qalxan.core.validators import normalise_domains
from qalxan.organizations.models import Contact, Organization, Sector

# What an institution officer may edit on their own organisation's card.
SELF_SERVICE_FIELDS = (
    "name_az",
    "name_en",
    "name_ru",
    "short_name",
    "voen",
    "address",
    "email",
    "phone",
    "website",
    "sectors",
    "domains",
)


class OrganizationForm(forms.ModelForm):
    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Sectors")
    )
    website = forms.URLField(required=False, assume_scheme="https", label=_("Website"))
    domains = forms.CharField(
        required=False,
        label=_("Domains"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. mincom.gov.az"),
    )

    class Meta:
        model = Organization
        fields = [
            "code",
            "short_name",
            "name_az",
            "name_en",
            "name_ru",
            "kind",
            "parent",
            "voen",
            "is_cii_subject",
            "sectors",
            "domains",
            "address",
            "email",
            "phone",
            "website",
            "is_active",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = restrict(Organization.objects.all(), user).exclude(  # type: ignore[attr-defined]
            pk=self.instance.pk
        )
        if self.instance.pk:
            self.fields["sectors"].initial = list(self.instance.sectors.all())
            self.fields["domains"].initial = "\n".join(self.instance.domains.values_list("domain", flat=True))
        if not can(user, "organizations.add_organization"):
            for name in list(self.fields):
                if name not in SELF_SERVICE_FIELDS:
                    del self.fields[name]

    def clean_domains(self) -> list[str]:
        import re

        try:
            return normalise_domains(re.split(r"[\s,;]+", self.cleaned_data["domains"]))
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["domains"]) from exc


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["full_name", "position", "email", "phone", "is_security_contact"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class MembershipForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.filter(is_active=True), label=_("User"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    include_subordinates = forms.BooleanField(required=False, label=_("Includes subordinate bodies"))


class NewUserForm(forms.Form):
    username = forms.RegexField(regex=r"^[\w.@+-]+$", max_length=150, label=_("User name"))
    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
    email = forms.EmailField(required=False, label=_("E-mail"))
    position = forms.CharField(max_length=200, required=False, label=_("Position"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    include_subordinates = forms.BooleanField(required=False, label=_("Includes subordinate bodies"))
    password = forms.CharField(widget=forms.PasswordInput, label=_("Initial password"), min_length=10)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return username

    def clean_password(self) -> str:
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data["password"]
        validate_password(password)
        return password
