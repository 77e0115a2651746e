"""Serializers of the hygiene API; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from qalxan.core.tenancy import restrict
from qalxan.hygiene import services
from qalxan.hygiene.choices import InventoryFormat, Justification, RuleAction
from qalxan.hygiene.models import (
    CoverageStatus,
    Endpoint,
    Entitlement,
    Finding,
    InstitutionScore,
    InventorySnapshot,
    LicencePosition,
    LicenceTransfer,
    LicensedProduct,
    NormalisationRule,
)
from qalxan.hygiene.workflows import finding_triage
from qalxan.organizations.models import Organization

FORMATS = ", ".join(InventoryFormat.values)


class HygieneInventorySerializer(serializers.ModelSerializer):
    format = serializers.CharField(read_only=True, help_text=f"One of: {FORMATS}.")

    class Meta:
        model = InventorySnapshot
        fields = [
            "id",
            "organization",
            "format",
            "filename",
            "sha256",
            "created_at",
            "endpoint_count",
            "row_count",
            "uploaded_by",
        ]
        read_only_fields = fields


class HygieneInventoryUploadSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), help_text="The institution the inventory belongs to."
    )
    file = serializers.FileField(help_text="osquery result log, CycloneDX JSON/XML, SPDX JSON or CSV.")
    format = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=f"One of: {FORMATS}; detected from the file when left out.",
    )
    host = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="The endpoint an SBOM describes, when the SBOM does not name it.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]  # a related field
                Organization.objects.all(), request.user, "hygiene.add_inventorysnapshot"
            )

    def validate_format(self, value: str) -> str:
        if value and value not in InventoryFormat.values:
            raise serializers.ValidationError(_("One of: %(v)s.") % {"v": FORMATS})
        return value


class HygieneRejectionSerializer(serializers.Serializer):
    detail = serializers.CharField()
    line = serializers.CharField()
    field = serializers.CharField()


class HygieneEndpointSerializer(serializers.ModelSerializer):
    source = serializers.CharField(read_only=True, help_text=f"The inventory format last seen: {FORMATS}.")  # type: ignore[assignment]  # a field named like Field.source

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "organization",
            "host_identifier",
            "hostname",
            "hardware_serial",
            "hardware_uuid",
            "os_name",
            "os_version",
            "kind",
            "source",
            "last_seen",
            "last_snapshot",
            "package_count",
        ]
        read_only_fields = fields


class HygieneSoftwareSerializer(serializers.Serializer):
    table = serializers.CharField()
    ecosystem = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    version = serializers.CharField(allow_null=True)
    publisher = serializers.CharField(allow_null=True)
    status = serializers.CharField(allow_null=True)
    signatures_ok = serializers.BooleanField(allow_null=True)
    detail = serializers.CharField(allow_null=True)
    vendor = serializers.CharField(allow_null=True)
    product = serializers.CharField(allow_null=True)
    edition = serializers.CharField(allow_null=True)
    ignored = serializers.BooleanField()


class HygieneLicencePositionSerializer(serializers.ModelSerializer):
    product_name = serializers.CharField(source="product.__str__", read_only=True)
    compliant_installs = serializers.IntegerField(read_only=True)

    class Meta:
        model = LicencePosition
        fields = [
            "id",
            "organization",
            "product",
            "product_name",
            "installs",
            "seats",
            "over_use",
            "unlicensed",
            "compliant_installs",
            "status",
            "expired_contracts",
            "computed_at",
        ]
        read_only_fields = fields


class HygieneEntitlementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Entitlement
        fields = ["id", "organization", "product", "pool", "contract", "seats", "valid_from", "valid_until"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]  # a related field
                Organization.objects.all(), request.user, "hygiene.add_entitlement"
            )
            self.fields["product"].queryset = LicensedProduct.objects.all()  # type: ignore[attr-defined]

    def create(self, validated_data: dict[str, Any]) -> Entitlement:
        return services.create_entitlement(actor=self.context["request"].user, **validated_data)

    def update(self, instance: Entitlement, validated_data: dict[str, Any]) -> Entitlement:
        return services.update_entitlement(
            actor=self.context["request"].user, entitlement=instance, **validated_data
        )


class HygieneRuleSerializer(serializers.ModelSerializer):
    """A normalisation rule; saving one normalises the current inventories again (a background job)."""

    # A string with its values in the help text: an enum named `action` would collide in the schema.
    action = serializers.CharField(
        required=False,
        default=RuleAction.MAP,
        help_text=f"One of: {', '.join(RuleAction.values)} (map to vendor, product and edition, or ignore).",
    )

    class Meta:
        model = NormalisationRule
        fields = ["id", *NormalisationRule.EDITABLE_FIELDS, "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_action(self, value: str) -> str:
        if value not in RuleAction.values:
            raise serializers.ValidationError(_("One of: %(v)s.") % {"v": ", ".join(RuleAction.values)})
        return value

    def create(self, validated_data: dict[str, Any]) -> NormalisationRule:
        return services.save_rule(
            actor=self.context["request"].user, rule=NormalisationRule(**validated_data)
        )

    def update(self, instance: NormalisationRule, validated_data: dict[str, Any]) -> NormalisationRule:
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return services.save_rule(actor=self.context["request"].user, rule=instance)


class HygieneRulePreviewSerializer(HygieneRuleSerializer):
    """A would-be rule: a new one, or `rule` changed to these values."""

    rule = serializers.PrimaryKeyRelatedField(
        queryset=NormalisationRule.objects.all(),
        required=False,
        allow_null=True,
        help_text="The rule this one would replace; empty for a new rule.",
    )

    class Meta(HygieneRuleSerializer.Meta):
        fields = ["rule", *HygieneRuleSerializer.Meta.fields]

    def candidate(self) -> NormalisationRule:
        data = dict(self.validated_data)
        existing = data.pop("rule", None)
        rule = NormalisationRule(**data)
        if existing is not None:
            rule.pk = existing.pk
        return rule


class HygieneRuleChangeSerializer(serializers.Serializer):
    publisher = serializers.CharField(allow_null=True, help_text="The publisher as inventories report it.")
    name = serializers.CharField(allow_null=True, help_text="The program or package name as reported.")
    installs = serializers.IntegerField(help_text="Rows of the current inventories with this pair.")
    before = serializers.CharField(help_text="Canonical vendor, product and edition now.")
    after = serializers.CharField(help_text="Canonical vendor, product and edition under the rule.")


class HygieneTransferSerializer(serializers.Serializer):
    seats = serializers.IntegerField(min_value=1)
    to_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    from_organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class HygieneTransferOutSerializer(serializers.ModelSerializer):
    class Meta:
        model = LicenceTransfer
        fields = [
            "id",
            "entitlement",
            "from_organization",
            "to_organization",
            "seats",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class HygieneCoverageSerializer(serializers.ModelSerializer):
    category_code = serializers.CharField(source="category.code", read_only=True)
    hostname = serializers.CharField(source="endpoint.hostname", read_only=True)

    class Meta:
        model = CoverageStatus
        fields = [
            "id",
            "organization",
            "endpoint",
            "hostname",
            "category",
            "category_code",
            "compliant",
            "reason",
            "product",
            "version",
            "computed_at",
        ]
        read_only_fields = fields


class HygieneFindingSerializer(serializers.ModelSerializer):
    advisory_id = serializers.CharField(source="advisory.osv_id", read_only=True)
    aliases = serializers.JSONField(source="advisory.aliases", read_only=True)
    summary = serializers.CharField(source="advisory.summary", read_only=True)
    severity = serializers.CharField(read_only=True, help_text="critical, high, medium, low or unknown.")

    class Meta:
        model = Finding
        fields = [
            "id",
            "organization",
            "endpoint",
            "advisory_id",
            "aliases",
            "summary",
            "ecosystem",
            "package",
            "version",
            "fixed_version",
            "severity",
            "known_exploited",
            "state",
            "justification",
            "note",
            "present",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class HygieneTriageSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=sorted(finding_triage.by_name))
    justification = serializers.ChoiceField(choices=Justification.choices, required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["step"] == "dismiss" and not attrs.get("justification"):
            raise serializers.ValidationError({"justification": [_("Say why the endpoint is not affected.")]})
        return attrs


class HygieneScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstitutionScore
        fields = [
            "id",
            "organization",
            "computed_at",
            "snapshot",
            "endpoints",
            "licence",
            "coverage",
            "exposure",
            "freshness",
            "score",
            "evidence",
        ]
        read_only_fields = fields
