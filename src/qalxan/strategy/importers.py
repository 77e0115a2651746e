"""Import of an action plan from XLSX (or CSV): one row per action, all-or-nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core import importers
from qalxan.organizations.models import Organization
from qalxan.strategy import services
from qalxan.strategy.choices import FinancingSource
from qalxan.strategy.models import Action, Direction


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.replace(",", ";").split(";") if p.strip()]


class ActionRow(importers.RowForm):
    strategy = forms.CharField(max_length=40)
    direction = forms.CharField(max_length=20)
    code = forms.CharField(max_length=20)
    title = forms.CharField(max_length=500)
    responsible = forms.CharField(max_length=60)
    co_executors = forms.CharField(required=False)
    start_year = forms.IntegerField(min_value=2000, max_value=2100)
    deadline = forms.DateField()
    expected_result = forms.CharField(required=False)
    financing_source = forms.ChoiceField(choices=FinancingSource.choices, required=False)

    def clean_strategy(self) -> Any:
        code = self.cleaned_data["strategy"]
        if code not in self.context["strategies"]:
            raise ValidationError(_("No strategy has the code “%(code)s”.") % {"code": code})
        return code

    def clean_responsible(self) -> Organization:
        code = self.cleaned_data["responsible"]
        org = self.context["organizations"].get(code)
        if org is None:
            raise ValidationError(_("No organisation has the code “%(code)s”.") % {"code": code})
        return org

    def clean_co_executors(self) -> list[Organization]:
        codes = _split(self.cleaned_data["co_executors"])
        unknown = [c for c in codes if c not in self.context["organizations"]]
        if unknown:
            raise ValidationError(
                _("No organisation has the codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [self.context["organizations"][c] for c in codes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        strategy, code = data.get("strategy"), data.get("direction")
        if strategy and code:
            direction = self.context["directions"].get((strategy, code))
            if direction is None:
                self.add_error(
                    "direction",
                    _("The strategy has no priority direction with the code “%(code)s”.") % {"code": code},
                )
            else:
                data["direction"] = direction
        deadline, start = data.get("deadline"), data.get("start_year")
        if deadline and start and deadline.year < start:
            self.add_error("deadline", _("The deadline is before the first year."))
        if not data.get("financing_source"):
            data["financing_source"] = FinancingSource.STATE_BUDGET
        return data


@importers.register
class ActionPlanImporter(importers.Importer):
    """Creates the actions of a plan, or updates those whose direction and code exist."""

    key = "strategy-actions"
    label = gettext_lazy("Action plan")
    permission = "strategy.import_action"
    row_form = ActionRow
    unique_together = ("strategy", "code")
    example = (
        "strategy,direction,code,title,responsible,co_executors,start_year,deadline,expected_result,financing_source\n"
        "strategy-2023-2027,1.1,1.1.9,Milli risk reyestrinin aparılması,xritdx,dtx;mddt,2024,2025-12-31,"
        "Reyestr fəaliyyətdədir,state_budget\n"
    )

    def context(self) -> dict[str, Any]:
        ctx = super().context()
        ctx["organizations"] = Organization.objects.in_bulk(field_name="code")
        directions = Direction.objects.select_related("goal__strategy")
        ctx["directions"] = {(d.goal.strategy.code, d.code): d for d in directions}
        ctx["strategies"] = {code for code, _code in ctx["directions"]}
        return ctx

    def commit_row(self, data: dict[str, Any]) -> tuple[bool, list[str]]:
        fields = {
            "title": data["title"],
            "responsible": data["responsible"],
            "start_year": data["start_year"],
            "deadline": data["deadline"],
            "expected_result": data.get("expected_result") or "",
            "financing_source": data["financing_source"],
        }
        existing = Action.objects.filter(direction=data["direction"], code=data["code"]).first()
        if existing is None:
            services.create_action(
                actor=self.actor,
                direction=data["direction"],
                code=data["code"],
                co_executors=data["co_executors"],
                **fields,
            )
            return True, []
        services.update_action(actor=self.actor, action=existing, co_executors=data["co_executors"], **fields)
        return False, []
