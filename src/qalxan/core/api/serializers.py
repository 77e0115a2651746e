"""Serializers of the core app."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from qalxan.core.models import ApiToken, AuditEntry, Notification
from qalxan.core.tenancy import sees_source_addresses


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.RegexField(
        r"^\d{6}$", required=False, help_text="Current TOTP code, when two-factor is on."
    )
    name = serializers.CharField(
        max_length=100, required=False, help_text="A label to recognise the token by."
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "key_prefix",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "is_active",
        ]
        read_only_fields = fields


class MembershipBriefSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.name")
    role = serializers.CharField()
    include_subordinates = serializers.BooleanField()


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipBriefSerializer(many=True, read_only=True)

    class Meta:
        model = get_user_model()
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "position",
            "preferred_language",
            "memberships",
        ]
        read_only_fields = fields


class AuditEntrySerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "timestamp",
            "actor",
            "actor_username",
            "organization",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "before",
            "after",
            "message",
            "ip_address",
            "request_id",
        ]
        read_only_fields = fields

    def to_representation(self, instance: AuditEntry) -> dict[str, Any]:
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not sees_source_addresses(request.user):
            data["ip_address"] = None
        return data

    def get_object_type(self, obj: AuditEntry) -> str | None:
        ct: Any = obj.content_type
        return f"{ct.app_label}.{ct.model}" if ct else None


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "subject",
            "body",
            "url",
            "organization",
            "created_at",
            "read_at",
            "acknowledged_at",
            "emailed_at",
        ]
        read_only_fields = fields


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    committed = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.DictField())  # type: ignore[assignment]  # a field named like Serializer.errors
    warnings = serializers.ListField(child=serializers.DictField())


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False, help_text="Validate only; change nothing.")
