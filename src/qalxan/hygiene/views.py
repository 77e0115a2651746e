"""Pages of the hygiene module: overview, institution page, endpoints, upload, licences, coverage,
vulnerable software, normalisation rules with preview, advisory import, and the edit pages of the
authority's reference data (products, essential-software categories, score weights, contracts)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core.tenancy import can, has_permission, restrict
from qalxan.core.views.generic import (
    ObjectEditView,
    ObjectListView,
    ObjectMixin,
    PermissionRequiredView,
    add_form_errors,
)
from qalxan.hygiene import advisories, figures, queries, reports, services, snapshots
from qalxan.hygiene.choices import CoverageReason, Severity
from qalxan.hygiene.filtersets import CoverageStatusFilterSet, EndpointFilterSet, FindingFilterSet
from qalxan.hygiene.forms import (
    AdvisoryUploadForm,
    CategoryForm,
    EntitlementForm,
    InventoryUploadForm,
    ProductForm,
    RuleForm,
    TransferForm,
    TriageForm,
    WeightsForm,
)
from qalxan.hygiene.models import (
    CoverageStatus,
    Endpoint,
    Entitlement,
    EssentialCategory,
    Finding,
    InstitutionScore,
    InventorySnapshot,
    LicencePosition,
    LicensedProduct,
    NormalisationRule,
    ProductInstall,
    ScoreWeights,
)
from qalxan.hygiene.parsers import InventoryRejected
from qalxan.hygiene.tables import (
    CategoryTable,
    CoverageTable,
    EndpointTable,
    FindingTable,
    ProductTable,
    RuleTable,
)
from qalxan.hygiene.workflows import finding_triage
from qalxan.organizations.models import Organization


class DashboardView(PermissionRequiredView):
    """National overview (or the institution's own, for an institution's people)."""

    permission = "hygiene.view_institutionscore"

    def get(self, request: HttpRequest) -> HttpResponse:
        summary = queries.national_summary(request.user)
        labels = dict(Severity.choices)
        return render(
            request,
            "hygiene/dashboard.html",
            {
                "summary": summary,
                "categories": queries.coverage_by_category(request.user),
                "reasons": queries.reasons(request.user),
                "top_findings": [
                    {**row, "severity_label": labels.get(row["severity"], row["severity"])}
                    for row in queries.open_findings(request.user)
                    .values("advisory__osv_id", "advisory__summary", "severity", "known_exploited")
                    .annotate(n=Count("endpoint", distinct=True))
                    .order_by("-known_exploited", "-n")[:10]
                ],
                "national": has_permission(request.user, "hygiene.view_national"),
            },
        )


class InstitutionView(PermissionRequiredView):
    permission = "hygiene.view_institutionscore"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not can(request.user, "hygiene.view_institutionscore", organization_id=pk):
            raise Http404
        org = get_object_or_404(Organization, pk=pk)
        trend = queries.trend(pk)
        latest = trend[-1] if trend else None
        positions = LicencePosition.objects.filter(organization_id=pk).select_related("product")
        return render(
            request,
            "hygiene/institution.html",
            {
                "org": org,
                "latest": latest,
                "trend": trend,
                "positions": positions,
                "snapshots": InventorySnapshot.objects.filter(organization_id=pk)[:10],
                "reason_labels": dict(CoverageReason.choices),
                "can_weigh": has_permission(request.user, "hygiene.change_scoreweights"),
            },
        )


class EndpointListView(ObjectListView):
    queryset = Endpoint.objects.select_related("organization")
    filterset_class = EndpointFilterSet
    table_class = EndpointTable
    title = gettext_lazy("Endpoints")


class EndpointDetailView(PermissionRequiredView):
    permission = "hygiene.view_endpoint"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        endpoint = get_object_or_404(
            restrict(Endpoint.objects.select_related("organization", "last_snapshot"), request.user), pk=pk
        )
        rows = snapshots.endpoint_rows(endpoint.last_snapshot, endpoint.pk) if endpoint.last_snapshot else []
        history = snapshots.history(endpoint.pk)
        changes = None
        if len(history) >= 2:
            changes = snapshots.diff(history[-2]["snapshot"], history[-1]["snapshot"], endpoint.pk)
        return render(
            request,
            "hygiene/endpoint_detail.html",
            {
                "object": endpoint,
                "packages": [r for r in rows if r["table"] == "package"],
                "others": [r for r in rows if r["table"] != "package"],
                "coverage": CoverageStatus.objects.filter(endpoint=endpoint).select_related("category"),
                "findings": Finding.objects.filter(endpoint=endpoint, present=True).select_related(
                    "advisory"
                ),
                "history": history,
                "changes": changes,
            },
        )


class InventoryUploadView(PermissionRequiredView):
    permission = "hygiene.add_inventorysnapshot"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "hygiene/upload.html", {"form": InventoryUploadForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InventoryUploadForm(request.POST, request.FILES, user=request.user)
        rejected = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.upload_inventory(
                    actor=request.user,
                    organization=form.cleaned_data["organization"],
                    filename=upload.name,
                    content=upload.read(),
                    format=form.cleaned_data["format"],
                    host=form.cleaned_data["host"],
                )
            except InventoryRejected as exc:
                rejected = exc
            else:
                messages.success(
                    request,
                    _("Inventory accepted: %(e)d endpoints, %(r)d rows, %(f)d vulnerable packages.")
                    % {"e": result.endpoints, "r": result.rows, "f": result.findings},
                )
                return redirect("hygiene:institution", pk=form.cleaned_data["organization"].pk)
        return render(
            request,
            "hygiene/upload.html",
            {"form": form, "rejected": rejected},
            status=400 if rejected else 200,
        )


def _positions(request: HttpRequest) -> QuerySet[LicencePosition]:
    positions = restrict(LicencePosition.objects.select_related("organization", "product"), request.user)
    org = request.GET.get("organization")
    if org and org.isdigit():
        positions = positions.filter(organization_id=int(org))
    status = request.GET.get("status")
    if status:
        positions = positions.filter(status=status)
    return positions.order_by("organization__short_name", "product__vendor", "product__product")


class LicencesView(PermissionRequiredView):
    permission = "hygiene.view_licenceposition"

    def get(self, request: HttpRequest) -> HttpResponse:
        positions = _positions(request)
        entitlements = restrict(
            Entitlement.objects.select_related("product", "organization"), request.user
        ).annotate(allocated=Count("allocations"))
        national = (
            positions.values("product__vendor", "product__product")
            .annotate(installs=_sum("installs"), over_use=_sum("over_use"), unlicensed=_sum("unlicensed"))
            .order_by("product__vendor", "product__product")
        )
        return render(
            request,
            "hygiene/licences.html",
            {
                "positions": positions,
                "national": national,
                "totals": queries.licence_totals(positions),
                "entitlements": entitlements,
                "organizations": restrict(
                    Organization.objects.filter(is_active=True), request.user, "hygiene.view_licenceposition"
                ),
                "query": request.GET.urlencode(),
                "can_add_entitlement": has_permission(request.user, "hygiene.add_entitlement"),
                "can_edit_products": has_permission(request.user, "hygiene.change_licensedproduct"),
            },
        )


def _sum(field: str) -> Any:
    from django.db.models import Sum

    return Sum(field)


class LicenceReportView(PermissionRequiredView):
    permission = "hygiene.view_licenceposition"

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        positions = _positions(request)
        if fmt == "xlsx":
            response = HttpResponse(
                reports.licence_xlsx(positions),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        elif fmt == "pdf":
            response = HttpResponse(
                reports.licence_pdf(positions, title=_("Licence reconciliation")),
                content_type="application/pdf",
            )
        else:
            raise Http404
        response["Content-Disposition"] = f'attachment; filename="licences.{fmt}"'
        return response


class LicenceDrillView(PermissionRequiredView):
    """The endpoints behind one institution's installs of one product."""

    permission = "hygiene.view_licenceposition"

    def get(self, request: HttpRequest, org: int, product: int) -> HttpResponse:
        position = get_object_or_404(
            restrict(LicencePosition.objects.select_related("organization", "product"), request.user),
            organization_id=org,
            product_id=product,
        )
        installs = (
            ProductInstall.objects.filter(organization_id=org, product_id=product)
            .select_related("endpoint")
            .order_by("endpoint__hostname")
        )
        return render(
            request,
            "hygiene/licence_drill.html",
            {"position": position, "installs": installs[:2000], "count": installs.count()},
        )


