"""API of the incidents app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from qalxan.core.api.viewsets import ScopedMixin, ScopedReadOnlyViewSet
from qalxan.core.tenancy import can, restrict
from qalxan.incidents import services
from qalxan.incidents.api.serializers import (
    IncidentCommentSerializer,
    IncidentMeasureConfirmSerializer,
    IncidentMeasureRequestSerializer,
    IncidentMeasureSerializer,
    IncidentMeasureVerifySerializer,
    IncidentSerializer,
    IncidentTimelineEntrySerializer,
    IncidentTransitionSerializer,
)
from qalxan.incidents.filtersets import IncidentFilterSet, MeasureFilterSet
from qalxan.incidents.models import Incident, Measure

VIEW = "incidents.view_incident"


class IncidentViewSet(
    ScopedMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Incidents: an institution sees and reports its own; CERT analysts and supervisors see all."""

    queryset = Incident.objects.select_related("taxonomy_type__taxonomy_class").prefetch_related(
        "affected_systems", "attachments"
    )
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilterSet
    permission_map = {
        "transition": VIEW,
        "measures": "incidents.view_measure",
        "timeline": "incidents.view_timelineentry",
    }

    @extend_schema(request=IncidentTransitionSerializer, responses={200: IncidentSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: Any = None) -> Response:
        """Take a lifecycle step: `{"step": "accept", "severity": "high", "assignee": 7}`.

        Refused (400) when the step is not allowed from the current state, 403 without the permission."""
        incident = self.get_object()
        body = IncidentTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        duplicate_of = data.get("duplicate_of")
        if (
            duplicate_of is not None
            and not restrict(Incident.objects.filter(pk=duplicate_of.pk), request.user, VIEW).exists()
        ):
            raise ApiValidationError({"duplicate_of": ["Unknown incident."]})
        services.move_incident(
            actor=request.user,
            incident=incident,
            step=data["step"],
            message=data.get("message", ""),
            severity=data.get("severity", ""),
            assignee=data.get("assignee"),
            duplicate_of=duplicate_of,
            reason=data.get("reason", ""),
        )
        incident.refresh_from_db()
        return Response(self.get_serializer(incident).data)

    @extend_schema(
        methods=["get"],
        responses={200: IncidentMeasureSerializer(many=True)},
        operation_id="incidents_measures_of_incident",
    )
    @extend_schema(
        methods=["post"],
        request=IncidentMeasureRequestSerializer,
        responses={201: IncidentMeasureSerializer},
        operation_id="incidents_request_measure",
    )
    @action(detail=True, methods=["get", "post"])
    def measures(self, request: Request, pk: Any = None) -> Response:
        """The measures requested for the incident; POST requests a new one (CERT)."""
        incident = self.get_object()
        if request.method == "GET":
            return Response(IncidentMeasureSerializer(incident.measures.all(), many=True).data)
        if not can(request.user, "incidents.request_measure", incident):
            raise PermissionDenied
        body = IncidentMeasureRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measure = services.request_measure(
            actor=request.user,
            incident=incident,
            kind=body.validated_data["measure"],
            description=body.validated_data["description"],
            due_date=body.validated_data.get("due_date"),
        )
        return Response(IncidentMeasureSerializer(measure).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], responses={200: IncidentTimelineEntrySerializer(many=True)})
    @extend_schema(
        methods=["post"], request=IncidentCommentSerializer, responses={201: IncidentTimelineEntrySerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def timeline(self, request: Request, pk: Any = None) -> Response:
        """Every event and comment of the incident; POST adds a comment."""
        incident = self.get_object()
        if request.method == "GET":
            return Response(
                IncidentTimelineEntrySerializer(incident.timeline.select_related("actor"), many=True).data
            )
        if not can(request.user, "incidents.comment_incident", incident):
            raise PermissionDenied
        body = IncidentCommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = services.add_comment(
            actor=request.user, incident=incident, message=body.validated_data["message"]
        )
        return Response(IncidentTimelineEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class MeasureViewSet(ScopedReadOnlyViewSet):
    """Measures across incidents: the institution confirms, the analyst verifies."""

    queryset = Measure.objects.select_related("incident")
    serializer_class = IncidentMeasureSerializer
    filterset_class = MeasureFilterSet
    permission_map = {"confirm": "incidents.confirm_measure", "verify": "incidents.verify_measure"}

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "action", None) in {"confirm", "verify"}:
            if getattr(self, "swagger_fake_view", False):
                return Measure.objects.none()
            return restrict(
                Measure.objects.select_related("incident"), self.request.user, "incidents.view_measure"
            )
        return super().get_queryset()

    @extend_schema(request=IncidentMeasureConfirmSerializer, responses={200: IncidentMeasureSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        """The institution confirms the measure with a comment and, optionally, evidence (base64)."""
        measure = self.get_object()
        body = IncidentMeasureConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evidence = body.validated_data.get("evidence")
        measure = services.confirm_measure(
            actor=request.user,
            measure=measure,
            comment=body.validated_data["comment"],
            evidence=evidence["upload"] if evidence else None,
        )
        return Response(IncidentMeasureSerializer(measure).data)

    @extend_schema(request=IncidentMeasureVerifySerializer, responses={200: IncidentMeasureSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: Any = None) -> Response:
        """The analyst verifies a confirmed measure, or returns it with a comment."""
        measure = self.get_object()
        body = IncidentMeasureVerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        measure = services.verify_measure(
            actor=request.user,
            measure=measure,
            accept=body.validated_data["decision"] == "accept",
            comment=body.validated_data.get("comment", ""),
        )
        return Response(IncidentMeasureSerializer(measure).data)
