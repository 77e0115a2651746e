"""Pages of the strategy app: dashboard, status, action plan, progress reports, indicators, indices."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core import metrics
from qalxan.core.tenancy import can, has_permission, restrict
from qalxan.core.views.generic import (
    BulkImportView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredView,
    add_form_errors,
)
from qalxan.strategy import charts, documents, indices, queries, services, workflows
from qalxan.strategy.choices import AssessmentSource, ReportState
from qalxan.strategy.filtersets import ActionFilterSet, IndicatorFilterSet, ProgressReportFilterSet
from qalxan.strategy.forms import (
    ActionForm,
    AssessmentForm,
    DirectionForm,
    GoalForm,
    IndicatorForm,
    MonitoringGroupForm,
    ReportForm,
    StrategyForm,
    ValueForm,
)
from qalxan.strategy.models import (
    Action,
    Direction,
    Goal,
    IndexAssessment,
    IndexFramework,
    IndexQuestion,
    Indicator,
    ProgressReport,
    ReportEvidence,
    Strategy,
)
from qalxan.strategy.tables import ActionTable, IndicatorTable, ProgressReportTable


def _svg(data: bytes) -> str:
    return mark_safe(charts.svg_text(data))  # noqa: S308 - matplotlib's own SVG output


def _strategy(request: HttpRequest) -> Strategy | None:
    pk = request.GET.get("strategy", "")
    if pk.isdigit():
        return Strategy.objects.filter(pk=int(pk)).first()
    return Strategy.objects.first()


class DashboardView(PermissionRequiredView):
    """Indicators against targets, completion by institution, overdue actions, index scores."""

    permission = "strategy.view_indicator"

    def get(self, request: HttpRequest) -> HttpResponse:
        strategy = _strategy(request)
        context: dict[str, Any] = {"strategy": strategy, "strategies": Strategy.objects.all()}
        if strategy is not None:
            actions = restrict(Action.objects.filter(direction__goal__strategy=strategy), request.user)
            by_institution = queries.completion_by_institution(actions)
            context.update(
                rollup=queries.rollup(strategy, actions=actions),
                indicators=[
                    {"indicator": i, **queries.indicator_status(i), "chart": _svg(charts.indicator_chart(i))}
                    for i in strategy.indicators.prefetch_related("targets")
                ],
                by_institution=by_institution,
                institution_chart=_svg(charts.completion_chart(by_institution)) if by_institution else "",
                overdue=queries.overdue_actions(actions)[:20],
            )
        context["frameworks"] = [
            {"framework": f, "chart": _svg(charts.index_chart(f))}
            for f in IndexFramework.objects.filter(assessments__isnull=False).distinct()
        ]
        return render(request, "strategy/dashboard.html", context)


class StrategyListView(PermissionRequiredView):
    permission = "strategy.view_strategy"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "strategy/strategy_list.html",
            {
                "strategies": Strategy.objects.all(),
                "can_edit": has_permission(request.user, "strategy.change_strategy"),
            },
        )


class StrategyDetailView(PermissionRequiredView):
    """The strategy's structure with its status rolled up from the actions the person may see."""

    permission = "strategy.view_strategy"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        strategy = get_object_or_404(Strategy, pk=pk)
        actions = restrict(Action.objects.all(), request.user, "strategy.view_action")
        return render(
            request,
            "strategy/strategy_detail.html",
            {
                "object": strategy,
                "rollup": queries.rollup(strategy, actions=actions),
                "can_export": has_permission(request.user, "strategy.export_report"),
                "can_edit": has_permission(request.user, "strategy.change_strategy"),
                "can_add_action": has_permission(request.user, "strategy.add_action"),
                "goal_form": GoalForm(),
                "group_form": MonitoringGroupForm(strategy=strategy),
                "groups": strategy.monitoring_groups.prefetch_related("members", "directions"),
                "direction_form": DirectionForm(),
                "years": range(strategy.start_year, strategy.end_year + 1),
                "this_year": min(max(timezone.localdate().year, strategy.start_year), strategy.end_year),
            },
        )


