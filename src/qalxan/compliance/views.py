"""Pages of the compliance app: catalogues, campaigns with scores and heat map, the answering and review
page of an assessment, evidence, findings, inspection plans and inspections."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.compliance import documents, library, queries, scoring, services
from qalxan.compliance.choices import ANSWERABLE_STATES, AssessmentState, ItemKind, Review
from qalxan.compliance.filtersets import (
    AssessmentFilterSet,
    CampaignFilterSet,
    EvidenceFilterSet,
    FindingFilterSet,
)
from qalxan.compliance.forms import (
    AnswerForm,
    CampaignForm,
    CatalogueImportForm,
    EvidenceForm,
    EvidenceVersionForm,
    FindingForm,
    InspectionForm,
    InspectionReportForm,
    MappingForm,
    PlanForm,
    RemediationForm,
    ReviewForm,
    VerifyForm,
)
from qalxan.compliance.models import (
    Assessment,
    Campaign,
    Catalogue,
    Evidence,
    EvidenceVersion,
    Finding,
    Inspection,
    InspectionPlan,
    Requirement,
    RequirementAssessment,
    RequirementMapping,
)
from qalxan.compliance.tables import AssessmentTable, CampaignTable, EvidenceTable, FindingTable, PlanTable
from qalxan.compliance.workflows import assessment_lifecycle, finding_lifecycle, plan_lifecycle
from qalxan.core.files import Upload
from qalxan.core.http import AuthenticatedRequest
from qalxan.core.tenancy import can, has_permission, restrict
from qalxan.core.views.generic import ObjectListView, PermissionRequiredView


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _visible(request: HttpRequest, queryset: Any, pk: int, permission: str | None = None) -> Any:
    return get_object_or_404(restrict(queryset, request.user, permission), pk=pk)


# --- Catalogues.


class CatalogueListView(PermissionRequiredView):
    permission = "compliance.view_catalogue"

    def get(self, request: HttpRequest) -> HttpResponse:
        catalogues = Catalogue.objects.all()
        return render(
            request,
            "compliance/catalogue_list.html",
            {
                "catalogues": catalogues,
                "can_import": has_permission(request.user, "compliance.import_catalogue"),
            },
        )


class CatalogueDetailView(PermissionRequiredView):
    permission = "compliance.view_catalogue"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        catalogue = get_object_or_404(Catalogue, pk=pk)
        items = list(catalogue.items.order_by("position"))
        mappings = RequirementMapping.objects.filter(source__catalogue=catalogue).select_related(
            "source", "target__catalogue"
        )
        return render(
            request,
            "compliance/catalogue_detail.html",
            {
                "object": catalogue,
                "items": items,
                "mappings": mappings,
                "mapping_form": MappingForm()
                if has_permission(request.user, "compliance.map_catalogue")
                else None,
                "kind_group": ItemKind.GROUP,
            },
        )


class CatalogueOscalView(PermissionRequiredView):
    permission = "compliance.view_catalogue"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        catalogue = get_object_or_404(Catalogue, pk=pk)
        response = HttpResponse(library.catalogue_to_oscal(catalogue), content_type="application/json")
        response["Content-Disposition"] = (
            f'attachment; filename="{catalogue.code}-{catalogue.version}.oscal.json"'
        )
        return response


class CatalogueImportView(PermissionRequiredView):
    permission = "compliance.import_catalogue"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "compliance/catalogue_import.html",
            {"form": CatalogueImportForm(), "columns": library.XLSX_COLUMNS},
        )

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        form = CatalogueImportForm(request.POST, request.FILES)
        errors: list[Any] = []
        if form.is_valid():
            data = dict(form.cleaned_data)
            upload = data.pop("file")
            try:
                catalogue = services.import_catalogue(
                    actor=request.user, filename=upload.name, content=upload.read(), **data
                )
            except library.CatalogueError as exc:
                errors = exc.errors
            else:
                messages.success(request, _("Imported %(cat)s.") % {"cat": catalogue})
                return redirect(catalogue.get_absolute_url())
        return render(
            request,
            "compliance/catalogue_import.html",
            {"form": form, "errors": errors, "columns": library.XLSX_COLUMNS},
            status=400 if errors else 200,
        )


class MappingAddView(PermissionRequiredView):
    permission = "compliance.map_catalogue"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        catalogue = get_object_or_404(Catalogue, pk=pk)
        form = MappingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            source = Requirement.objects.filter(catalogue=catalogue, ref_id=data["source"]).first()
            target = Requirement.objects.filter(
                catalogue=data["target_catalogue"], ref_id=data["target"]
            ).first()
            if source is None or target is None:
                messages.error(request, _("No requirement has that id."))
            else:
                try:
                    services.map_requirements(
                        actor=request.user, source=source, target=target, relation=data["relation"]
                    )
                except ValidationError as exc:
                    _errors(request, exc)
                else:
                    messages.success(request, _("Saved."))
        else:
            messages.error(request, _("Fill in every field."))
        return redirect(catalogue.get_absolute_url())


# --- Campaigns.


class CampaignListView(ObjectListView):
    queryset = Campaign.objects.select_related("catalogue")
    filterset_class = CampaignFilterSet
    table_class = CampaignTable
    title = gettext_lazy("Assessment campaigns")
    add_url_name = "compliance:campaign_add"
    add_permission = "compliance.add_campaign"


class CampaignLaunchView(PermissionRequiredView):
    permission = "compliance.add_campaign"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "compliance/campaign_form.html", {"form": CampaignForm(user=request.user)})

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        form = CampaignForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.launch_campaign(
                    actor=request.user,
                    organization=data["organization"],
                    catalogue=data["catalogue"],
                    title=data["title"],
                    deadline=data["deadline"],
                    sectors=[s.code for s in data["sectors"]],
                    categories=list(data["categories"]),
                    organizations=[o.pk for o in data["organizations"]],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(
                    request, _("Campaign launched: %(n)d assessments.") % {"n": campaign.assessments.count()}
                )
                return redirect(campaign.get_absolute_url())
        return render(request, "compliance/campaign_form.html", {"form": form})


class CampaignDetailView(PermissionRequiredView):
    permission = "compliance.view_campaign"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        campaign = _visible(request, Campaign.objects.select_related("catalogue", "organization"), pk)
        assessments = campaign.assessments.select_related("organization").order_by("organization__short_name")
        by_state = dict.fromkeys(AssessmentState.values, 0)
        for state in assessments.values_list("state", flat=True):
            by_state[state] += 1
        return render(
            request,
            "compliance/campaign_detail.html",
            {
                "object": campaign,
                "assessments": assessments[:500],
                "by_state": [(AssessmentState(s).label, n) for s, n in by_state.items()],
                "groups": queries.group_scores(campaign),
                "heat": queries.heat_map(campaign),
                "trend": queries.trend(request.user),
                "can_recompute": can(request.user, "compliance.recompute_scores", campaign),
                "can_close": can(request.user, "compliance.close_campaign", campaign)
                and campaign.state == "active",
            },
        )


class CampaignActionView(PermissionRequiredView):
    permission = "compliance.view_campaign"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        campaign = _visible(request, Campaign.objects.all(), pk)
        try:
            if request.POST.get("step") == "close":
                services.close_campaign(actor=request.user, campaign=campaign)
                messages.success(request, _("The campaign is closed."))
            else:
                result = services.recompute_scores(actor=request.user, campaign=campaign)
                messages.success(request, _("Scores recomputed (%(n)d).") % {"n": result["scores"]})
        except ValidationError as exc:
            _errors(request, exc)
        return redirect(campaign.get_absolute_url())


# --- Assessments.


class AssessmentListView(ObjectListView):
    queryset = Assessment.objects.select_related("campaign", "organization")
    filterset_class = AssessmentFilterSet
    table_class = AssessmentTable
    title = gettext_lazy("Self-assessments")


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    return _visible(request, Assessment.objects.select_related("campaign__catalogue", "organization"), pk)


def _row_context(request: HttpRequest, assessment: Assessment, item: RequirementAssessment) -> dict[str, Any]:
    answerable = (
        assessment.state in ANSWERABLE_STATES
        and can(request.user, "compliance.answer_assessment", assessment)
        and not (assessment.state == AssessmentState.RETURNED and item.review == Review.ACCEPTED)
    )
    return {
        "item": item,
        "assessment": assessment,
        "answerable": answerable,
        "reviewable": assessment.state == AssessmentState.SUBMITTED
        and can(request.user, "compliance.review_assessment", assessment),
        "form": AnswerForm(initial={"answer": item.answer, "comment": item.comment}, prefix=f"i{item.pk}"),
    }


class AssessmentDetailView(PermissionRequiredView):
    permission = "compliance.view_assessment"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = _assessment(request, pk)
        items = list(
            assessment.items.select_related("requirement", "group", "system")
            .prefetch_related("evidence")
            .order_by("system_id", "requirement__position")
        )
        sections: OrderedDict[Any, OrderedDict[Any, list[Any]]] = OrderedDict()
        for item in items:
            sections.setdefault(item.system, OrderedDict()).setdefault(item.group, []).append(
                _row_context(request, assessment, item)
            )
        summary = scoring.summarise(assessment.items.all())
        by_system = {
            r["system_id"]: r["score"] for r in scoring.by_dimension(assessment.items.all(), "system_id")
        }
        by_group = {
            r["group_id"]: r["score"] for r in scoring.by_dimension(assessment.items.all(), "group_id")
        }
        steps = assessment_lifecycle.available(assessment, request.user)
        return render(
            request,
            "compliance/assessment_detail.html",
            {
                "object": assessment,
                "sections": [
                    (
                        system,
                        by_system.get(system.pk if system else None),
                        [(g, by_group.get(g.pk if g else None), rows) for g, rows in groups.items()],
                    )
                    for system, groups in sections.items()
                ],
                "summary": summary,
                "steps": steps,
                "can_answer": assessment.state in ANSWERABLE_STATES
                and can(request.user, "compliance.answer_assessment", assessment),
                "can_review": assessment.state == AssessmentState.SUBMITTED
                and can(request.user, "compliance.review_assessment", assessment),
                "can_evidence": can(request.user, "compliance.add_evidence", assessment),
                "evidence_form": EvidenceForm(),
                "evidence_choices": Evidence.objects.filter(organization=assessment.organization).order_by(
                    "title"
                ),
                "findings": assessment.findings.all(),
            },
        )


class ItemAnswerView(PermissionRequiredView):
    """Save one answer (htmx: the row comes back)."""

    permission = "compliance.answer_assessment"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        item = _visible(
            request, RequirementAssessment.objects.select_related("requirement", "group", "system"), pk
        )
        assessment = _assessment(request, item.assessment_id)
        form = AnswerForm(request.POST, prefix=f"i{item.pk}")
        error = ""
        if form.is_valid():
            try:
                item = services.answer_requirement(
                    actor=request.user,
                    item=item,
                    answer=form.cleaned_data["answer"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
        else:
            error = _("Choose an answer.")
        if getattr(request, "htmx", False):
            ctx = _row_context(request, assessment, item)
            ctx["error"] = error
            ctx["saved"] = not error
            if error:
                ctx["form"] = form
            return render(
                request, "compliance/partials/item_row.html", ctx
            )  # htmx swaps only 2xx answers; the error shows in the row
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect(f"{assessment.get_absolute_url()}#item-{item.pk}")


class ItemReviewView(PermissionRequiredView):
    permission = "compliance.review_assessment"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        item = _visible(
            request, RequirementAssessment.objects.select_related("requirement", "group", "system"), pk
        )
        assessment = _assessment(request, item.assessment_id)
        form = ReviewForm(request.POST)
        error = ""
        if form.is_valid():
            try:
                item = services.review_requirement(
                    actor=request.user,
                    item=item,
                    decision=form.cleaned_data["decision"],
                    comment=form.cleaned_data["comment"],
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
        else:
            error = _("Choose a decision.")
        if getattr(request, "htmx", False):
            ctx = _row_context(request, assessment, item)
            ctx["error"] = error
            return render(
                request, "compliance/partials/item_row.html", ctx
            )  # htmx swaps only 2xx answers; the error shows in the row
        if error:
            messages.error(request, error)
        return redirect(f"{assessment.get_absolute_url()}#item-{item.pk}")


class ItemEvidenceView(PermissionRequiredView):
    permission = "compliance.add_evidence"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        item = _visible(request, RequirementAssessment.objects.select_related("assessment"), pk)
        form = EvidenceForm(request.POST, request.FILES)
        existing = request.POST.get("evidence", "")
        if existing.isdigit() and len(existing) < 10:
            # An existing piece of evidence of the institution also serves this answer.
            evidence = _visible(request, Evidence.objects.all(), int(existing))
            try:
                services.link_evidence(actor=request.user, evidence=evidence, item=item)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Evidence filed."))
        elif not form.is_valid():
            messages.error(request, _("Choose a file."))
        else:
            try:
                services.add_evidence(
                    actor=request.user,
                    organization=item.assessment.organization,
                    title=form.cleaned_data["title"],
                    upload=Upload.from_file(form.cleaned_data["file"]),
                    expires_on=form.cleaned_data["expires_on"],
                    items=[item],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Evidence filed."))
        return redirect(f"{item.assessment.get_absolute_url()}#item-{item.pk}")


class AssessmentStepView(PermissionRequiredView):
    permission = "compliance.view_assessment"

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        assessment = _assessment(request, pk)
        step = request.POST.get("step", "")
        try:
            if step == "submit":
                services.submit_assessment(actor=request.user, assessment=assessment)
            elif step == "return":
                services.return_assessment(
                    actor=request.user, assessment=assessment, message=request.POST.get("message", "")
                )
            elif step == "lock":
                services.lock_assessment(actor=request.user, assessment=assessment)
            elif step == "accept_rest":
                n = services.accept_remaining(actor=request.user, assessment=assessment)
                messages.success(request, _("%(n)d answers accepted.") % {"n": n})
                return redirect(assessment.get_absolute_url())
            elif step == "prefill":
                n = services.prefill_assessment(actor=request.user, assessment=assessment)
                messages.success(
                    request, _("%(n)d answers pre-filled from mapped catalogues; check them.") % {"n": n}
                )
                return redirect(assessment.get_absolute_url())
            else:
                raise Http404
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            messages.error(request, _("You do not have permission to do this."))
        else:
            assessment.refresh_from_db()
            messages.success(
                request, _("The assessment is now: %(state)s.") % {"state": assessment.get_state_display()}
            )
        return redirect(assessment.get_absolute_url())


class AssessmentReportView(PermissionRequiredView):
    permission = "compliance.view_assessment"

    def get(self, request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
        assessment = _assessment(request, pk)
        if fmt == "oscal":
            response = HttpResponse(documents.assessment_results(assessment), content_type="application/json")
            response["Content-Disposition"] = (
                f'attachment; filename="assessment-{assessment.pk}.oscal-ar.json"'
            )
            return response
        if fmt not in ("docx", "pdf"):
            raise Http404
        return documents.assessment_report_response(assessment, fmt, user=request.user)


# --- Evidence.


class EvidenceListView(ObjectListView):
    queryset = Evidence.objects.select_related("organization")
    filterset_class = EvidenceFilterSet
    table_class = EvidenceTable
    title = gettext_lazy("Evidence")


class EvidenceDetailView(PermissionRequiredView):
    permission = "compliance.view_evidence"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = _visible(request, Evidence.objects.select_related("organization"), pk)
        return render(
            request,
            "compliance/evidence_detail.html",
            {
                "object": evidence,
                "versions": evidence.versions.select_related("uploaded_by"),
                "items": evidence.items.select_related("requirement", "assessment__campaign"),
                "form": EvidenceVersionForm()
                if can(request.user, "compliance.add_evidence", evidence)
                else None,
            },
        )

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        evidence = _visible(request, Evidence.objects.all(), pk)
        form = EvidenceVersionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_evidence_version(
                    actor=request.user,
                    evidence=evidence,
                    upload=Upload.from_file(form.cleaned_data["file"]),
                    expires_on=form.cleaned_data["expires_on"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("New version filed."))
        return redirect("compliance:evidence_detail", pk=evidence.pk)


class EvidenceDownloadView(PermissionRequiredView):
    permission = "compliance.view_evidence"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        version = _visible(request, EvidenceVersion.objects.all(), pk, "compliance.view_evidence")
        return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.filename)


# --- Findings.


class FindingListView(ObjectListView):
    queryset = Finding.objects.select_related("organization")
    filterset_class = FindingFilterSet
    table_class = FindingTable
    title = gettext_lazy("Findings")


class FindingDetailView(PermissionRequiredView):
    permission = "compliance.view_finding"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        finding = _visible(
            request, Finding.objects.select_related("organization", "requirement", "inspection"), pk
        )
        steps = [t.name for t in finding_lifecycle.available(finding, request.user)]
        return render(
            request,
            "compliance/finding_detail.html",
            {
                "object": finding,
                "steps": steps,
                "remediation_form": RemediationForm(),
                "verify_form": VerifyForm(),
                "can_escalate": can(request.user, "compliance.escalate_finding", finding)
                and finding.overdue
                and finding.escalated_at is None,
            },
        )

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        finding = _visible(request, Finding.objects.all(), pk)
        step = request.POST.get("step")
        try:
            if step == "submit_remediation":
                services.submit_remediation(
                    actor=request.user, finding=finding, remediation=request.POST.get("remediation", "")
                )
            elif step == "verify":
                services.verify_finding(
                    actor=request.user,
                    finding=finding,
                    accept=request.POST.get("decision") == "accept",
                    comment=request.POST.get("comment", ""),
                )
            elif step == "escalate":
                services.escalate_finding(actor=request.user, finding=finding)
            else:
                raise Http404
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            messages.error(request, _("You do not have permission to do this."))
        else:
            messages.success(request, _("Saved."))
        return redirect(finding.get_absolute_url())


# --- Inspection plans and inspections.


class PlanListView(ObjectListView):
    queryset = InspectionPlan.objects.select_related("organization")
    table_class = PlanTable
    title = gettext_lazy("Inspection plans")
    add_url_name = "compliance:plan_add"
    add_permission = "compliance.add_inspectionplan"


class PlanAddView(PermissionRequiredView):
    permission = "compliance.add_inspectionplan"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "core/object_edit.html",
            {
                "form": PlanForm(user=request.user),
                "title": _("New inspection plan"),
                "cancel_url": reverse("compliance:plan_list"),
            },
        )

    def post(self, request: AuthenticatedRequest) -> HttpResponse:
        form = PlanForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                plan = services.create_plan(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                return redirect(plan.get_absolute_url())
        return render(
            request,
            "core/object_edit.html",
            {"form": form, "title": _("New inspection plan"), "cancel_url": reverse("compliance:plan_list")},
        )


class PlanDetailView(PermissionRequiredView):
    permission = "compliance.view_inspectionplan"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = _visible(request, InspectionPlan.objects.select_related("organization", "recipient"), pk)
        return render(
            request,
            "compliance/plan_detail.html",
            {
                "object": plan,
                "inspections": plan.inspections.select_related("organization", "system").prefetch_related(
                    "inspectors"
                ),
                "form": InspectionForm()
                if plan.state == "draft" and can(request.user, "compliance.add_inspection", plan)
                else None,
                "steps": plan_lifecycle.available(plan, request.user),
            },
        )

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        plan = _visible(request, InspectionPlan.objects.all(), pk)
        try:
            if request.POST.get("step") == "send":
                services.send_plan(actor=request.user, plan=plan)
                messages.success(request, _("The plan was sent."))
            else:
                form = InspectionForm(request.POST)
                if not form.is_valid():
                    messages.error(
                        request,
                        " ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()),
                    )
                else:
                    services.add_inspection(actor=request.user, plan=plan, **form.cleaned_data)
                    messages.success(request, _("Saved."))
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            messages.error(request, _("You do not have permission to do this."))
        return redirect(plan.get_absolute_url())


class InspectionDetailView(PermissionRequiredView):
    permission = "compliance.view_inspection"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        inspection = _visible(
            request, Inspection.objects.select_related("organization", "system", "plan"), pk
        )
        return render(
            request,
            "compliance/inspection_detail.html",
            {
                "object": inspection,
                "findings": inspection.findings.select_related("requirement"),
                "report_form": InspectionReportForm(initial={"report": inspection.report})
                if can(request.user, "compliance.report_inspection", inspection)
                else None,
                "finding_form": FindingForm()
                if can(request.user, "compliance.add_finding", inspection)
                else None,
            },
        )

    def post(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        inspection = _visible(request, Inspection.objects.select_related("organization"), pk)
        try:
            if request.POST.get("step") == "report":
                services.file_inspection_report(
                    actor=request.user, inspection=inspection, report=request.POST.get("report", "")
                )
                messages.success(request, _("Report filed."))
            else:
                form = FindingForm(request.POST)
                if not form.is_valid():
                    messages.error(
                        request,
                        " ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()),
                    )
                else:
                    data = dict(form.cleaned_data)
                    ref = data.pop("requirement")
                    requirement = (
                        Requirement.objects.filter(ref_id=ref).order_by("-catalogue__created_at").first()
                        if ref
                        else None
                    )
                    if ref and requirement is None:
                        raise ValidationError({"requirement": _("No requirement has that id.")})
                    services.create_finding(
                        actor=request.user,
                        organization=inspection.organization,
                        inspection=inspection,
                        requirement=requirement,
                        **data,
                    )
                    messages.success(request, _("Finding recorded."))
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            messages.error(request, _("You do not have permission to do this."))
        return redirect(inspection.get_absolute_url())


class InspectionReportView(PermissionRequiredView):
    permission = "compliance.view_inspection"

    def get(self, request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
        inspection = _visible(
            request, Inspection.objects.select_related("organization", "system", "plan"), pk
        )
        if fmt not in ("docx", "pdf"):
            raise Http404
        return documents.inspection_report_response(inspection, fmt, user=request.user)
