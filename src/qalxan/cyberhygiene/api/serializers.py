"""Serializers of the cyber-hygiene API; writes go through the services. No password hash leaves the
server."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from qalxan.core.tenancy import restrict
from qalxan.cyberhygiene import services
from qalxan.cyberhygiene.choices import Measure
from qalxan.cyberhygiene.models import (
    AdminAccount,
    Enrolment,
    Exposure,
    Leak,
    PhishingResult,
    Sighting,
    StealerVictim,
    TrainingCampaign,
)
from qalxan.organizations.models import Organization


class CyberHygieneLeakSerializer(serializers.ModelSerializer):
    percent_done = serializers.IntegerField(read_only=True)

    class Meta:
        model = Leak
        fields = [
            "id",
            "name",
            "source",
            "leaked_on",
            "format",
            "state",
            "files",
            "bytes_total",
            "bytes_done",
            "percent_done",
            "lines_total",
            "lines_malformed",
            "malformed_samples",
            "records_matched",
            "accounts_new",
            "accounts_known",
            "organizations_affected",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class CyberHygieneLeakUploadSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    source = serializers.CharField(  # type: ignore[assignment]  # a declared field, not Field.source
        max_length=300, required=False, allow_blank=True
    )
    leaked_on = serializers.DateField(required=False, allow_null=True)
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False)

    def create(self, validated_data: dict[str, Any]) -> Leak:
        return services.upload_leak(
            actor=self.context["request"].user,
            name=validated_data["name"],
            source=validated_data.get("source", ""),
            leaked_on=validated_data.get("leaked_on"),
            files=validated_data["files"],
        )


class CyberHygieneLeakRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Leak
        fields = ["id", "name", "source", "leaked_on"]
        read_only_fields = fields


class CyberHygieneSightingSerializer(serializers.ModelSerializer):
    leak = CyberHygieneLeakRefSerializer(read_only=True)

    class Meta:
        model = Sighting
        fields = ["leak", "created_at"]
        read_only_fields = fields


class CyberHygieneExposureSerializer(serializers.ModelSerializer):
    first_leak = CyberHygieneLeakRefSerializer(read_only=True)
    sightings = CyberHygieneSightingSerializer(many=True, read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True, default="")

    class Meta:
        model = Exposure
        fields = [
            "id",
            "organization",
            "login_masked",
            "login_domain",
            "strength",
            "password_seen_before",
            "basis",
            "is_staff",
            "is_admin",
            "service",
            "service_name",
            "url_host",
            "victim",
            "first_leak",
            "first_seen_at",
            "sightings",
            "state",
            "measures",
            "measures_done",
            "response_note",
            "notified_at",
            "resolved_at",
        ]
        read_only_fields = fields


class CyberHygieneConfirmSerializer(serializers.Serializer):
    measures_done = serializers.ListField(
        child=serializers.ChoiceField(choices=Measure.choices), allow_empty=False
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class CyberHygieneNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class CyberHygieneNotifiedSerializer(serializers.Serializer):
    notified = serializers.IntegerField()


class CyberHygieneVictimSerializer(serializers.ModelSerializer):
    class Meta:
        model = StealerVictim
        fields = [
            "id",
            "organization",
            "leak",
            "log_folder",
            "machine_name",
            "machine_user",
            "ip_address",
            "country",
            "operating_system",
            "stealer",
            "infected_at",
            "incident",
            "created_at",
        ]
        read_only_fields = fields


class CyberHygieneAdminAccountSerializer(serializers.ModelSerializer):
    login = serializers.CharField(write_only=True, max_length=200)

    class Meta:
        model = AdminAccount
        fields = ["id", "organization", "login", "login_masked", "added_at"]
        read_only_fields = ["id", "login_masked", "added_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]  # a related field
                Organization.objects.all(), request.user, "cyberhygiene.add_adminaccount"
            )

    def create(self, validated_data: dict[str, Any]) -> AdminAccount:
        account, _created = services.add_admin_account(
            actor=self.context["request"].user,
            organization=validated_data["organization"],
            login=validated_data["login"],
        )
        return account


class CyberHygieneTrainingSerializer(serializers.ModelSerializer):
    enrolled = serializers.IntegerField(read_only=True)
    completed = serializers.IntegerField(read_only=True)
    average_score = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, allow_null=True)

    class Meta:
        model = TrainingCampaign
        fields = [
            "id",
            "organization",
            "code",
            "course",
            "starts_on",
            "enrolled",
            "completed",
            "average_score",
        ]
        read_only_fields = fields


class CyberHygieneEnrolmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enrolment
        fields = ["id", "campaign", "learner", "full_name", "enrolled_on", "completed_on", "score"]
        read_only_fields = fields


class CyberHygienePhishingSerializer(serializers.ModelSerializer):
    click_rate = serializers.SerializerMethodField()
    report_rate = serializers.SerializerMethodField()

    class Meta:
        model = PhishingResult
        fields = [
            "id",
            "organization",
            "campaign",
            "run_on",
            "sent",
            "opened",
            "clicked",
            "submitted",
            "reported",
            "click_rate",
            "report_rate",
        ]
        read_only_fields = fields

    def get_click_rate(self, obj: PhishingResult) -> float | None:
        return round(100 * obj.clicked / obj.sent, 1) if obj.sent else None

    def get_report_rate(self, obj: PhishingResult) -> float | None:
        return round(100 * obj.reported / obj.sent, 1) if obj.sent else None