class AnnualReportView(PermissionRequiredView):
    """The annual monitoring report as DOCX or PDF (?year=…&lang=az|en|ru)."""

    permission = "strategy.export_report"

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        strategy = get_object_or_404(Strategy, pk=pk)
        if fmt not in {"docx", "pdf"}:
            raise Http404
        year_text = request.GET.get("year", "")
        year = int(year_text) if year_text.isdigit() else timezone.localdate().year
        if not strategy.start_year <= year <= strategy.end_year:
            year = min(max(year, strategy.start_year), strategy.end_year)
        language = request.GET.get("lang", "az")
        if language not in documents.LANGUAGES:
            language = "az"
        if fmt == "docx":
            data = documents.annual_report_docx(strategy, year, language)
            content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        else:
            data = documents.annual_report_pdf(strategy, year, language)
            content_type = "application/pdf"
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="monitoring-{strategy.code}-{year}-{language}.{fmt}"'
        )
        return response


class ActionListView(ObjectListView):
    queryset = Action.objects.select_related("responsible", "direction")
    filterset_class = ActionFilterSet
    table_class = ActionTable
    title = gettext_lazy("Action plan")
    import_url_name = "strategy:action_import"
    import_permission = "strategy.import_action"


class ActionImportView(BulkImportView):
    importer_key = "strategy-actions"
    done_url_name = "strategy:action_list"


def _reporting_orgs(user: Any, action: Action) -> list[Any]:
    return [
        o
        for o in action.participants.all()
        if can(user, "strategy.submit_progressreport", organization_id=o.pk)
    ]


class ActionDetailView(ObjectDetailView):
    queryset = Action.objects.select_related("responsible", "direction__goal__strategy")
    template_name = "strategy/action_detail.html"

    def extra_context(self, obj: Action) -> dict[str, Any]:
        reports = restrict(obj.reports.select_related("period", "organization"), self.request.user)
        return {
            "co_executors": obj.co_executors.all(),
            "reports": reports,
            "can_report": bool(_reporting_orgs(self.request.user, obj)),
            "can_edit": can(self.request.user, "strategy.change_action", obj),
            "overdue": queries.is_overdue(obj, timezone.localdate()),
        }


