"""Serializers of the registry API; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from qalxan.core.tenancy import restrict
from qalxan.organizations.models import Organization, Sector
from qalxan.registry import services
from qalxan.registry.choices import CiiCategory, DesignationState, SupervisingAgency
from qalxan.registry.models import (
    CriticalityAssessment,
    CriticalityCriterion,
    InformationSystem,
    SpecialRequirements,
    Subsector,
)
from qalxan.registry.services import SYSTEM_FIELDS

SENSITIVE_FIELDS = (
    "ip_ranges",
    "domains",
    "depends_on",
    "responsible_name",
    "responsible_email",
    "responsible_phone",
    "secure_contact",
)


class SubsectorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Subsector
        fields = ["code", "name", "name_az", "name_en", "name_ru", "nis2_mapping"]


class RegistrySectorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    subsectors = SubsectorSerializer(many=True, read_only=True)

    class Meta:
        model = Sector
        fields = ["code", "name", "name_az", "name_en", "name_ru", "nis2_mapping", "subsectors"]


# The list endpoint reads these in flat queries (listing.py); a single object reads its relations.
class _CidrList(serializers.ListField):
    def get_attribute(self, instance: InformationSystem) -> list[str]:
        return [r.cidr for r in instance.ip_ranges.all()]


class _DomainList(serializers.ListField):
    def get_attribute(self, instance: InformationSystem) -> list[str]:
        return [d.domain for d in instance.domains.all()]


class _DependsOn(serializers.ListField):
    def get_attribute(self, instance: InformationSystem) -> list[int]:
        return [e.depends_on_id for e in instance.dependency_edges.all()]


class InformationSystemSerializer(serializers.ModelSerializer):
    registry_number = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    sector = serializers.SlugRelatedField(slug_field="code", queryset=Sector.objects.all())
    subsector = serializers.SlugRelatedField(
        slug_field="code", queryset=Subsector.objects.all(), required=False, allow_null=True
    )
    ip_ranges = _CidrList(child=serializers.CharField(max_length=64), required=False, max_length=500)
    domains = _DomainList(child=serializers.CharField(max_length=253), required=False, max_length=200)
    depends_on = _DependsOn(child=serializers.IntegerField(min_value=1), required=False, max_length=1000)

    class Meta:
        model = InformationSystem
        fields = [
            "id",
            "registry_number",
            "name",
            *SYSTEM_FIELDS,
            "ip_ranges",
            "domains",
            "depends_on",
            "state",
            "category",
            "supervising_agency",
            "decision_reference",
            "decision_date",
            "designated_at",
            "review_due_date",
            "special_requirements_due",
            "delisting_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "state",
            "category",
            "supervising_agency",
            "decision_reference",
            "decision_date",
            "designated_at",
            "review_due_date",
            "special_requirements_due",
            "delisting_reason",
            "created_at",
            "updated_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["owner"].queryset = restrict(  # type: ignore[attr-defined]
                Organization.objects.all(), request.user, "registry.add_informationsystem"
            )
            self.fields["operator"].queryset = Organization.objects.all()  # type: ignore[attr-defined]

    def to_representation(self, instance: InformationSystem) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not services.visible_sensitive(request.user, instance):
            for field in SENSITIVE_FIELDS:
                data[field] = None
        return data

    def _split(self, validated: dict[str, Any]) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        for key in ("ip_ranges", "domains"):
            if key in validated:
                extra[key] = validated.pop(key)
        if "depends_on" in validated:
            ids = validated.pop("depends_on")
            found = {s.pk: s for s in InformationSystem.objects.filter(pk__in=ids)}
            missing = [i for i in ids if i not in found]
            if missing:
                raise serializers.ValidationError(
                    {"depends_on": [_("Unknown systems: %(ids)s") % {"ids": missing}]}
                )
            extra["depends_on"] = [found[i] for i in ids]
        return extra

    def create(self, validated_data: dict[str, Any]) -> InformationSystem:
        extra = self._split(validated_data)
        return services.register_system(actor=self.context["request"].user, **extra, **validated_data)

    def update(self, instance: InformationSystem, validated_data: dict[str, Any]) -> InformationSystem:
        extra = self._split(validated_data)
        return services.update_system(
            actor=self.context["request"].user, system=instance, **extra, **validated_data
        )


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=DesignationState.choices, help_text="The state to move to.")
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    decision_reference = serializers.CharField(required=False, max_length=100)
    decision_date = serializers.DateField(required=False)
    category = serializers.ChoiceField(choices=CiiCategory.choices, required=False)
    supervising_agency = serializers.ChoiceField(choices=SupervisingAgency.choices, required=False)
    reason = serializers.CharField(required=False, max_length=2000)


class AssessmentRequestSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class CriticalityAssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CriticalityAssessment
        fields = [
            "id",
            "system",
            "answers",
            "lines",
            "score",
            "proposed_category",
            "assessed_by",
            "assessed_at",
            "comment",
        ]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = CriticalityCriterion
        fields = ["code", "name", "unit", "weight", "direction", "thresholds"]


class SpecialRequirementsSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecialRequirements
        fields = [
            "id",
            "system",
            "version",
            "filename",
            "sha256",
            "size",
            "note",
            "submitted_by",
            "submitted_at",
            "status",
            "review_comment",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = fields


class SpecialRequirementsUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReviewRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class ImpactSerializer(serializers.Serializer):
    origin = serializers.IntegerField()
    affected = serializers.ListField(child=serializers.DictField())
    subjects = serializers.ListField(child=serializers.DictField())
    sectors = serializers.ListField(child=serializers.DictField())
    truncated = serializers.BooleanField()
