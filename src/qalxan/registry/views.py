"""Pages of the registry: list, object page, edit, lifecycle steps, assessment, special requirements,
impact, exports and extracts, overview."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core.http import AuthenticatedRequest
from qalxan.core.models import AuditEntry
from qalxan.core.tenancy import can, restrict
from qalxan.core.views.generic import (
    BulkImportView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredView,
)
from qalxan.registry import documents, queries, services, tables, workflows
from qalxan.registry.filtersets import InformationSystemFilterSet
from qalxan.registry.forms import AssessmentForm, ReviewForm, SpecialRequirementsForm, StepForm, SystemForm
from qalxan.registry.graph import impact_svg
from qalxan.registry.models import InformationSystem, SpecialRequirements
from qalxan.registry.tables import InformationSystemTable

VIEW = "registry.view_informationsystem"


class SystemListView(ObjectListView):
    queryset = InformationSystem.objects.all()
    filterset_class = InformationSystemFilterSet
    table_class = InformationSystemTable
    title = gettext_lazy("Registry of information systems and CII objects")
    add_url_name = "registry:system_add"
    add_permission = "registry.add_informationsystem"
    import_url_name = "registry:system_import"
    import_permission = "registry.add_informationsystem"
    template_name = "registry/system_list.html"
    render_rows = True

    def render_row(self, record: dict[str, Any]) -> str:
        return tables.system_row(record)

    def page_records(self, table: Any) -> Any:
        # The page's slice of the filtered, sorted queryset, read as the plain values the rows are written
        # from (the count stays on the queryset itself, which values() would join to sectors and owners).
        return table.page.object_list.data.values(*tables.ROW_COLUMNS)

    def get_table(self, queryset: Any) -> Any:
        if self.request.GET.get("q"):
            queryset = queries.searched(queryset)
        return super().get_table(queryset)


def _visible_system(request: HttpRequest, pk: int) -> InformationSystem:
    return get_object_or_404(
        restrict(
            InformationSystem.objects.select_related("sector", "subsector", "owner", "operator"),
            request.user,
            VIEW,
        ),
        pk=pk,
    )


class SystemDetailView(ObjectDetailView):
    queryset = InformationSystem.objects.select_related("sector", "subsector", "owner", "operator")
    template_name = "registry/system_detail.html"

    def extra_context(self, obj: InformationSystem) -> dict[str, Any]:
        user = self.request.user
        sensitive = services.visible_sensitive(user, obj)
        steps = [
            {"transition": t, "form": StepForm(step=t.name, initial_agency=workflows.expected_agency(obj))}
            for t in workflows.designation.available(obj, user)
        ]
        visible = restrict(InformationSystem.objects.all(), user, VIEW)
        return {
            "sensitive": sensitive,
            "depends_on": visible.filter(dependent_edges__dependent=obj).select_related("owner")
            if sensitive
            else [],
            "dependents": visible.filter(dependency_edges__depends_on=obj).select_related("owner")
            if sensitive
            else [],
            "steps": steps,
            "assessments": obj.assessments.select_related("assessed_by")[:5],
            "can_assess": can(user, workflows.SUPERVISE, obj),
            "can_change": can(user, "registry.change_informationsystem", obj),
            "can_delete": can(user, "registry.delete_informationsystem", obj) and obj.state == "identified",
            "documents": obj.special_requirements.select_related("submitted_by", "reviewed_by"),
            "can_file": obj.is_cii and can(user, "registry.file_specialrequirements", obj),
            "upload_form": SpecialRequirementsForm(),
            "review_form": ReviewForm(),
            "data_requests": obj.data_requests.all()[:5],
            "history": AuditEntry.objects.filter(
                content_type__model="informationsystem",
                content_type__app_label="registry",
                object_id=str(obj.pk),
            )[:30],
        }


class SystemEditView(ObjectEditView):
    queryset = InformationSystem.objects.all()
    form_class = SystemForm
    change_permission = "registry.change_informationsystem"
    add_permission = "registry.add_informationsystem"

    def save(self, form: Any, obj: InformationSystem | None) -> tuple[InformationSystem, list[str]]:
        data = dict(form.cleaned_data)
        ip_ranges, domains = data.pop("ip_ranges"), data.pop("domains")
        depends_on = data.pop("depends_on_numbers")
        if obj is None:
            return services.register_system(
                actor=self.request.user, ip_ranges=ip_ranges, domains=domains, depends_on=depends_on, **data
            ), []
        return services.update_system(
            actor=self.request.user,
            system=obj,
            ip_ranges=ip_ranges,
            domains=domains,
            depends_on=depends_on,
            **data,
        ), []


class SystemDeleteView(ObjectDeleteView):
    queryset = InformationSystem.objects.all()
    delete_permission = "registry.delete_informationsystem"
    success_url_name = "registry:system_list"

    def delete(self, obj: InformationSystem) -> None:
        services.delete_system(actor=self.request.user, system=obj)


class SystemImportView(BulkImportView):
    importer_key = "registry-systems"
    done_url_name = "registry:system_list"


class StepView(PermissionRequiredView):
    """POST one lifecycle step from the object page."""

    permission = VIEW

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        system = _visible_system(request, pk)
        step = request.POST.get("step", "")
        form = StepForm(request.POST, step=step)
        if not form.is_valid():
            messages.error(
                request, " ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
            )
            return redirect(system.get_absolute_url())
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"step", "message"}}
        try:
            services.move_system(
                actor=request.user,
                system=system,
                step=step,
                message=form.cleaned_data.get("message", ""),
                **data,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            system.refresh_from_db()
            messages.success(
                request,
                _("%(system)s is now: %(state)s.")
                % {"system": system.registry_number, "state": system.get_state_display()},
            )
        return redirect(system.get_absolute_url())


class AssessView(PermissionRequiredView):
    permission = workflows.SUPERVISE

    def _system(self, request: HttpRequest, pk: int) -> InformationSystem:
        system = _visible_system(request, pk)
        if not can(request.user, workflows.SUPERVISE, system):
            raise PermissionDenied(_("Only supervisors assess criticality."))
        return system

    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        system = self._system(request, pk)
        last = system.assessments.first()
        answers = dict(last.answers) if last else {}
        answers.setdefault("cross_sector", len(_dependent_sectors(system)))
        return render(
            request,
            "registry/assess.html",
            {"object": system, "form": AssessmentForm(initial_answers=answers)},
        )

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        system = self._system(request, pk)
        form = AssessmentForm(request.POST)
        if form.is_valid():
            try:
                assessment = services.assess_criticality(
                    actor=request.user,
                    system=system,
                    answers=form.answers(),
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("Score %(score)s: proposed category %(category)s.")
                    % {"score": assessment.score, "category": assessment.proposed_category or "—"},
                )
                return redirect(system.get_absolute_url())
        return render(request, "registry/assess.html", {"object": system, "form": form})


def _dependent_sectors(system: InformationSystem) -> set[int]:
    impact = queries.impact_of(system, max_depth=3)
    sectors = set(
        InformationSystem.objects.filter(pk__in=impact.affected_ids[:5000]).values_list(
            "sector_id", flat=True
        )
    )
    sectors.discard(system.sector_id)
    return sectors


class SpecialRequirementsView(PermissionRequiredView):
    permission = "registry.file_specialrequirements"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        system = _visible_system(request, pk)
        form = SpecialRequirementsForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                document = services.file_special_requirements(
                    actor=request.user,
                    system=system,
                    filename=upload.name,
                    content=upload.read(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Version %(v)d filed.") % {"v": document.version})
        else:
            messages.error(request, _("Choose a file."))
        return redirect(system.get_absolute_url())


def _visible_document(request: HttpRequest, pk: int) -> SpecialRequirements:
    return get_object_or_404(
        restrict(
            SpecialRequirements.objects.select_related("system"),
            request.user,
            "registry.view_specialrequirements",
        ),
        pk=pk,
    )


class ReviewView(PermissionRequiredView):
    permission = workflows.SUPERVISE

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        document = _visible_document(request, pk)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.review_special_requirements(
                    actor=request.user,
                    document=document,
                    accept=form.cleaned_data["decision"] == "accept",
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Review recorded."))
        return redirect(document.system.get_absolute_url())


class DocumentDownloadView(PermissionRequiredView):
    permission = "registry.view_specialrequirements"

    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
        document = _visible_document(request, pk)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=document.filename)


class ImpactView(PermissionRequiredView):
    permission = VIEW

    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        system = _visible_system(request, pk)
        impact = queries.impact_of(system)
        summary = queries.impact_summary(impact, request.user)
        return render(
            request,
            "registry/impact.html",
            {
                "object": system,
                "impact": impact,
                "summary": summary,
                "svg": impact_svg(
                    system, impact, summary, show_names=services.visible_sensitive(request.user, system)
                ),
            },
        )


class ExportView(PermissionRequiredView):
    """The filtered list as CSV, XLSX or JSON, or as the official extract (DOCX, PDF)."""

    permission = "registry.export_informationsystem"

    def get(self, request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
        queryset = restrict(InformationSystem.objects.all(), request.user, VIEW)
        filterset = InformationSystemFilterSet(request.GET or None, queryset=queryset)
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponse(str(filterset.errors), status=400, content_type="text/plain; charset=utf-8")
        queryset = filterset.qs.order_by("id")
        from qalxan.core import audit
        from qalxan.core.choices import AuditAction

        audit.record(
            actor=request.user,
            action=AuditAction.EXPORT,
            message=f"registry {fmt}: {request.GET.urlencode()}"[:500],
        )
        if fmt in {"csv", "xlsx", "json"}:
            return documents.export(queryset, request.user, fmt)
        return extract_response(
            list(queryset.select_related("sector", "owner")[:5000]), fmt, request.GET.get("lang", "az")
        )


class SystemExtractView(PermissionRequiredView):
    permission = VIEW

    def get(self, request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponseBase:
        return extract_response([_visible_system(request, pk)], fmt, request.GET.get("lang", "az"))


def extract_response(systems: list[InformationSystem], fmt: str, language: str) -> HttpResponse:
    language = language if language in {"az", "en", "ru"} else "az"
    if fmt == "docx":
        content = documents.extract_docx(systems, language)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "pdf":
        content = documents.extract_pdf(systems, language)
        mime = "application/pdf"
    else:
        raise Http404
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="registry-extract.{fmt}"'
    return response


class OverviewView(PermissionRequiredView):
    permission = VIEW

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        figures = queries.dashboard_figures(request.user)
        return render(request, "registry/overview.html", {"figures": figures, "states": _state_rows(figures)})


def _state_rows(figures: dict[str, Any]) -> list[dict[str, Any]]:
    from qalxan.registry.choices import DesignationState

    total = max(figures["total"], 1)
    return [
        {
            "value": s.value,
            "label": s.label,
            "count": figures["by_state"].get(s.value, 0),
            "percent": round(100 * figures["by_state"].get(s.value, 0) / total),
        }
        for s in DesignationState
    ]
