"""API of the commission: proposals, meetings (with agenda and protocol), decisions, tasks, letters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from qalxan.commission import documents, queries, services
from qalxan.commission.api import serializers as s
from qalxan.commission.api.permissions import CommissionPermission
from qalxan.commission.filtersets import (
    DecisionFilterSet,
    LetterFilterSet,
    MeetingFilterSet,
    ProposalFilterSet,
    TaskFilterSet,
)
from qalxan.commission.models import Decision, Letter, Meeting, Proposal, Protocol, Task
from qalxan.core.api.viewsets import ScopedModelViewSet

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class CommissionViewSet(ScopedModelViewSet):
    """Base: reads go through the app's visibility query, writes through services; no DELETE."""

    permission_classes = [CommissionPermission]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    visible: Callable[[Any, QuerySet[Any]], QuerySet[Any]]

    def get_queryset(self) -> QuerySet[Any]:
        queryset = GenericAPIView.get_queryset(self)
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        return type(self).visible(self.request.user, queryset)

    def _input(self, serializer_class: type[Any], request: Request) -> dict[str, Any]:
        serializer = serializer_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _object(self) -> Any:
        return self.get_object()


def _transition(
    services_by_step: dict[str, Callable[..., Any]], obj: Any, actor: Any, data: dict[str, Any]
) -> None:
    step = data["step"]
    service = services_by_step.get(step)
    if service is None:
        raise ValidationError({"step": _("Unknown step “%(name)s”.") % {"name": step}})
    service(actor, obj, data.get("message", ""))


