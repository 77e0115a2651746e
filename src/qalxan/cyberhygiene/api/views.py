"""API of the cyber-hygiene app: leaks, compromised accounts, stealer victims, administrator lists,
training and phishing drills. Every list goes through tenancy; an institution sees only its own."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from qalxan.core import importers
from qalxan.core.api.serializers import ImportResultSerializer, ImportUploadSerializer
from qalxan.core.api.views import ImportActionMixin
from qalxan.core.api.viewsets import ScopedMixin, ScopedReadOnlyViewSet
from qalxan.cyberhygiene import services
from qalxan.cyberhygiene.api import serializers as s
from qalxan.cyberhygiene.filtersets import (
    AdminAccountFilterSet,
    EnrolmentFilterSet,
    ExposureFilterSet,
    LeakFilterSet,
    PhishingResultFilterSet,
    TrainingCampaignFilterSet,
    VictimFilterSet,
)
from qalxan.cyberhygiene.models import (
    AdminAccount,
    Enrolment,
    Exposure,
    Leak,
    PhishingResult,
    StealerVictim,
    TrainingCampaign,
)
from qalxan.incidents.api.serializers import IncidentSerializer


class LeakViewSet(
    ScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Ingested leaks with their progress and report (CERT analysts); upload files to ingest a new one."""

    queryset = Leak.objects.all()
    serializer_class = s.CyberHygieneLeakSerializer
    filterset_class = LeakFilterSet
    parser_classes = [MultiPartParser, FormParser]
    permission_map = {"notify": "cyberhygiene.notify_exposure"}

    @extend_schema(
        request={"multipart/form-data": s.CyberHygieneLeakUploadSerializer},
        responses={201: s.CyberHygieneLeakSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Upload the files of a leak (combination lists, CSV, stealer-log zip archives); ingestion runs as
        a job."""
        upload = s.CyberHygieneLeakUploadSerializer(
            data={**request.data.dict(), "files": request.FILES.getlist("files")}
            if hasattr(request.data, "dict")
            else request.data,
            context={"request": request},
        )
        upload.is_valid(raise_exception=True)
        leak = upload.save()
        leak.refresh_from_db()
        return Response(s.CyberHygieneLeakSerializer(leak).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.CyberHygieneNotifiedSerializer})
    @action(detail=True, methods=["post"])
    def notify(self, request: Request, pk: Any = None) -> Response:
        """Notify the institutions of this leak's accounts that have not been told yet."""
        leak = self.get_object()
        count = services.notify_institutions(actor=request.user, leak=leak)
        return Response({"notified": count})


class ExposureViewSet(ScopedReadOnlyViewSet):
    """Compromised accounts (masked): an institution sees its own and confirms the measures taken."""

    queryset = Exposure.objects.select_related("first_leak", "service").prefetch_related("sightings__leak")
    serializer_class = s.CyberHygieneExposureSerializer
    filterset_class = ExposureFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    permission_map = {
        "confirm": "cyberhygiene.confirm_exposure",
        "dismiss": "cyberhygiene.dismiss_exposure",
        "reopen": "cyberhygiene.dismiss_exposure",
    }

    @extend_schema(request=s.CyberHygieneConfirmSerializer, responses={200: s.CyberHygieneExposureSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        """Confirm the measures taken for this account: `{"measures_done": ["reset_password",
        "enforce_2fa"]}`."""
        exposure = self.get_object()
        body = s.CyberHygieneConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.confirm_exposure(
            actor=request.user,
            exposure=exposure,
            measures_done=body.validated_data["measures_done"],
            note=body.validated_data.get("note", ""),
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=s.CyberHygieneNoteSerializer, responses={200: s.CyberHygieneExposureSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: Any = None) -> Response:
        """Close an account that needs nothing, with the reason."""
        exposure = self.get_object()
        body = s.CyberHygieneNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.dismiss_exposure(actor=request.user, exposure=exposure, note=body.validated_data["note"])
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=s.CyberHygieneNoteSerializer, responses={200: s.CyberHygieneExposureSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        """Send a closed account back to the institution, with the reason."""
        exposure = self.get_object()
        body = s.CyberHygieneNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.reopen_exposure(actor=request.user, exposure=exposure, note=body.validated_data["note"])
        return Response(self.get_serializer(self.get_object()).data)


class VictimViewSet(ScopedReadOnlyViewSet):
    """Computers of state institutions whose stealer logs were found; one step turns one into an incident."""

    queryset = StealerVictim.objects.select_related("leak")
    serializer_class = s.CyberHygieneVictimSerializer
    filterset_class = VictimFilterSet
    permission_map = {"escalate": "cyberhygiene.escalate_stealervictim"}

    @extend_schema(request=None, responses={201: IncidentSerializer})
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: Any = None) -> Response:
        """Open an incident for this victim at its institution."""
        victim = self.get_object()
        incident = services.escalate_victim(actor=request.user, victim=victim)
        return Response(
            IncidentSerializer(incident, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class AdminAccountViewSet(
    ImportActionMixin,
    ScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """An institution's administrator accounts (masked); the login is hashed on arrival."""

    queryset = AdminAccount.objects.all()
    serializer_class = s.CyberHygieneAdminAccountSerializer
    filterset_class = AdminAccountFilterSet
    importer_key = "cyberhygiene-admins"
    permission_map = {"import_file": "cyberhygiene.add_adminaccount"}

    def perform_destroy(self, instance: AdminAccount) -> None:
        services.delete_admin_account(actor=self.request.user, account=instance)


def _with_counts(queryset: QuerySet[TrainingCampaign]) -> QuerySet[TrainingCampaign]:
    return queryset.annotate(
        enrolled=Count("enrolments"),
        completed=Count("enrolments", filter=Q(enrolments__completed_on__isnull=False)),
        average_score=Avg("enrolments__score"),
    ).order_by("-starts_on", "course", "id")


class TrainingViewSet(ImportActionMixin, ScopedReadOnlyViewSet):
    """Awareness-training campaigns per institution with enrolments, completions and the average score."""

    queryset = _with_counts(TrainingCampaign.objects.all())
    serializer_class = s.CyberHygieneTrainingSerializer
    filterset_class = TrainingCampaignFilterSet
    importer_key = "cyberhygiene-training"
    permission_map = {"import_file": "cyberhygiene.import_trainingcampaign"}


class EnrolmentViewSet(ScopedReadOnlyViewSet):
    """Learners of the training campaigns."""

    queryset = Enrolment.objects.select_related("campaign")
    serializer_class = s.CyberHygieneEnrolmentSerializer
    filterset_class = EnrolmentFilterSet


class PhishingViewSet(ImportActionMixin, ScopedReadOnlyViewSet):
    """Phishing-drill results per institution and campaign."""

    queryset = PhishingResult.objects.all()
    serializer_class = s.CyberHygienePhishingSerializer
    filterset_class = PhishingResultFilterSet
    importer_key = "cyberhygiene-phishing"
    permission_map = {
        "import_file": "cyberhygiene.import_phishingresult",
        "import_gophish": "cyberhygiene.import_phishingresult",
    }

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={200: ImportResultSerializer, 400: ImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import-gophish")
    def import_gophish(self, request: Request) -> Response:
        """A Gophish campaign's "Export CSV" of results; the file's name is the campaign's name."""
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        importer = importers.get("cyberhygiene-gophish")(request.user)
        result = importer.run(
            filename=file.name or "gophish.csv",
            content=file.read(),
            commit=not upload.validated_data["dry_run"],
        )
        return Response(
            result.as_dict(), status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        )
