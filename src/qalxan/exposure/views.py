"""Pages of the exposure app: websites and their scores, findings with advice, scans and their notes, the
national dashboard, exports (CSV, XLSX) and the per-site PDF report, and the AzStateNet ranges."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.http import AuthenticatedRequest
from qalxan.core.tenancy import can, has_permission, restrict
from qalxan.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredView,
)
from qalxan.exposure import catalogue, queries, reports, services
from qalxan.exposure.choices import SEVERITY_RANK, FindingState, NoteCode
from qalxan.exposure.filtersets import FindingFilterSet, ScanFilterSet, SiteFilterSet
from qalxan.exposure.forms import HostingRangeForm, ReasonForm
from qalxan.exposure.models import Finding, HostingRange, Scan, Site
from qalxan.exposure.tables import FindingTable, HostingRangeTable, ScanTable, SiteTable
from qalxan.exposure.workflows import finding_lifecycle


def _notes(scan: Scan) -> list[dict[str, str]]:
    labels = dict(NoteCode.choices)
    return [{**n, "label": str(labels.get(n.get("code", ""), n.get("code", "")))} for n in scan.notes]


class SiteListView(ObjectListView):
    queryset = Site.objects.select_related("system__owner")
    filterset_class = SiteFilterSet
    table_class = SiteTable
    title = gettext_lazy("Websites")

    def extra_context(self) -> dict[str, Any]:
        return {"sync_allowed": has_permission(self.request.user, "exposure.change_site")}

    def get(self, request: HttpRequest) -> HttpResponse:
        services.sync_sites()  # a website registered since the last visit shows up at once
        return super().get(request)


class SiteDetailView(ObjectDetailView):
    queryset = Site.objects.select_related("system__owner", "system__sector")
    template_name = "exposure/site_detail.html"

    def extra_context(self, obj: Site) -> dict[str, Any]:
        user = self.request.user
        findings = sorted(
            obj.findings.all(),
            key=lambda f: (f.state, -SEVERITY_RANK.get(f.severity, 0), f.check_code, f.location),
        )
        open_findings = [f for f in findings if f.state == FindingState.OPEN]
        return {
            "domains": [d.domain for d in obj.system.domains.all()],
            "open_findings": _rows(open_findings),
            "closed_findings": _rows([f for f in findings if f.state != FindingState.OPEN][:50]),
            "scans": obj.scans.all()[:10],
            "active_scan": obj.scans.filter(state__in=services.ACTIVE_SCAN_STATES).first(),
            "can_scan": can(user, "exposure.scan_site", obj),
        }


def _rows(findings: list[Finding]) -> list[dict[str, Any]]:
    return [
        {
            "finding": f,
            "detail": catalogue.describe(f.check_code, f.evidence, f.data_kind),
            "remediation": catalogue.info(f.check_code).remediation,
        }
        for f in findings
    ]


class SiteScanView(PermissionRequiredView):
    """Queue a scan now (htmx: the scan panel is sent back)."""

    permission = "exposure.scan_site"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        site = get_object_or_404(restrict(Site.objects.all(), request.user), pk=pk)
        try:
            scan = services.request_scan(actor=request.user, site=site)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Scan #%(id)d queued.") % {"id": scan.pk})
        if getattr(request, "htmx", False):
            return render(
                request,
                "exposure/partials/scan_panel.html",
                {
                    "object": site,
                    "scans": site.scans.all()[:10],
                    "can_scan": True,
                    "active_scan": site.scans.filter(state__in=services.ACTIVE_SCAN_STATES).first(),
                },
            )
        return redirect(site.get_absolute_url())


class SiteReportView(PermissionRequiredView):
    """The site's report as PDF."""

    permission = "exposure.view_site"

    def get(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        site = get_object_or_404(
            restrict(Site.objects.select_related("system__owner", "system__sector"), request.user), pk=pk
        )
        audit.record(actor=request.user, action=AuditAction.EXPORT, target=site, message="site report pdf")
        response = HttpResponse(reports.site_pdf(site), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="website-report-{site.pk}.pdf"'
        return response


class FindingListView(ObjectListView):
    queryset = Finding.objects.select_related("site__system")
    filterset_class = FindingFilterSet
    table_class = FindingTable
    title = gettext_lazy("Website findings")
    template_name = "exposure/finding_list.html"


class FindingExportView(PermissionRequiredView):
    permission = "exposure.view_finding"

    def get(self, request: AuthenticatedRequest, fmt: str) -> HttpResponseBase:
        if fmt not in {"csv", "xlsx"}:
            raise Http404
        queryset = restrict(Finding.objects.select_related("site__system__owner"), request.user)
        filterset = FindingFilterSet(request.GET or None, queryset=queryset)
        rows = filterset.qs if not filterset.is_bound or filterset.is_valid() else queryset.none()
        audit.record(actor=request.user, action=AuditAction.EXPORT, message=f"website findings {fmt}")
        return reports.findings_export(rows, fmt)


class FindingDetailView(ObjectDetailView):
    queryset = Finding.objects.select_related("site__system__owner", "first_scan", "last_scan", "fixed_scan")
    template_name = "exposure/finding_detail.html"

    def extra_context(self, obj: Finding) -> dict[str, Any]:
        return {
            "detail": catalogue.describe(obj.check_code, obj.evidence, obj.data_kind),
            "remediation": catalogue.info(obj.check_code).remediation,
            "exposures": obj.exposures.select_related("scan")[:200],
            "steps": [
                t for t in finding_lifecycle.available(obj, self.request.user) if t.name != "verify_fixed"
            ],
            "form": ReasonForm(),
        }


class FindingStepView(PermissionRequiredView):
    permission = "exposure.triage_finding"

    def post(self, request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
        finding = get_object_or_404(restrict(Finding.objects.all(), request.user), pk=pk)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason."))
            return redirect(finding.get_absolute_url())
        try:
            if step == "accept_risk":
                services.accept_risk(actor=request.user, finding=finding, reason=form.cleaned_data["reason"])
            elif step == "reopen":
                services.reopen_finding(
                    actor=request.user, finding=finding, reason=form.cleaned_data["reason"]
                )
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect(finding.get_absolute_url())


class ScanListView(ObjectListView):
    queryset = Scan.objects.select_related("site__system")
    filterset_class = ScanFilterSet
    table_class = ScanTable
    title = gettext_lazy("Scans")


class ScanDetailView(ObjectDetailView):
    queryset = Scan.objects.select_related("site__system", "requested_by")
    template_name = "exposure/scan_detail.html"

    def extra_context(self, obj: Scan) -> dict[str, Any]:
        return {
            "notes": _notes(obj),
            "tls": obj.summary.get("tls") or {},
            "headers": sorted((obj.summary.get("headers") or {}).items()),
        }


class DashboardView(PermissionRequiredView):
    permission = "exposure.view_exposuredashboard"

    def get(self, request: AuthenticatedRequest) -> HttpResponse:
        figures = queries.dashboard(request.user)
        labels = dict(catalogue.Check.choices)
        for row in figures["by_check"]:
            row["label"] = labels.get(row["check_code"], row["check_code"])
        return render(
            request,
            "exposure/dashboard.html",
            {"figures": figures, "chart": reports.trend_svg(figures["trend"])},
        )


class HostingRangeListView(ObjectListView):
    queryset = HostingRange.objects.all()
    table_class = HostingRangeTable
    title = gettext_lazy("AzStateNet ranges")
    add_url_name = "exposure:range_add"
    add_permission = "exposure.add_hostingrange"
    permission = "exposure.view_hostingrange"

    def visible_queryset(self, permission: str | None = None) -> Any:
        return self.queryset.all()  # reference data: everyone with the permission reads all of it


class HostingRangeEditView(ObjectEditView):
    queryset = HostingRange.objects.all()
    form_class = HostingRangeForm
    add_permission = "exposure.add_hostingrange"

    def save(self, form: Any, obj: Any) -> tuple[Any, list[str]]:
        services.add_hosting_range(actor=self.request.user, **form.cleaned_data)
        return _RangesPage(), []


class _RangesPage:
    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("exposure:range_list")
