"""Pages of the commission: dashboard, calendar, meetings with agenda, decisions, tasks and protocol,
proposals, letters, members and working groups, an institution's page, search and the members' area."""

from __future__ import annotations

import calendar
import datetime as dt
import io
from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.commission import access, documents, forms, queries, services, workflows
from qalxan.commission.choices import PUBLIC_DECISION_STATES, Attendance, TaskStatus
from qalxan.commission.filtersets import (
    DecisionFilterSet,
    LetterFilterSet,
    MeetingFilterSet,
    ProposalFilterSet,
    TaskFilterSet,
)
from qalxan.commission.models import (
    AgendaItem,
    CommissionMember,
    Decision,
    Letter,
    LetterResponse,
    Material,
    Meeting,
    Proposal,
    ProposalAttachment,
    Protocol,
    Task,
    TaskReport,
    WorkingGroup,
    WorkingGroupReport,
)
from qalxan.commission.tables import (
    DecisionTable,
    LetterTable,
    MeetingTable,
    MemberTable,
    ProposalTable,
    TaskTable,
    WorkingGroupTable,
)
from qalxan.core.tenancy import has_permission, restrict
from qalxan.core.views.generic import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    PermissionRequiredView,
)
from qalxan.organizations.models import Organization

# --- Helpers.


class VisibleMixin:
    """Read through the app's visibility queries instead of the single-owner `restrict`."""

    visible: ClassVar[Callable[..., QuerySet[Any]] | None] = None
    queryset: ClassVar[QuerySet[Any]]
    request: HttpRequest

    def visible_queryset(self, permission: str | None = None) -> QuerySet[Any]:
        visible = type(self).visible
        if visible is None:
            return restrict(self.queryset.all(), self.request.user, permission)
        return visible(self.request.user, self.queryset.all())


def _act(request: HttpRequest, back: str, run: Callable[[], Any], done: str) -> HttpResponse:
    """Run a service; its refusal becomes a message on the page the person came from."""
    try:
        run()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(back)


def _steps(workflow: Any, obj: Any, user: Any, allowed: set[str]) -> list[Any]:
    return [t for t in workflow.available(obj, user) if t.name in allowed]


# --- Dashboard, calendar, search, institution page, members' area.


class DashboardView(PermissionRequiredView):
    permission = "commission.view_dashboard"

    def get(self, request: HttpRequest) -> HttpResponse:
        summary = queries.execution_summary(request.user)
        return render(
            request,
            "commission/dashboard.html",
            {
                "summary": summary,
                "chart": _overdue_chart(summary["overdue_by_institution"]),
                "upcoming": queries.visible_meetings(request.user)
                .filter(starts_at__gte=timezone.now())
                .order_by("starts_at")[:5],
                "status_labels": dict(TaskStatus.choices),
            },
        )