def _document(content: bytes, kind: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX if kind == "docx" else "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{kind}"'
    return response


def _document_params(request: Request) -> tuple[str, str]:
    kind = request.query_params.get("kind", "docx")
    language = request.query_params.get("language", "az")
    errors = {}
    if kind not in {"docx", "pdf"}:
        errors["kind"] = [_("Choose docx or pdf.")]
    if language not in documents.LANGUAGES:
        errors["language"] = [_("Choose az, en or ru.")]
    if errors:
        raise ValidationError(errors)
    return kind, language


DOCUMENT_PARAMS = [
    OpenApiParameter("kind", str, enum=["docx", "pdf"], description="docx (default) or pdf"),
    OpenApiParameter("language", str, enum=list(documents.LANGUAGES), description="az (default), en or ru"),
]


class ProposalViewSet(CommissionViewSet):
    """Proposals of institutions: an institution sees and submits its own; the secretary screens them."""

    queryset = Proposal.objects.select_related("organization", "submitted_by").prefetch_related("attachments")
    serializer_class = s.ProposalSerializer
    filterset_class = ProposalFilterSet
    visible = staticmethod(queries.visible_proposals)
    permission_map = {
        "attach": "commission.change_proposal",
        "return_proposal": "commission.screen_proposal",
        "merge": "commission.screen_proposal",
        "put_on_agenda": "commission.screen_proposal",
        "resubmit": "commission.change_proposal",
    }

    @extend_schema(
        request={"multipart/form-data": s.CommissionFileSerializer}, responses={201: s.ProposalSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attach(self, request: Request, pk: Any = None) -> Response:
        """Attach a file to the proposal."""
        proposal = self._object()
        data = self._input(s.CommissionFileSerializer, request)
        services.add_proposal_attachment(actor=request.user, proposal=proposal, file=data["file"])
        return Response(self.get_serializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.CommissionReasonSerializer, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_proposal(self, request: Request, pk: Any = None) -> Response:
        """Return the proposal to its institution with a reason."""
        proposal = self._object()
        data = self._input(s.CommissionReasonSerializer, request)
        services.return_proposal(actor=request.user, proposal=proposal, reason=data["reason"])
        return Response(self.get_serializer(proposal).data)

    @extend_schema(request=s.ProposalMergeSerializer, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: Any = None) -> Response:
        """Merge the proposal into another one."""
        proposal = self._object()
        data = self._input(s.ProposalMergeSerializer, request)
        services.merge_proposal(actor=request.user, proposal=proposal, into=data["into"])
        return Response(self.get_serializer(proposal).data)

    @extend_schema(request=s.CommissionMeetingChoiceSerializer, responses={201: s.AgendaItemSerializer})
    @action(detail=True, methods=["post"], url_path="put-on-agenda")
    def put_on_agenda(self, request: Request, pk: Any = None) -> Response:
        """Put the proposal on a meeting's agenda."""
        proposal = self._object()
        data = self._input(s.CommissionMeetingChoiceSerializer, request)
        item = services.put_proposal_on_agenda(actor=request.user, proposal=proposal, meeting=data["meeting"])
        return Response(s.AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ProposalSerializer)
    @action(detail=True, methods=["post"])
    def resubmit(self, request: Request, pk: Any = None) -> Response:
        """Submit a returned proposal again."""
        proposal = self._object()
        services.resubmit_proposal(actor=request.user, proposal=proposal)
        return Response(self.get_serializer(proposal).data)


MEETING_STEPS: dict[str, Callable[..., Any]] = {
    "send_agenda": lambda actor, m, msg: services.send_agenda(actor=actor, meeting=m),
    "hold": lambda actor, m, msg: services.hold_meeting(actor=actor, meeting=m),
    "cancel": lambda actor, m, msg: services.cancel_meeting(actor=actor, meeting=m, reason=msg),
}


class MeetingViewSet(CommissionViewSet):
    """Meetings: the secretary runs them; members read those their body is invited to."""

    queryset = Meeting.objects.select_related("chair", "working_group").prefetch_related(
        "invitations__member"
    )
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilterSet
    visible = staticmethod(queries.visible_meetings)
    permission_map = {
        "agenda": "commission.view_meeting",
        "add_agenda_item": "commission.change_meeting",
        "agenda_document": "commission.view_meeting",
        "attendance": "commission.change_meeting",
        "transition": "commission.change_meeting",
        "protocol": "commission.view_meeting",
        "generate_protocol": "commission.change_meeting",
        "approve_protocol": "commission.approve_protocol",
        "protocol_document": "commission.view_meeting",
        "comments": "commission.view_meeting",
        "add_comment": "commission.comment_meeting",
    }

    @extend_schema(responses=s.AgendaItemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def agenda(self, request: Request, pk: Any = None) -> Response:
        """The agenda items of the meeting."""
        meeting = self._object()
        return Response(s.AgendaItemSerializer(meeting.agenda_items.order_by("order"), many=True).data)

    @extend_schema(request=s.AgendaItemCreateSerializer, responses={201: s.AgendaItemSerializer})
    @agenda.mapping.post
    def add_agenda_item(self, request: Request, pk: Any = None) -> Response:
        """Add an item from a registered source (proposal, overdue task, …) or a free item."""
        meeting = self._object()
        data = self._input(s.AgendaItemCreateSerializer, request)
        item = services.add_agenda_item(actor=request.user, meeting=meeting, **data)
        return Response(s.AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[DOCUMENT_PARAMS[1]], responses={(200, DOCX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="agenda/document")
    def agenda_document(self, request: Request, pk: Any = None) -> HttpResponse:
        """The agenda as a Word document."""
        meeting = self._object()
        _kind, language = _document_params(request)
        return _document(documents.agenda_docx(meeting, language), "docx", f"agenda-{meeting.pk}-{language}")

    @extend_schema(request=s.MeetingAttendanceSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: Any = None) -> Response:
        """Record who attended."""
        meeting = self._object()
        data = self._input(s.MeetingAttendanceSerializer, request)
        services.record_attendance(
            actor=request.user,
            meeting=meeting,
            attendance={r["invitation"]: (r["attendance"], r["representative"]) for r in data["rows"]},
        )
        return Response(self.get_serializer(meeting).data)

    @extend_schema(request=s.CommissionTransitionSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: Any = None) -> Response:
        """Move the meeting on: send_agenda, hold or cancel (it closes when its protocol is approved)."""
        meeting = self._object()
        _transition(
            MEETING_STEPS, meeting, request.user, self._input(s.CommissionTransitionSerializer, request)
        )
        return Response(self.get_serializer(meeting).data)

    def _protocol(self, meeting: Meeting) -> Response:
        protocol = Protocol.objects.filter(meeting=meeting).prefetch_related("versions__created_by").first()
        if protocol is None:
            return Response(
                {"detail": _("No protocol has been generated yet.")}, status=status.HTTP_404_NOT_FOUND
            )
        return Response(s.ProtocolSerializer(protocol).data)

    @extend_schema(responses={200: s.ProtocolSerializer, 404: OpenApiResponse(description="No protocol yet")})
    @action(detail=True, methods=["get"])
    def protocol(self, request: Request, pk: Any = None) -> Response:
        """The protocol of the meeting and its versions."""
        return self._protocol(self._object())

    @extend_schema(request=None, responses={201: s.ProtocolSerializer})
    @protocol.mapping.post
    def generate_protocol(self, request: Request, pk: Any = None) -> Response:
        """Generate a new draft version of the protocol (refused once it is approved)."""
        meeting = self._object()
        services.generate_protocol_draft(actor=request.user, meeting=meeting)
        response = self._protocol(meeting)
        response.status_code = status.HTTP_201_CREATED
        return response

    @extend_schema(request=None, responses=s.ProtocolSerializer)
    @action(detail=True, methods=["post"], url_path="protocol/approve")
    def approve_protocol(self, request: Request, pk: Any = None) -> Response:
        """Approve and register the protocol; it becomes immutable and the decisions are published."""
        meeting = self._object()
        services.approve_protocol(actor=request.user, meeting=meeting)
        return self._protocol(meeting)

    @extend_schema(
        parameters=[*DOCUMENT_PARAMS, OpenApiParameter("version", int, description="default: the latest")],
        responses={(200, DOCX): OpenApiTypes.BINARY, (200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="protocol/document")
    def protocol_document(self, request: Request, pk: Any = None) -> HttpResponse:
        """The protocol as DOCX or PDF, in Azerbaijani, English or Russian."""
        meeting = self._object()
        kind, language = _document_params(request)
        protocol = Protocol.objects.filter(meeting=meeting).first()
        versions = protocol.versions.all() if protocol else None
        wanted = request.query_params.get("version")
        if wanted is not None and not wanted.isdigit():
            raise ValidationError({"version": [_("A version is a number.")]})
        version = (
            (
                versions.filter(version=int(wanted)).first()
                if wanted
                else versions.order_by("-version").first()
            )
            if versions is not None
            else None
        )
        if version is None:
            return HttpResponse(status=404)
        render = documents.protocol_docx if kind == "docx" else documents.protocol_pdf
        name = (protocol.number if protocol and protocol.number else f"protocol-draft-{meeting.pk}").replace(
            "/", "-"
        )
        return _document(render(version.content, language), kind, f"{name}-v{version.version}-{language}")

    @extend_schema(responses=s.DraftCommentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def comments(self, request: Request, pk: Any = None) -> Response:
        """Members' comments on the drafts of the meeting."""
        meeting = self._object()
        return Response(s.DraftCommentSerializer(meeting.comments.select_related("author"), many=True).data)

    @extend_schema(request=s.DraftCommentSerializer, responses={201: s.DraftCommentSerializer})
    @comments.mapping.post
    def add_comment(self, request: Request, pk: Any = None) -> Response:
        """Comment on a draft decision or on the draft protocol."""
        meeting = self._object()
        data = self._input(s.DraftCommentSerializer, request)
        comment = services.comment_on_drafts(
            actor=request.user, meeting=meeting, text=data["text"], decision=data.get("decision")
        )
        return Response(s.DraftCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


DECISION_STEPS: dict[str, Callable[..., Any]] = {
    "adopt": lambda actor, d, msg: services.adopt_decision(actor=actor, decision=d),
    "withdraw": lambda actor, d, msg: services.withdraw_decision(actor=actor, decision=d),
}


class DecisionViewSet(CommissionViewSet):
    """Decisions: drafts for the secretariat and invited members; published ones for every institution."""

    queryset = Decision.objects.select_related("meeting", "agenda_item").prefetch_related(
        "tasks__responsible"
    )
    serializer_class = s.DecisionSerializer
    filterset_class = DecisionFilterSet
    visible = staticmethod(queries.visible_decisions)
    permission_map = {
        "list": "commission.view_published_decision",
        "retrieve": "commission.view_published_decision",
        "transition": "commission.change_decision",
        "letters": "commission.add_letter",
    }

    @extend_schema(request=s.CommissionTransitionSerializer, responses=s.DecisionSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: Any = None) -> Response:
        """adopt or withdraw (publishing follows the approval of the protocol)."""
        decision = self._object()
        _transition(
            DECISION_STEPS, decision, request.user, self._input(s.CommissionTransitionSerializer, request)
        )
        return Response(self.get_serializer(decision).data)

    @extend_schema(request=None, responses={201: s.LetterSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def letters(self, request: Request, pk: Any = None) -> Response:
        """Draft a decision extract for every institution the decision's tasks concern."""
        decision = self._object()
        letters = services.letters_from_decision(actor=request.user, decision=decision)
        return Response(
            s.LetterSerializer(letters, many=True, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class TaskViewSet(CommissionViewSet):
    """Tasks: an institution sees those it is responsible for or co-executes, and reports on them."""

    queryset = Task.objects.select_related("responsible", "decision").prefetch_related(
        "executors__organization", "reports"
    )
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilterSet
    visible = staticmethod(queries.visible_tasks)
    permission_map = {
        "report": "commission.report_task",
        "review": "commission.review_task",
        "cancel": "commission.change_task",
        "carry_over": "commission.change_meeting",
    }

    @extend_schema(
        request={
            "multipart/form-data": s.TaskExecutionReportSerializer,
            "application/json": s.TaskExecutionReportSerializer,
        },
        responses={201: s.TaskSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def report(self, request: Request, pk: Any = None) -> Response:
        """Report execution, with evidence."""
        task = self._object()
        data = self._input(s.TaskExecutionReportSerializer, request)
        services.report_task(actor=request.user, task=task, text=data["text"], evidence=data.get("evidence"))
        return Response(self.get_serializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.TaskReportReviewSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: Any = None) -> Response:
        """Accept the report (the task is executed) or return it with a comment."""
        task = self._object()
        data = self._input(s.TaskReportReviewSerializer, request)
        services.review_task(actor=request.user, task=task, accept=data["accept"], comment=data["comment"])
        return Response(self.get_serializer(task).data)

    @extend_schema(request=s.CommissionReasonSerializer, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: Any = None) -> Response:
        """Cancel the task."""
        task = self._object()
        data = self._input(s.CommissionReasonSerializer, request)
        services.cancel_task(actor=request.user, task=task, reason=data["reason"])
        return Response(self.get_serializer(task).data)

    @extend_schema(request=s.CommissionMeetingChoiceSerializer, responses={201: s.AgendaItemSerializer})
    @action(detail=True, methods=["post"], url_path="carry-over")
    def carry_over(self, request: Request, pk: Any = None) -> Response:
        """Carry the overdue task onto the agenda of a meeting."""
        task = self._object()
        data = self._input(s.CommissionMeetingChoiceSerializer, request)
        item = services.carry_over_task(actor=request.user, task=task, meeting=data["meeting"])
        return Response(s.AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


LETTER_STEPS: dict[str, Callable[..., Any]] = {
    "register": lambda actor, x, msg: services.register_letter(actor=actor, letter=x),
    "send": lambda actor, x, msg: services.send_letter(actor=actor, letter=x),
    "deliver": lambda actor, x, msg: services.mark_letter_delivered(actor=actor, letter=x),
    "close": lambda actor, x, msg: services.close_letter(actor=actor, letter=x),
}


class LetterViewSet(CommissionViewSet):
    """Outgoing letters: the secretary drafts, registers and sends them; the recipient reads and answers."""

    queryset = Letter.objects.select_related("recipient", "decision").prefetch_related(
        "responses__registered_by"
    )
    serializer_class = s.LetterSerializer
    filterset_class = LetterFilterSet
    visible = staticmethod(queries.visible_letters)
    permission_map = {
        "transition": "commission.change_letter",
        "responses": "commission.respond_letter",
        "document": "commission.view_letter",
    }

    @extend_schema(request=s.CommissionTransitionSerializer, responses=s.LetterSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: Any = None) -> Response:
        """register (gives the number and date), send, deliver or close."""
        letter = self._object()
        _transition(
            LETTER_STEPS, letter, request.user, self._input(s.CommissionTransitionSerializer, request)
        )
        return Response(self.get_serializer(letter).data)

    @extend_schema(request=s.LetterResponseSerializer, responses={201: s.LetterResponseSerializer})
    @action(detail=True, methods=["post"])
    def responses(self, request: Request, pk: Any = None) -> Response:
        """Register a response to the letter, linked to the task it answers."""
        letter = self._object()
        data = self._input(s.LetterResponseSerializer, request)
        response = services.record_letter_response(actor=request.user, letter=letter, **data)
        return Response(s.LetterResponseSerializer(response).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=DOCUMENT_PARAMS,
        responses={(200, DOCX): OpenApiTypes.BINARY, (200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def document(self, request: Request, pk: Any = None) -> HttpResponse:
        """The letter as DOCX or PDF."""
        letter = self._object()
        kind, language = _document_params(request)
        render = documents.letter_docx if kind == "docx" else documents.letter_pdf
        name = (letter.number or f"letter-draft-{letter.pk}").replace("/", "-")
        return _document(render(letter, language), kind, f"{name}-{language}")
