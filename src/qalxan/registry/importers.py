"""Bulk onboarding of the national list of systems (CSV or XLSX), all-or-nothing.

Rows are validated one by one (owner, sector, subsector, kind, hosting, addresses, dependencies
on registered systems or on earlier rows of the same file by their `ref`), then written in bulk:
50,000 rows must import in well under a minute.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core import importers
from qalxan.core.choices import AuditAction
from qalxan.core.models import AuditEntry
from qalxan.core.tenancy import scope
from qalxan.core.validators import normalise_domains
from qalxan.organizations.models import Organization, Sector
from qalxan.registry import services
from qalxan.registry.choices import Hosting, SystemKind
from qalxan.registry.models import (
    REGISTRY_PREFIX,
    Dependency,
    InformationSystem,
    IpRange,
    Subsector,
    SystemDomain,
)

BATCH = 2000


def _split(value: str) -> list[str]:
    return [p for p in re.split(r"[;,\s]+", value.strip()) if p]


class SystemRow(importers.RowForm):
    ref = forms.CharField(max_length=60, required=False)
    name_az = forms.CharField(max_length=300)
    name_en = forms.CharField(max_length=300, required=False)
    name_ru = forms.CharField(max_length=300, required=False)
    kind = forms.ChoiceField(choices=SystemKind.choices)
    sector = forms.CharField()
    subsector = forms.CharField(required=False)
    owner = forms.CharField()
    operator = forms.CharField(required=False)
    hosting = forms.ChoiceField(choices=Hosting.choices)
    holds_personal_data = forms.CharField(required=False)
    personal_data_registration = forms.CharField(max_length=60, required=False)
    responsible_name = forms.CharField(max_length=200, required=False)
    responsible_email = forms.EmailField(required=False)
    responsible_phone = forms.CharField(max_length=40, required=False)
    secure_contact = forms.CharField(max_length=200, required=False)
    services = forms.CharField(required=False)
    description = forms.CharField(required=False)
    ip_ranges = forms.CharField(required=False)
    domains = forms.CharField(required=False)
    depends_on = forms.CharField(required=False)

    def _organization(self, field: str) -> Organization | None:
        code = self.cleaned_data[field]
        if not code:
            return None
        org = self.context["organizations"].get(code)
        if org is None:
            raise ValidationError(_("No organisation has the code “%(code)s”.") % {"code": code})
        return org

    def clean_owner(self) -> Organization | None:
        owner = self._organization("owner")
        if owner is not None and owner.pk not in self.context["allowed_owners"]:
            raise ValidationError(_("You may not register systems of %(org)s.") % {"org": owner.short_name})
        return owner

    def clean_operator(self) -> Organization | None:
        return self._organization("operator")

    def clean_sector(self) -> Sector:
        sector = self.context["sectors"].get(self.cleaned_data["sector"])
        if sector is None:
            raise ValidationError(
                _("Unknown sector code; known: %(codes)s.") % {"codes": ", ".join(self.context["sectors"])}
            )
        return sector

    def clean_subsector(self) -> Subsector | None:
        code = self.cleaned_data["subsector"]
        if not code:
            return None
        subsector = self.context["subsectors"].get(code)
        if subsector is None:
            raise ValidationError(_("Unknown subsector code “%(code)s”.") % {"code": code})
        return subsector

    def clean_holds_personal_data(self) -> bool:
        return self.cleaned_data["holds_personal_data"].strip().lower() in {
            "1",
            "true",
            "yes",
            "bəli",
            "да",
            "x",
        }

    def clean_ip_ranges(self) -> list[str]:
        try:
            return services.normalise_cidrs(_split(self.cleaned_data["ip_ranges"]))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["ip_ranges"]) from exc

    def clean_domains(self) -> list[str]:
        try:
            return normalise_domains(_split(self.cleaned_data["domains"]))
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["domains"]) from exc

    def clean_depends_on(self) -> list[str]:
        refs = []
        for token in _split(self.cleaned_data["depends_on"]):
            number = re.fullmatch(rf"{REGISTRY_PREFIX}0*(\d+)", token, re.IGNORECASE)
            if number:
                if int(number.group(1)) not in self.context["existing_ids"]:
                    raise ValidationError(_("No registered system has the number %(n)s.") % {"n": token})
                refs.append(f"#{int(number.group(1))}")
            elif token in self.context["file_refs"]:
                refs.append(token)
            else:
                raise ValidationError(
                    _("“%(token)s” is neither a registry number nor a ref in this file.") % {"token": token}
                )
        return refs

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        subsector, sector = data.get("subsector"), data.get("sector")
        if subsector is not None and sector is not None and subsector.sector_id != sector.pk:
            self.add_error("subsector", _("The subsector belongs to another sector."))
        if data.get("personal_data_registration") and not data.get("holds_personal_data"):
            self.add_error(
                "personal_data_registration",
                _("Only a system that holds personal data has a registration number."),
            )
        return data


@importers.register
class SystemImporter(importers.Importer):
    key = "registry-systems"
    label = gettext_lazy("Information systems")
    permission = "registry.add_informationsystem"
    row_form = SystemRow
    example = (
        "ref,name_az,name_en,kind,sector,subsector,owner,operator,hosting,holds_personal_data,"
        "personal_data_registration,ip_ranges,domains,depends_on\n"
        "net,Dövlət şəbəkəsi,State network,ict_network,telecommunications,fixed_networks,mddt,,"
        "azstatenet,no,,"
        "85.132.16.0/24,,\n"
        "portal,E-xidmətlər portalı,E-services portal,information_system,public_administration,"
        "e_government,mddt,,"
        "government_cloud,yes,FM-2024-0012,2a02:4780::/32,portal.gov.az,net\n"
    )

    def validate(self, rows: list[dict[str, str]]) -> Any:
        self._rows = rows
        return super().validate(rows)

    def context(self) -> dict[str, Any]:
        ctx = super().context()
        allowed = scope(self.actor, self.permission)
        organizations = Organization.objects.in_bulk(field_name="code")
        ctx["organizations"] = organizations
        ctx["allowed_owners"] = (
            {o.pk for o in organizations.values()} if allowed.everything else set(allowed.organization_ids)
        )
        ctx["sectors"] = Sector.objects.in_bulk(field_name="code")
        ctx["subsectors"] = Subsector.objects.in_bulk(field_name="code")
        referenced = {
            int(m.group(1))
            for row in self._rows
            if row
            for m in re.finditer(rf"{REGISTRY_PREFIX}0*(\d+)", row.get("depends_on", ""), re.I)
        }
        ctx["existing_ids"] = set(
            InformationSystem.objects.filter(pk__in=referenced).values_list("pk", flat=True)
        )
        ctx["file_refs"] = {
            row.get("ref", "").strip() for row in self._rows if row and row.get("ref", "").strip()
        }
        return ctx

    def check_rows(self, rows: list[tuple[int, dict[str, Any]]]) -> list[importers.RowError]:
        errors = super().check_rows(rows)
        seen: dict[str, int] = {}
        for number, data in rows:
            ref = data.get("ref")
            if ref:
                if ref in seen:
                    errors.append(
                        importers.RowError(number, "ref", _("Repeats row %(row)d.") % {"row": seen[ref]})
                    )
                seen[ref] = number
        for number, data in rows:
            for ref in data["depends_on"]:
                if not ref.startswith("#") and seen.get(ref) == number:
                    errors.append(
                        importers.RowError(number, "depends_on", _("A system cannot depend on itself."))
                    )
        return errors

    def commit_rows(self, rows: list[tuple[int, dict[str, Any]]], result: importers.ImportResult) -> None:
        fields = services.SYSTEM_FIELDS
        by_ref: dict[str, int] = {}
        pending: list[tuple[int, str, list[str]]] = []
        now = timezone.now()
        actor = self.actor if getattr(self.actor, "is_authenticated", False) else None
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            systems = [InformationSystem(**{f: data[f] for f in fields}) for _n, data in chunk]
            InformationSystem.objects.bulk_create(systems, batch_size=BATCH)
            ips: list[IpRange] = []
            domains: list[SystemDomain] = []
            audits: list[AuditEntry] = []
            for system, (_number, data) in zip(systems, chunk, strict=True):
                if data.get("ref"):
                    by_ref[data["ref"]] = system.pk
                pending.append((system.pk, data.get("ref", ""), data["depends_on"]))
                for cidr in data["ip_ranges"]:
                    ips.append(IpRange(system=system, cidr=cidr, version=6 if ":" in cidr else 4))
                domains.extend(SystemDomain(system=system, domain=d) for d in data["domains"])
                audits.append(
                    AuditEntry(
                        timestamp=now,
                        actor=actor,
                        actor_username=actor.get_username() if actor else "",
                        organization_id=system.owner_id,
                        action=AuditAction.CREATE,
                        content_type_id=_content_type_id(),
                        object_id=str(system.pk),
                        object_repr=str(system)[:300],
                        after={
                            "source": "import",
                            "registry_number": system.registry_number,
                            "ip_ranges": data["ip_ranges"],
                            "domains": data["domains"],
                        },
                    )
                )
            IpRange.objects.bulk_create(ips, batch_size=BATCH)
            SystemDomain.objects.bulk_create(domains, batch_size=BATCH)
            AuditEntry.objects.bulk_create(audits, batch_size=BATCH)
        edges = []
        for pk, _ref, targets in pending:
            for target in targets:
                depends_on = int(target[1:]) if target.startswith("#") else by_ref[target]
                if depends_on != pk:
                    edges.append(Dependency(dependent_id=pk, depends_on_id=depends_on))
        Dependency.objects.bulk_create(edges, batch_size=BATCH, ignore_conflicts=True)
        result.created = len(rows)


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(InformationSystem).pk
