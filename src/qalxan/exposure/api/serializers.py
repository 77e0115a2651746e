"""Serializers of the exposure API; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from qalxan.core.tenancy import restrict
from qalxan.exposure import catalogue, services
from qalxan.exposure.models import DataExposure, Finding, Scan, Site


class ExposureSiteSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="system.name", read_only=True)
    organization = serializers.IntegerField(source="system.owner_id", read_only=True)
    domains = serializers.SerializerMethodField()

    class Meta:
        model = Site
        fields = [
            "id",
            "system",
            "name",
            "organization",
            "domains",
            "enabled",
            "score",
            "open_findings",
            "last_scanned_at",
            "next_scan_at",
        ]
        read_only_fields = fields

    def get_domains(self, site: Site) -> list[str]:
        return [d.domain for d in site.system.domains.all()]


class ExposureScanSerializer(serializers.ModelSerializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.none())

    class Meta:
        model = Scan
        fields = [
            "id",
            "site",
            "state",
            "trigger",
            "created_at",
            "started_at",
            "finished_at",
            "score",
            "address",
            "in_azstatenet",
            "pages",
            "documents",
            "requests",
            "new_findings",
            "fixed_findings",
            "notes",
            "summary",
        ]
        read_only_fields = [f for f in fields if f != "site"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["site"].queryset = restrict(  # type: ignore[attr-defined]  # a related field
                Site.objects.all(), request.user, "exposure.scan_site"
            )

    def create(self, validated_data: dict[str, Any]) -> Scan:
        try:
            return services.request_scan(actor=self.context["request"].user, site=validated_data["site"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"site": exc.messages}) from exc


class ExposureDataSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="fin, id_card, phone, voen, iban or email.")

    class Meta:
        model = DataExposure
        fields = ["kind", "url", "masked_value", "value_hash", "scan"]
        read_only_fields = fields


class ExposureFindingSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="get_check_code_display", read_only=True)
    detail = serializers.SerializerMethodField()
    remediation = serializers.SerializerMethodField()
    organization = serializers.IntegerField(source="site.system.owner_id", read_only=True)
    personal_data = ExposureDataSerializer(source="exposures", many=True, read_only=True)
    # Plain strings: these names are taken by other modules' enums in the shared OpenAPI document.
    severity = serializers.CharField(read_only=True, help_text="info, low, medium, high or critical.")

    class Meta:
        model = Finding
        fields = [
            "id",
            "site",
            "organization",
            "check_code",
            "title",
            "severity",
            "state",
            "location",
            "key",
            "data_kind",
            "detail",
            "remediation",
            "evidence",
            "first_scan",
            "last_scan",
            "fixed_scan",
            "fixed_at",
            "decision_reason",
            "created_at",
            "personal_data",
        ]
        read_only_fields = fields

    def get_detail(self, finding: Finding) -> str:
        return catalogue.describe(finding.check_code, finding.evidence, finding.data_kind)

    def get_remediation(self, finding: Finding) -> str:
        return str(catalogue.info(finding.check_code).remediation)


class ExposureReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
