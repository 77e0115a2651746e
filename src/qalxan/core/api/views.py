"""API of the core app: tokens, the current person, notifications, the audit log, imports."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import authenticate
from django.http import HttpResponseBase
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qalxan.core import importers, services
from qalxan.core.api.serializers import (
    ApiTokenSerializer,
    AuditEntrySerializer,
    ImportResultSerializer,
    ImportUploadSerializer,
    MeSerializer,
    NotificationSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from qalxan.core.api.viewsets import ScopedReadOnlyViewSet
from qalxan.core.exports import audit_csv_response
from qalxan.core.filtersets import AuditEntryFilterSet
from qalxan.core.middleware import two_factor_required
from qalxan.core.models import ApiToken, AuditEntry, Notification


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TokenObtainView(APIView):
    """Exchange a user name and password (and the TOTP code, when two-factor is on) for an API token."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description="Malformed request"),
            401: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = authenticate(request._request, username=values["username"], password=values["password"])
        if getattr(request._request, "axes_locked_out", False):
            return Response(
                {"detail": _("Too many failed sign-ins; the account is locked for a while.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        if user is None:
            return Response(
                {"detail": _("Wrong user name or password.")}, status=status.HTTP_401_UNAUTHORIZED
            )
        has_device = any(devices_for_user(user, confirmed=True))
        if not has_device and two_factor_required(user):
            return Response(
                {
                    "detail": _(
                        "Your role requires two-factor authentication: set it up in the web interface first."
                    )
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        if has_device:
            code = values.get("otp")
            if not code or match_token(user, code) is None:
                return Response(
                    {"detail": _("A valid two-factor code is required.")}, status=status.HTTP_401_UNAUTHORIZED
                )
        token, key = services.issue_api_token(
            actor=user, user=user, name=values.get("name") or _("API token")
        )
        return Response({"token": key, "expires_at": token.expires_at})


class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's own API tokens; DELETE revokes one at once."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    queryset = ApiToken.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user_id=cast(int, self.request.user.pk))

    def perform_destroy(self, instance: ApiToken) -> None:
        services.revoke_api_token(actor=self.request.user, token=instance)


class MeView(APIView):
    """Who the caller is and which roles they hold."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, tags=["auth"])
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's notifications."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    queryset = Notification.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return Notification.objects.filter(recipient_id=cast(int, self.request.user.pk))

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request: Request) -> Response:
        count = services.mark_notifications_read(actor=request.user)
        return Response({"marked": count})

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: Any = None) -> Response:
        """Acknowledge one of the caller's notifications."""
        note = services.acknowledge_notification(actor=request.user, notification=self.get_object())
        return Response(NotificationSerializer(note).data)


class AuditEntryViewSet(ScopedReadOnlyViewSet):
    """The audit log (append-only): administrators and auditors read all, an institution its own records."""

    queryset = AuditEntry.objects.select_related("content_type")
    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilterSet
    permission_map = {"export": "core.view_auditentry"}

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR}, filters=True)
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponseBase:
        """The filtered audit log as CSV."""
        queryset = self.filter_queryset(self.get_queryset())
        return audit_csv_response(queryset, actor=request.user)


class ImportActionMixin:
    """Adds `POST .../import/` (multipart: file, dry_run) running the named importer."""

    importer_key: str
    request: Any

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={200: ImportResultSerializer, 400: ImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_file(self, request: Request) -> Response:
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        importer = importers.get(self.importer_key)(request.user)
        result = importer.run(
            filename=file.name or "upload", content=file.read(), commit=not upload.validated_data["dry_run"]
        )
        return Response(
            result.as_dict(), status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        )
