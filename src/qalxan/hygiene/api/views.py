"""API of the hygiene module."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from qalxan.core.api.viewsets import ScopedMixin, ScopedModelViewSet, ScopedReadOnlyViewSet
from qalxan.core.tenancy import can, restrict
from qalxan.hygiene import conf, services, snapshots
from qalxan.hygiene.api.serializers import (
    HygieneCoverageSerializer,
    HygieneEndpointSerializer,
    HygieneEntitlementSerializer,
    HygieneFindingSerializer,
    HygieneInventorySerializer,
    HygieneInventoryUploadSerializer,
    HygieneLicencePositionSerializer,
    HygieneRejectionSerializer,
    HygieneRuleChangeSerializer,
    HygieneRulePreviewSerializer,
    HygieneRuleSerializer,
    HygieneScoreSerializer,
    HygieneSoftwareSerializer,
    HygieneTransferOutSerializer,
    HygieneTransferSerializer,
    HygieneTriageSerializer,
)
from qalxan.hygiene.filtersets import (
    CoverageStatusFilterSet,
    EndpointFilterSet,
    EntitlementFilterSet,
    FindingFilterSet,
    InstitutionScoreFilterSet,
    InventorySnapshotFilterSet,
    LicencePositionFilterSet,
    NormalisationRuleFilterSet,
)
from qalxan.hygiene.models import (
    CoverageStatus,
    Endpoint,
    Entitlement,
    Finding,
    InstitutionScore,
    InventorySnapshot,
    LicencePosition,
    NormalisationRule,
)
from qalxan.hygiene.parsers import InventoryRejected
from qalxan.organizations.models import Organization


def rejection(exc: InventoryRejected) -> Response:
    return Response(
        {"detail": exc.reason, "line": str(exc.line), "field": exc.field}, status=status.HTTP_400_BAD_REQUEST
    )


class InventoryViewSet(
    ScopedMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Inventory snapshots; POST uploads one (multipart) for an institution, with its officer's token."""

    queryset = InventorySnapshot.objects.all()
    serializer_class = HygieneInventorySerializer
    filterset_class = InventorySnapshotFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": HygieneInventoryUploadSerializer},
        responses={
            201: HygieneInventorySerializer,
            400: HygieneRejectionSerializer,
            403: OpenApiResponse(description="Not allowed"),
        },
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = HygieneInventoryUploadSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        upload = data["file"]
        if upload.size > conf.upload_max_bytes():
            return Response(
                {"detail": "The file is too large.", "line": "0", "field": "file"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            result = services.upload_inventory(
                actor=request.user,
                organization=data["organization"],
                filename=upload.name,
                content=upload.read(),
                format=data.get("format", ""),
                host=data.get("host", ""),
            )
        except InventoryRejected as exc:
            return rejection(exc)
        return Response(HygieneInventorySerializer(result.snapshots[0]).data, status=status.HTTP_201_CREATED)


class EndpointViewSet(ScopedReadOnlyViewSet):
    """Endpoints with their current state; `software` lists the latest inventory of one."""

    queryset = Endpoint.objects.all()
    serializer_class = HygieneEndpointSerializer
    filterset_class = EndpointFilterSet
    permission_map = {"software": "hygiene.view_endpoint"}

    @extend_schema(responses={200: HygieneSoftwareSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def software(self, request: Request, pk: Any = None) -> Response:
        """Packages, security products, services and patches in the endpoint's latest snapshot."""
        endpoint = self.get_object()
        rows = snapshots.endpoint_rows(endpoint.last_snapshot, endpoint.pk) if endpoint.last_snapshot else []
        return Response(HygieneSoftwareSerializer(rows, many=True).data)


class LicencePositionViewSet(ScopedReadOnlyViewSet):
    """Licence reconciliation: per institution and product, installs against seats, over-use, unlicensed."""

    queryset = LicencePosition.objects.select_related("product")
    serializer_class = HygieneLicencePositionSerializer
    filterset_class = LicencePositionFilterSet


class EntitlementViewSet(ScopedModelViewSet):
    """The national licence registry: contracts in the central pool or an institution's own pool."""

    queryset = Entitlement.objects.select_related("product")
    serializer_class = HygieneEntitlementSerializer
    filterset_class = EntitlementFilterSet
    permission_map = {"transfer": "hygiene.transfer_entitlement"}

    def perform_destroy(self, instance: Entitlement) -> None:
        services.delete_entitlement(actor=self.request.user, entitlement=instance)

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "action", None) == "transfer" and not getattr(self, "swagger_fake_view", False):
            return restrict(Entitlement.objects.all(), self.request.user, "hygiene.transfer_entitlement")
        return super().get_queryset()

    @extend_schema(request=HygieneTransferSerializer, responses={201: HygieneTransferOutSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: Any = None) -> Response:
        """Move seats of a contract from its pool (the central pool, or the holder's own contract) to an
        institution, between institutions, or back to the pool; an own pool by its holder's officers."""
        entitlement = self.get_object()
        body = HygieneTransferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transfer = services.transfer_seats(actor=request.user, entitlement=entitlement, **body.validated_data)
        return Response(HygieneTransferOutSerializer(transfer).data, status=status.HTTP_201_CREATED)


class RuleViewSet(viewsets.ModelViewSet):
    """Normalisation rules (reference data of the authority); `preview` shows what a would-be rule
    changes in the current inventories without saving it."""

    queryset = NormalisationRule.objects.all()
    serializer_class = HygieneRuleSerializer
    filterset_class = NormalisationRuleFilterSet
    permission_map = {"preview": "hygiene.change_normalisationrule"}

    def perform_destroy(self, instance: NormalisationRule) -> None:
        services.delete_rule(actor=self.request.user, rule=instance)

    @extend_schema(
        request=HygieneRulePreviewSerializer,
        responses={200: HygieneRuleChangeSerializer(many=True), 403: OpenApiResponse()},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request: Request) -> Response:
        """The distinct (publisher, name) of the current inventories whose canonical name the rule would
        change, most installed first, with the names before and after; nothing is saved."""
        body = HygieneRulePreviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = services.preview_rule(actor=request.user, rule=body.candidate())
        return Response(HygieneRuleChangeSerializer(changes, many=True).data)


class CoverageViewSet(ScopedReadOnlyViewSet):
    """Essential-software coverage per endpoint and category; `compliant=false` lists the gaps."""

    queryset = CoverageStatus.objects.select_related("category", "endpoint")
    serializer_class = HygieneCoverageSerializer
    filterset_class = CoverageStatusFilterSet


class FindingViewSet(ScopedReadOnlyViewSet):
    """Vulnerable software on endpoints; `triage` records the institution's or CERT's assessment."""

    queryset = Finding.objects.select_related("advisory")
    serializer_class = HygieneFindingSerializer
    filterset_class = FindingFilterSet
    permission_map = {"triage": "hygiene.view_finding"}

    @extend_schema(request=HygieneTriageSerializer, responses={200: HygieneFindingSerializer})
    @action(detail=True, methods=["post"])
    def triage(self, request: Request, pk: Any = None) -> Response:
        """A triage step: confirm (affected), dismiss (not affected, justified), resolve, reopen."""
        finding = self.get_object()
        if not can(request.user, "hygiene.triage_finding", finding):
            raise PermissionDenied
        body = HygieneTriageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.triage_finding(actor=request.user, finding=finding, **body.validated_data)
        finding.refresh_from_db()
        return Response(HygieneFindingSerializer(finding).data)


class ScoreViewSet(ScopedReadOnlyViewSet):
    """Institution hygiene scores, one per recomputation (the trend), with their evidence."""

    queryset = InstitutionScore.objects.all()
    serializer_class = HygieneScoreSerializer
    filterset_class = InstitutionScoreFilterSet


__all__ = ["Organization"]