def _overdue_chart(rows: list[dict[str, Any]]) -> str:
    """Overdue tasks by institution as an inline SVG bar chart (offline, matplotlib)."""
    if not rows:
        return ""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    rows = rows[:12]
    fig, ax = plt.subplots(figsize=(6.5, 0.35 * len(rows) + 0.8))
    ax.barh([r["short_name"] for r in rows][::-1], [r["count"] for r in rows][::-1], color="#b3261e")
    ax.set_xlabel(_("Overdue tasks"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    svg = out.getvalue()
    return svg[svg.find("<svg") :]


class CalendarView(PermissionRequiredView):
    permission = "commission.view_meeting"

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        try:
            year, month = (int(x) for x in request.GET.get("month", f"{today:%Y-%m}").split("-"))
            first = dt.date(year, month, 1)
        except ValueError:
            first = today.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        meetings = queries.visible_meetings(request.user).filter(
            starts_at__date__gte=first, starts_at__date__lte=last
        )
        by_day: dict[int, list[Meeting]] = {}
        for meeting in meetings.order_by("starts_at"):
            by_day.setdefault(timezone.localtime(meeting.starts_at).day, []).append(meeting)
        weeks = [
            [
                {"day": d, "meetings": by_day.get(d, []), "today": first.replace(day=d) == today}
                if d
                else None
                for d in week
            ]
            for week in calendar.Calendar().monthdayscalendar(first.year, first.month)
        ]
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        following = last + dt.timedelta(days=1)
        return render(
            request,
            "commission/calendar.html",
            {
                "weeks": weeks,
                "first": first,
                "previous": f"{previous:%Y-%m}",
                "next": f"{following:%Y-%m}",
                "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            },
        )


class SearchView(PermissionRequiredView):
    permission = "commission.view_published_decision"

    def get(self, request: HttpRequest) -> HttpResponse:
        text = request.GET.get("q", "")[:200]
        return render(
            request, "commission/search.html", {"q": text, "results": queries.search(request.user, text)}
        )


class InstitutionView(PermissionRequiredView):
    """An institution's page: its tasks (responsible or co-executor), proposals and letters."""

    permission = "commission.view_task"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        org = get_object_or_404(Organization, pk=pk)
        tasks = list(queries.tasks_of_organization(request.user, org.pk).order_by("deadline"))
        proposals = queries.visible_proposals(request.user).filter(organization=org)
        letters = queries.visible_letters(request.user).filter(recipient=org)
        if not (tasks or access.can(request.user, "commission.view_task", org)):
            raise Http404
        return render(
            request,
            "commission/institution.html",
            {"org": org, "tasks": tasks, "proposals": proposals, "letters": letters},
        )


class MyInstitutionView(PermissionRequiredView):
    permission = "commission.view_task"

    def get(self, request: HttpRequest) -> HttpResponse:
        orgs = restrict(Organization.objects.all(), request.user, "commission.view_task")
        org = orgs.order_by("path").first()
        if org is None or has_permission(request.user, "commission.review_task"):
            return redirect("commission:dashboard")
        return redirect("commission:institution", pk=org.pk)


class MembersAreaView(PermissionRequiredView):
    """Commission members: the meetings their body is invited to, with materials and drafts."""

    permission = "commission.view_meeting"

    def get(self, request: HttpRequest) -> HttpResponse:
        meetings = queries.visible_meetings(request.user).prefetch_related("materials", "agenda_items")
        now = timezone.now()
        return render(
            request,
            "commission/area.html",
            {
                "upcoming": meetings.filter(starts_at__gte=now).order_by("starts_at"),
                "past": meetings.filter(starts_at__lt=now).order_by("-starts_at")[:12],
            },
        )


# --- Files: every download goes through the object's visibility.


def _file_response(field: Any, name: str = "") -> FileResponse:
    if not field:
        raise Http404
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=(name or field.name).rsplit("/", 1)[-1]
    )


class FileView(PermissionRequiredView):
    def get(self, request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
        user = request.user
        if kind == "attachment":
            attachment = get_object_or_404(
                ProposalAttachment, pk=pk, proposal__in=queries.visible_proposals(user)
            )
            return _file_response(attachment.file, attachment.name)
        if kind == "material":
            material = get_object_or_404(Material, pk=pk, meeting__in=queries.visible_meetings(user))
            return _file_response(material.file)
        if kind == "evidence":
            report = get_object_or_404(TaskReport, pk=pk, task__in=queries.visible_tasks(user))
            return _file_response(report.evidence)
        if kind == "response":
            response = get_object_or_404(LetterResponse, pk=pk, letter__in=queries.visible_letters(user))
            return _file_response(response.file)
        if kind == "group-report":
            group_report = get_object_or_404(
                WorkingGroupReport, pk=pk, group__in=restrict(WorkingGroup.objects.all(), user)
            )
            return _file_response(group_report.file)
        raise Http404


def _document_args(request: HttpRequest) -> tuple[str, str]:
    kind = request.GET.get("kind", "docx")
    language = request.GET.get("language", "az")
    if kind not in {"docx", "pdf"} or language not in documents.LANGUAGES:
        raise Http404
    return kind, language


def _download(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/pdf"
        if kind == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


# --- Meetings.


class MeetingListView(VisibleMixin, ObjectListView):
    queryset = Meeting.objects.select_related("working_group")
    visible = staticmethod(queries.visible_meetings)
    filterset_class = MeetingFilterSet
    table_class = MeetingTable
    title = gettext_lazy("Meetings")
    add_url_name = "commission:meeting_add"
    add_permission = "commission.add_meeting"


class MeetingEditView(VisibleMixin, ObjectEditView):
    queryset = Meeting.objects.all()
    visible = staticmethod(queries.visible_meetings)
    form_class = forms.MeetingForm
    add_permission = "commission.add_meeting"
    change_permission = "commission.change_meeting"

    def save(self, form: Any, obj: Meeting | None) -> tuple[Meeting, list[str]]:
        data = dict(form.cleaned_data)
        members = list(data.pop("members") or []) or None
        if obj is None:
            return services.create_meeting(actor=self.request.user, members=members, **data), []
        return services.update_meeting(actor=self.request.user, meeting=obj, members=members, **data), []


class MeetingDetailView(VisibleMixin, ObjectDetailView):
    queryset = Meeting.objects.select_related("chair", "working_group")
    visible = staticmethod(queries.visible_meetings)
    template_name = "commission/meeting_detail.html"

    def extra_context(self, obj: Meeting) -> dict[str, Any]:
        user = self.request.user
        can_run = access.can(user, "commission.change_meeting", obj)
        decisions = queries.visible_decisions(user, obj.decisions.all()).prefetch_related(
            "tasks__responsible", "tasks__executors__organization", "comments__author"
        )
        by_item: dict[int, list[Decision]] = {}
        for decision in decisions.order_by("id"):
            by_item.setdefault(decision.agenda_item_id, []).append(decision)
        items = list(obj.agenda_items.prefetch_related("materials").order_by("order"))
        for item in items:
            item.visible_decisions = by_item.get(item.pk, [])  # type: ignore[attr-defined]
        protocol = Protocol.objects.filter(meeting=obj).first()
        return {
            "items": items,
            "invitations": obj.invitations.select_related("member__organization"),
            "general_materials": obj.materials.filter(agenda_item__isnull=True),
            "comments": obj.comments.select_related("author", "decision"),
            "protocol": protocol,
            "versions": protocol.versions.all() if protocol else [],
            "locked": obj.is_locked,
            "can_run": can_run,
            "can_approve": access.can(user, "commission.approve_protocol", obj),
            "can_comment": access.can(user, "commission.comment_meeting", obj) or can_run,
            "steps": _steps(workflows.meeting, obj, user, {"send_agenda", "hold", "cancel"}),
            "agenda_form": forms.AgendaItemForm(user=user) if can_run else None,
            "decision_form": forms.DecisionForm(),
            "task_form": forms.TaskForm(),
            "material_form": forms.MaterialForm(),
            "comment_form": forms.CommentForm(),
            "attendance_choices": Attendance.choices,
            "doc_languages": documents.LANGUAGES,
        }


class MeetingActionView(PermissionRequiredView):
    """POST-only actions on a meeting and its agenda, decisions, tasks, materials and protocol."""

    permission = "commission.view_meeting"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        user = request.user
        form: Any
        meeting = get_object_or_404(queries.visible_meetings(user), pk=pk)
        back = meeting.get_absolute_url()
        post, files = request.POST, request.FILES
        if action in {"send_agenda", "hold", "cancel"}:
            run = {
                "send_agenda": lambda: services.send_agenda(actor=user, meeting=meeting),
                "hold": lambda: services.hold_meeting(actor=user, meeting=meeting),
                "cancel": lambda: services.cancel_meeting(actor=user, meeting=meeting),
            }[action]
            return _act(request, back, run, _("Done."))
        if action == "agenda":
            form = forms.AgendaItemForm(post, user=user)
            if not form.is_valid():
                messages.error(request, _("Choose where the item comes from."))
                return redirect(back)
            key, object_id = form.cleaned_data["origin"]
            return _act(
                request,
                back + "#agenda",
                lambda: services.add_agenda_item(
                    actor=user,
                    meeting=meeting,
                    source=key,
                    object_id=object_id,
                    title=form.cleaned_data["title"],
                    presenter=form.cleaned_data["presenter"],
                ),
                _("Item added to the agenda."),
            )
        if action == "attendance":
            rows = {}
            for invitation in meeting.invitations.all():
                state = post.get(f"attendance-{invitation.pk}")
                if state:
                    rows[invitation.pk] = (state, post.get(f"representative-{invitation.pk}", ""))
            return _act(
                request,
                back,
                lambda: services.record_attendance(actor=user, meeting=meeting, attendance=rows),
                _("Attendance saved."),
            )
        if action == "material":
            form = forms.MaterialForm(post, files)
            if not form.is_valid():
                messages.error(request, _("Choose a file."))
                return redirect(back)
            item = meeting.agenda_items.filter(pk=form.cleaned_data["agenda_item"] or 0).first()
            return _act(
                request,
                back,
                lambda: services.add_material(
                    actor=user,
                    meeting=meeting,
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                    agenda_item=item,
                ),
                _("Material added."),
            )
        if action == "comment":
            form = forms.CommentForm(post)
            if not form.is_valid():
                messages.error(request, _("Write a comment."))
                return redirect(back)
            decision = meeting.decisions.filter(pk=form.cleaned_data["decision"] or 0).first()
            return _act(
                request,
                back + "#comments",
                lambda: services.comment_on_drafts(
                    actor=user, meeting=meeting, text=form.cleaned_data["text"], decision=decision
                ),
                _("Comment saved."),
            )
        if action == "protocol":
            return _act(
                request,
                back + "#protocol",
                lambda: services.generate_protocol_draft(actor=user, meeting=meeting),
                _("A new draft of the protocol was generated."),
            )
        if action == "approve":
            return _act(
                request,
                back + "#protocol",
                lambda: services.approve_protocol(actor=user, meeting=meeting),
                _("The protocol is approved and registered."),
            )
        raise Http404


class AgendaItemActionView(PermissionRequiredView):
    permission = "commission.view_meeting"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        user = request.user
        form: Any
        item = get_object_or_404(
            AgendaItem.objects.select_related("meeting"), pk=pk, meeting__in=queries.visible_meetings(user)
        )
        back = item.meeting.get_absolute_url() + f"#item-{item.pk}"
        if action == "edit":
            form = forms.SummaryForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("An agenda item needs a title."))
                return redirect(back)
            return _act(
                request,
                back,
                lambda: services.update_agenda_item(actor=user, item=item, **form.cleaned_data),
                _("Saved."),
            )
        if action == "remove":
            return _act(
                request,
                item.meeting.get_absolute_url(),
                lambda: services.remove_agenda_item(actor=user, item=item),
                _("Item removed."),
            )
        if action == "decision":
            form = forms.DecisionForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
                return redirect(back)
            return _act(
                request,
                back,
                lambda: services.record_decision(actor=user, agenda_item=item, **form.cleaned_data),
                _("Decision recorded."),
            )
        raise Http404


class ProtocolDocumentView(PermissionRequiredView):
    permission = "commission.view_meeting"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = get_object_or_404(queries.visible_meetings(request.user), pk=pk)
        kind, language = _document_args(request)
        protocol = get_object_or_404(Protocol, meeting=meeting)
        versions = protocol.versions.all()
        wanted = request.GET.get("version", "")
        version = versions.filter(version=int(wanted)).first() if wanted.isdigit() else versions.first()
        if version is None:
            raise Http404
        render_ = documents.protocol_docx if kind == "docx" else documents.protocol_pdf
        name = (protocol.number or f"protocol-draft-{meeting.pk}").replace("/", "-")
        return _download(render_(version.content, language), kind, f"{name}-v{version.version}-{language}")


class AgendaDocumentView(PermissionRequiredView):
    permission = "commission.view_meeting"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        meeting = get_object_or_404(queries.visible_meetings(request.user), pk=pk)
        _kind, language = _document_args(request)
        return _download(documents.agenda_docx(meeting, language), "docx", f"agenda-{meeting.pk}-{language}")


# --- Decisions and tasks.


class DecisionListView(VisibleMixin, ObjectListView):
    queryset = Decision.objects.select_related("meeting", "agenda_item")
    visible = staticmethod(queries.visible_decisions)
    permission = "commission.view_published_decision"
    filterset_class = DecisionFilterSet
    table_class = DecisionTable
    title = gettext_lazy("Decisions")


class DecisionDetailView(VisibleMixin, ObjectDetailView):
    queryset = Decision.objects.select_related("meeting", "agenda_item")
    visible = staticmethod(queries.visible_decisions)
    permission = "commission.view_published_decision"
    template_name = "commission/decision_detail.html"

    def extra_context(self, obj: Decision) -> dict[str, Any]:
        user = self.request.user
        can_run = access.can(user, "commission.change_decision", obj)
        visible_task_ids = set(queries.visible_tasks(user, obj.tasks.all()).values_list("pk", flat=True))
        return {
            "tasks": obj.tasks.select_related("responsible").prefetch_related("executors__organization"),
            "visible_task_ids": visible_task_ids,
            "letters": queries.visible_letters(user, obj.letters.all()),
            "can_run": can_run,
            "editable": can_run and not obj.meeting.is_locked and obj.status in ("draft", "adopted"),
            "steps": _steps(workflows.decision, obj, user, {"adopt", "withdraw"}),
            "is_public": obj.status in PUBLIC_DECISION_STATES,
            "can_letters": access.can(user, "commission.add_letter", obj)
            and obj.status in PUBLIC_DECISION_STATES,
            "decision_form": forms.DecisionForm(instance=obj),
            "task_form": forms.TaskForm(),
            "comments": obj.comments.select_related("author")
            if access.can(user, "commission.view_decision", obj)
            else [],
        }


class DecisionActionView(PermissionRequiredView):
    permission = "commission.view_published_decision"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        user = request.user
        form: Any
        decision = get_object_or_404(queries.visible_decisions(user), pk=pk)
        back = decision.get_absolute_url()
        if action in {"adopt", "withdraw"}:
            run = {
                "adopt": lambda: services.adopt_decision(actor=user, decision=decision),
                "withdraw": lambda: services.withdraw_decision(actor=user, decision=decision),
            }[action]
            return _act(request, back, run, _("Done."))
        if action == "edit":
            form = forms.DecisionForm(request.POST, instance=Decision.objects.get(pk=decision.pk))
            if not form.is_valid():
                messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
                return redirect(back)
            return _act(
                request,
                back,
                lambda: services.update_decision(actor=user, decision=decision, **form.cleaned_data),
                _("Saved."),
            )
        if action == "task":
            form = forms.TaskForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
                return redirect(request.POST.get("next") or back)
            data = dict(form.cleaned_data)
            co = list(data.pop("co_executors") or [])
            return _act(
                request,
                request.POST.get("next") or back,
                lambda: services.add_task(actor=user, decision=decision, co_executors=co, **data),
                _("Task added."),
            )
        if action == "letters":
            return _act(
                request,
                back + "#letters",
                lambda: services.letters_from_decision(actor=user, decision=decision),
                _("Letters drafted for the institutions concerned."),
            )
        raise Http404


class TaskListView(VisibleMixin, ObjectListView):
    queryset = Task.objects.select_related("responsible", "decision")
    visible = staticmethod(queries.visible_tasks)
    filterset_class = TaskFilterSet
    table_class = TaskTable
    title = gettext_lazy("Tasks")


class TaskDetailView(VisibleMixin, ObjectDetailView):
    queryset = Task.objects.select_related("responsible", "decision__meeting", "carried_to__meeting")
    visible = staticmethod(queries.visible_tasks)
    template_name = "commission/task_detail.html"

    def extra_context(self, obj: Task) -> dict[str, Any]:
        user = self.request.user
        can_report = access.can(user, "commission.report_task", obj) and obj.status in ("open", "returned")
        return {
            "reports": obj.reports.select_related("organization", "author"),
            "responses": obj.responses.select_related("letter"),
            "executors": obj.executors.select_related("organization"),
            "can_report": can_report and obj.decision.status in ("adopted", "published"),
            "can_review": access.can(user, "commission.review_task", obj) and obj.status == "reported",
            "can_cancel": access.can(user, "commission.change_task", obj)
            and obj.status in ("open", "returned", "reported"),
            "can_carry": obj.is_overdue
            and obj.carried_to_id is None
            and access.can(user, "commission.change_meeting"),
            "report_form": forms.ReportForm(),
            "review_form": forms.ReviewForm(),
            "meeting_form": forms.MeetingChoiceForm(),
            "reason_form": forms.ReasonForm(),
            "decision_visible": queries.visible_decisions(user).filter(pk=obj.decision_id).exists(),
        }


class TaskActionView(PermissionRequiredView):
    permission = "commission.view_task"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        user = request.user
        form: Any
        task = get_object_or_404(queries.visible_tasks(user), pk=pk)
        back = task.get_absolute_url()
        if action == "report":
            form = forms.ReportForm(request.POST, request.FILES)
            if not form.is_valid():
                messages.error(request, _("Describe what was done."))
                return redirect(back)
            return _act(
                request,
                back,
                lambda: services.report_task(
                    actor=user,
                    task=task,
                    text=form.cleaned_data["text"],
                    evidence=form.cleaned_data["evidence"],
                ),
                _("Report sent to the secretariat."),
            )
        if action in {"accept", "return"}:
            comment = request.POST.get("comment", "")
            return _act(
                request,
                back,
                lambda: services.review_task(
                    actor=user, task=task, accept=action == "accept", comment=comment
                ),
                _("Done."),
            )
        if action == "cancel":
            return _act(
                request,
                back,
                lambda: services.cancel_task(actor=user, task=task, reason=request.POST.get("reason", "")),
                _("Done."),
            )
        if action == "carry":
            form = forms.MeetingChoiceForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a planned meeting."))
                return redirect(back)
            return _act(
                request,
                back,
                lambda: services.carry_over_task(actor=user, task=task, meeting=form.cleaned_data["meeting"]),
                _("The task is on the agenda of the meeting."),
            )
        raise Http404


# --- Proposals.


class ProposalListView(ObjectListView):
    queryset = Proposal.objects.select_related("organization")
    filterset_class = ProposalFilterSet
    table_class = ProposalTable
    title = gettext_lazy("Proposals")
    add_url_name = "commission:proposal_add"
    add_permission = "commission.add_proposal"


class ProposalEditView(ObjectEditView):
    queryset = Proposal.objects.all()
    form_class = forms.ProposalForm
    add_permission = "commission.add_proposal"
    change_permission = "commission.change_proposal"

    def save(self, form: Any, obj: Proposal | None) -> tuple[Proposal, list[str]]:
        data = dict(form.cleaned_data)
        attachment = data.pop("attachment", None)
        if obj is None:
            proposal = services.submit_proposal(
                actor=self.request.user, attachments=[attachment] if attachment else [], **data
            )
            return proposal, []
        proposal = services.update_proposal(actor=self.request.user, proposal=obj, **data)
        if attachment:
            services.add_proposal_attachment(actor=self.request.user, proposal=proposal, file=attachment)
        return proposal, []


class ProposalDetailView(ObjectDetailView):
    queryset = Proposal.objects.select_related("organization", "submitted_by", "merged_into")
    template_name = "commission/proposal_detail.html"

    def extra_context(self, obj: Proposal) -> dict[str, Any]:
        user = self.request.user
        screen = access.can(user, "commission.screen_proposal", obj) and obj.status == "submitted"
        item = (
            AgendaItem.objects.filter(source="proposal", object_id=str(obj.pk))
            .select_related("meeting")
            .first()
        )
        return {
            "attachments": obj.attachments.all(),
            "can_screen": screen,
            "can_edit": access.can(user, "commission.change_proposal", obj)
            and obj.status in ("submitted", "returned"),
            "can_resubmit": access.can(user, "commission.change_proposal", obj) and obj.status == "returned",
            "agenda_item": item,
            "meeting_visible": item is not None
            and queries.visible_meetings(user).filter(pk=item.meeting_id).exists(),
            "meeting_form": forms.MeetingChoiceForm() if screen else None,
            "reason_form": forms.ReasonForm() if screen else None,
            "merge_form": forms.MergeForm(proposal=obj) if screen else None,
        }


class ProposalActionView(PermissionRequiredView):
    permission = "commission.view_proposal"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        user = request.user
        form: Any
        proposal = get_object_or_404(queries.visible_proposals(user), pk=pk)
        back = proposal.get_absolute_url()
        if action == "agenda":
            form = forms.MeetingChoiceForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose a planned meeting."))
                return redirect(back)
            return _act(
                request,
                back,
                lambda: services.put_proposal_on_agenda(
                    actor=user, proposal=proposal, meeting=form.cleaned_data["meeting"]
                ),
                _("The proposal is on the agenda."),
            )
        if action == "return":
            return _act(
                request,
                back,
                lambda: services.return_proposal(
                    actor=user, proposal=proposal, reason=request.POST.get("reason", "")
                ),
                _("The proposal was returned to the institution."),
            )
        if action == "merge":
            form = forms.MergeForm(request.POST, proposal=proposal)
            into = form.cleaned_data["into"] if form.is_valid() else None
            return _act(
                request,
                back,
                lambda: services.merge_proposal(actor=user, proposal=proposal, into=into),
                _("Merged."),
            )
        if action == "resubmit":
            return _act(
                request,
                back,
                lambda: services.resubmit_proposal(actor=user, proposal=proposal),
                _("Submitted again."),
            )
        raise Http404


# --- Letters.


class LetterListView(ObjectListView):
    queryset = Letter.objects.select_related("recipient")
    filterset_class = LetterFilterSet
    table_class = LetterTable
    title = gettext_lazy("Letters")
    add_url_name = "commission:letter_add"
    add_permission = "commission.add_letter"


class LetterEditView(ObjectEditView):
    queryset = Letter.objects.all()
    form_class = forms.LetterForm
    add_permission = "commission.add_letter"
    change_permission = "commission.change_letter"

    def save(self, form: Any, obj: Letter | None) -> tuple[Letter, list[str]]:
        data = dict(form.cleaned_data)
        if obj is None:
            return services.create_letter(actor=self.request.user, **data), []
        return services.update_letter(actor=self.request.user, letter=obj, **data), []


class LetterDetailView(ObjectDetailView):
    queryset = Letter.objects.select_related("recipient", "decision__meeting")
    template_name = "commission/letter_detail.html"

    def extra_context(self, obj: Letter) -> dict[str, Any]:
        user = self.request.user
        return {
            "steps": _steps(workflows.letter, obj, user, {"register", "send", "deliver", "close"}),
            "responses": obj.responses.select_related("task", "registered_by"),
            "can_edit": access.can(user, "commission.change_letter", obj) and obj.status == "draft",
            "can_respond": access.can(user, "commission.respond_letter", obj)
            and obj.status in ("sent", "delivered", "answered"),
            "response_form": forms.ResponseForm(letter=obj),
            "doc_languages": documents.LANGUAGES,
        }


class LetterActionView(PermissionRequiredView):
    permission = "commission.view_letter"

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        user = request.user
        form: Any
        letter = get_object_or_404(queries.visible_letters(user), pk=pk)
        back = letter.get_absolute_url()
        steps = {
            "register": lambda: services.register_letter(actor=user, letter=letter),
            "send": lambda: services.send_letter(actor=user, letter=letter),
            "deliver": lambda: services.mark_letter_delivered(actor=user, letter=letter),
            "close": lambda: services.close_letter(actor=user, letter=letter),
        }
        if action in steps:
            return _act(request, back, steps[action], _("Done."))
        if action == "respond":
            form = forms.ResponseForm(request.POST, request.FILES, letter=letter)
            if not form.is_valid():
                messages.error(request, _("Write the response."))
                return redirect(back)
            return _act(
                request,
                back,
                lambda: services.record_letter_response(actor=user, letter=letter, **form.cleaned_data),
                _("Response registered."),
            )
        raise Http404


class LetterDocumentView(PermissionRequiredView):
    permission = "commission.view_letter"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = get_object_or_404(queries.visible_letters(request.user), pk=pk)
        kind, language = _document_args(request)
        render_ = documents.letter_docx if kind == "docx" else documents.letter_pdf
        name = (letter.number or f"letter-draft-{letter.pk}").replace("/", "-")
        return _download(render_(letter, language), kind, f"{name}-{language}")


# --- Members and working groups.


class MemberListView(ObjectListView):
    queryset = CommissionMember.objects.select_related("organization")
    table_class = MemberTable
    title = gettext_lazy("Commission members")
    add_url_name = "commission:member_add"
    add_permission = "commission.add_commissionmember"


class MemberEditView(ObjectEditView):
    queryset = CommissionMember.objects.all()
    form_class = forms.MemberForm
    add_permission = "commission.add_commissionmember"
    change_permission = "commission.change_commissionmember"

    def save(self, form: Any, obj: CommissionMember | None) -> tuple[CommissionMember, list[str]]:
        return services.save_member(actor=self.request.user, member=obj, **form.cleaned_data), []


class GroupListView(ObjectListView):
    queryset = WorkingGroup.objects.all()
    table_class = WorkingGroupTable
    title = gettext_lazy("Working groups")
    add_url_name = "commission:group_add"
    add_permission = "commission.add_workinggroup"


class GroupEditView(ObjectEditView):
    queryset = WorkingGroup.objects.all()
    form_class = forms.WorkingGroupForm
    add_permission = "commission.add_workinggroup"
    change_permission = "commission.change_workinggroup"

    def save(self, form: Any, obj: WorkingGroup | None) -> tuple[WorkingGroup, list[str]]:
        data = dict(form.cleaned_data)
        members = list(data.pop("members") or [])
        return services.save_working_group(actor=self.request.user, group=obj, members=members, **data), []


class GroupDetailView(ObjectDetailView):
    queryset = WorkingGroup.objects.select_related("lead")
    template_name = "commission/group_detail.html"

    def extra_context(self, obj: WorkingGroup) -> dict[str, Any]:
        user = self.request.user
        return {
            "members": obj.members.select_related("organization"),
            "reports": obj.reports.all(),
            "meetings": queries.visible_meetings(user, obj.meetings.all()),
            "can_change": access.can(user, "commission.change_workinggroup", obj),
            "report_form": forms.GroupReportForm(),
        }

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        group = self.get_object()
        form = forms.GroupReportForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("A report needs a title and a text."))
            return redirect(group.get_absolute_url())
        if not access.can(request.user, "commission.change_workinggroup", group):
            raise PermissionDenied
        return _act(
            request,
            group.get_absolute_url(),
            lambda: services.add_group_report(actor=request.user, group=group, **form.cleaned_data),
            _("Report filed."),
        )
