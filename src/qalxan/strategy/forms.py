"""Forms of the strategy pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qalxan.core import metrics
from qalxan.core.tenancy import can
from qalxan.organizations.models import Organization
from qalxan.strategy.choices import ActionStatus
from qalxan.strategy.models import (
    Action,
    Direction,
    Goal,
    Indicator,
    ProgressReport,
    ReportingPeriod,
    Strategy,
)


class IndicatorForm(forms.ModelForm):
    metric = forms.CharField(
        label=_("Metric function"),
        max_length=120,
        required=False,
        help_text=_("Empty: values are reported manually."),
        widget=forms.TextInput(attrs={"list": "metric-names"}),
    )
    targets_text = forms.CharField(
        label=_("Yearly targets"),
        required=False,
        help_text=_("For example: 2025=70; 2026=85"),
    )

    class Meta:
        model = Indicator
        fields = [
            "strategy",
            "direction",
            "code",
            "name_az",
            "name_en",
            "name_ru",
            "unit",
            "baseline",
            "baseline_year",
            "higher_is_better",
            "source",
            "metric",
            "is_sample",
        ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.metric_names = [m.name for m in metrics.available()]
        self.fields["direction"].queryset = Direction.objects.select_related("goal")  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["targets_text"].initial = "; ".join(
                f"{t.year}={t.value.normalize():f}" for t in self.instance.targets.all()
            )

    def clean_targets_text(self) -> dict[int, Decimal]:
        targets: dict[int, Decimal] = {}
        for part in (self.cleaned_data.get("targets_text") or "").replace(",", ";").split(";"):
            if not part.strip():
                continue
            year, _sep, value = part.partition("=")
            try:
                targets[int(year.strip())] = Decimal(value.strip())
            except (ValueError, InvalidOperation):
                raise ValidationError(_("Write each target as year=value, e.g. 2025=70.")) from None
        return targets


class ReportForm(forms.ModelForm):
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)

    class Meta:
        model = ProgressReport
        fields = ["organization", "period", "status", "narrative", "completed_on"]
        widgets = {
            "completed_on": forms.DateInput(attrs={"type": "date"}),
            "narrative": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, action: Action, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        orgs = [
            o
            for o in [action.responsible, *action.co_executors.all()]
            if can(user, "strategy.submit_progressreport", organization_id=o.pk)
        ]
        self.fields["organization"].queryset = action.participants.filter(pk__in=[o.pk for o in orgs])  # type: ignore[attr-defined]
        self.fields["organization"].label = _("Reporting institution")
        self.fields["period"].queryset = ReportingPeriod.objects.filter(  # type: ignore[attr-defined]
            strategy_id=action.direction.goal.strategy_id
        )
        self.fields["status"].choices = ActionStatus.choices  # type: ignore[attr-defined]
        if self.instance.pk:
            for fixed in ("organization", "period"):
                self.fields[fixed].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ActionStatus.DONE and not data.get("completed_on"):
            self.add_error("completed_on", _("Say when the action was done."))
        return data


class ValueForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=4)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AssessmentForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class StrategyForm(forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["code", "name_az", "name_en", "name_ru", "start_year", "end_year", "legal_basis"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_year") and data.get("end_year") and data["end_year"] < data["start_year"]:
            self.add_error("end_year", _("The last year comes before the first."))
        return data


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["code", "name_az", "name_en", "name_ru", "order"]


class DirectionForm(forms.ModelForm):
    class Meta:
        model = Direction
        fields = ["code", "name_az", "name_en", "name_ru", "order"]


class ActionForm(forms.ModelForm):
    co_executors = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        label=_("Co-executors"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Action
        fields = [
            "direction",
            "code",
            "title",
            "responsible",
            "co_executors",
            "start_year",
            "deadline",
            "expected_result",
            "financing_source",
            "is_sample",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any = None, strategy: Strategy | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = Organization.objects.filter(is_active=True)  # type: ignore[attr-defined]
        directions = Direction.objects.select_related("goal")
        if strategy is not None:
            directions = directions.filter(goal__strategy=strategy)
        self.fields["direction"].queryset = directions  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["co_executors"].initial = list(self.instance.co_executors.all())


class MonitoringGroupForm(forms.Form):
    name_az = forms.CharField(label=_("Name (Azerbaijani)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    name_ru = forms.CharField(label=_("Name (Russian)"), max_length=300, required=False)
    members = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.filter(is_active=True),
        label=_("Members"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    directions = forms.ModelMultipleChoiceField(
        queryset=Direction.objects.none(),
        label=_("Directions reviewed"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["directions"].queryset = Direction.objects.filter(  # type: ignore[attr-defined]
            goal__strategy=strategy
        ).select_related("goal")
