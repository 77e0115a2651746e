"""Serializers of the incidents API; writes go through the services."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from rest_framework import serializers

from qalxan.core.api.fields import ReferenceField
from qalxan.core.api.serializers import PrototypeFieldsMixin
from qalxan.core.files import Upload
from qalxan.incidents import services
from qalxan.incidents.choices import Channel, MeasureKind, Severity
from qalxan.incidents.models import Incident, IncidentAttachment, Measure, TaxonomyType, TimelineEntry
from qalxan.incidents.workflows import STEPS
from qalxan.organizations.models import Organization


class IncidentFileInSerializer(serializers.Serializer):
    filename = serializers.CharField(max_length=200)
    content = serializers.CharField(help_text="The file, base64-encoded.", max_length=15 * 1024 * 1024)
    content_type = serializers.CharField(max_length=100, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            data = base64.b64decode(attrs["content"], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise serializers.ValidationError({"content": [_("Not valid base64.")]}) from exc
        return {"upload": Upload(attrs["filename"], data, attrs.get("content_type", ""))}


class IncidentFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentAttachment
        fields = ["id", "filename", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class _SystemIds(serializers.ListField):
    def get_attribute(self, instance: Incident) -> list[int]:
        return [s.pk for s in instance.affected_systems.all()]


class IncidentSerializer(PrototypeFieldsMixin, serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    organization = ReferenceField(
        Organization,
        where={"is_active": True},
        permission="incidents.add_incident",
        label=capfirst(Incident._meta.get_field("organization").verbose_name),
    )
    taxonomy_type = ReferenceField(TaxonomyType, related="taxonomy_class", required=False, allow_null=True)
    taxonomy = serializers.SerializerMethodField()
    affected_systems = _SystemIds(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False, max_length=200
    )
    attachments = IncidentFileInSerializer(many=True, required=False, write_only=True, max_length=20)  # type: ignore[call-arg]  # passed on to the ListSerializer
    files = IncidentFileSerializer(source="attachments", many=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "reference",
            "organization",
            "title",
            "description",
            "impact",
            "indicators",
            "detected_at",
            "reported_at",
            "report_delay_seconds",
            "report_late",
            "channel",
            "taxonomy_type",
            "taxonomy",
            "tlp",
            "pap",
            "severity",
            "severity_reason",
            "state",
            "affected_systems",
            "attachments",
            "files",
            "assignee",
            "duplicate_of",
            "decision_reason",
            "triaged_at",
            "resolved_at",
            "closed_at",
            "triage_due",
            "resolve_due",
            "sla_breached",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "reported_at",
            "report_delay_seconds",
            "report_late",
            "channel",
            "severity_reason",
            "state",
            "assignee",
            "duplicate_of",
            "decision_reason",
            "triaged_at",
            "resolved_at",
            "closed_at",
            "triage_due",
            "resolve_due",
            "sla_breached",
            "created_at",
            "updated_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["organization"].read_only = True
            self.fields["severity"].read_only = True

    def get_taxonomy(self, obj: Incident) -> str | None:
        if obj.taxonomy_type is None:
            return None
        return f"{obj.taxonomy_type.taxonomy_class.code}/{obj.taxonomy_type.code}"

    def create(self, validated_data: dict[str, Any]) -> Incident:
        uploads = [a["upload"] for a in validated_data.pop("attachments", [])]
        systems = validated_data.pop("affected_systems", [])
        return services.report_incident(
            actor=self.context["request"].user,
            affected_systems=systems,
            attachments=uploads,
            channel=Channel.API,
            **validated_data,
        )

    def update(self, instance: Incident, validated_data: dict[str, Any]) -> Incident:
        validated_data.pop("attachments", None)
        for name in ("organization", "severity"):
            validated_data.pop(name, None)
        systems = validated_data.pop("affected_systems", None)
        return services.update_incident(
            actor=self.context["request"].user, incident=instance, affected_systems=systems, **validated_data
        )


class IncidentTransitionSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=[(s, s) for s in STEPS], help_text="The lifecycle step to take.")
    message = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )
    duplicate_of = serializers.PrimaryKeyRelatedField(
        queryset=Incident.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class IncidentMeasureSerializer(serializers.ModelSerializer):
    measure = serializers.ChoiceField(source="kind", choices=MeasureKind.choices, read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "incident",
            "measure",
            "description",
            "due_date",
            "state",
            "requested_by",
            "response",
            "evidence_name",
            "confirmed_by",
            "confirmed_at",
            "verification_comment",
            "verified_by",
            "verified_at",
            "created_at",
        ]
        read_only_fields = fields


class IncidentMeasureRequestSerializer(serializers.Serializer):
    measure = serializers.ChoiceField(choices=MeasureKind.choices, help_text="What kind of measure.")
    description = serializers.CharField(max_length=4000)
    due_date = serializers.DateField(required=False, allow_null=True)


class IncidentMeasureConfirmSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000)
    evidence = IncidentFileInSerializer(required=False)


class IncidentMeasureVerifySerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class IncidentTimelineEntrySerializer(serializers.ModelSerializer):
    actor: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="event, comment, transition or measure")

    class Meta:
        model = TimelineEntry
        fields = ["id", "kind", "actor", "message", "created_at"]
        read_only_fields = fields


class IncidentCommentSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=10000)
