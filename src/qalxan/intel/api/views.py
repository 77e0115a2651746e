"""API of the intel app: indicators (with bulk text import), campaigns, sightings, STIX and MISP exports."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from qalxan.core import audit
from qalxan.core.api.viewsets import ScopedMixin, ScopedReadOnlyViewSet
from qalxan.core.choices import AuditAction
from qalxan.core.tenancy import restrict, scope
from qalxan.intel import exchange, services
from qalxan.intel.api.serializers import (
    IntelCampaignSerializer,
    IntelCampaignStepSerializer,
    IntelExchangeImportResultSerializer,
    IntelExchangeImportSerializer,
    IntelIndicatorSerializer,
    IntelSightingSerializer,
    IntelSightingUploadResultSerializer,
    IntelSightingUploadSerializer,
    IntelTextImportResultSerializer,
    IntelTextImportSerializer,
)
from qalxan.intel.choices import TLP_RANK, Tlp
from qalxan.intel.filtersets import CampaignFilterSet, IndicatorFilterSet, SightingFilterSet
from qalxan.intel.models import Campaign, Indicator, IndicatorReport, Sighting
from qalxan.intel.queries import other_institutions
from qalxan.organizations.models import Organization

VIEW = "intel.view_indicator"


def indicator_context(user: Any, indicators: list[Indicator]) -> dict[str, Any]:
    """Per-indicator facts for the serializer: anonymised counts, own reports, visible incidents."""
    from qalxan.incidents.models import Incident

    ids = [i.pk for i in indicators]
    own_scope = scope(user, VIEW)
    reports = IndicatorReport.objects.filter(indicator_id__in=ids)
    own_reports = (
        reports if own_scope.everything else reports.filter(organization_id__in=own_scope.organization_ids)
    )
    visible_incidents = restrict(Incident.objects.all(), user, "incidents.view_incident").values("pk")
    incidents: dict[int, list[int]] = {}
    for indicator_id, incident_id in reports.filter(
        incident__isnull=False, incident_id__in=visible_incidents
    ).values_list("indicator_id", "incident_id"):
        incidents.setdefault(indicator_id, []).append(incident_id)
    return {
        "others": other_institutions(user, ids),
        "own": set(own_reports.values_list("indicator_id", flat=True)) if not own_scope.everything else set(),
        "incidents": incidents,
    }


def _organization(user: Any, pk: Any, permission: str) -> Organization | None:
    if pk in (None, ""):
        return None
    found = restrict(Organization.objects.filter(pk=pk), user, permission).first()
    if found is None:
        raise ValidationError({"organization": ["Unknown institution."]})
    return found


class _SharedObjectMixin:
    """Objects owned by several institutions (through reports or incidents) have no single owner, so the
    object check of a read is the narrowed queryset itself; writes still need the permission everywhere."""

    def check_object_permissions(self, request: Request, obj: Any) -> None:
        if getattr(self, "action", None) == "retrieve":
            return
        super().check_object_permissions(request, obj)  # type: ignore[misc]  # GenericAPIView's


class IndicatorViewSet(
    _SharedObjectMixin,
    ScopedMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Indicators: an institution sees what it reported or sighted and what is shared with everyone
    (TLP:CLEAR/GREEN), with the anonymised number of other institutions that reported each one."""

    queryset = Indicator.objects.select_related("warning_list")
    serializer_class = IntelIndicatorSerializer
    filterset_class = IndicatorFilterSet
    permission_map = {"bulk_import": "intel.add_indicator"}

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return Indicator.objects.none()
        return Indicator.objects.visible_to(self.request.user, VIEW).select_related("warning_list")

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        instance = args[0] if args else kwargs.get("instance")
        context = dict(self.get_serializer_context())
        if instance is not None:
            items = list(instance) if isinstance(instance, list | QuerySet) else [instance]
            context["intel"] = indicator_context(self.request.user, items)
        kwargs["context"] = context
        return self.get_serializer_class()(*args, **kwargs)

    def perform_destroy(self, instance: Indicator) -> None:
        services.delete_indicator(actor=self.request.user, indicator=instance)

    @extend_schema(
        request=IntelTextImportSerializer,
        responses={200: IntelTextImportResultSerializer, 400: IntelTextImportResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import")
    def bulk_import(self, request: Request) -> Response:
        """Bulk entry from pasted text: defanged values are refanged, indicators extracted and de-duplicated.

        Nothing is stored when a line holds an invalid URL or e-mail address (the line is named);
        `dry_run` lists what would be stored, with the warning lists that would flag values as benign."""
        body = IntelTextImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        organization = _organization(request.user, data.get("organization"), "intel.add_indicator")
        outcome = services.import_text(
            actor=request.user,
            text=data["text"],
            tlp=data["tlp"],
            confidence=data["confidence"],
            source=data["source"],
            organization=organization,
            commit=not data["dry_run"],
        )
        from qalxan.intel.warninglists import Checker

        benign = Checker().check(outcome.values) if outcome.values else {}
        names = dict(
            services.WarningList.objects.filter(pk__in=set(benign.values())).values_list("pk", "name")
        )
        payload = {
            "committed": outcome.committed,
            "found": [{"kind": v.kind, "value": v.value} for v in outcome.values],
            "created": len(outcome.result.created) if outcome.result else 0,
            "known_benign": [
                {"kind": k, "value": v, "warning_list": names.get(wl, "")} for (k, v), wl in benign.items()
            ],
            "errors": outcome.errors,
        }
        return Response(payload, status=status.HTTP_400_BAD_REQUEST if outcome.errors else status.HTTP_200_OK)


class CampaignViewSet(
    _SharedObjectMixin,
    ScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Campaigns: connected incidents sharing indicators. An institution sees a campaign its incidents are
    part of — its own incidents and the number of institutions, never their names."""

    queryset = Campaign.objects.all()
    serializer_class = IntelCampaignSerializer
    filterset_class = CampaignFilterSet
    permission_map = {
        "update": "intel.confirm_campaign",
        "partial_update": "intel.confirm_campaign",
        "transition": "intel.view_campaign",
    }

    @extend_schema(request=IntelCampaignStepSerializer, responses={200: IntelCampaignSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: Any = None) -> Response:
        """Confirm (with a name, threat actor, intrusion set), dismiss, close or reopen a campaign."""
        campaign = self.get_object()
        body = IntelCampaignStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        step, message = data.pop("step"), data.pop("message", "")
        campaign = services.move_campaign(
            actor=request.user, campaign=campaign, step=step, message=message, **data
        )
        return Response(self.get_serializer(campaign).data)


class SightingViewSet(ScopedReadOnlyViewSet):
    """Sightings: an institution uploads what `qalxan sweep` found in its own logs and sees its own."""

    queryset = Sighting.objects.select_related("indicator")
    serializer_class = IntelSightingSerializer
    filterset_class = SightingFilterSet
    permission_map = {"create": "intel.add_sighting"}

    @extend_schema(
        request=IntelSightingUploadSerializer, responses={201: IntelSightingUploadResultSerializer}
    )
    def create(self, request: Request) -> Response:
        """Upload sightings (up to 10,000 per request); all are stored or none, bad rows are named."""
        body = IntelSightingUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        organization = Organization.objects.filter(pk=body.validated_data["organization"]).first()
        if organization is None:
            raise ValidationError({"organization": ["Unknown institution."]})
        result = services.record_sightings(
            actor=request.user, organization=organization, sightings=body.validated_data["sightings"]
        )
        return Response(
            {"created": len(result.sightings), "incident": result.incident.pk if result.incident else None},
            status=status.HTTP_201_CREATED,
        )


EXPORT_PARAMETERS = [
    OpenApiParameter("tlp", OpenApiTypes.STR, description="Highest TLP to include (default AMBER+STRICT)."),
    OpenApiParameter("kind", OpenApiTypes.STR, description="Only indicators of this kind."),
    OpenApiParameter(
        "updated_after", OpenApiTypes.DATETIME, description="Only indicators changed after this time."
    ),
]


class _ExportView(ScopedMixin, GenericAPIView):
    queryset = Indicator.objects.all()
    permission_map = {"get": "intel.export_indicator"}
    filterset_class = None
    pagination_class = None

    def indicators(self, request: Request) -> list[Indicator]:
        """Active, not known-benign indicators visible to the caller, up to the requested TLP."""
        ceiling = request.query_params.get("tlp", Tlp.AMBER_STRICT).upper().removeprefix("TLP:")
        if ceiling not in TLP_RANK:
            raise ValidationError({"tlp": ["Unknown TLP marking."]})
        allowed = [t for t, rank in TLP_RANK.items() if rank <= TLP_RANK[Tlp(ceiling)]]
        qs = (
            Indicator.objects.visible_to(request.user, "intel.export_indicator")
            .active()
            .filter(tlp__in=allowed)
        )
        form = IndicatorFilterSet(
            {k: request.query_params[k] for k in ("kind", "updated_after") if k in request.query_params},
            queryset=qs,
        )
        if not form.is_valid():
            raise ValidationError(form.errors)
        rows = list(form.qs.order_by("updated_at", "id")[:100_000])
        audit.record(
            actor=request.user,
            action=AuditAction.EXPORT,
            message=f"{self.format_name} export: {len(rows)} indicators up to TLP:{ceiling}",
        )
        return rows

    format_name = ""


class StixExportView(_ExportView):
    """A STIX 2.1 bundle of indicators (valid for stix2-validator), for CERT, supervisors and auditors;
    institutions receive STIX through the TAXII collections shared with them."""

    format_name = "STIX"

    @extend_schema(
        parameters=EXPORT_PARAMETERS, responses={(200, "application/stix+json"): OpenApiTypes.OBJECT}
    )
    def get(self, request: Request) -> HttpResponse:
        body = exchange.stix_bundle(self.indicators(request))
        response = HttpResponse(body, content_type="application/stix+json;version=2.1")
        response["Content-Disposition"] = (
            f'attachment; filename="qalxan-indicators-{timezone.now():%Y%m%d%H%M}.json"'
        )
        return response


class MispExportView(_ExportView):
    """A MISP event (JSON) with one attribute per indicator, tagged with its TLP."""

    format_name = "MISP"

    @extend_schema(parameters=EXPORT_PARAMETERS, responses={(200, "application/json"): OpenApiTypes.OBJECT})
    def get(self, request: Request) -> HttpResponse:
        body = exchange.misp_event(
            self.indicators(request), info=f"Qalxan indicators {timezone.now():%Y-%m-%d %H:%M}"
        )
        response = HttpResponse(body, content_type="application/json")
        response["Content-Disposition"] = (
            f'attachment; filename="qalxan-misp-{timezone.now():%Y%m%d%H%M}.json"'
        )
        return response


def import_exchange(
    *, actor: Any, fmt: str, content: str | bytes, tlp: str, organization: Any
) -> dict[str, Any]:
    """Read a STIX bundle or MISP event and store its indicators (all or nothing)."""
    parsed = exchange.read_stix(content) if fmt == "stix" else exchange.read_misp(content)
    outcome: dict[str, Any] = {
        "committed": False,
        "created": 0,
        "indicators": len(parsed.items),
        "skipped": parsed.skipped,
        "errors": parsed.errors,
    }
    if parsed.errors:
        return outcome
    if not parsed.items:
        outcome["errors"] = [
            {"object": "", "field": "", "value": "", "message": "No indicators in the file."}
        ]
        return outcome
    from django.db import transaction

    groups: dict[tuple[str, int], list[Any]] = {}
    for item in parsed.items:
        groups.setdefault(
            (item.tlp or tlp, item.confidence if item.confidence is not None else 50), []
        ).append(item.value)
    source = ("STIX " if fmt == "stix" else "MISP ") + (parsed.title or "import")
    created = 0
    with transaction.atomic():
        for (item_tlp, confidence), values in groups.items():
            result = services.add_indicators(
                actor=actor,
                values=values,
                tlp=item_tlp,
                confidence=confidence,
                source=source[:200],
                organization=organization,
            )
            created += len(result.created)
    outcome.update(committed=True, created=created)
    return outcome


class ExchangeImportView(ScopedMixin, GenericAPIView):
    """Import a STIX 2.1 bundle or a MISP event (CERT): all indicators are stored or none."""

    queryset = Indicator.objects.all()
    permission_map = {"post": "intel.import_indicator"}
    serializer_class = IntelExchangeImportSerializer
    filterset_class = None
    pagination_class = None

    @extend_schema(
        request=IntelExchangeImportSerializer,
        responses={200: IntelExchangeImportResultSerializer, 400: IntelExchangeImportResultSerializer},
    )
    def post(self, request: Request) -> Response:
        body = IntelExchangeImportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        organization = _organization(request.user, data.get("organization"), "intel.import_indicator")
        try:
            outcome = import_exchange(
                actor=request.user,
                fmt=data["format"],
                content=data["content"],
                tlp=data["tlp"],
                organization=organization,
            )
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return Response(
            outcome, status=status.HTTP_200_OK if outcome["committed"] else status.HTTP_400_BAD_REQUEST
        )
