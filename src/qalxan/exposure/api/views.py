"""API of the exposure app: sites, scans (POST queues one), findings (accept the risk, reopen)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qalxan.core.api.viewsets import ScopedMixin, ScopedReadOnlyViewSet
from qalxan.exposure import services
from qalxan.exposure.api.serializers import (
    ExposureFindingSerializer,
    ExposureReasonSerializer,
    ExposureScanSerializer,
    ExposureSiteSerializer,
)
from qalxan.exposure.filtersets import FindingFilterSet, ScanFilterSet, SiteFilterSet
from qalxan.exposure.models import Finding, Scan, Site


class SiteViewSet(ScopedReadOnlyViewSet):
    """Registered state websites followed by the scanner: an institution sees its own."""

    queryset = Site.objects.select_related("system").prefetch_related("system__domains")
    serializer_class = ExposureSiteSerializer
    filterset_class = SiteFilterSet


class ScanViewSet(
    ScopedMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Scans; POST `{"site": 7}` queues a scan of a site (it runs as a background job)."""

    queryset = Scan.objects.select_related("site")
    serializer_class = ExposureScanSerializer
    filterset_class = ScanFilterSet
    permission_map = {"create": "exposure.scan_site"}


class FindingViewSet(ScopedReadOnlyViewSet):
    """Findings on the websites, with masked personal data; never the values themselves."""

    queryset = Finding.objects.select_related("site__system").prefetch_related("exposures")
    serializer_class = ExposureFindingSerializer
    filterset_class = FindingFilterSet
    permission_map = {"accept_risk": "exposure.triage_finding", "reopen": "exposure.triage_finding"}

    @extend_schema(request=ExposureReasonSerializer, responses={200: ExposureFindingSerializer})
    @action(detail=True, methods=["post"], url_path="accept-risk")
    def accept_risk(self, request: Request, pk: Any = None) -> Response:
        """Accept the risk of an open finding, with the reason (supervisors, CERT)."""
        finding = self.get_object()
        body = ExposureReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.accept_risk(actor=request.user, finding=finding, reason=body.validated_data["reason"])
        finding.refresh_from_db()
        return Response(self.get_serializer(finding).data)

    @extend_schema(request=ExposureReasonSerializer, responses={200: ExposureFindingSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        """Open a fixed or accepted finding again."""
        finding = self.get_object()
        body = ExposureReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reopen_finding(actor=request.user, finding=finding, reason=body.validated_data["reason"])
        finding.refresh_from_db()
        return Response(self.get_serializer(finding).data)
