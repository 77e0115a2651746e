"""Serializers of the organisations API; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from qalxan.core.tenancy import restrict
from qalxan.organizations import services
from qalxan.organizations.models import Contact, Membership, Organization, Sector


class SectorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Sector
        fields = ["code", "name", "name_az", "name_en", "name_ru", "nis2_mapping"]
        read_only_fields = fields


class DomainListField(serializers.ListField):
    """The organisation's registered domains as plain names."""

    def get_attribute(self, instance: Organization) -> list[str]:
        return sorted(d.domain for d in instance.domains.all())


class OrganizationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    sectors = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Sector.objects.all(), required=False
    )
    domains = DomainListField(
        child=serializers.CharField(max_length=253),  # checked (and IDN-encoded) by the service
        required=False,
        max_length=50,
    )
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "short_name",
            "name",
            "name_az",
            "name_en",
            "name_ru",
            "kind",
            "parent",
            "voen",
            "voen_checksum_ok",
            "is_cii_subject",
            "sectors",
            "domains",
            "address",
            "email",
            "phone",
            "website",
            "is_active",
            "created_at",
            "updated_at",
            "warnings",
        ]
        read_only_fields = ["voen_checksum_ok", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "parent" in self.fields:
            self.fields["parent"].queryset = restrict(Organization.objects.all(), request.user)  # type: ignore[attr-defined]

    def get_warnings(self, obj: Organization) -> list[str]:
        return getattr(obj, "_warnings", [])

    def create(self, validated_data: dict[str, Any]) -> Organization:
        org, warnings = services.create_organization(actor=self.context["request"].user, **validated_data)
        org._warnings = warnings  # type: ignore[attr-defined]
        return org

    def update(self, instance: Organization, validated_data: dict[str, Any]) -> Organization:
        org, warnings = services.update_organization(
            actor=self.context["request"].user, organization=instance, **validated_data
        )
        org._warnings = warnings  # type: ignore[attr-defined]
        return org


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = [
            "id",
            "organization",
            "full_name",
            "position",
            "email",
            "phone",
            "is_security_contact",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]
                Organization.objects.all(), request.user, "organizations.change_contact"
            )

    def create(self, validated_data: dict[str, Any]) -> Contact:
        organization = validated_data.pop("organization")
        return services.save_contact(
            actor=self.context["request"].user, organization=organization, **validated_data
        )

    def update(self, instance: Contact, validated_data: dict[str, Any]) -> Contact:
        validated_data.pop("organization", None)  # a contact does not move between organisations
        return services.save_contact(
            actor=self.context["request"].user,
            organization=instance.organization,
            contact=instance,
            **validated_data,
        )


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "organization", "role", "include_subordinates", "created_at"]
        read_only_fields = ["created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]
                Organization.objects.all(), request.user, "organizations.change_membership"
            )
            self.fields["user"].queryset = restrict(  # type: ignore[attr-defined]
                get_user_model().objects.all(), request.user, "core.view_user"
            )

    def create(self, validated_data: dict[str, Any]) -> Membership:
        return services.grant_membership(actor=self.context["request"].user, **validated_data)


class UserSerializer(serializers.ModelSerializer):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "position",
            "phone",
            "is_active",
            "last_login",
            "memberships",
        ]
        read_only_fields = fields

    def get_memberships(self, obj: Any) -> list[dict[str, Any]]:
        return [
            {
                "organization": m.organization_id,
                "role": m.role,
                "include_subordinates": m.include_subordinates,
            }
            for m in obj.memberships.all()
        ]
