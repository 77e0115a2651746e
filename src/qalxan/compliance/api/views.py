"""API of the compliance app: catalogues (with OSCAL and XLSX import), campaigns, assessments, findings."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from qalxan.compliance import documents, library, services
from qalxan.compliance.api.serializers import (
    ComplianceAnswerSerializer,
    ComplianceAssessmentSerializer,
    ComplianceCampaignLaunchSerializer,
    ComplianceCampaignSerializer,
    ComplianceCatalogueImportErrorsSerializer,
    ComplianceCatalogueImportSerializer,
    ComplianceCatalogueSerializer,
    ComplianceCountSerializer,
    ComplianceFindingSerializer,
    ComplianceMappingSerializer,
    ComplianceRecomputeResultSerializer,
    ComplianceRemediationSerializer,
    ComplianceRequirementAssessmentSerializer,
    ComplianceRequirementSerializer,
    ComplianceReviewSerializer,
    ComplianceScoreRowSerializer,
    ComplianceStepMessageSerializer,
    ComplianceVerifySerializer,
)
from qalxan.compliance.choices import ScoreDimension
from qalxan.compliance.filtersets import AssessmentFilterSet, CampaignFilterSet, FindingFilterSet
from qalxan.compliance.models import (
    Assessment,
    Campaign,
    CampaignScore,
    Catalogue,
    Finding,
    RequirementAssessment,
    RequirementMapping,
)
from qalxan.core.api.viewsets import ScopedMixin, ScopedReadOnlyViewSet
from qalxan.core.tenancy import require

VIEW_ASSESSMENT = "compliance.view_assessment"
VIEW_FINDING = "compliance.view_finding"


class CatalogueViewSet(viewsets.ReadOnlyModelViewSet):
    """Requirement catalogues (shared libraries, readable by everyone signed in); supervisors import them."""

    queryset = Catalogue.objects.annotate(
        requirement_count=Count("items", filter=~Q(items__kind="group"))
    ).order_by("code", "-created_at")
    serializer_class = ComplianceCatalogueSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["code", "is_sample"]

    @extend_schema(
        request={"multipart/form-data": ComplianceCatalogueImportSerializer},
        responses={
            201: ComplianceCatalogueSerializer,
            400: ComplianceCatalogueImportErrorsSerializer,
            403: OpenApiResponse(),
        },
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_file(self, request: Request) -> Response:
        """Import an OSCAL catalog (JSON) or an XLSX sheet as a new catalogue version; a bad file changes
        nothing and the answer lists every row (or OSCAL path), field and reason."""
        body = ComplianceCatalogueImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        upload = data.pop("file")
        try:
            catalogue = services.import_catalogue(
                actor=request.user, filename=upload.name or "upload", content=upload.read(), **data
            )
        except library.CatalogueError as exc:
            return Response({"errors": [e.as_dict() for e in exc.errors]}, status=status.HTTP_400_BAD_REQUEST)
        catalogue = self.get_queryset().get(pk=catalogue.pk)
        return Response(ComplianceCatalogueSerializer(catalogue).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def oscal(self, request: Request, pk: Any = None) -> HttpResponse:
        """The catalogue as an OSCAL catalog JSON document."""
        catalogue = self.get_object()
        response = HttpResponse(library.catalogue_to_oscal(catalogue), content_type="application/json")
        response["Content-Disposition"] = (
            f'attachment; filename="{catalogue.code}-{catalogue.version}.oscal.json"'
        )
        return response

    @extend_schema(responses={200: ComplianceRequirementSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def requirements(self, request: Request, pk: Any = None) -> Response:
        """The catalogue's tree in document order (groups, requirements, sub-requirements)."""
        catalogue = self.get_object()
        return Response(ComplianceRequirementSerializer(catalogue.items.order_by("position"), many=True).data)

    @extend_schema(methods=["get"], responses={200: ComplianceMappingSerializer(many=True)})
    @extend_schema(
        methods=["post"], request=ComplianceMappingSerializer, responses={201: ComplianceMappingSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def mappings(self, request: Request, pk: Any = None) -> Response:
        """Mappings from this catalogue's requirements to other catalogues; POST adds one (supervisors)."""
        catalogue = self.get_object()
        if request.method == "GET":
            rows = RequirementMapping.objects.filter(source__catalogue=catalogue).select_related(
                "source", "target"
            )
            return Response(ComplianceMappingSerializer(rows, many=True).data)
        require(request.user, "compliance.map_catalogue")
        body = ComplianceMappingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        source = body.validated_data["source"]
        if source.catalogue_id != catalogue.pk:
            raise ApiValidationError({"source": [_("The source requirement belongs to another catalogue.")]})
        mapping = services.map_requirements(
            actor=request.user,
            source=source,
            target=body.validated_data["target"],
            relation=body.validated_data["relation"],
        )
        return Response(ComplianceMappingSerializer(mapping).data, status=status.HTTP_201_CREATED)


class CampaignViewSet(
    ScopedMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Assessment campaigns: supervisors launch them over a scope; each subject in scope is assessed."""

    queryset = (
        Campaign.objects.select_related("catalogue")
        .annotate(assessment_count=Count("assessments"))
        .order_by("-created_at", "-id")
    )
    serializer_class = ComplianceCampaignSerializer
    filterset_class = CampaignFilterSet
    permission_map = {
        "close": "compliance.view_campaign",
        "scores": "compliance.view_scores",
        "recompute": "compliance.view_campaign",
    }

    def get_serializer_class(self) -> Any:
        return (
            ComplianceCampaignLaunchSerializer
            if getattr(self, "action", None) == "create"
            else ComplianceCampaignSerializer
        )

    @extend_schema(request=ComplianceCampaignLaunchSerializer, responses={201: ComplianceCampaignSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Launch a campaign: `{"organization": 1, "catalogue": 2, "title": "…", "deadline": "2027-03-01",
        "sectors": ["energy"], "categories": ["I"]}`."""
        body = ComplianceCampaignLaunchSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        campaign = body.save()
        return Response(
            ComplianceCampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={200: ComplianceCampaignSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: Any = None) -> Response:
        """Close the campaign (no more submissions)."""
        campaign = services.close_campaign(actor=request.user, campaign=self.get_object())
        return Response(ComplianceCampaignSerializer(self.get_queryset().get(pk=campaign.pk)).data)

    @extend_schema(
        responses={200: ComplianceScoreRowSerializer(many=True)},
        parameters=[
            OpenApiParameter(
                "dimension", str, description="campaign, group, system, subject, sector, sector_group"
            )
        ],
    )
    @action(detail=True, methods=["get"])
    def scores(self, request: Request, pk: Any = None) -> Response:
        """The campaign's stored scores (as last recomputed), optionally of one dimension."""
        campaign = self.get_object()
        rows = CampaignScore.objects.filter(campaign=campaign)
        dimension = request.query_params.get("dimension")
        if dimension:
            if dimension not in ScoreDimension.values:
                raise ApiValidationError(
                    {"dimension": [_("Use one of: %(kinds)s.") % {"kinds": ", ".join(ScoreDimension.values)}]}
                )
            rows = rows.filter(dimension=dimension)
        return Response(ComplianceScoreRowSerializer(rows.order_by("dimension", "id"), many=True).data)

    @extend_schema(request=None, responses={200: ComplianceRecomputeResultSerializer})
    @action(detail=True, methods=["post"])
    def recompute(self, request: Request, pk: Any = None) -> Response:
        """Recompute every score of the campaign."""
        return Response(services.recompute_scores(actor=request.user, campaign=self.get_object()))


class AssessmentViewSet(ScopedReadOnlyViewSet):
    """Self-assessments: an institution answers and submits its own; supervisors review and lock them."""

    queryset = (
        Assessment.objects.select_related("campaign")
        .annotate(total=Count("items"), answered=Count("items", filter=~Q(items__answer="")))
        .order_by("campaign_id", "organization_id", "id")
    )
    serializer_class = ComplianceAssessmentSerializer
    filterset_class = AssessmentFilterSet
    # Each step checks its own permission on the object in the service; reaching the object needs `view`.
    permission_map = dict.fromkeys(
        (
            "items",
            "answer",
            "submit",
            "review",
            "accept_rest",
            "return_",
            "lock",
            "prefill",
            "oscal",
            "report",
        ),
        VIEW_ASSESSMENT,
    )

    def _item(self, assessment: Assessment, item_id: int) -> RequirementAssessment:
        return get_object_or_404(
            RequirementAssessment.objects.select_related("requirement"), pk=item_id, assessment=assessment
        )

    def _fresh(self, assessment: Assessment) -> Response:
        return Response(ComplianceAssessmentSerializer(self.get_queryset().get(pk=assessment.pk)).data)

    @extend_schema(responses={200: ComplianceRequirementAssessmentSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def items(self, request: Request, pk: Any = None) -> Response:
        """Every applicable requirement of the assessment with its answer and review."""
        assessment = self.get_object()
        rows = assessment.items.select_related("requirement").prefetch_related("evidence")
        return Response(ComplianceRequirementAssessmentSerializer(rows, many=True).data)

    @extend_schema(
        request=ComplianceAnswerSerializer, responses={200: ComplianceRequirementAssessmentSerializer}
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: Any = None) -> Response:
        """Save an answer (a draft until the assessment is submitted); refused once submitted or locked."""
        assessment = self.get_object()
        body = ComplianceAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.answer_requirement(
            actor=request.user,
            item=self._item(assessment, body.validated_data["item"]),
            answer=body.validated_data["answer"],
            comment=body.validated_data["comment"],
        )
        return Response(ComplianceRequirementAssessmentSerializer(item).data)

    @extend_schema(request=None, responses={200: ComplianceCountSerializer})
    @action(detail=True, methods=["post"])
    def prefill(self, request: Request, pk: Any = None) -> Response:
        """Pre-fill unanswered requirements from answers to mapped requirements of other catalogues."""
        return Response(
            {"count": services.prefill_assessment(actor=request.user, assessment=self.get_object())}
        )

    @extend_schema(request=None, responses={200: ComplianceAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        """Submit for review; refused (400) while some applicable requirement is unanswered."""
        assessment = services.submit_assessment(actor=request.user, assessment=self.get_object())
        return self._fresh(assessment)

    @extend_schema(
        request=ComplianceReviewSerializer, responses={200: ComplianceRequirementAssessmentSerializer}
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: Any = None) -> Response:
        """The supervisor accepts one answer or returns it with a comment."""
        assessment = self.get_object()
        body = ComplianceReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.review_requirement(
            actor=request.user,
            item=self._item(assessment, body.validated_data["item"]),
            decision=body.validated_data["review"],
            comment=body.validated_data["comment"],
        )
        return Response(ComplianceRequirementAssessmentSerializer(item).data)

    @extend_schema(request=None, responses={200: ComplianceCountSerializer})
    @action(detail=True, methods=["post"], url_path="accept-rest")
    def accept_rest(self, request: Request, pk: Any = None) -> Response:
        """Accept every answer not reviewed yet."""
        return Response(
            {"count": services.accept_remaining(actor=request.user, assessment=self.get_object())}
        )

    @extend_schema(request=ComplianceStepMessageSerializer, responses={200: ComplianceAssessmentSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        """Return the assessment to the institution to correct the returned answers."""
        assessment = self.get_object()
        body = ComplianceStepMessageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = services.return_assessment(
            actor=request.user, assessment=assessment, message=body.validated_data["message"]
        )
        return self._fresh(assessment)

    @extend_schema(request=None, responses={200: ComplianceAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def lock(self, request: Request, pk: Any = None) -> Response:
        """Lock a fully accepted assessment."""
        assessment = services.lock_assessment(actor=request.user, assessment=self.get_object())
        return self._fresh(assessment)

    @extend_schema(responses={(200, "application/json"): OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def oscal(self, request: Request, pk: Any = None) -> HttpResponse:
        """The assessment as an OSCAL assessment-results JSON document."""
        assessment = self.get_object()
        response = HttpResponse(documents.assessment_results(assessment), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="assessment-{assessment.pk}.oscal-ar.json"'
        return response

    @extend_schema(
        parameters=[
            OpenApiParameter("document", str, enum=["docx", "pdf"], description="docx (default) or pdf")
        ],
        responses={
            (
                200,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
    )
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: Any = None) -> HttpResponse:
        """The assessment report as DOCX or PDF."""
        assessment = self.get_object()
        fmt = request.query_params.get("document", "docx")
        if fmt not in ("docx", "pdf"):
            raise ApiValidationError({"document": [_("Use docx or pdf.")]})
        return documents.assessment_report_response(assessment, fmt, user=request.user)


class FindingViewSet(
    ScopedMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Findings of inspections and reviews: the subject remediates, the supervisor verifies or escalates."""

    queryset = Finding.objects.select_related("requirement")
    serializer_class = ComplianceFindingSerializer
    filterset_class = FindingFilterSet
    permission_map = {"remediation": VIEW_FINDING, "verify": VIEW_FINDING, "escalate": VIEW_FINDING}

    def perform_create(self, serializer: Any) -> None:
        serializer.save()

    @extend_schema(request=ComplianceRemediationSerializer, responses={200: ComplianceFindingSerializer})
    @action(detail=True, methods=["post"])
    def remediation(self, request: Request, pk: Any = None) -> Response:
        """The subject submits its remediation."""
        finding = self.get_object()
        body = ComplianceRemediationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        finding = services.submit_remediation(
            actor=request.user, finding=finding, remediation=body.validated_data["remediation"]
        )
        return Response(ComplianceFindingSerializer(finding).data)

    @extend_schema(request=ComplianceVerifySerializer, responses={200: ComplianceFindingSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: Any = None) -> Response:
        """The supervisor verifies the remediation (closing the finding) or rejects it with a comment."""
        finding = self.get_object()
        body = ComplianceVerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        finding = services.verify_finding(
            actor=request.user,
            finding=finding,
            accept=body.validated_data["outcome"] == "accept",
            comment=body.validated_data["comment"],
        )
        return Response(ComplianceFindingSerializer(finding).data)

    @extend_schema(request=None, responses={200: ComplianceFindingSerializer})
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: Any = None) -> Response:
        """Refer an overdue finding to the Coordination Commission's agenda."""
        finding = services.escalate_finding(actor=request.user, finding=self.get_object())
        return Response(ComplianceFindingSerializer(finding).data)