class ReportCreateView(PermissionRequiredView):
    """An institution reports progress on one of its actions (saved as a draft or submitted at once)."""

    permission = "strategy.add_progressreport"

    def _action(self, pk: int) -> Action:
        action = get_object_or_404(restrict(Action.objects.all(), self.request.user), pk=pk)
        if not _reporting_orgs(self.request.user, action):
            raise PermissionDenied(_("Your institution does not take part in this action."))
        return action

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self._action(pk)
        form = ReportForm(action=action, user=request.user)
        return render(request, "strategy/report_form.html", {"form": form, "action": action})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self._action(pk)
        form = ReportForm(request.POST, request.FILES, action=action, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    report = services.create_report(
                        actor=request.user,
                        action=action,
                        period=data["period"],
                        organization=data["organization"],
                        status=data["status"],
                        narrative=data["narrative"],
                        completed_on=data.get("completed_on"),
                    )
                    if data.get("evidence_file"):
                        services.add_evidence(actor=request.user, report=report, file=data["evidence_file"])
                    if "submit" in request.POST:
                        services.submit_report(actor=request.user, report=report)
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Report submitted.") if "submit" in request.POST else _("Saved."))
                return redirect(report.get_absolute_url())
        return render(request, "strategy/report_form.html", {"form": form, "action": action})


class GroupReviewMixin:
    """Reports visible through tenancy, plus those a monitoring working group of the person reviews."""

    def get_permission(self) -> str | None:
        return "strategy.view_strategy"

    def visible_queryset(self, permission: str | None = None) -> Any:
        return queries.visible_reports(self.request.user, self.queryset.all())  # type: ignore[attr-defined]


class ReportListView(GroupReviewMixin, ObjectListView):
    queryset = ProgressReport.objects.select_related("action", "period", "organization")
    filterset_class = ProgressReportFilterSet
    table_class = ProgressReportTable
    title = gettext_lazy("Progress reports")


class ReportDetailView(GroupReviewMixin, ObjectDetailView):
    queryset = ProgressReport.objects.select_related("action__responsible", "period", "organization")
    template_name = "strategy/report_detail.html"

    def extra_context(self, obj: ProgressReport) -> dict[str, Any]:
        return {
            "steps": workflows.progress_report.available(obj, self.request.user),
            "can_edit": obj.state in {ReportState.DRAFT, ReportState.RETURNED}
            and can(self.request.user, "strategy.change_progressreport", obj),
            "evidence": obj.evidence.all(),
        }


class ReportEditView(PermissionRequiredView):
    permission = "strategy.change_progressreport"

    def _report(self, pk: int) -> ProgressReport:
        report = get_object_or_404(restrict(ProgressReport.objects.all(), self.request.user), pk=pk)
        if not can(self.request.user, "strategy.change_progressreport", report):
            raise PermissionDenied(_("You may not change this record."))
        return report

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._report(pk)
        form = ReportForm(instance=report, action=report.action, user=request.user)
        return render(
            request, "strategy/report_form.html", {"form": form, "action": report.action, "object": report}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._report(pk)
        form = ReportForm(
            request.POST, request.FILES, instance=report, action=report.action, user=request.user
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.update_report(
                        actor=request.user,
                        report=report,
                        status=data["status"],
                        narrative=data["narrative"],
                        completed_on=data.get("completed_on"),
                    )
                    if data.get("evidence_file"):
                        services.add_evidence(actor=request.user, report=report, file=data["evidence_file"])
                    if "submit" in request.POST:
                        services.submit_report(actor=request.user, report=report)
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(report.get_absolute_url())
        return render(
            request, "strategy/report_form.html", {"form": form, "action": report.action, "object": report}
        )


class ReportStepView(PermissionRequiredView):
    """Submit, accept or return a report (the workflow checks permission, state and comment)."""

    permission = "strategy.view_strategy"

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        report = get_object_or_404(queries.visible_reports(request.user), pk=pk)
        comment = request.POST.get("comment", "")
        try:
            if step == "submit":
                services.submit_report(actor=request.user, report=report)
            elif step == "accept":
                services.accept_report(actor=request.user, report=report, comment=comment)
            elif step == "return":
                services.return_report(actor=request.user, report=report, comment=comment)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Done."))
        return redirect(report.get_absolute_url())


class EvidenceDownloadView(PermissionRequiredView):
    permission = "strategy.view_progressreport"

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        item = get_object_or_404(
            restrict(ReportEvidence.objects.all(), request.user, "strategy.view_progressreport"), pk=pk
        )
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


class IndicatorListView(ObjectListView):
    queryset = Indicator.objects.select_related("strategy")
    filterset_class = IndicatorFilterSet
    table_class = IndicatorTable
    title = gettext_lazy("Indicators")
    add_url_name = "strategy:indicator_add"
    add_permission = "strategy.add_indicator"


class IndicatorEditView(ObjectEditView):
    queryset = Indicator.objects.all()
    form_class = IndicatorForm
    template_name = "strategy/indicator_form.html"
    add_permission = "strategy.add_indicator"
    change_permission = "strategy.change_indicator"

    def save(self, form: Any, obj: Indicator | None) -> tuple[Indicator, list[str]]:
        data = dict(form.cleaned_data)
        targets = data.pop("targets_text")
        if obj is None:
            return services.create_indicator(actor=self.request.user, targets=targets, **data), []
        data.pop("strategy", None)
        return services.update_indicator(actor=self.request.user, indicator=obj, targets=targets, **data), []


class IndicatorDetailView(ObjectDetailView):
    queryset = Indicator.objects.select_related("strategy", "direction").prefetch_related("targets")
    template_name = "strategy/indicator_detail.html"

    def extra_context(self, obj: Indicator) -> dict[str, Any]:
        metric = None
        if obj.metric:
            try:
                metric = metrics.get(obj.metric)
            except KeyError:
                metric = None
        return {
            "chart": _svg(charts.indicator_chart(obj)),
            "values": obj.values.select_related("recorded_by").order_by("-on", "-revision"),
            "status": queries.indicator_status(obj),
            "metric": metric,
            "can_change": can(self.request.user, "strategy.change_indicator"),
            "can_compute": obj.is_computed and can(self.request.user, "strategy.compute_indicator"),
            "value_form": ValueForm(initial={"on": timezone.localdate()}),
        }


class IndicatorComputeView(PermissionRequiredView):
    permission = "strategy.compute_indicator"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = get_object_or_404(Indicator, pk=pk)
        try:
            value, new = services.compute_indicator(actor=request.user, indicator=indicator)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("New value stored (revision %(rev)d).") % {"rev": value.revision}
                if new
                else _("The value has not changed."),
            )
        return redirect(indicator.get_absolute_url())


class IndicatorValueView(PermissionRequiredView):
    permission = "strategy.change_indicator"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = get_object_or_404(Indicator, pk=pk)
        form = ValueForm(request.POST)
        if form.is_valid():
            services.record_value(actor=request.user, indicator=indicator, **form.cleaned_data)
            messages.success(request, _("Saved."))
        else:
            messages.error(request, _("Enter a date and a number."))
        return redirect(indicator.get_absolute_url())


class FrameworkListView(PermissionRequiredView):
    permission = "strategy.view_indexframework"

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = []
        for framework in IndexFramework.objects.prefetch_related("assessments"):
            latest = framework.assessments.order_by("-year").first()
            rows.append(
                {
                    "framework": framework,
                    "latest": latest,
                    "tier": indices.tier(framework, latest.total) if latest else "",
                }
            )
        return render(request, "strategy/framework_list.html", {"rows": rows})


class FrameworkDetailView(PermissionRequiredView):
    """Side-by-side comparison of a framework's assessments across years."""

    permission = "strategy.view_indexframework"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        framework = get_object_or_404(IndexFramework, pk=pk)
        return render(
            request,
            "strategy/framework_detail.html",
            {
                "object": framework,
                "comparison": indices.comparison(framework),
                "chart": _svg(charts.index_chart(framework)),
                "can_assess": has_permission(request.user, "strategy.change_indexassessment"),
                "form": AssessmentForm(initial={"year": timezone.localdate().year}),
            },
        )


class AssessmentCreateView(PermissionRequiredView):
    permission = "strategy.change_indexassessment"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        framework = get_object_or_404(IndexFramework, pk=pk)
        form = AssessmentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a year."))
            return redirect(framework.get_absolute_url())
        try:
            with transaction.atomic():
                assessment = services.create_assessment(
                    actor=request.user,
                    framework=framework,
                    year=form.cleaned_data["year"],
                    notes=form.cleaned_data["notes"],
                )
                services.apply_platform_evidence(actor=request.user, assessment=assessment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(framework.get_absolute_url())
        return redirect(assessment.get_absolute_url())


class AssessmentDetailView(PermissionRequiredView):
    """Questions with their answers and the platform evidence that bears on each."""

    permission = "strategy.view_indexassessment"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = get_object_or_404(IndexAssessment.objects.select_related("framework"), pk=pk)
        answers = {a.question_id: a for a in assessment.answers.all()}
        scores = {s.section_id: s.score for s in assessment.scores.all()}
        sections = []
        for section in assessment.framework.sections.prefetch_related("questions"):
            sections.append(
                {
                    "section": section,
                    "score": scores.get(section.pk),
                    "questions": [
                        {"question": q, "answer": answers.get(q.pk), "evidence": indices.evidence_for(q)}
                        for q in section.questions.all()
                    ],
                }
            )
        return render(
            request,
            "strategy/assessment_detail.html",
            {
                "object": assessment,
                "sections": sections,
                "tier": indices.tier(assessment.framework, assessment.total),
                "editable": assessment.source == AssessmentSource.SELF
                and has_permission(request.user, "strategy.change_indexassessment"),
                "yes_no": assessment.framework.answer_kind == "yes_no",
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = get_object_or_404(IndexAssessment, pk=pk)
        if not has_permission(request.user, "strategy.change_indexassessment"):
            raise PermissionDenied(_("You may not change this record."))
        question_id = request.POST.get("question", "")
        question = get_object_or_404(
            IndexQuestion,
            pk=int(question_id) if question_id.isdigit() else 0,
            section__framework=assessment.framework,
        )
        try:
            value = Decimal(request.POST.get("value", ""))
            services.answer_question(
                actor=request.user,
                assessment=assessment,
                question=question,
                value=value,
                evidence=request.POST.get("evidence", "")[:5000],
            )
        except InvalidOperation:
            messages.error(request, _("Give a valid answer."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect(assessment.get_absolute_url())


# --- Editing the strategy's structure (the strategy officer) ---------------------------------------


class StrategyEditView(ObjectEditView):
    queryset = Strategy.objects.all()
    form_class = StrategyForm
    add_permission = "strategy.change_strategy"
    change_permission = "strategy.change_strategy"

    def get_object(self) -> Strategy:
        return get_object_or_404(Strategy, pk=self.kwargs["pk"])

    def save(self, form: Any, obj: Strategy | None) -> tuple[Strategy, list[str]]:
        data = dict(form.cleaned_data)
        if obj is None:
            return services.create_strategy(actor=self.request.user, **data), []
        return services.update_strategy(actor=self.request.user, strategy=obj, **data), []


class GoalAddView(PermissionRequiredView):
    """Add a goal to a strategy, or a priority direction to one of its goals (POST from the strategy page)."""

    permission = "strategy.change_strategy"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        strategy = get_object_or_404(Strategy, pk=pk)
        goal_id = request.POST.get("goal")
        form: Any = DirectionForm(request.POST) if goal_id else GoalForm(request.POST)
        if not form.is_valid():
            messages.error(
                request,
                " ".join(
                    f"{form.fields[k].label if k in form.fields else ''}: {' '.join(str(e) for e in v)}"
                    for k, v in form.errors.items()
                ),
            )
            return redirect(strategy.get_absolute_url())
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"code", "name_az"}}
        try:
            if goal_id:
                goal = get_object_or_404(Goal, pk=goal_id, strategy=strategy)
                services.add_direction(
                    actor=request.user,
                    goal=goal,
                    code=form.cleaned_data["code"],
                    name_az=form.cleaned_data["name_az"],
                    **data,
                )
            else:
                services.add_goal(
                    actor=request.user,
                    strategy=strategy,
                    code=form.cleaned_data["code"],
                    name_az=form.cleaned_data["name_az"],
                    **data,
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
        return redirect(strategy.get_absolute_url())


class ActionEditView(ObjectEditView):
    """Add an item to the action plan (?direction=ID) or change one."""

    queryset = Action.objects.all()
    form_class = ActionForm
    add_permission = "strategy.add_action"
    change_permission = "strategy.change_action"

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        strategy = obj.direction.goal.strategy if obj is not None else None
        initial = {}
        if obj is None and self.request.GET.get("direction", "").isdigit():
            direction = (
                Direction.objects.filter(pk=int(self.request.GET["direction"])).select_related("goal").first()
            )
            if direction is not None:
                initial["direction"] = direction
                strategy = direction.goal.strategy
        return ActionForm(
            data=data, files=files, instance=obj, initial=initial, user=self.request.user, strategy=strategy
        )

    def save(self, form: Any, obj: Action | None) -> tuple[Action, list[str]]:
        data = dict(form.cleaned_data)
        co_executors = list(data.pop("co_executors"))
        if obj is None:
            direction = data.pop("direction")
            return services.create_action(
                actor=self.request.user, direction=direction, co_executors=co_executors, **data
            ), []
        return services.update_action(
            actor=self.request.user, action=obj, co_executors=co_executors, **data
        ), []


class MonitoringGroupAddView(PermissionRequiredView):
    """The strategy officer sets up a monitoring working group (POST from the strategy page)."""

    permission = "strategy.change_strategy"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        strategy = get_object_or_404(Strategy, pk=pk)
        form = MonitoringGroupForm(request.POST, strategy=strategy)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.save_monitoring_group(
                    actor=request.user,
                    strategy=strategy,
                    name_az=data["name_az"],
                    name_en=data["name_en"],
                    name_ru=data["name_ru"],
                    members=list(data["members"]),
                    directions=list(data["directions"]),
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved."))
        else:
            messages.error(
                request,
                " ".join(
                    f"{form.fields[k].label}: {' '.join(str(e) for e in v)}"
                    for k, v in form.errors.items()
                    if k in form.fields
                ),
            )
        return redirect(strategy.get_absolute_url())
