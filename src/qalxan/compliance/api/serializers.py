"""Serializers of the compliance API; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from qalxan.compliance import services
from qalxan.compliance.choices import Answer, Review, Severity
from qalxan.compliance.models import (
    Assessment,
    Campaign,
    Catalogue,
    Finding,
    Inspection,
    Requirement,
    RequirementAssessment,
    RequirementMapping,
)
from qalxan.core.tenancy import restrict
from qalxan.organizations.models import Organization
from qalxan.registry.choices import CiiCategory


class ComplianceCatalogueSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    requirement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Catalogue
        fields = [
            "id",
            "code",
            "version",
            "name",
            "name_az",
            "name_en",
            "name_ru",
            "description",
            "is_sample",
            "published",
            "source_format",
            "supersedes",
            "requirement_count",
            "created_at",
        ]
        read_only_fields = fields


class ComplianceCatalogueImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="An OSCAL catalog (JSON) or an XLSX/CSV sheet.")
    code = serializers.SlugField(max_length=60, required=False, allow_blank=True)
    version = serializers.CharField(max_length=40, required=False, allow_blank=True)
    name_az = serializers.CharField(max_length=300, required=False, allow_blank=True)
    name_en = serializers.CharField(max_length=300, required=False, allow_blank=True)
    name_ru = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ComplianceImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="Row of the sheet (header = 1); 0 for a JSON file.")
    field = serializers.CharField(help_text="Column, or the path inside the OSCAL document.")
    message = serializers.CharField()


class ComplianceCatalogueImportErrorsSerializer(serializers.Serializer):
    errors = ComplianceImportErrorSerializer(many=True)  # type: ignore[assignment]  # documents the response key


class ComplianceRequirementSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Requirement
        fields = [
            "id",
            "ref_id",
            "label",
            "kind",
            "parent",
            "group",
            "title",
            "title_az",
            "title_en",
            "title_ru",
            "text_az",
            "text_en",
            "text_ru",
            "guidance",
            "questions",
            "weight",
            "categories",
            "kinds",
            "sectors",
            "assessable",
        ]
        read_only_fields = fields


class ComplianceMappingSerializer(serializers.ModelSerializer):
    source_ref = serializers.CharField(source="source.ref_id", read_only=True)
    target_ref = serializers.CharField(source="target.ref_id", read_only=True)
    target_catalogue = serializers.IntegerField(source="target.catalogue_id", read_only=True)

    class Meta:
        model = RequirementMapping
        fields = ["id", "source", "source_ref", "target", "target_ref", "target_catalogue", "relation"]
        read_only_fields = ["id", "source_ref", "target_ref", "target_catalogue"]


class ComplianceCampaignSerializer(serializers.ModelSerializer):
    assessment_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "organization",
            "catalogue",
            "title",
            "deadline",
            "state",
            "scope",
            "score",
            "scored_at",
            "assessment_count",
            "created_at",
        ]
        read_only_fields = fields


class ComplianceCampaignLaunchSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text="The supervising body that runs the campaign."
    )
    catalogue = serializers.PrimaryKeyRelatedField(queryset=Catalogue.objects.all())
    title = serializers.CharField(max_length=300)
    deadline = serializers.DateField()
    sectors = serializers.ListField(child=serializers.SlugField(max_length=60), required=False, max_length=20)
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=CiiCategory.choices), required=False, max_length=3
    )
    organizations = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False, max_length=5000
    )
    systems = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False, max_length=20000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]  # a related field
                Organization.objects.all(), request.user, "compliance.add_campaign"
            )

    def create(self, validated_data: dict[str, Any]) -> Campaign:
        return services.launch_campaign(actor=self.context["request"].user, **validated_data)


class ComplianceAssessmentSerializer(serializers.ModelSerializer):
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    catalogue = serializers.IntegerField(source="campaign.catalogue_id", read_only=True)
    deadline = serializers.DateField(source="campaign.deadline", read_only=True)
    total = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "campaign",
            "campaign_title",
            "catalogue",
            "organization",
            "state",
            "deadline",
            "submitted_at",
            "locked_at",
            "score",
            "total",
            "answered",
        ]
        read_only_fields = fields


class _EvidenceIds(serializers.ListField):
    def get_attribute(self, instance: RequirementAssessment) -> list[int]:
        return [e.pk for e in instance.evidence.all()]


class ComplianceRequirementAssessmentSerializer(serializers.ModelSerializer):
    ref_id = serializers.CharField(source="requirement.ref_id", read_only=True)
    title = serializers.CharField(source="requirement.title", read_only=True)
    evidence = _EvidenceIds(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = RequirementAssessment
        fields = [
            "id",
            "requirement",
            "ref_id",
            "title",
            "system",
            "weight",
            "answer",
            "comment",
            "answered_at",
            "prefilled_from",
            "review",
            "review_comment",
            "evidence",
        ]
        read_only_fields = fields


class ComplianceAnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Requirement assessment id.")
    answer = serializers.ChoiceField(choices=Answer.choices)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ComplianceReviewSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="Requirement assessment id.")
    review = serializers.ChoiceField(choices=[(Review.ACCEPTED, "accepted"), (Review.RETURNED, "returned")])
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class ComplianceStepMessageSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ComplianceCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class ComplianceScoreRowSerializer(serializers.Serializer):
    dimension = serializers.CharField()
    organization = serializers.IntegerField(source="organization_id", allow_null=True)
    system = serializers.IntegerField(source="system_id", allow_null=True)
    sector = serializers.IntegerField(source="sector_id", allow_null=True)
    group = serializers.IntegerField(source="group_id", allow_null=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


class ComplianceRecomputeResultSerializer(serializers.Serializer):
    scores = serializers.IntegerField()
    assessments = serializers.IntegerField()


class ComplianceFindingSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.MEDIUM)
    requirement = serializers.PrimaryKeyRelatedField(
        queryset=Requirement.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Finding
        fields = [
            "id",
            "reference",
            "organization",
            "inspection",
            "assessment",
            "requirement",
            "severity",
            "description",
            "deadline",
            "owner",
            "state",
            "overdue",
            "remediation",
            "remediation_submitted_at",
            "verification_comment",
            "verified_at",
            "escalated_at",
            "agenda_item_id",
            "created_at",
        ]
        read_only_fields = [
            "state",
            "remediation",
            "remediation_submitted_at",
            "verification_comment",
            "verified_at",
            "escalated_at",
            "agenda_item_id",
            "created_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]  # a related field
                Organization.objects.all(), user, "compliance.add_finding"
            )
            self.fields["inspection"].queryset = restrict(Inspection.objects.all(), user)  # type: ignore[attr-defined]  # a related field
            self.fields["assessment"].queryset = restrict(Assessment.objects.all(), user)  # type: ignore[attr-defined]  # a related field

    def create(self, validated_data: dict[str, Any]) -> Finding:
        return services.create_finding(actor=self.context["request"].user, **validated_data)

    def update(self, instance: Finding, validated_data: dict[str, Any]) -> Finding:
        raise serializers.ValidationError(_("Findings change through their lifecycle steps."))


class ComplianceRemediationSerializer(serializers.Serializer):
    remediation = serializers.CharField(max_length=10000)


class ComplianceVerifySerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
