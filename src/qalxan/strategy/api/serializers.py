"""Serializers of the strategy API; writes go through the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qalxan.core.tenancy import restrict
from qalxan.strategy import indices, queries, services
from qalxan.strategy.choices import ActionStatus, ReportState
from qalxan.strategy.models import (
    Action,
    Direction,
    Goal,
    IndexAssessment,
    IndexFramework,
    IndexSection,
    Indicator,
    IndicatorValue,
    ProgressReport,
    ReportEvidence,
    ReportingPeriod,
    Strategy,
)


@extend_schema_field(
    {"type": "string", "enum": list(ActionStatus.values)}, component_name="StrategyActionStatusEnum"
)
class ActionStatusField(serializers.ChoiceField):
    """An action's status (its own schema component: "status" means other things in other apps)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ActionStatus.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(ReportState.values)}, component_name="StrategyReportStateEnum"
)
class ReportStateField(serializers.ChoiceField):
    """A progress report's review state."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=ReportState.choices, **kwargs)


class DirectionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Direction
        fields = ["id", "code", "name", "name_az", "name_en", "name_ru", "order"]
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    directions = DirectionSerializer(many=True, read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "code", "name", "name_az", "name_en", "name_ru", "order", "directions"]
        read_only_fields = fields


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = ["id", "label", "starts_on", "ends_on", "due_on"]
        read_only_fields = fields


class StrategySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    goals = GoalSerializer(many=True, read_only=True)
    periods = PeriodSerializer(many=True, read_only=True)

    class Meta:
        model = Strategy
        fields = [
            "id",
            "code",
            "name",
            "name_az",
            "name_en",
            "name_ru",
            "start_year",
            "end_year",
            "legal_basis",
            "goals",
            "periods",
        ]
        read_only_fields = fields


class RollupSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    status = ActionStatusField()
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    delayed = serializers.IntegerField()
    not_started = serializers.IntegerField()
    overdue = serializers.IntegerField()
    completion = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    children = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_children(self, obj: queries.Rollup) -> list[dict[str, Any]]:
        return [RollupSerializer(c).data for c in obj.children]


class ActionSerializer(serializers.ModelSerializer):
    status = ActionStatusField(read_only=True)
    co_executors = serializers.SerializerMethodField()
    strategy = serializers.IntegerField(source="direction.goal.strategy_id", read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "strategy",
            "direction",
            "code",
            "title",
            "responsible",
            "co_executors",
            "start_year",
            "deadline",
            "expected_result",
            "financing_source",
            "status",
            "completed_on",
            "is_sample",
        ]
        read_only_fields = fields

    def get_co_executors(self, obj: Action) -> list[int]:
        return [o.pk for o in obj.co_executors.all()]


class IndicatorValueSerializer(serializers.ModelSerializer):
    recorded_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "on",
            "revision",
            "value",
            "origin",
            "metric",
            "params",
            "recorded_at",
            "recorded_by",
            "note",
        ]
        read_only_fields = fields


class TargetsField(serializers.DictField):
    """Yearly targets as {"2025": 70, …}."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=serializers.DecimalField(max_digits=14, decimal_places=4), **kwargs)

    def get_attribute(self, instance: Indicator) -> dict[str, Decimal]:
        return {str(t.year): t.value for t in instance.targets.all()}

    def to_internal_value(self, data: Any) -> dict[int, Decimal]:
        values = super().to_internal_value(data)
        result = {}
        for key, value in values.items():
            try:
                result[int(key)] = value
            except (TypeError, ValueError):
                raise serializers.ValidationError(_("Targets are keyed by year.")) from None
        return result


class IndicatorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    targets = TargetsField(required=False)
    metric = serializers.CharField(max_length=120, required=False, allow_blank=True)
    metric_params = serializers.DictField(required=False)
    latest = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "strategy",
            "direction",
            "code",
            "name",
            "name_az",
            "name_en",
            "name_ru",
            "unit",
            "baseline",
            "baseline_year",
            "higher_is_better",
            "source",
            "metric",
            "metric_params",
            "is_sample",
            "targets",
            "latest",
        ]

    @extend_schema_field(IndicatorValueSerializer(allow_null=True))
    def get_latest(self, obj: Indicator) -> dict[str, Any] | None:
        latest = queries.indicator_status(obj)["latest"]
        return IndicatorValueSerializer(latest).data if latest else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        direction = attrs.get("direction")
        strategy = attrs.get("strategy") or getattr(self.instance, "strategy", None)
        if direction is not None and strategy is not None and direction.goal.strategy_id != strategy.pk:
            raise serializers.ValidationError({"direction": _("The direction belongs to another strategy.")})
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Indicator:
        return services.create_indicator(actor=self.context["request"].user, **validated_data)

    def update(self, instance: Indicator, validated_data: dict[str, Any]) -> Indicator:
        validated_data.pop("strategy", None)
        return services.update_indicator(
            actor=self.context["request"].user, indicator=instance, **validated_data
        )


class ComputeRequestSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Date to compute at (default: today).")


class ComputeResultSerializer(serializers.Serializer):
    new_revision = serializers.BooleanField()
    value = IndicatorValueSerializer()


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportEvidence
        fields = ["id", "name", "uploaded_at"]
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer):
    status = ActionStatusField()
    state = ReportStateField(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "action",
            "period",
            "organization",
            "status",
            "narrative",
            "completed_on",
            "state",
            "review_comment",
            "submitted_at",
            "reviewed_at",
            "evidence",
        ]
        read_only_fields = ["state", "review_comment", "submitted_at", "reviewed_at", "evidence"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "action" in self.fields:
            from qalxan.organizations.models import Organization

            self.fields["action"].queryset = restrict(Action.objects.all(), request.user)  # type: ignore[attr-defined]
            self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]
                Organization.objects.all(), request.user, "strategy.submit_progressreport"
            )

    def create(self, validated_data: dict[str, Any]) -> ProgressReport:
        return services.create_report(actor=self.context["request"].user, **validated_data)

    def update(self, instance: ProgressReport, validated_data: dict[str, Any]) -> ProgressReport:
        for fixed in ("action", "period", "organization"):
            value = validated_data.pop(fixed, None)
            if value is not None and value != getattr(instance, fixed):
                raise serializers.ValidationError({fixed: _("This cannot be changed; start another report.")})
        return services.update_report(actor=self.context["request"].user, report=instance, **validated_data)


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class SectionScoreSerializer(serializers.Serializer):
    section = serializers.CharField()
    score = serializers.DecimalField(max_digits=7, decimal_places=2)


class AssessmentSerializer(serializers.ModelSerializer):
    scores = serializers.SerializerMethodField()
    tier = serializers.SerializerMethodField()

    class Meta:
        model = IndexAssessment
        fields = ["id", "year", "source", "rank", "total", "tier", "notes", "scores"]
        read_only_fields = fields

    @extend_schema_field(SectionScoreSerializer(many=True))
    def get_scores(self, obj: IndexAssessment) -> list[dict[str, Any]]:
        return [{"section": s.section.code, "score": s.score} for s in obj.scores.select_related("section")]

    def get_tier(self, obj: IndexAssessment) -> str:
        return indices.tier(obj.framework, obj.total)


class IndexSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndexSection
        fields = ["id", "code", "name", "group", "order"]
        read_only_fields = fields


class IndexFrameworkSerializer(serializers.ModelSerializer):
    sections = IndexSectionSerializer(many=True, read_only=True)
    assessments = AssessmentSerializer(many=True, read_only=True)

    class Meta:
        model = IndexFramework
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "version",
            "answer_kind",
            "section_max",
            "levels",
            "is_sample",
            "source_url",
            "sections",
            "assessments",
        ]
        read_only_fields = fields


class ManualValueSerializer(serializers.Serializer):
    on = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
