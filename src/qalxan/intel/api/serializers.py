"""Serializers of the intel API; writes go through the services."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qalxan.core.tenancy import restrict
from qalxan.intel import services
from qalxan.intel.choices import IndicatorKind, Tlp
from qalxan.intel.models import Campaign, Indicator, Sighting
from qalxan.intel.normalize import InvalidValue, detect
from qalxan.organizations.models import Organization


def _org_field(user: Any, permission: str, required: bool = False) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(
        queryset=restrict(Organization.objects.all(), user, permission),
        required=required,
        allow_null=not required,
        write_only=True,
        help_text="The reporting institution (required for an institution's own people).",
    )


class IntelIndicatorSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(
        required=False,
        max_length=10,
        help_text="ipv4, ipv6, cidr, domain, url, email, filename, md5, sha1 or sha256; guessed if left out.",
    )
    value = serializers.CharField(max_length=2048)
    active = serializers.BooleanField(read_only=True)
    warning_list: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", read_only=True
    )
    other_institutions = serializers.SerializerMethodField(
        help_text="How many institutions other than the caller's reported this indicator (never which)."
    )
    reported_by_you = serializers.SerializerMethodField()
    incidents = serializers.SerializerMethodField()
    organization = serializers.IntegerField(write_only=True, required=False, allow_null=True)
    incident = serializers.IntegerField(write_only=True, required=False, allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "kind",
            "value",
            "tlp",
            "confidence",
            "first_seen",
            "last_seen",
            "expires_at",
            "active",
            "source",
            "description",
            "suppressed",
            "warning_list",
            "other_institutions",
            "reported_by_you",
            "incidents",
            "organization",
            "incident",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["first_seen", "last_seen", "suppressed", "created_at", "updated_at"]

    def _context_counts(self) -> dict[str, Any]:
        return self.context.get("intel", {})

    @extend_schema_field(serializers.IntegerField())
    def get_other_institutions(self, obj: Indicator) -> int:
        return int(self._context_counts().get("others", {}).get(obj.pk, 0))

    @extend_schema_field(serializers.BooleanField())
    def get_reported_by_you(self, obj: Indicator) -> bool:
        return obj.pk in self._context_counts().get("own", set())

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_incidents(self, obj: Indicator) -> list[int]:
        return sorted(self._context_counts().get("incidents", {}).get(obj.pk, []))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("kind") and attrs["kind"] not in IndicatorKind.values:
            raise serializers.ValidationError({"kind": [_("Unknown kind.")]})
        if self.instance is None:
            raw = attrs.get("value", "")
            try:
                value = services.value_from(attrs["kind"], raw) if attrs.get("kind") else detect(raw)
            except InvalidValue as exc:
                raise serializers.ValidationError({"value": [str(exc)]}) from exc
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"value": exc.messages}) from exc
            attrs["parsed"] = value
        return attrs

    def create(self, validated: dict[str, Any]) -> Indicator:
        request = self.context["request"]
        organization = None
        if validated.get("organization"):
            organization = (
                restrict(Organization.objects.all(), request.user, "intel.add_indicator")
                .filter(pk=validated["organization"])
                .first()
            )
            if organization is None:
                raise serializers.ValidationError({"organization": [_("Unknown institution.")]})
        incident = None
        if validated.get("incident"):
            from qalxan.incidents.models import Incident

            incident = (
                restrict(Incident.objects.all(), request.user, "incidents.view_incident")
                .filter(pk=validated["incident"])
                .first()
            )
            if incident is None:
                raise serializers.ValidationError({"incident": [_("Unknown incident.")]})
            organization = organization or incident.organization
        result = services.add_indicators(
            actor=request.user,
            values=[validated["parsed"]],
            tlp=validated.get("tlp", Tlp.AMBER),
            confidence=validated.get("confidence", 50),
            source=validated.get("source", "") or "API",
            description=validated.get("description", ""),
            organization=organization,
            incident=incident,
            expires_at=validated.get("expires_at"),
        )
        return result.indicators[0]

    def update(self, instance: Indicator, validated: dict[str, Any]) -> Indicator:
        fields = {k: v for k, v in validated.items() if k in services.EDITABLE}
        if {"kind", "value"} & set(validated) and (
            validated.get("kind", instance.kind) != instance.kind
            or validated.get("value", instance.value) != instance.value
        ):
            raise serializers.ValidationError(
                {"value": [_("The value of an indicator cannot change; add a new one.")]}
            )
        return services.update_indicator(actor=self.context["request"].user, indicator=instance, **fields)


class IntelTextImportSerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=10 * 1024 * 1024, help_text="Free text; defanged values are refanged."
    )
    tlp = serializers.ChoiceField(choices=Tlp.choices, default=Tlp.AMBER)
    confidence = serializers.IntegerField(min_value=0, max_value=100, default=50)
    source = serializers.CharField(  # type: ignore[assignment]  # an API field named like Field.source
        max_length=200, required=False, allow_blank=True, default=""
    )
    organization = serializers.IntegerField(required=False, allow_null=True)
    dry_run = serializers.BooleanField(default=False, help_text="Only list what would be stored.")


class IntelTextImportResultSerializer(serializers.Serializer):
    committed = serializers.BooleanField()
    found = serializers.ListField(child=serializers.DictField())
    created = serializers.IntegerField()
    known_benign = serializers.ListField(child=serializers.DictField())
    errors = serializers.ListField(child=serializers.DictField())  # type: ignore[assignment]  # response only


class IntelExchangeImportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=[("stix", "STIX 2.1 bundle"), ("misp", "MISP event")])
    content = serializers.CharField(
        max_length=10 * 1024 * 1024, help_text="The bundle or event as JSON text."
    )
    tlp = serializers.ChoiceField(
        choices=Tlp.choices, default=Tlp.AMBER, help_text="For objects without a marking."
    )
    organization = serializers.IntegerField(required=False, allow_null=True)


class IntelExchangeImportResultSerializer(serializers.Serializer):
    committed = serializers.BooleanField()
    created = serializers.IntegerField()
    indicators = serializers.IntegerField()
    skipped = serializers.ListField(child=serializers.DictField())
    errors = serializers.ListField(child=serializers.DictField())  # type: ignore[assignment]  # response only


class IntelCampaignSerializer(serializers.ModelSerializer):
    incidents = serializers.SerializerMethodField(help_text="The caller's visible incidents of the campaign.")
    institution_count = serializers.SerializerMethodField()
    institutions = serializers.SerializerMethodField(help_text="Named for CERT and supervisors only.")
    sectors = serializers.SerializerMethodField()
    indicators = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "state",
            "threat_actor",
            "intrusion_set",
            "description",
            "first_seen",
            "last_seen",
            "incidents",
            "institution_count",
            "institutions",
            "sectors",
            "indicators",
            "confirmed_at",
            "created_at",
        ]
        read_only_fields = ["state", "first_seen", "last_seen", "confirmed_at", "created_at"]

    def _summary(self, obj: Campaign) -> dict[str, Any]:
        from qalxan.intel.queries import campaign_summary

        cache = cast(dict[str, Any], self.context).setdefault("summaries", {})
        if obj.pk not in cache:
            cache[obj.pk] = campaign_summary(self.context["request"].user, obj)
        return cache[obj.pk]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_incidents(self, obj: Campaign) -> list[int]:
        from qalxan.intel.queries import campaign_incidents

        return list(campaign_incidents(self.context["request"].user, obj).values_list("pk", flat=True))

    @extend_schema_field(serializers.IntegerField())
    def get_institution_count(self, obj: Campaign) -> int:
        return int(self._summary(obj)["institution_count"])

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_institutions(self, obj: Campaign) -> list[str]:
        return [o.short_name for o in self._summary(obj)["institutions"]]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_sectors(self, obj: Campaign) -> list[str]:
        return [str(s.name) for s in self._summary(obj)["sectors"]]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_indicators(self, obj: Campaign) -> list[int]:
        user = self.context["request"].user
        return list(
            Indicator.objects.visible_to(user).filter(campaigns=obj).values_list("pk", flat=True)[:1000]
        )

    def update(self, instance: Campaign, validated: dict[str, Any]) -> Campaign:
        return services.update_campaign(actor=self.context["request"].user, campaign=instance, **validated)


class IntelCampaignStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["confirm", "dismiss", "close", "reopen"])
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    name = serializers.CharField(required=False, max_length=200)
    threat_actor = serializers.CharField(required=False, allow_blank=True, max_length=200)
    intrusion_set = serializers.CharField(required=False, allow_blank=True, max_length=200)


class IntelSightingSerializer(serializers.ModelSerializer):
    indicator_value = serializers.CharField(source="indicator.value", read_only=True)
    indicator_kind = serializers.CharField(source="indicator.kind", read_only=True)

    class Meta:
        model = Sighting
        fields = [
            "id",
            "indicator",
            "indicator_kind",
            "indicator_value",
            "organization",
            "seen_at",
            "source",
            "log_type",
            "log_file",
            "line",
            "field",
            "observed",
            "count",
            "incident",
            "created_at",
        ]
        read_only_fields = fields


class IntelSightingInSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(
        required=False, min_value=1, help_text="An indicator id, or kind and value."
    )
    kind = serializers.CharField(
        required=False, max_length=10, help_text="The indicator's kind (with value)."
    )
    value = serializers.CharField(required=False, max_length=2048)
    seen_at = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text="ISO 8601 time."
    )
    field = serializers.CharField(required=False, allow_blank=True, max_length=100)
    line = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    log_type = serializers.CharField(required=False, allow_blank=True, max_length=40)
    log_file = serializers.CharField(required=False, allow_blank=True, max_length=300)
    observed = serializers.CharField(required=False, allow_blank=True, max_length=2048)
    count = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class IntelSightingUploadSerializer(serializers.Serializer):
    organization = serializers.IntegerField(help_text="The institution whose logs were swept.")
    sightings = IntelSightingInSerializer(many=True, max_length=services.MAX_SIGHTINGS)  # type: ignore[call-arg]  # passed on to the ListSerializer


class IntelSightingUploadResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    incident = serializers.IntegerField(allow_null=True)
