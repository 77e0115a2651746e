"""API of the organisations app."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated

from qalxan.core.api.views import ImportActionMixin
from qalxan.core.api.viewsets import ScopedMixin, ScopedModelViewSet, ScopedReadOnlyViewSet
from qalxan.organizations import services
from qalxan.organizations.api.serializers import (
    ContactSerializer,
    MembershipSerializer,
    OrganizationSerializer,
    SectorSerializer,
    UserSerializer,
)
from qalxan.organizations.filtersets import OrganizationFilterSet
from qalxan.organizations.models import Contact, Membership, Organization, Sector


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    """The national CII sectors (reference data, readable by everyone signed in)."""

    queryset = Sector.objects.all()
    serializer_class = SectorSerializer
    permission_classes = [IsAuthenticated]
    lookup_field = "code"
    pagination_class = None


class OrganizationViewSet(ImportActionMixin, ScopedModelViewSet):
    """Organisations: everyone sees what their roles allow; the authority registers and edits them."""

    queryset = Organization.objects.select_related("parent").prefetch_related("sectors", "domains")
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    importer_key = "organizations"
    permission_map = {"import_file": "organizations.import_organization"}

    def perform_destroy(self, instance: Organization) -> None:
        services.delete_organization(actor=self.request.user, organization=instance)


class ContactViewSet(ScopedModelViewSet):
    """Contact persons of organisations."""

    queryset = Contact.objects.select_related("organization")
    serializer_class = ContactSerializer
    filterset_fields = ["organization", "is_security_contact"]
    permission_map = {
        "list": "organizations.view_organization",
        "retrieve": "organizations.view_organization",
        "create": "organizations.change_contact",
        "update": "organizations.change_contact",
        "partial_update": "organizations.change_contact",
        "destroy": "organizations.change_contact",
    }

    def perform_destroy(self, instance: Contact) -> None:
        services.delete_contact(actor=self.request.user, contact=instance)


class MembershipViewSet(
    ScopedMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Who holds which role where; granted and revoked by the authority's administrator."""

    queryset = Membership.objects.select_related("user", "organization")
    serializer_class = MembershipSerializer
    filterset_fields = ["organization", "role", "user"]
    permission_map = {
        "create": "organizations.change_membership",
        "destroy": "organizations.change_membership",
    }

    def perform_destroy(self, instance: Membership) -> None:
        services.revoke_membership(actor=self.request.user, membership=instance)


class UserViewSet(ScopedReadOnlyViewSet):
    """People with accounts, as far as the caller may see them."""

    queryset = get_user_model().objects.prefetch_related("memberships")
    serializer_class = UserSerializer
    filterset_fields = ["is_active"]

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("username")
