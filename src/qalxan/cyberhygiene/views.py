"""Pages of the cyber-hygiene app: quarterly dashboard and report, leaks with live progress, compromised
accounts and their follow-up, stealer victims, administrator lists, training and phishing drills."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.exports import csv_response
from qalxan.core.tenancy import can, has_permission, restrict
from qalxan.core.views.generic import BulkImportView, ObjectDetailView, ObjectListView, PermissionRequiredView
from qalxan.cyberhygiene import queries, reports, services
from qalxan.cyberhygiene.choices import LeakState, Measure
from qalxan.cyberhygiene.filtersets import (
    AdminAccountFilterSet,
    ExposureFilterSet,
    LeakFilterSet,
    PhishingResultFilterSet,
    TrainingCampaignFilterSet,
    VictimFilterSet,
)
from qalxan.cyberhygiene.forms import AdminAccountForm, ConfirmForm, LeakUploadForm, NoteForm
from qalxan.cyberhygiene.models import (
    AdminAccount,
    Exposure,
    Leak,
    PhishingResult,
    StealerVictim,
    TrainingCampaign,
)
from qalxan.cyberhygiene.tables import (
    AdminAccountTable,
    ExposureTable,
    LeakTable,
    PhishingResultTable,
    TrainingCampaignTable,
    VictimTable,
)
from qalxan.cyberhygiene.workflows import exposure_followup


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _quarter(request: HttpRequest) -> queries.Quarter:
    try:
        return queries.Quarter.parse(request.GET.get("quarter", ""))
    except ValueError:
        return queries.Quarter.of(timezone.localdate())


class DashboardView(PermissionRequiredView):
    permission = "cyberhygiene.view_figures"

    def get(self, request: HttpRequest) -> HttpResponse:
        quarter = _quarter(request)
        orgs = queries.organizations_for(request.user)
        context = reports.report_context(quarter, orgs)
        context.update(
            charts=reports.charts(context["series"]),
            quarters=[quarter.previous(n) for n in range(-1, 8)],
            followup=queries.open_followup(orgs),
            can_exposures=has_permission(request.user, "cyberhygiene.view_exposure"),
        )
        return render(request, "cyberhygiene/dashboard.html", context)


class ReportView(PermissionRequiredView):
    permission = "cyberhygiene.view_figures"

    def get(self, request: HttpRequest, fmt: str) -> HttpResponseBase:
        if fmt not in {"xlsx", "pdf"}:
            raise Http404
        quarter = _quarter(request)
        context = reports.report_context(quarter, queries.organizations_for(request.user))
        audit.record(
            actor=request.user, action=AuditAction.EXPORT, message=f"cyberhygiene report {quarter}.{fmt}"
        )
        if fmt == "xlsx":
            response = HttpResponse(
                reports.xlsx(context),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            response = HttpResponse(reports.pdf(context), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="cyberhygiene-{quarter}.{fmt}"'
        return response


class LeakListView(ObjectListView):
    queryset = Leak.objects.all()
    filterset_class = LeakFilterSet
    table_class = LeakTable
    title = gettext_lazy("Leaks")
    add_url_name = "cyberhygiene:leak_add"
    add_permission = "cyberhygiene.add_leak"


class LeakUploadView(PermissionRequiredView):
    permission = "cyberhygiene.add_leak"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "cyberhygiene/leak_upload.html", {"form": LeakUploadForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LeakUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                leak = services.upload_leak(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    source=form.cleaned_data["source"],
                    leaked_on=form.cleaned_data["leaked_on"],
                    files=form.cleaned_data["uploads"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("The leak is queued for ingestion."))
                return redirect(leak)
        return render(request, "cyberhygiene/leak_upload.html", {"form": form}, status=400)


class LeakDetailView(ObjectDetailView):
    queryset = Leak.objects.all()
    template_name = "cyberhygiene/leak_detail.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        leak = self.get_object()
        context = self.extra_context(leak)
        if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "leak-progress":
            return render(request, "cyberhygiene/leak_progress.html", context)
        return render(request, self.template_name, context)

    def extra_context(self, obj: Leak) -> dict[str, Any]:
        per_org = (
            restrict(Exposure.objects.filter(sightings__leak=obj), self.request.user)
            .values("organization__short_name", "organization_id")
            .annotate(
                n=Count("id", distinct=True), admins=Count("id", filter=Q(is_admin=True), distinct=True)
            )
            .order_by("-n")
        )
        return {
            "object": obj,
            "running": obj.state in (LeakState.QUEUED, LeakState.RUNNING),
            "per_org": per_org,
            "can_notify": can(self.request.user, "cyberhygiene.notify_exposure"),
        }


class LeakNotifyView(PermissionRequiredView):
    permission = "cyberhygiene.notify_exposure"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        leak = get_object_or_404(restrict(Leak.objects.all(), request.user), pk=pk)
        count = services.notify_institutions(actor=request.user, leak=leak)
        messages.success(request, _("%(n)d accounts notified.") % {"n": count})
        return redirect(leak)


class ExposureListView(ObjectListView):
    queryset = Exposure.objects.select_related("organization", "first_leak")
    filterset_class = ExposureFilterSet
    table_class = ExposureTable
    title = gettext_lazy("Compromised accounts")
    export_url_name = "cyberhygiene:exposure_export"


class ExposureExportView(PermissionRequiredView):
    permission = "cyberhygiene.view_exposure"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        queryset = restrict(
            Exposure.objects.select_related("organization", "first_leak", "service"), request.user
        )
        filterset = ExposureFilterSet(request.GET or None, queryset=queryset)
        rows: QuerySet[Exposure] = filterset.qs if filterset.is_valid() else queryset.none()
        audit.record(actor=request.user, action=AuditAction.EXPORT, message="cyberhygiene exposures.csv")
        header = [
            _("Institution"),
            _("Login"),
            _("Site"),
            _("State service"),
            _("Leak"),
            _("Leak date"),
            _("First seen"),
            _("Password strength"),
            _("Password seen before"),
            _("Administrator"),
            _("State"),
            _("Requested measures"),
            _("Measures taken"),
        ]
        return csv_response(
            "compromised-accounts.csv",
            header,
            (
                [
                    e.organization.short_name,
                    e.login_masked,
                    e.url_host,
                    str(e.service or ""),
                    e.first_leak.name,
                    e.first_leak.leaked_on.isoformat() if e.first_leak.leaked_on else "",
                    timezone.localtime(e.first_seen_at).strftime("%Y-%m-%d"),
                    e.get_strength_display(),
                    _("yes") if e.password_seen_before else _("no"),
                    _("yes") if e.is_admin else _("no"),
                    e.get_state_display(),
                    ", ".join(str(Measure(m).label) for m in e.measures if m in Measure.values),
                    ", ".join(str(Measure(m).label) for m in e.measures_done if m in Measure.values),
                ]
                for e in rows.iterator()
            ),
        )


class ExposureDetailView(ObjectDetailView):
    queryset = Exposure.objects.select_related("organization", "first_leak", "service", "victim")
    template_name = "cyberhygiene/exposure_detail.html"

    def extra_context(self, obj: Exposure) -> dict[str, Any]:
        steps = {t.name for t in exposure_followup.available(obj, self.request.user)}
        return {
            "sightings": obj.sightings.select_related("leak"),
            "measures": [Measure(m).label for m in obj.measures if m in Measure.values],
            "measures_done": [Measure(m).label for m in obj.measures_done if m in Measure.values],
            "confirm_form": ConfirmForm(initial={"measures_done": obj.measures})
            if "confirm" in steps
            else None,
            "can_dismiss": "dismiss" in steps,
            "can_reopen": "reopen" in steps,
            "note_form": NoteForm(),
        }


class ExposureStepView(PermissionRequiredView):
    permission = "cyberhygiene.view_exposure"

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        exposure = get_object_or_404(restrict(Exposure.objects.all(), request.user), pk=pk)
        try:
            if step == "confirm":
                form = ConfirmForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Tick the measures that were taken."))
                services.confirm_exposure(
                    actor=request.user,
                    exposure=exposure,
                    measures_done=form.cleaned_data["measures_done"],
                    note=form.cleaned_data["note"],
                )
            elif step in {"dismiss", "reopen"}:
                note = NoteForm(request.POST)
                if not note.is_valid():
                    raise ValidationError(_("Give the reason."))
                func = services.dismiss_exposure if step == "dismiss" else services.reopen_exposure
                func(actor=request.user, exposure=exposure, note=note.cleaned_data["note"])
            else:
                raise Http404
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            messages.error(request, _("You do not have permission to do this."))
        else:
            messages.success(request, _("Saved."))
        return redirect(exposure)


class VictimListView(ObjectListView):
    queryset = StealerVictim.objects.select_related("organization", "leak", "incident")
    filterset_class = VictimFilterSet
    table_class = VictimTable
    title = gettext_lazy("Stealer-log victims")


class VictimDetailView(ObjectDetailView):
    queryset = StealerVictim.objects.select_related("organization", "leak", "incident")
    template_name = "cyberhygiene/victim_detail.html"

    def extra_context(self, obj: StealerVictim) -> dict[str, Any]:
        return {
            "accounts": restrict(obj.exposures.all(), self.request.user),
            "can_escalate": services.can_escalate(self.request.user, obj),
        }


class VictimEscalateView(PermissionRequiredView):
    permission = "cyberhygiene.escalate_stealervictim"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        victim = get_object_or_404(restrict(StealerVictim.objects.all(), request.user), pk=pk)
        try:
            incident = services.escalate_victim(actor=request.user, victim=victim)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect(victim)
        except PermissionDenied:
            messages.error(request, _("You do not have permission to do this."))
            return redirect(victim)
        messages.success(request, _("Incident %(ref)s opened.") % {"ref": incident})
        return redirect(incident)


class AdminAccountListView(ObjectListView):
    queryset = AdminAccount.objects.select_related("organization")
    filterset_class = AdminAccountFilterSet
    table_class = AdminAccountTable
    title = gettext_lazy("Administrator accounts")
    add_url_name = "cyberhygiene:admin_add"
    add_permission = "cyberhygiene.add_adminaccount"
    import_url_name = "cyberhygiene:admin_import"
    import_permission = "cyberhygiene.add_adminaccount"


class AdminAccountAddView(PermissionRequiredView):
    permission = "cyberhygiene.add_adminaccount"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AdminAccountForm(user=request.user)
        return render(
            request, "core/object_edit.html", {"form": form, "title": _("Add an administrator account")}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AdminAccountForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.add_admin_account(
                    actor=request.user,
                    organization=form.cleaned_data["organization"],
                    login=form.cleaned_data["login"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("cyberhygiene:admin_list")
        return render(
            request,
            "core/object_edit.html",
            {"form": form, "title": _("Add an administrator account")},
            status=400,
        )


class AdminAccountImportView(BulkImportView):
    importer_key = "cyberhygiene-admins"
    done_url_name = "cyberhygiene:admin_list"


class TrainingListView(ObjectListView):
    queryset = (
        TrainingCampaign.objects.select_related("organization")
        .annotate(
            enrolled=Count("enrolments"),
            completed=Count("enrolments", filter=Q(enrolments__completed_on__isnull=False)),
            average_score=Avg("enrolments__score"),
        )
        .order_by("-starts_on", "course", "id")
    )
    filterset_class = TrainingCampaignFilterSet
    table_class = TrainingCampaignTable
    title = gettext_lazy("Awareness training")
    import_url_name = "cyberhygiene:training_import"
    import_permission = "cyberhygiene.import_trainingcampaign"


class TrainingImportView(BulkImportView):
    importer_key = "cyberhygiene-training"
    done_url_name = "cyberhygiene:training_list"


class PhishingListView(ObjectListView):
    queryset = PhishingResult.objects.select_related("organization")
    filterset_class = PhishingResultFilterSet
    table_class = PhishingResultTable
    title = gettext_lazy("Phishing drills")
    import_url_name = "cyberhygiene:phishing_import"
    import_permission = "cyberhygiene.import_phishingresult"
    template_name = "cyberhygiene/phishing_list.html"


class PhishingImportView(BulkImportView):
    importer_key = "cyberhygiene-phishing"
    done_url_name = "cyberhygiene:phishing_list"


class GophishImportView(BulkImportView):
    importer_key = "cyberhygiene-gophish"
    done_url_name = "cyberhygiene:phishing_list"