class EntitlementDetailView(PermissionRequiredView):
    permission = "hygiene.view_entitlement"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        entitlement = get_object_or_404(
            restrict(Entitlement.objects.select_related("product", "organization"), request.user), pk=pk
        )
        return self.page(request, entitlement, TransferForm())

    def page(
        self, request: HttpRequest, entitlement: Entitlement, form: TransferForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "hygiene/entitlement_detail.html",
            {
                "object": entitlement,
                "allocations": entitlement.allocations.select_related("organization"),
                "transfers": entitlement.transfers.select_related("from_organization", "to_organization")[
                    :50
                ],
                "form": form,
                "can_transfer": can(request.user, "hygiene.transfer_entitlement", entitlement),
                "can_change": can(request.user, "hygiene.change_entitlement", entitlement),
                "can_delete": can(request.user, "hygiene.delete_entitlement", entitlement),
            },
            status=status,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entitlement = get_object_or_404(restrict(Entitlement.objects.all(), request.user), pk=pk)
        form = TransferForm(request.POST)
        if form.is_valid():
            try:
                services.transfer_seats(actor=request.user, entitlement=entitlement, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return self.page(request, entitlement, form, status=400)
            messages.success(request, _("Seats transferred."))
            return redirect(entitlement.get_absolute_url())
        return self.page(request, entitlement, form, status=400)


class CoverageView(ObjectListView):
    queryset = (
        CoverageStatus.objects.filter(compliant=False)
        .exclude(reason=CoverageReason.NOT_APPLICABLE)
        .select_related("endpoint", "category", "organization")
    )
    filterset_class = CoverageStatusFilterSet
    table_class = CoverageTable
    template_name = "hygiene/coverage.html"
    title = gettext_lazy("Essential software: non-compliant endpoints")

    def extra_context(self) -> dict[str, Any]:
        return {
            "categories": queries.coverage_by_category(self.request.user),
            "reasons": queries.reasons(self.request.user),
            "can_edit_categories": has_permission(self.request.user, "hygiene.change_essentialcategory"),
        }


class FindingListView(ObjectListView):
    queryset = Finding.objects.select_related("advisory", "endpoint", "organization")
    filterset_class = FindingFilterSet
    table_class = FindingTable
    title = gettext_lazy("Vulnerable software")


class FindingDetailView(PermissionRequiredView):
    permission = "hygiene.view_finding"

    def get(self, request: HttpRequest, pk: int, form: TriageForm | None = None) -> HttpResponse:
        finding = get_object_or_404(
            restrict(Finding.objects.select_related("advisory", "endpoint", "organization"), request.user),
            pk=pk,
        )
        return render(
            request,
            "hygiene/finding_detail.html",
            {
                "object": finding,
                "steps": finding_triage.available(finding, request.user),
                "form": form or TriageForm(),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = get_object_or_404(restrict(Finding.objects.all(), request.user), pk=pk)
        form = TriageForm(request.POST)
        if form.is_valid():
            try:
                services.triage_finding(actor=request.user, finding=finding, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved."))
                return redirect(finding.get_absolute_url())
        return self.get(request, pk, form)


class RuleListView(ObjectListView):
    queryset = NormalisationRule.objects.all()
    table_class = RuleTable
    title = gettext_lazy("Normalisation rules")
    permission = "hygiene.change_normalisationrule"
    add_url_name = "hygiene:rule_add"
    add_permission = "hygiene.add_normalisationrule"

    def visible_queryset(self, permission: str | None = None) -> QuerySet[Any]:
        return NormalisationRule.objects.all()  # reference data, the same for everyone allowed here


class RuleEditView(PermissionRequiredView):
    """Edit a rule; “Preview” shows what would change in the current inventories, “Save” applies it."""

    permission = "hygiene.change_normalisationrule"

    def _rule(self, pk: int | None) -> NormalisationRule | None:
        return get_object_or_404(NormalisationRule, pk=pk) if pk else None

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        rule = self._rule(pk)
        return render(request, "hygiene/rule_edit.html", {"form": RuleForm(instance=rule), "object": rule})

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        rule = self._rule(pk)
        if "delete" in request.POST and rule is not None:
            services.delete_rule(actor=request.user, rule=rule)
            messages.success(request, _("Deleted %(obj)s.") % {"obj": rule})
            return redirect("hygiene:rule_list")
        form = RuleForm(request.POST, instance=rule)
        preview = None
        if form.is_valid():
            candidate = form.save(commit=False)
            try:
                if "preview" in request.POST:
                    preview = services.preview_rule(actor=request.user, rule=candidate)
                else:
                    services.save_rule(actor=request.user, rule=candidate)
                    messages.success(request, _("Saved. Current inventories are being normalised again."))
                    return redirect("hygiene:rule_list")
            except ValidationError as exc:
                add_form_errors(form, exc)
        return render(request, "hygiene/rule_edit.html", {"form": form, "object": rule, "preview": preview})


class AdvisoryImportView(PermissionRequiredView):
    permission = "hygiene.import_advisory"

    def get(self, request: HttpRequest) -> HttpResponse:
        from qalxan.hygiene.models import Advisory, KnownExploited

        return render(
            request,
            "hygiene/advisories.html",
            {
                "form": AdvisoryUploadForm(),
                "advisories": Advisory.objects.count(),
                "kev": KnownExploited.objects.count(),
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        from qalxan.hygiene.models import Advisory, KnownExploited

        form = AdvisoryUploadForm(request.POST, request.FILES)
        rejected = None
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if form.cleaned_data["kind"] == "osv":
                    result = advisories.import_osv(
                        actor=request.user, filename=upload.name, content=upload.read()
                    )
                    messages.success(
                        request,
                        _("Imported %(a)d advisories (%(p)d package ranges).")
                        % {"a": result.advisories, "p": result.packages},
                    )
                else:
                    result = advisories.import_known_exploited(
                        actor=request.user, filename=upload.name, content=upload.read()
                    )
                    messages.success(
                        request, _("Known-exploited list: %(n)d new entries.") % {"n": result.known_exploited}
                    )
                return redirect("hygiene:advisory_import")
            except InventoryRejected as exc:
                rejected = exc
        return render(
            request,
            "hygiene/advisories.html",
            {
                "form": form,
                "rejected": rejected,
                "advisories": Advisory.objects.count(),
                "kev": KnownExploited.objects.count(),
            },
            status=400,
        )


# --- Edit pages of the authority's reference data ---------------------------------------------------


class ReferenceMixin(ObjectMixin):
    """Reference data is the same for everyone allowed on the page (no owning institution to scope by)."""

    def visible_queryset(self, permission: str | None = None) -> QuerySet[Any]:
        return self.queryset.all()


class ProductListView(ReferenceMixin, ObjectListView):
    queryset = LicensedProduct.objects.all()
    table_class = ProductTable
    title = gettext_lazy("Products of the licence registry")
    permission = "hygiene.change_licensedproduct"
    add_url_name = "hygiene:product_add"
    add_permission = "hygiene.add_licensedproduct"


class ProductEditView(ReferenceMixin, ObjectEditView):
    queryset = LicensedProduct.objects.all()
    form_class = ProductForm
    add_permission = "hygiene.add_licensedproduct"
    change_permission = "hygiene.change_licensedproduct"

    def save(self, form: Any, obj: LicensedProduct | None) -> tuple[LicensedProduct, list[str]]:
        # The form has written its values onto `obj`; the service compares with the stored row.
        stored = LicensedProduct.objects.get(pk=obj.pk) if obj is not None else None
        return services.save_product(actor=self.request.user, instance=stored, **form.cleaned_data), []


class CategoryListView(ReferenceMixin, ObjectListView):
    queryset = EssentialCategory.objects.all()
    table_class = CategoryTable
    title = gettext_lazy("Essential-software categories")
    permission = "hygiene.change_essentialcategory"
    add_url_name = "hygiene:category_add"
    add_permission = "hygiene.change_essentialcategory"


class CategoryEditView(ReferenceMixin, ObjectEditView):
    queryset = EssentialCategory.objects.all()
    form_class = CategoryForm
    add_permission = "hygiene.change_essentialcategory"
    change_permission = "hygiene.change_essentialcategory"

    def save(self, form: Any, obj: EssentialCategory | None) -> tuple[EssentialCategory, list[str]]:
        category = form.save(commit=False)
        saved = services.save_category(
            actor=self.request.user,
            category=category,
            approved=list(form.cleaned_data["approved_products"]),
        )
        return saved, [_("Coverage is being evaluated again under the changed requirements.")]


class WeightsView(PermissionRequiredView):
    """The score weights in force and their history; saving adds a row (the newest applies)."""

    permission = "hygiene.change_scoreweights"

    def get(self, request: HttpRequest) -> HttpResponse:
        current = figures.weights()
        initial = {f: getattr(current, f) for f in WeightsForm.Meta.fields}
        return self.page(request, WeightsForm(initial=initial))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WeightsForm(request.POST)
        if form.is_valid():
            try:
                services.set_weights(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Saved. Every institution's score is being computed again."))
                return redirect("hygiene:weights")
        return self.page(request, form, status=400)

    def page(self, request: HttpRequest, form: WeightsForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "hygiene/weights.html",
            {"form": form, "history": ScoreWeights.objects.all()[:20]},
            status=status,
        )


class EntitlementEditView(ObjectEditView):
    """A contract of the central pool or of an institution's own pool."""

    queryset = Entitlement.objects.select_related("product", "organization")
    form_class = EntitlementForm
    add_permission = "hygiene.add_entitlement"
    change_permission = "hygiene.change_entitlement"

    def save(self, form: Any, obj: Entitlement | None) -> tuple[Entitlement, list[str]]:
        if obj is None:
            return services.create_entitlement(actor=self.request.user, **form.cleaned_data), []
        stored = Entitlement.objects.get(pk=obj.pk)
        return (
            services.update_entitlement(actor=self.request.user, entitlement=stored, **form.cleaned_data),
            [],
        )


class EntitlementDeleteView(PermissionRequiredView):
    """Remove a contract recorded by mistake (its allocations go with it; the figures are recomputed)."""

    permission = "hygiene.delete_entitlement"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entitlement = get_object_or_404(restrict(Entitlement.objects.all(), request.user), pk=pk)
        services.delete_entitlement(actor=request.user, entitlement=entitlement)
        messages.success(request, _("Deleted %(obj)s.") % {"obj": entitlement})
        return redirect("hygiene:licences")


def products_of(request: HttpRequest) -> QuerySet[LicensedProduct]:
    if not has_permission(request.user, "hygiene.view_licensedproduct"):
        raise PermissionDenied
    return LicensedProduct.objects.all()


__all__ = ["InstitutionScore", "reverse"]
