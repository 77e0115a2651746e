"""Bulk import of organisations and of users with their roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core import importers
from qalxan.core.roles import Role
from qalxan.core.validators import normalise_domains
from qalxan.organizations import services
from qalxan.organizations.choices import OrganizationKind
from qalxan.organizations.models import Organization, Sector, code_format, voen_format

User = get_user_model()


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.replace(",", ";").split(";") if p.strip()]


def _yes(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "bəli", "да", "x"}


class OrganizationRow(importers.RowForm):
    code = forms.CharField(max_length=60, validators=[code_format])
    short_name = forms.CharField(max_length=60)
    name_az = forms.CharField(max_length=300)
    name_en = forms.CharField(max_length=300, required=False)
    name_ru = forms.CharField(max_length=300, required=False)
    kind = forms.ChoiceField(choices=OrganizationKind.choices)
    parent = forms.CharField(required=False)
    voen = forms.CharField(required=False, validators=[voen_format])
    is_cii_subject = forms.CharField(required=False)
    sectors = forms.CharField(required=False)
    domains = forms.CharField(required=False)
    address = forms.CharField(max_length=300, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    website = forms.URLField(required=False, assume_scheme="https")

    def clean_parent(self) -> str:
        code = self.cleaned_data["parent"]
        if code and code not in self.context["codes"] and code not in self.context["file_codes"]:
            raise ValidationError(_("No organisation has the code “%(code)s”.") % {"code": code})
        return code

    def clean_sectors(self) -> list[str]:
        codes = _split(self.cleaned_data["sectors"])
        unknown = [c for c in codes if c not in self.context["sectors"]]
        if unknown:
            raise ValidationError(
                _("Unknown sector codes: %(codes)s (known: %(known)s).")
                % {"codes": ", ".join(unknown), "known": ", ".join(self.context["sectors"])}
            )
        return codes

    def clean_domains(self) -> list[str]:
        try:
            return normalise_domains(_split(self.cleaned_data["domains"]))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["domains"]) from exc

    def clean_is_cii_subject(self) -> bool:
        return _yes(self.cleaned_data["is_cii_subject"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("parent") and data.get("parent") == data.get("code"):
            self.add_error("parent", _("An organisation cannot be its own parent."))
        return data


@importers.register
class OrganizationImporter(importers.Importer):
    """Creates organisations, or updates those whose code exists; parents may come earlier in the file."""

    key = "organizations"
    label = gettext_lazy("Organisations")
    permission = "organizations.import_organization"
    row_form = OrganizationRow
    unique_together = ("code",)
    example = (
        "code,short_name,name_az,name_en,name_ru,kind,parent,voen,is_cii_subject,sectors,domains,address,email,phone,website\n"
        "mincom,RİNN,Rəqəmsal İnkişaf və Nəqliyyat Nazirliyi,Ministry of Digital Development and Transport,"
        "Министерство цифрового развития и транспорта,ministry,,1400057421,yes,"
        "public_administration;transport,"
        "mincom.gov.az,Bakı şəhəri,info@mincom.gov.az,+994124980000,https://mincom.gov.az\n"
    )

    def context(self) -> dict[str, Any]:
        ctx = super().context()
        ctx["codes"] = set(Organization.objects.values_list("code", flat=True))
        ctx["sectors"] = list(Sector.objects.values_list("code", flat=True))
        ctx["file_codes"] = self._file_codes
        return ctx

    def validate(self, rows: list[dict[str, str]]) -> Any:
        self._file_codes = {r.get("code", "").strip() for r in rows if r}
        return super().validate(rows)

    def check_rows(self, rows: list[tuple[int, dict[str, Any]]]) -> list[importers.RowError]:
        errors = super().check_rows(rows)
        order = {data["code"]: number for number, data in rows}
        for number, data in rows:
            parent = data.get("parent")
            if parent and parent in order and order[parent] > number:
                errors.append(
                    importers.RowError(
                        number,
                        "parent",
                        _("The parent must come before its subordinate (it is on row %(row)d).")
                        % {"row": order[parent]},
                    )
                )
        return errors

    def commit_row(self, data: dict[str, Any]) -> tuple[bool, list[str]]:
        sectors = list(Sector.objects.filter(code__in=data.pop("sectors")))
        domains = data.pop("domains")
        parent_code = data.pop("parent")
        data["parent"] = Organization.objects.get(code=parent_code) if parent_code else None
        existing = Organization.objects.filter(code=data["code"]).first()
        if existing is None:
            _org, warnings = services.create_organization(
                actor=self.actor, sectors=sectors, domains=domains, **data
            )
            return True, warnings
        _org, warnings = services.update_organization(
            actor=self.actor, organization=existing, sectors=sectors, domains=domains, **data
        )
        return False, warnings


class UserRow(importers.RowForm):
    username = forms.RegexField(regex=r"^[\w.@+-]+$", max_length=150)
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    email = forms.EmailField(required=False)
    position = forms.CharField(max_length=200, required=False)
    phone = forms.CharField(max_length=40, required=False)
    organization = forms.CharField()
    role = forms.ChoiceField(choices=Role.choices)
    include_subordinates = forms.CharField(required=False)

    def clean_organization(self) -> Organization:
        code = self.cleaned_data["organization"]
        org = self.context["organizations"].get(code)
        if org is None:
            raise ValidationError(_("No organisation has the code “%(code)s”.") % {"code": code})
        return org

    def clean_include_subordinates(self) -> bool:
        return _yes(self.cleaned_data["include_subordinates"])


@importers.register
class UserImporter(importers.Importer):
    """Creates accounts (without a usable password: people set one through the administrator) and roles."""

    key = "users"
    label = gettext_lazy("Users and roles")
    permission = "organizations.import_organization"
    row_form = UserRow
    unique_together = ("username", "organization", "role")
    example = (
        "username,first_name,last_name,email,position,phone,organization,role,include_subordinates\n"
        "officer.mincom,Aysel,Həsənova,a.hasanova@mincom.gov.az,İT şöbəsinin müdiri,+994501234567,mincom,"
        "institution_officer,no\n"
    )

    def context(self) -> dict[str, Any]:
        ctx = super().context()
        ctx["organizations"] = Organization.objects.in_bulk(field_name="code")
        return ctx

    def commit_row(self, data: dict[str, Any]) -> tuple[bool, list[str]]:
        membership = (data.pop("organization"), data.pop("role"), data.pop("include_subordinates"))
        user = User.objects.filter(username=data["username"]).first()
        if user is None:
            services.create_user(actor=self.actor, memberships=[membership], **data)
            return True, []
        services.grant_membership(
            actor=self.actor,
            user=user,
            organization=membership[0],
            role=membership[1],
            include_subordinates=membership[2],
        )
        return False, []
