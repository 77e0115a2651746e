"""API of the strategy app."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from qalxan.core.api.views import ImportActionMixin
from qalxan.core.api.viewsets import ScopedMixin, ScopedModelViewSet, ScopedReadOnlyViewSet
from qalxan.strategy import queries, services
from qalxan.strategy.api.serializers import (
    ActionSerializer,
    ComputeRequestSerializer,
    ComputeResultSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    IndexFrameworkSerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    ManualValueSerializer,
    ProgressReportSerializer,
    ReviewSerializer,
    RollupSerializer,
    StrategySerializer,
)
from qalxan.strategy.filtersets import ActionFilterSet, IndicatorFilterSet, ProgressReportFilterSet
from qalxan.strategy.models import (
    Action,
    IndexFramework,
    Indicator,
    ProgressReport,
    Strategy,
)


class StrategyViewSet(viewsets.ReadOnlyModelViewSet):
    """National strategies with goals, directions and periods (a public document: everyone signed in)."""

    queryset = Strategy.objects.prefetch_related("goals__directions", "periods")
    serializer_class = StrategySerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: RollupSerializer})
    @action(detail=True, methods=["get"])
    def rollup(self, request: Request, pk: Any = None) -> Response:
        """The strategy's status rolled up from the actions the caller may see."""
        from qalxan.core.tenancy import restrict

        strategy = self.get_object()
        actions = restrict(Action.objects.all(), request.user, "strategy.view_action")
        return Response(RollupSerializer(queries.rollup(strategy, actions=actions)).data)


class ActionViewSet(ImportActionMixin, ScopedReadOnlyViewSet):
    """Items of the action plan: an institution sees those it is responsible for or co-executes."""

    queryset = Action.objects.select_related("direction__goal", "responsible").prefetch_related(
        "co_executors"
    )
    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet
    importer_key = "strategy-actions"
    permission_map = {"import_file": "strategy.import_action"}


class IndicatorViewSet(ScopedModelViewSet):
    """Indicators of the strategy; computed ones name a metric function that some module offers."""

    queryset = Indicator.objects.select_related("strategy").prefetch_related("targets")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    permission_map = {"values": "strategy.view_indicator", "compute": "strategy.compute_indicator"}

    def perform_destroy(self, instance: Indicator) -> None:
        services.delete_indicator(actor=self.request.user, indicator=instance)

    @extend_schema(methods=["get"], responses={200: IndicatorValueSerializer(many=True)})
    @extend_schema(methods=["post"], request=ManualValueSerializer, responses={201: IndicatorValueSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def values(self, request: Request, pk: Any = None) -> Response:
        """Every recorded value with its provenance, every revision included (oldest first); POST records a
        manually reported value (a different value for the same date becomes a new revision)."""
        indicator = self.get_object()
        if request.method == "POST":
            body = ManualValueSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            value = services.record_value(actor=request.user, indicator=indicator, **body.validated_data)
            return Response(IndicatorValueSerializer(value).data, status=status.HTTP_201_CREATED)
        return Response(IndicatorValueSerializer(indicator.values.order_by("on", "revision"), many=True).data)

    @extend_schema(
        request=ComputeRequestSerializer,
        responses={
            200: ComputeResultSerializer,
            400: OpenApiResponse(description="Not a computed indicator"),
        },
    )
    @action(detail=True, methods=["post"])
    def compute(self, request: Request, pk: Any = None) -> Response:
        """Compute the indicator now; a different value for the same date is stored as a new revision."""
        indicator = self.get_object()
        data = ComputeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value, new = services.compute_indicator(
            actor=request.user, indicator=indicator, on=data.validated_data.get("on")
        )
        return Response({"new_revision": new, "value": IndicatorValueSerializer(value).data})


class ProgressReportViewSet(
    ScopedMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Institutions' progress reports on their actions, reviewed by the strategy officer."""

    queryset = ProgressReport.objects.select_related("action", "period", "organization").prefetch_related(
        "evidence"
    )
    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    # Reading and reviewing are also open to monitoring working groups: the queryset and the workflow decide.
    permission_map = {
        "list": "strategy.view_strategy",
        "retrieve": "strategy.view_strategy",
        "create": "strategy.add_progressreport",
        "submit": "strategy.submit_progressreport",
        "accept": "strategy.view_strategy",
        "return_report": "strategy.view_strategy",
        "evidence": "strategy.change_progressreport",
    }

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ProgressReport.objects.none()
        if self.action in {"list", "retrieve", "accept", "return_report"}:
            return queries.visible_reports(self.request.user, self.queryset.all())
        return super().get_queryset()

    def check_object_permissions(self, request: Request, obj: Any) -> None:
        # These objects came from visible_reports(); the workflow decides who may review.
        if self.action in {"retrieve", "accept", "return_report"}:
            return
        super().check_object_permissions(request, obj)

    def _step(self, request: Request, step: str) -> Response:
        report = self.get_object()
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        comment = review.validated_data.get("comment", "")
        if step == "submit":
            services.submit_report(actor=request.user, report=report)
        elif step == "accept":
            services.accept_report(actor=request.user, report=report, comment=comment)
        else:
            services.return_report(actor=request.user, report=report, comment=comment)
        report.refresh_from_db()
        return Response(ProgressReportSerializer(report, context={"request": request}).data)

    @extend_schema(request=ReviewSerializer, responses={200: ProgressReportSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        """Send the report for review."""
        return self._step(request, "submit")

    @extend_schema(request=ReviewSerializer, responses={200: ProgressReportSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        """Accept a submitted report (strategy officer)."""
        return self._step(request, "accept")

    @extend_schema(request=ReviewSerializer, responses={200: ProgressReportSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_report(self, request: Request, pk: Any = None) -> Response:
        """Return a submitted report with a comment (strategy officer)."""
        return self._step(request, "return")

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: EvidenceSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request: Request, pk: Any = None) -> Response:
        """Attach an evidence file to a draft or returned report."""
        report = self.get_object()
        upload = EvidenceUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        item = services.add_evidence(actor=request.user, report=report, file=upload.validated_data["file"])
        return Response(EvidenceSerializer(item).data, status=status.HTTP_201_CREATED)


class IndexFrameworkViewSet(ScopedReadOnlyViewSet):
    """National indices (ITU GCI, ENISA NCAF, Oxford CMM) with sections and every assessment."""

    queryset = IndexFramework.objects.prefetch_related("sections", "assessments__scores__section")
    serializer_class = IndexFrameworkSerializer
    pagination_class = None
