"""API of the registry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from qalxan.core.api.views import ImportActionMixin
from qalxan.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from qalxan.core.tenancy import can
from qalxan.organizations.models import Sector
from qalxan.registry import documents, queries, services, workflows
from qalxan.registry.api import listing
from qalxan.registry.api.serializers import (
    AssessmentRequestSerializer,
    CriterionSerializer,
    CriticalityAssessmentSerializer,
    ImpactSerializer,
    InformationSystemSerializer,
    RegistrySectorSerializer,
    ReviewRequestSerializer,
    SpecialRequirementsSerializer,
    SpecialRequirementsUploadSerializer,
    TransitionSerializer,
)
from qalxan.registry.choices import DesignationState
from qalxan.registry.filtersets import InformationSystemFilterSet
from qalxan.registry.models import CriticalityCriterion, InformationSystem, SpecialRequirements

VIEW = "registry.view_informationsystem"


class InformationSystemViewSet(ImportActionMixin, ScopedModelViewSet):
    """Registered systems and CII objects; IP ranges, domains, contacts and dependencies are null unless the
    caller is a supervisor or the subject."""

    queryset = InformationSystem.objects.select_related("sector", "subsector")
    serializer_class = InformationSystemSerializer
    filterset_class = InformationSystemFilterSet
    importer_key = "registry-systems"
    permission_map = {
        "import_file": "registry.add_informationsystem",
        "transition": VIEW,
        "impact": VIEW,
        "assess": workflows.SUPERVISE,
        "assessments": "registry.view_criticalityassessment",
        "special_requirements": "registry.view_specialrequirements",
        "export": "registry.export_informationsystem",
    }

    def perform_destroy(self, instance: InformationSystem) -> None:
        services.delete_system(actor=self.request.user, system=instance)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A page of systems, read as plain values (the same JSON as the serializer; see listing.py)."""
        queryset = self.filter_queryset(self.get_queryset())
        if request.query_params.get("q"):
            queryset = queries.searched(queryset)
        # A queryset stand-in that counts the queryset and reads only the page as values.
        page: Any = self.paginate_queryset(listing.PageValues(queryset))  # type: ignore[arg-type]
        return self.get_paginated_response(listing.rows(page or [], request.user))

    @extend_schema(request=TransitionSerializer, responses={200: InformationSystemSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: Any = None) -> Response:
        """Move the object along its designation lifecycle: `{"to": "designated", ...}`."""
        system = self.get_object()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        target = data.pop("to")
        step = workflows.transition_to(system, target)
        if step is None:
            raise ApiValidationError(
                {
                    "to": [
                        _("There is no step from “%(from)s” to “%(to)s”.")
                        % {"from": system.get_state_display(), "to": DesignationState(target).label}
                    ]
                }
            )
        message = data.pop("message", "")
        services.move_system(actor=request.user, system=system, step=step, message=message, **data)
        system.refresh_from_db()
        return Response(self.get_serializer(system).data)

    @extend_schema(responses={200: ImpactSerializer})
    @action(detail=True, methods=["get"])
    def impact(self, request: Request, pk: Any = None) -> Response:
        """If this object fails, which objects, subjects and sectors are affected."""
        system = self.get_object()
        impact = queries.impact_of(system)
        summary = queries.impact_summary(impact, request.user)
        return Response(
            {
                "origin": system.pk,
                "affected": [
                    {
                        "id": row["system"].pk,
                        "registry_number": row["system"].registry_number,
                        "distance": row["distance"],
                        "is_cii": row["system"].is_cii,
                        "name": row["system"].name if row["visible"] else None,
                    }
                    for row in summary["systems"]
                ],
                "subjects": [{"name": name, "systems": n} for name, n in summary["subjects"]],
                "sectors": [{"name": name, "systems": n} for name, n in summary["sectors"]],
                "truncated": impact.truncated,
            }
        )

    @extend_schema(request=AssessmentRequestSerializer, responses={201: CriticalityAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def assess(self, request: Request, pk: Any = None) -> Response:
        """Score the object against the criticality criteria."""
        system = self.get_object()
        body = AssessmentRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = services.assess_criticality(
            actor=request.user,
            system=system,
            answers=body.validated_data["answers"],
            comment=body.validated_data.get("comment", ""),
        )
        return Response(CriticalityAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CriticalityAssessmentSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def assessments(self, request: Request, pk: Any = None) -> Response:
        system = self.get_object()
        return Response(CriticalityAssessmentSerializer(system.assessments.all()[:50], many=True).data)

    @extend_schema(methods=["get"], responses={200: SpecialRequirementsSerializer(many=True)})
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": SpecialRequirementsUploadSerializer},
        responses={201: SpecialRequirementsSerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="special-requirements")
    def special_requirements(self, request: Request, pk: Any = None) -> Response:
        """The special-requirements document's versions; POST files a new version (the subject)."""
        system = self.get_object()
        if request.method == "GET":
            return Response(SpecialRequirementsSerializer(system.special_requirements.all(), many=True).data)
        if not can(request.user, "registry.file_specialrequirements", system):
            raise PermissionDenied
        body = SpecialRequirementsUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        document = services.file_special_requirements(
            actor=request.user,
            system=system,
            filename=upload.name,
            content=upload.read(),
            note=body.validated_data.get("note", ""),
        )
        return Response(SpecialRequirementsSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "file_format",
                OpenApiTypes.STR,
                enum=["csv", "xlsx", "json", "docx", "pdf"],
                description="Export format (docx and pdf: the official extract)",
            )
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        filters=True,
    )
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponseBase:
        """The filtered registry as CSV, XLSX or JSON, or the official extract as DOCX or PDF."""
        fmt = request.query_params.get("file_format", "csv")
        if fmt not in {"csv", "xlsx", "json", "docx", "pdf"}:
            raise ApiValidationError({"file_format": [_("Choose csv, xlsx, json, docx or pdf.")]})
        queryset = self.filter_queryset(self.get_queryset()).order_by("id")
        if fmt in {"docx", "pdf"}:
            from qalxan.registry.views import extract_response

            return extract_response(list(queryset[:5000]), fmt, request.query_params.get("lang", "az"))
        return documents.export(queryset, request.user, fmt)


class SpecialRequirementsViewSet(ScopedReadOnlyViewSet):
    """Special-requirements documents; supervisors review the latest version."""

    queryset = SpecialRequirements.objects.select_related("system")
    serializer_class = SpecialRequirementsSerializer
    filterset_fields = ["system", "status"]
    permission_map = {"review": workflows.SUPERVISE}

    @extend_schema(request=ReviewRequestSerializer, responses={200: SpecialRequirementsSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: Any = None) -> Response:
        document = self.get_object()
        body = ReviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = services.review_special_requirements(
            actor=request.user,
            document=document,
            accept=body.validated_data["decision"] == "accept",
            comment=body.validated_data.get("comment", ""),
        )
        return Response(SpecialRequirementsSerializer(document).data)


class RegistrySectorViewSet(viewsets.ReadOnlyModelViewSet):
    """The 10 national sectors with their subsectors and NIS2 counterparts."""

    queryset = Sector.objects.prefetch_related("subsectors")
    serializer_class = RegistrySectorSerializer
    permission_classes = [IsAuthenticated]
    lookup_field = "code"
    pagination_class = None


class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    """The criticality criteria with their weights and thresholds."""

    queryset = CriticalityCriterion.objects.all()
    serializer_class = CriterionSerializer
    permission_classes = [IsAuthenticated]
    lookup_field = "code"
    pagination_class = None
