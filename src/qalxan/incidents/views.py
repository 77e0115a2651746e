"""Pages of the incidents app: list, report form, incident page with triage/handling/measures, statistics,
open measures, quarantined e-mails and the SLA table."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.exports import csv_response
from qalxan.core.files import Upload
from qalxan.core.http import AuthenticatedRequest
from qalxan.core.panels import panels_for
from qalxan.core.tenancy import can, restrict
from qalxan.core.views.generic import ObjectDetailView, ObjectEditView, ObjectListView, PermissionRequiredView
from qalxan.incidents import queries, services
from qalxan.incidents.choices import MeasureState
from qalxan.incidents.filtersets import IncidentFilterSet, MeasureFilterSet
from qalxan.incidents.forms import (
    PAP_HELP,
    TLP_HELP,
    AttachmentForm,
    CommentForm,
    IncidentForm,
    MeasureConfirmForm,
    MeasureRequestForm,
    MeasureVerifyForm,
    RelateForm,
    SeverityPolicyForm,
    StepForm,
)
from qalxan.incidents.models import Incident, IncidentAttachment, Measure, QuarantinedMail, SeverityPolicy
from qalxan.incidents.tables import IncidentTable, MeasureTable
from qalxan.incidents.workflows import incident_lifecycle
from qalxan.organizations.models import Organization

VIEW = "incidents.view_incident"


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


class IncidentListView(ObjectListView):
    queryset = Incident.objects.select_related("organization")
    filterset_class = IncidentFilterSet
    table_class = IncidentTable
    title = gettext_lazy("Incidents")
    add_url_name = "incidents:incident_add"
    add_permission = "incidents.add_incident"


def visible_incident(request: HttpRequest, pk: int) -> Incident:
    return get_object_or_404(
        restrict(
            Incident.objects.select_related(
                "organization",
                "taxonomy_type__taxonomy_class",
                "assignee",
                "reported_by",
                "duplicate_of",
                "sector",
            ),
            request.user,
            VIEW,
        ),
        pk=pk,
    )


class IncidentEditView(ObjectEditView):
    queryset = Incident.objects.all()
    form_class = IncidentForm
    template_name = "incidents/incident_form.html"
    add_permission = "incidents.add_incident"
    change_permission = "incidents.change_incident"

    def render_form(self, form: Any, obj: Any) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "object": obj,
                "policies": services.reporting_obligations(),
                "cii_subject": restrict(
                    Organization.objects.filter(is_cii_subject=True),
                    self.request.user,
                    "incidents.add_incident",
                ).exists(),
                "tlp_help": TLP_HELP,
                "pap_help": PAP_HELP,
            },
        )

    def save(self, form: Any, obj: Incident | None) -> tuple[Incident, list[str]]:
        data = dict(form.cleaned_data)
        systems = list(data.pop("affected_systems", []))
        if obj is None:
            attachment = data.pop("attachment", None)
            return services.report_incident(
                actor=self.request.user,
                affected_systems=systems,
                attachments=[Upload.from_file(attachment)] if attachment else [],
                **data,
            ), []
        return services.update_incident(
            actor=self.request.user, incident=obj, affected_systems=systems, **data
        ), []


class IncidentDetailView(ObjectDetailView):
    queryset = Incident.objects.select_related(
        "organization", "taxonomy_type__taxonomy_class", "assignee", "reported_by", "duplicate_of", "sector"
    )
    template_name = "incidents/incident_detail.html"

    def extra_context(self, obj: Incident) -> dict[str, Any]:
        user = self.request.user
        steps = [
            {"transition": t, "form": StepForm(initial={"step": t.name})}
            for t in incident_lifecycle.available(obj, user)
        ]
        measures = obj.measures.select_related("requested_by", "confirmed_by", "verified_by")
        return {
            "steps": steps,
            "timeline": obj.timeline.select_related("actor"),
            "measures": measures,
            "attachments": obj.attachments.all(),
            "systems": obj.affected_systems.select_related("owner"),
            "related": restrict(obj.related.all(), user, VIEW),
            "can_change": can(user, "incidents.change_incident", obj)
            and (
                can(user, "incidents.triage_incident", obj) or obj.state in services.OFFICER_EDITABLE_STATES
            ),
            "can_comment": can(user, "incidents.comment_incident", obj),
            "can_triage": can(user, "incidents.triage_incident", obj),
            "can_request": can(user, "incidents.request_measure", obj),
            "can_confirm": can(user, "incidents.confirm_measure", obj),
            "can_verify": can(user, "incidents.verify_measure", obj),
            "comment_form": CommentForm(),
            "attachment_form": AttachmentForm(),
            "measure_form": MeasureRequestForm(),
            "confirm_form": MeasureConfirmForm(),
            "verify_form": MeasureVerifyForm(),
            "relate_form": RelateForm(),
            "measure_open_states": (MeasureState.REQUESTED, MeasureState.RETURNED),
            "panels": panels_for(obj, user),
        }


class StepView(PermissionRequiredView):
    permission = VIEW

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        incident = visible_incident(request, pk)
        form = StepForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, " ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
            )
            return redirect(incident.get_absolute_url())
        data = form.cleaned_data
        duplicate_of = None
        if data.get("duplicate_of"):
            duplicate_of = (
                restrict(Incident.objects.all(), request.user, VIEW).filter(pk=data["duplicate_of"]).first()
            )
            if duplicate_of is None:
                messages.error(request, _("Unknown incident."))
                return redirect(incident.get_absolute_url())
        try:
            services.move_incident(
                actor=request.user,
                incident=incident,
                step=data["step"],
                message=data.get("message") or "",
                severity=data.get("severity") or "",
                assignee=data.get("assignee"),
                duplicate_of=duplicate_of,
                reason=data.get("reason") or "",
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("%(ref)s is now: %(state)s.")
                % {"ref": incident.reference, "state": incident.get_state_display()},
            )
        return redirect(incident.get_absolute_url())


class CommentView(PermissionRequiredView):
    permission = "incidents.comment_incident"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        incident = visible_incident(request, pk)
        form = CommentForm(request.POST)
        if form.is_valid():
            try:
                services.add_comment(
                    actor=request.user, incident=incident, message=form.cleaned_data["message"]
                )
            except ValidationError as exc:
                _errors(request, exc)
        else:
            messages.error(request, _("Write a comment."))
        return redirect(incident.get_absolute_url() + "#timeline")


class AttachView(PermissionRequiredView):
    permission = "incidents.comment_incident"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        incident = visible_incident(request, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_attachment(
                    actor=request.user, incident=incident, upload=Upload.from_file(form.cleaned_data["file"])
                )
            except ValidationError as exc:
                _errors(request, exc)
        else:
            messages.error(request, _("Choose a file."))
        return redirect(incident.get_absolute_url())


class RelateView(PermissionRequiredView):
    permission = "incidents.triage_incident"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        incident = visible_incident(request, pk)
        form = RelateForm(request.POST)
        other = None
        if form.is_valid():
            other = (
                restrict(Incident.objects.all(), request.user, VIEW)
                .filter(pk=form.cleaned_data["other"])
                .first()
            )
        if other is None:
            messages.error(request, _("Unknown incident."))
        else:
            try:
                services.relate_incidents(actor=request.user, incident=incident, other=other)
            except ValidationError as exc:
                _errors(request, exc)
        return redirect(incident.get_absolute_url())


class MeasureRequestView(PermissionRequiredView):
    permission = "incidents.request_measure"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        incident = visible_incident(request, pk)
        form = MeasureRequestForm(request.POST)
        if form.is_valid():
            try:
                services.request_measure(actor=request.user, incident=incident, **form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
        else:
            messages.error(request, _("Describe the measure."))
        return redirect(incident.get_absolute_url() + "#measures")


def _visible_measure(request: HttpRequest, pk: int) -> Measure:
    return get_object_or_404(
        restrict(Measure.objects.select_related("incident"), request.user, "incidents.view_measure"), pk=pk
    )


class MeasureConfirmView(PermissionRequiredView):
    permission = "incidents.confirm_measure"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        measure = _visible_measure(request, pk)
        form = MeasureConfirmForm(request.POST, request.FILES)
        if form.is_valid():
            evidence = form.cleaned_data.get("evidence")
            try:
                services.confirm_measure(
                    actor=request.user,
                    measure=measure,
                    comment=form.cleaned_data["comment"],
                    evidence=Upload.from_file(evidence) if evidence else None,
                )
            except ValidationError as exc:
                _errors(request, exc)
        else:
            messages.error(request, _("Say what was done."))
        return redirect(measure.get_absolute_url())


class MeasureVerifyView(PermissionRequiredView):
    permission = "incidents.verify_measure"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        measure = _visible_measure(request, pk)
        form = MeasureVerifyForm(request.POST)
        if form.is_valid():
            try:
                services.verify_measure(
                    actor=request.user,
                    measure=measure,
                    accept=form.cleaned_data["decision"] == "accept",
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                _errors(request, exc)
        return redirect(measure.get_absolute_url())


class MeasureListView(ObjectListView):
    queryset = Measure.objects.select_related("incident__organization")
    filterset_class = MeasureFilterSet
    table_class = MeasureTable
    title = gettext_lazy("Measures")

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.GET:
            query = request.GET.copy()
            query.setlist("state", [MeasureState.REQUESTED, MeasureState.CONFIRMED, MeasureState.RETURNED])
            request.GET = query  # type: ignore[assignment]  # the open measures by default
        return super().get(request)


class AttachmentDownloadView(PermissionRequiredView):
    permission = VIEW

    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
        attachment = get_object_or_404(restrict(IncidentAttachment.objects.all(), request.user, VIEW), pk=pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=attachment.filename)


def _period(request: HttpRequest) -> tuple[dt.date | None, dt.date | None]:
    def parse(name: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return None

    return parse("since"), parse("until")


class StatisticsView(PermissionRequiredView):
    permission = queries.STATS

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        since, until = _period(request)
        figures = queries.statistics(request.user, since=since, until=until)
        return render(
            request,
            "incidents/statistics.html",
            {
                "figures": figures,
                "since": since,
                "until": until,
                "triage_median": queries.human_duration(figures["triage"]["median"]),
                "triage_p90": queries.human_duration(figures["triage"]["p90"]),
                "resolve_median": queries.human_duration(figures["resolve"]["median"]),
                "resolve_p90": queries.human_duration(figures["resolve"]["p90"]),
            },
        )


def statistics_rows(figures: dict[str, Any]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for table, label in (
        ("by_class", _("Class")),
        ("by_sector", _("Sector")),
        ("by_organization", _("Institution")),
        ("by_month", _("Month")),
        ("open_measures", _("Open measures")),
    ):
        rows.extend([str(label), str(r["label"]), r["n"]] for r in figures[table])
    for key, label in (("triage", _("Time to triage (s)")), ("resolve", _("Time to resolve (s)"))):
        rows.append([str(label), "median", figures[key]["median"]])
        rows.append([str(label), "p90", figures[key]["p90"]])
    rows.append([_("Late reports"), "", figures["totals"]["late"]])
    return rows


class StatisticsExportView(PermissionRequiredView):
    permission = queries.STATS

    def get(self, request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
        since, until = _period(request)
        figures = queries.statistics(request.user, since=since, until=until)
        audit.record(actor=request.user, action=AuditAction.EXPORT, message=f"incident statistics {fmt}")
        header = [_("Figure"), _("Group"), _("Value")]
        rows = statistics_rows(figures)
        if fmt == "csv":
            return csv_response("incident-statistics.csv", header, rows)
        if fmt != "xlsx":
            raise Http404
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "statistics"
        sheet.append([str(h) for h in header])
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
        response["Content-Disposition"] = 'attachment; filename="incident-statistics.xlsx"'
        return response


class QuarantineView(PermissionRequiredView):
    permission = "incidents.view_quarantinedmail"

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        if not restrict_everything(request.user, self.permission):
            raise PermissionDenied
        return render(
            request, "incidents/quarantine.html", {"mails": QuarantinedMail.objects.defer("raw")[:200]}
        )


def restrict_everything(user: Any, permission: str) -> bool:
    from qalxan.core.tenancy import scope

    return scope(user, permission).everything


class SlaListView(PermissionRequiredView):
    permission = VIEW

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        return render(
            request,
            "incidents/sla_list.html",
            {
                "policies": SeverityPolicy.objects.all(),
                "can_change": restrict_everything(request.user, "incidents.change_severitypolicy"),
            },
        )


class SlaEditView(ObjectEditView):
    queryset = SeverityPolicy.objects.all()
    form_class = SeverityPolicyForm
    change_permission = "incidents.change_severitypolicy"

    def get_object(self) -> Any:
        if not restrict_everything(self.request.user, "incidents.change_severitypolicy"):
            raise PermissionDenied
        return get_object_or_404(SeverityPolicy, pk=self.kwargs["pk"])

    def save(self, form: Any, obj: SeverityPolicy) -> tuple[SeverityPolicy, list[str]]:
        return services.update_policy(actor=self.request.user, policy=obj, **form.cleaned_data), []
