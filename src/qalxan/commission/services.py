"""Every write of the commission app: members, working groups, proposals, meetings, agenda, decisions,
tasks, protocols and letters. Keyword-only, with an actor, in one transaction, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qalxan.commission import access, sources, workflows
from qalxan.commission.choices import (
    PENDING_TASK_STATES,
    Adoption,
    Attendance,
    DecisionStatus,
    ExecutorRole,
    LetterKind,
    LetterStatus,
    MeetingStatus,
    ProposalStatus,
    ProtocolStatus,
    ReportReview,
    SequenceKind,
    TaskStatus,
)
from qalxan.commission.models import (
    AgendaItem,
    CommissionMember,
    Decision,
    DraftComment,
    Invitation,
    Letter,
    LetterResponse,
    Material,
    Meeting,
    Proposal,
    ProposalAttachment,
    Protocol,
    ProtocolVersion,
    RegistrationSequence,
    Task,
    TaskExecutor,
    TaskReport,
    WorkingGroup,
    WorkingGroupReport,
)
from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.roles import Role
from qalxan.core.services import notify
from qalxan.core.tenancy import require
from qalxan.organizations.models import Organization

User = get_user_model()


# --- Helpers.


def commission_organization() -> Organization:
    """The organisation that chairs the commission and owns its meetings (the authority)."""
    org = Organization.objects.filter(kind="authority", is_active=True).order_by("pk").first()
    if org is None:
        raise ValidationError(_("No authority organisation is registered to hold the commission's records."))
    return org


def ensure_editable(meeting: Meeting) -> None:
    """Refuse any change to the record of a meeting whose protocol is approved, or that is closed."""
    protocol = Protocol.objects.filter(meeting=meeting).first()
    if protocol is not None and protocol.status == ProtocolStatus.APPROVED:
        raise ValidationError(
            _("The protocol %(number)s is approved and can no longer be changed.")
            % {"number": protocol.number}
        )
    if meeting.status in {MeetingStatus.CLOSED, MeetingStatus.CANCELLED}:
        raise ValidationError(
            _("The meeting is %(state)s: its record can no longer be changed.")
            % {"state": meeting.get_status_display()}
        )


def next_number(kind: str, year: int) -> int:
    """The next registration number of its kind in `year` (the row is locked until the transaction ends)."""
    RegistrationSequence.objects.get_or_create(kind=kind, year=year)
    sequence = RegistrationSequence.objects.select_for_update().get(kind=kind, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def protocol_number(year: int, n: int) -> str:
    return f"KK-{year}/{n:02d}"


def letter_number(year: int, n: int) -> str:
    return f"KK-M-{year}/{n:04d}"


def officers_of(organization_ids: Iterable[int]) -> list[Any]:
    """The institution officers of these organisations (notification recipients)."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organization_id__in=list(organization_ids),
            memberships__role=Role.INSTITUTION_OFFICER,
        ).distinct()
    )


def _save(actor: Any, obj: Any, fields: dict[str, Any], *, allowed: Iterable[str]) -> Any:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    creating = obj.pk is None
    before = None if creating else audit.snapshot(obj)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        target=obj,
        before=before,
        after=audit.snapshot(obj),
    )
    return obj


# --- Members and working groups.

MEMBER_FIELDS = ("organization", "user", "full_name", "position", "role", "is_active")


@transaction.atomic
def save_member(*, actor: Any, member: CommissionMember | None = None, **fields: Any) -> CommissionMember:
    """Add a person to the commission or change their details."""
    require(actor, "commission.change_commissionmember" if member else "commission.add_commissionmember")
    return _save(actor, member or CommissionMember(), fields, allowed=MEMBER_FIELDS)


GROUP_FIELDS = ("name", "mandate", "deadline", "lead", "status")


@transaction.atomic
def save_working_group(
    *,
    actor: Any,
    group: WorkingGroup | None = None,
    members: Iterable[CommissionMember] | None = None,
    **fields: Any,
) -> WorkingGroup:
    """Set up a working group (mandate, deadline, members) or change it."""
    require(actor, "commission.change_workinggroup" if group else "commission.add_workinggroup")
    if group is None:
        group = WorkingGroup(organization=commission_organization())
    group = _save(actor, group, fields, allowed=GROUP_FIELDS)
    if members is not None:
        before = sorted(group.members.values_list("pk", flat=True))
        group.members.set(list(members))
        after = sorted(group.members.values_list("pk", flat=True))
        if before != after:
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                target=group,
                before={"members": before},
                after={"members": after},
            )
    return group


@transaction.atomic
def add_group_report(
    *, actor: Any, group: WorkingGroup, title: str, text: str, file: Any = None
) -> WorkingGroupReport:
    """File a working group's report."""
    require(actor, "commission.change_workinggroup", group)
    report = WorkingGroupReport(group=group, title=title, text=text)
    if file:
        report.file = file
    return _save(actor, report, {}, allowed=())


# --- Proposals.

PROPOSAL_FIELDS = ("topic", "text", "proposed_decision")


@transaction.atomic
def submit_proposal(
    *, actor: Any, organization: Organization | None, attachments: Iterable[Any] = (), **fields: Any
) -> Proposal:
    """An institution proposes a topic (and a decision) for the commission's agenda."""
    if organization is None:
        raise ValidationError({"organization": _("Choose the institution that makes the proposal.")})
    require(actor, "commission.add_proposal", organization_id=organization.pk)
    proposal = _save(
        actor,
        Proposal(organization=organization, submitted_by=actor if actor.is_authenticated else None),
        fields,
        allowed=PROPOSAL_FIELDS,
    )
    for file in attachments:
        add_proposal_attachment(actor=actor, proposal=proposal, file=file)
    secretaries = User.objects.filter(is_active=True, memberships__role=Role.SECRETARY).distinct()
    notify(
        recipients=secretaries,
        subject=_("New proposal from %(org)s: %(topic)s")
        % {"org": organization.short_name, "topic": proposal.topic},
        url=proposal.get_absolute_url(),
    )
    return proposal


@transaction.atomic
def update_proposal(*, actor: Any, proposal: Proposal, **fields: Any) -> Proposal:
    """Change a proposal while it waits for screening or after it was returned."""
    require(actor, "commission.change_proposal", proposal)
    if proposal.status not in {ProposalStatus.SUBMITTED, ProposalStatus.RETURNED}:
        raise ValidationError(_("A proposal on an agenda or merged into another can no longer be changed."))
    fields.pop("organization", None)
    return _save(actor, proposal, fields, allowed=PROPOSAL_FIELDS)


@transaction.atomic
def add_proposal_attachment(*, actor: Any, proposal: Proposal, file: Any) -> ProposalAttachment:
    require(actor, "commission.change_proposal", proposal)
    if proposal.status not in {ProposalStatus.SUBMITTED, ProposalStatus.RETURNED}:
        raise ValidationError(_("A proposal on an agenda or merged into another can no longer be changed."))
    name = (getattr(file, "name", "") or "file")[:255]
    return _save(actor, ProposalAttachment(proposal=proposal, file=file, name=name), {}, allowed=())


@transaction.atomic
def return_proposal(*, actor: Any, proposal: Proposal, reason: str) -> Proposal:
    """Send a proposal back to its institution with the reason."""
    workflows.proposal.apply(proposal, "return", actor=actor, message=reason, context={"reason": reason})
    Proposal.objects.filter(pk=proposal.pk).update(return_reason=reason)
    proposal.return_reason = reason
    notify(
        recipients=officers_of([proposal.organization_id]),
        subject=_("Your proposal was returned: %(topic)s") % {"topic": proposal.topic},
        body=reason,
        url=proposal.get_absolute_url(),
        organization_id=proposal.organization_id,
    )
    return proposal


@transaction.atomic
def merge_proposal(*, actor: Any, proposal: Proposal, into: Proposal | None) -> Proposal:
    """Merge a proposal into another one on the same subject."""
    if into is None:
        raise ValidationError({"into": _("Choose the proposal to merge into.")})
    if into.pk == proposal.pk:
        raise ValidationError({"into": _("A proposal cannot be merged into itself.")})
    if into.status not in {ProposalStatus.SUBMITTED, ProposalStatus.ON_AGENDA}:
        raise ValidationError({"into": _("Merge into a proposal that is waiting or on an agenda.")})
    workflows.proposal.apply(proposal, "merge", actor=actor, message=str(into.pk))
    Proposal.objects.filter(pk=proposal.pk).update(merged_into=into)
    proposal.merged_into = into
    return proposal


@transaction.atomic
def resubmit_proposal(*, actor: Any, proposal: Proposal) -> Proposal:
    workflows.proposal.apply(proposal, "resubmit", actor=actor)
    return proposal


@transaction.atomic
def put_proposal_on_agenda(*, actor: Any, proposal: Proposal, meeting: Meeting) -> AgendaItem:
    """Screening: the proposal becomes an item of a meeting's agenda."""
    return add_agenda_item(actor=actor, meeting=meeting, source="proposal", object_id=str(proposal.pk))


# --- Meetings.

MEETING_FIELDS = ("title", "starts_at", "place", "format", "chair", "working_group")


def _invite(actor: Any, meeting: Meeting, members: Iterable[CommissionMember]) -> None:
    wanted = {m.pk: m for m in members}
    current = {i.member_id: i for i in meeting.invitations.all()}
    for member_id, invitation in current.items():
        if member_id not in wanted:
            invitation.delete()
    Invitation.objects.bulk_create(
        Invitation(meeting=meeting, member=m) for pk, m in wanted.items() if pk not in current
    )
    if set(current) != set(wanted):
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=meeting,
            before={"invited": sorted(current)},
            after={"invited": sorted(wanted)},
        )


@transaction.atomic
def create_meeting(
    *, actor: Any, members: Iterable[CommissionMember] | None = None, **fields: Any
) -> Meeting:
    """Plan a meeting; invites the given members (by default every active member, or the working group's)."""
    require(actor, "commission.add_meeting")
    meeting = _save(actor, Meeting(organization=commission_organization()), fields, allowed=MEETING_FIELDS)
    if members is None:
        group = meeting.working_group
        members = (
            group.members.filter(is_active=True) if group else CommissionMember.objects.filter(is_active=True)
        )
    _invite(actor, meeting, members)
    return meeting


@transaction.atomic
def update_meeting(
    *, actor: Any, meeting: Meeting, members: Iterable[CommissionMember] | None = None, **fields: Any
) -> Meeting:
    """Change the date, place, format, chair or invited members of a meeting."""
    require(actor, "commission.change_meeting", meeting)
    ensure_editable(meeting)
    meeting = _save(actor, meeting, fields, allowed=MEETING_FIELDS)
    if members is not None:
        _invite(actor, meeting, members)
    return meeting


@transaction.atomic
def record_attendance(*, actor: Any, meeting: Meeting, attendance: dict[int, tuple[str, str]]) -> Meeting:
    """Record who attended: {invitation id: (attendance, represented by)}."""
    require(actor, "commission.change_meeting", meeting)
    ensure_editable(meeting)
    valid = set(Attendance.values)
    for invitation in meeting.invitations.filter(pk__in=list(attendance)):
        state, representative = attendance[invitation.pk]
        if state not in valid:
            raise ValidationError({"attendance": _("Unknown attendance “%(value)s”.") % {"value": state}})
        if (invitation.attendance, invitation.representative) != (state, representative):
            before = audit.snapshot(invitation)
            invitation.attendance, invitation.representative = state, representative[:200]
            invitation.save()
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                target=invitation,
                before=before,
                after=audit.snapshot(invitation),
            )
    return meeting


@transaction.atomic
def add_agenda_item(
    *,
    actor: Any,
    meeting: Meeting,
    source: str = "free",
    object_id: str = "",
    title: str = "",
    presenter: str = "",
) -> AgendaItem:
    """Put an item on a meeting's agenda: a free item, or an object offered by a registered source."""
    require(actor, "commission.change_meeting", meeting)
    ensure_editable(meeting)
    origin = sources.get(source)
    if origin is None:
        raise ValidationError({"source": _("Unknown source of agenda items “%(key)s”.") % {"key": source}})
    item = AgendaItem(meeting=meeting, source=source, title=title.strip(), presenter=presenter.strip())
    referenced: Any = None
    if not origin.free:
        candidate = origin.find(actor, object_id) if object_id else None
        if candidate is None:
            raise ValidationError({"object_id": _("This object cannot be put on an agenda now.")})
        item.content_type_id = candidate.content_type_id
        item.object_id = candidate.object_id
        item.reference_label = candidate.label[:500]
        item.reference_url = candidate.url[:500]
        item.title = item.title or (candidate.title or candidate.label)[:500]
        item.presenter = item.presenter or candidate.presenter[:300]
        model = ContentType.objects.get_for_id(candidate.content_type_id).model_class()
        referenced = model._default_manager.get(pk=candidate.object_id) if model else None
    if not item.title:
        raise ValidationError({"title": _("An agenda item needs a title.")})
    item.order = (meeting.agenda_items.aggregate(n=Max("order"))["n"] or 0) + 1
    _save(actor, item, {}, allowed=())
    if origin.on_added is not None and referenced is not None:
        origin.on_added(item, referenced, actor)
    return item


@transaction.atomic
def update_agenda_item(*, actor: Any, item: AgendaItem, **fields: Any) -> AgendaItem:
    """Change an item's title, presenter or the summary of its discussion."""
    require(actor, "commission.change_meeting", item.meeting)
    ensure_editable(item.meeting)
    return _save(actor, item, fields, allowed=("title", "presenter", "summary"))


@transaction.atomic
def remove_agenda_item(*, actor: Any, item: AgendaItem) -> None:
    """Take an item off the agenda (only while it has no decision)."""
    require(actor, "commission.change_meeting", item.meeting)
    ensure_editable(item.meeting)
    if item.decisions.exists():
        raise ValidationError(_("An item with decisions cannot be taken off the agenda."))
    if item.source == "proposal" and item.object_id:
        Proposal.objects.filter(pk=item.object_id, status=ProposalStatus.ON_AGENDA).update(
            status=ProposalStatus.SUBMITTED
        )
    Task.objects.filter(carried_to=item).update(carried_to=None)
    audit.record(actor=actor, action=AuditAction.DELETE, target=item, before=audit.snapshot(item))
    meeting = item.meeting
    item.delete()
    for order, remaining in enumerate(meeting.agenda_items.order_by("order"), start=1):
        if remaining.order != order:
            AgendaItem.objects.filter(pk=remaining.pk).update(order=order)


@transaction.atomic
def add_material(
    *, actor: Any, meeting: Meeting, title: str, file: Any, agenda_item: AgendaItem | None = None
) -> Material:
    """Attach a document to a meeting or one of its items."""
    require(actor, "commission.change_meeting", meeting)
    ensure_editable(meeting)
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("The item belongs to another meeting.")})
    if not file:
        raise ValidationError({"file": _("Choose a file.")})
    return _save(
        actor,
        Material(meeting=meeting, agenda_item=agenda_item, title=title or file.name, file=file),
        {},
        allowed=(),
    )


def _invited_users(meeting: Meeting) -> list[Any]:
    return [i.member.user for i in meeting.invitations.select_related("member__user") if i.member.user_id]


@transaction.atomic
def send_agenda(*, actor: Any, meeting: Meeting) -> Meeting:
    """Send the agenda to the invited members (in the platform and by e-mail)."""
    workflows.meeting.apply(meeting, "send_agenda", actor=actor)
    starts = timezone.localtime(meeting.starts_at)
    lines = [f"{i.order}. {i.title}" for i in meeting.agenda_items.order_by("order")]
    notify(
        recipients=_invited_users(meeting),
        subject=_("Agenda of the meeting of %(date)s: %(title)s")
        % {"date": starts.strftime("%d.%m.%Y %H:%M"), "title": meeting.title},
        body="\n".join(lines),
        url=meeting.get_absolute_url(),
    )
    return meeting


@transaction.atomic
def hold_meeting(*, actor: Any, meeting: Meeting) -> Meeting:
    workflows.meeting.apply(meeting, "hold", actor=actor)
    return meeting


@transaction.atomic
def cancel_meeting(*, actor: Any, meeting: Meeting, reason: str = "") -> Meeting:
    workflows.meeting.apply(meeting, "cancel", actor=actor, message=reason)
    for item in meeting.agenda_items.filter(source="proposal"):
        Proposal.objects.filter(pk=item.object_id, status=ProposalStatus.ON_AGENDA).update(
            status=ProposalStatus.SUBMITTED
        )
    Task.objects.filter(carried_to__meeting=meeting).update(carried_to=None)
    return meeting


@transaction.atomic
def comment_on_drafts(
    *, actor: Any, meeting: Meeting, text: str, decision: Decision | None = None
) -> DraftComment:
    """A member comments on the drafts of a meeting they are invited to."""
    if not (
        access.can(actor, "commission.comment_meeting", meeting)
        or access.can(actor, "commission.change_meeting", meeting)
    ):
        access.require(actor, "commission.comment_meeting", meeting)
    ensure_editable(meeting)
    if decision is not None and decision.meeting_id != meeting.pk:
        raise ValidationError({"decision": _("The decision belongs to another meeting.")})
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    comment = _save(
        actor,
        DraftComment(meeting=meeting, decision=decision, author=actor, text=text.strip()),
        {},
        allowed=(),
    )
    return comment


# --- Decisions and tasks.

DECISION_FIELDS = ("text", "adoption", "votes_for", "votes_against", "votes_abstained")


def _check_votes(fields: dict[str, Any]) -> None:
    if fields.get("adoption") != Adoption.VOTE:
        for key in ("votes_for", "votes_against", "votes_abstained"):
            fields[key] = None


@transaction.atomic
def record_decision(*, actor: Any, agenda_item: AgendaItem | None, **fields: Any) -> Decision:
    """Record a (draft) decision on an agenda item."""
    if agenda_item is None:
        raise ValidationError({"agenda_item": _("Choose the agenda item the decision is taken on.")})
    meeting = agenda_item.meeting
    require(actor, "commission.add_decision", meeting)
    if meeting.status in {MeetingStatus.CLOSED, MeetingStatus.CANCELLED}:
        raise ValidationError(
            _("A decision cannot be recorded on a meeting that is %(state)s.")
            % {"state": meeting.get_status_display()}
        )
    ensure_editable(meeting)
    fields.setdefault("adoption", Adoption.CONSENSUS)
    _check_votes(fields)
    return _save(actor, Decision(meeting=meeting, agenda_item=agenda_item), fields, allowed=DECISION_FIELDS)


@transaction.atomic
def update_decision(*, actor: Any, decision: Decision, **fields: Any) -> Decision:
    require(actor, "commission.change_decision", decision)
    ensure_editable(decision.meeting)
    if decision.status not in {DecisionStatus.DRAFT, DecisionStatus.ADOPTED}:
        raise ValidationError(_("A published decision can no longer be changed."))
    fields.pop("agenda_item", None)
    fields.setdefault("adoption", decision.adoption)
    _check_votes(fields)
    return _save(actor, decision, fields, allowed=DECISION_FIELDS)


@transaction.atomic
def adopt_decision(*, actor: Any, decision: Decision) -> Decision:
    ensure_editable(decision.meeting)
    workflows.decision.apply(decision, "adopt", actor=actor)
    return decision


@transaction.atomic
def withdraw_decision(*, actor: Any, decision: Decision) -> Decision:
    ensure_editable(decision.meeting)
    workflows.decision.apply(decision, "withdraw", actor=actor)
    return decision


def _set_executors(task: Task, co_executors: Iterable[Organization]) -> None:
    wanted = {o.pk for o in co_executors if o.pk != task.responsible_id}
    TaskExecutor.objects.filter(task=task).delete()
    TaskExecutor.objects.create(task=task, organization_id=task.responsible_id, role=ExecutorRole.RESPONSIBLE)
    TaskExecutor.objects.bulk_create(
        TaskExecutor(task=task, organization_id=pk, role=ExecutorRole.CO_EXECUTOR) for pk in sorted(wanted)
    )


TASK_FIELDS = ("text", "responsible", "deadline", "expected_result")


def _check_task(fields: dict[str, Any]) -> None:
    errors = {}
    if not fields.get("responsible"):
        errors["responsible"] = _("A task needs a responsible institution.")
    if not fields.get("deadline"):
        errors["deadline"] = _("A task needs a deadline.")
    if not str(fields.get("text") or "").strip():
        errors["text"] = _("Say what has to be done.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_task(
    *, actor: Any, decision: Decision, co_executors: Iterable[Organization] = (), **fields: Any
) -> Task:
    """Give a task under a decision to a responsible institution, with co-executors and a deadline."""
    require(actor, "commission.add_task", decision)
    _check_task(fields)
    ensure_editable(decision.meeting)
    if decision.status == DecisionStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn decision has no tasks."))
    task = _save(actor, Task(decision=decision), fields, allowed=TASK_FIELDS)
    _set_executors(task, co_executors)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=task,
        before={"executors": []},
        after={"executors": sorted(task.owner_ids())},
    )
    return task


@transaction.atomic
def update_task(
    *, actor: Any, task: Task, co_executors: Iterable[Organization] | None = None, **fields: Any
) -> Task:
    """Change a task that is still open (while the protocol is not approved)."""
    require(actor, "commission.change_task", task)
    ensure_editable(task.decision.meeting)
    merged = {"text": task.text, "responsible": task.responsible, "deadline": task.deadline, **fields}
    _check_task(merged)
    before = sorted(task.owner_ids())
    task = _save(actor, task, fields, allowed=TASK_FIELDS)
    if co_executors is not None or "responsible" in fields:
        _set_executors(task, co_executors if co_executors is not None else task.co_executors)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=task,
            before={"executors": before},
            after={"executors": sorted(task.owner_ids())},
        )
    return task


@transaction.atomic
def report_task(
    *, actor: Any, task: Task, text: str, evidence: Any = None, submitted_at: dt.datetime | None = None
) -> TaskReport:
    """An executing institution reports what it did, with evidence (`submitted_at`: a paper report)."""
    access.require(actor, "commission.report_task", task)
    organization_id = access.acting_organization(actor, "commission.report_task", task.owner_ids())
    if organization_id is None:
        organization_id = task.responsible_id
    if task.decision.status not in {DecisionStatus.PUBLISHED, DecisionStatus.ADOPTED}:
        raise ValidationError(_("Execution is reported on tasks of adopted decisions."))
    # Co-executors may report too, so the step is checked above rather than by the workflow's owner check.
    workflows.task.apply(task, "report", actor=actor, context={"text": text}, system=True)
    report = TaskReport(
        task=task,
        organization_id=organization_id,
        author=actor,
        text=text.strip(),
        submitted_at=submitted_at or timezone.now(),
    )
    if evidence:
        report.evidence = evidence
    _save(actor, report, {}, allowed=())
    secretaries = User.objects.filter(is_active=True, memberships__role=Role.SECRETARY).distinct()
    notify(
        recipients=secretaries,
        subject=_("Execution reported: %(task)s") % {"task": task.text[:120]},
        url=task.get_absolute_url(),
    )
    return report


@transaction.atomic
def review_task(*, actor: Any, task: Task, accept: bool, comment: str = "") -> Task:
    """The secretary accepts the execution report (the task is executed) or returns it for rework."""
    report = task.reports.filter(review=ReportReview.PENDING).order_by("-submitted_at").first()
    if accept:
        workflows.task.apply(task, "accept", actor=actor, message=comment)
        executed = timezone.localtime(report.submitted_at).date() if report else timezone.localdate()
        Task.objects.filter(pk=task.pk).update(executed_on=executed)
        task.executed_on = executed
    else:
        workflows.task.apply(task, "return", actor=actor, message=comment, context={"comment": comment})
    if report is not None:
        TaskReport.objects.filter(pk=report.pk).update(
            review=ReportReview.ACCEPTED if accept else ReportReview.RETURNED,
            review_comment=comment,
            reviewed_at=timezone.now(),
        )
    notify(
        recipients=officers_of(task.owner_ids()),
        subject=(_("Task accepted as executed: %(task)s") if accept else _("Task report returned: %(task)s"))
        % {"task": task.text[:120]},
        body=comment,
        url=task.get_absolute_url(),
        organization_id=task.responsible_id,
    )
    decision = task.decision
    if accept and workflows.decision.refusal(decision, "execute", actor, system=True) is None:
        workflows.decision.apply(decision, "execute", actor=actor, system=True)
    return task


@transaction.atomic
def cancel_task(*, actor: Any, task: Task, reason: str = "") -> Task:
    workflows.task.apply(task, "cancel", actor=actor, message=reason)
    return task


@transaction.atomic
def carry_over_task(*, actor: Any, task: Task, meeting: Meeting) -> AgendaItem:
    """Put an overdue task on the agenda of a (later) meeting."""
    return add_agenda_item(actor=actor, meeting=meeting, source="overdue_task", object_id=str(task.pk))


def send_deadline_reminders(*, today: dt.date | None = None, days_before: int = 7) -> int:
    """Remind the executing institutions of deadlines within `days_before` days and of overdue tasks,
    once per task per day. Returns how many tasks were reminded."""
    today = today or timezone.localdate()
    tasks = (
        Task.objects.filter(
            status__in=PENDING_TASK_STATES, deadline__lte=today + dt.timedelta(days=days_before)
        )
        .exclude(reminded_on=today)
        .exclude(decision__status=DecisionStatus.DRAFT)
        .select_related("responsible")
    )
    count = 0
    for task in tasks:
        with transaction.atomic():
            overdue = task.deadline < today
            subject = (
                _("Overdue task (deadline %(date)s): %(task)s")
                if overdue
                else _("Deadline approaching (%(date)s): %(task)s")
            ) % {"date": task.deadline.strftime("%d.%m.%Y"), "task": task.text[:120]}
            notify(
                recipients=officers_of(task.owner_ids()),
                subject=subject,
                url=task.get_absolute_url(),
                organization_id=task.responsible_id,
            )
            Task.objects.filter(pk=task.pk).update(reminded_on=today)
            count += 1
    return count


# --- Protocols.


def _protocol_for(meeting: Meeting) -> Protocol:
    protocol, _created = Protocol.objects.get_or_create(meeting=meeting)
    return protocol


@transaction.atomic
def generate_protocol_draft(*, actor: Any, meeting: Meeting) -> ProtocolVersion:
    """Generate a new draft version of the protocol from the meeting's current record."""
    from qalxan.commission.documents import protocol_content

    require(actor, "commission.change_meeting", meeting)
    ensure_editable(meeting)
    protocol = _protocol_for(meeting)
    number = (protocol.versions.aggregate(n=Max("version"))["n"] or 0) + 1
    version = ProtocolVersion.objects.create(
        protocol=protocol, version=number, content=protocol_content(meeting), created_by=actor
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=protocol,
        after={"version": number},
        message="protocol.draft",
    )
    return version


@transaction.atomic
def approve_protocol(*, actor: Any, meeting: Meeting, on: dt.date | None = None) -> Protocol:
    """Approve the protocol: it gets its registration number, its final text is frozen, the adopted
    decisions are published and the meeting is closed."""
    from qalxan.commission.documents import protocol_content

    protocol = Protocol.objects.filter(meeting=meeting).first()
    if protocol is None:
        raise ValidationError(_("Generate a draft of the protocol first."))
    ensure_editable(meeting)
    if meeting.decisions.filter(status=DecisionStatus.DRAFT).exists():
        raise ValidationError(_("Adopt or withdraw every draft decision before approving the protocol."))
    workflows.protocol.apply(protocol, "approve", actor=actor)
    today = on or timezone.localdate()
    protocol.number = protocol_number(today.year, next_number(SequenceKind.PROTOCOL, today.year))
    protocol.registered_on = today
    protocol.approved_by = actor
    protocol.save(update_fields=["number", "registered_on", "approved_by"])
    number = (protocol.versions.aggregate(n=Max("version"))["n"] or 0) + 1
    ProtocolVersion.objects.create(
        protocol=protocol,
        version=number,
        content=protocol_content(meeting, number=protocol.number, registered_on=today),
        created_by=actor,
        is_final=True,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=protocol,
        after={"number": protocol.number, "registered_on": today, "version": number},
    )
    for decision in meeting.decisions.filter(status=DecisionStatus.ADOPTED):
        workflows.decision.apply(decision, "publish", actor=actor)
        Decision.objects.filter(pk=decision.pk).update(published_at=timezone.now())
    meeting.refresh_from_db()
    workflows.meeting.apply(meeting, "close", actor=actor)
    concerned = set(
        TaskExecutor.objects.filter(task__decision__meeting=meeting).values_list("organization_id", flat=True)
    )
    notify(
        recipients=officers_of(concerned) + _invited_users(meeting),
        subject=_("Protocol %(number)s approved: %(title)s")
        % {"number": protocol.number, "title": meeting.title},
        url=meeting.get_absolute_url(),
    )
    return protocol


# --- Letters.

LETTER_FIELDS = ("recipient", "decision", "kind", "subject", "body", "response_due")


def decision_extract(decision: Decision, recipient: Organization) -> str:
    """The text of a decision with the tasks that concern the recipient."""
    lines = [
        _("By decision %(number)s of the meeting of %(date)s (%(title)s), the Commission decided:")
        % {
            "number": decision.number,
            "date": timezone.localtime(decision.meeting.starts_at).strftime("%d.%m.%Y"),
            "title": decision.meeting.title,
        },
        decision.text,
    ]
    tasks = [t for t in decision.tasks.exclude(status=TaskStatus.CANCELLED) if recipient.pk in t.owner_ids()]
    if tasks:
        lines.append(_("Tasks for your institution:"))
        for task in tasks:
            role = _("responsible") if task.responsible_id == recipient.pk else _("co-executor")
            lines.append(
                f"— {task.text} ({role}; "
                + _("deadline %(date)s") % {"date": task.deadline.strftime("%d.%m.%Y")}
                + ")"
            )
    return "\n".join(lines)


@transaction.atomic
def create_letter(*, actor: Any, recipient: Organization | None, **fields: Any) -> Letter:
    """Draft an outgoing letter to an institution."""
    require(actor, "commission.add_letter")
    if recipient is None:
        raise ValidationError({"recipient": _("A letter needs a recipient.")})
    kind = fields.setdefault("kind", LetterKind.DECISION_EXTRACT)
    decision = fields.get("decision")
    if kind == LetterKind.DECISION_EXTRACT:
        if decision is None:
            raise ValidationError({"decision": _("A decision extract needs its decision.")})
        if not fields.get("body"):
            fields["body"] = decision_extract(decision, recipient)
        if not fields.get("subject"):
            fields["subject"] = _(
                "Extract from the decision of the Information Security Coordination Commission"
            )
    if not str(fields.get("subject") or "").strip():
        raise ValidationError({"subject": _("A letter needs a subject.")})
    return _save(actor, Letter(), {"recipient": recipient, **fields}, allowed=LETTER_FIELDS)


@transaction.atomic
def letters_from_decision(*, actor: Any, decision: Decision) -> list[Letter]:
    """Draft a decision extract for every institution concerned by the decision's tasks (once each)."""
    require(actor, "commission.add_letter")
    if decision.status not in {DecisionStatus.PUBLISHED, DecisionStatus.EXECUTED}:
        raise ValidationError(_("Letters are generated once the decision is published."))
    concerned = Organization.objects.filter(
        pk__in=TaskExecutor.objects.filter(task__decision=decision)
        .exclude(task__status=TaskStatus.CANCELLED)
        .values("organization_id")
    )
    existing = set(
        decision.letters.filter(kind=LetterKind.DECISION_EXTRACT).values_list("recipient_id", flat=True)
    )
    letters = []
    for org in concerned:
        if org.pk in existing:
            continue
        deadlines = [t.deadline for t in decision.tasks.all() if org.pk in t.owner_ids()]
        letters.append(
            create_letter(
                actor=actor,
                recipient=org,
                decision=decision,
                kind=LetterKind.DECISION_EXTRACT,
                response_due=min(deadlines) if deadlines else None,
            )
        )
    return letters


@transaction.atomic
def update_letter(*, actor: Any, letter: Letter, **fields: Any) -> Letter:
    require(actor, "commission.change_letter", letter)
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError(_("A registered letter can no longer be changed."))
    if "recipient" in fields and fields["recipient"] is None:
        raise ValidationError({"recipient": _("A letter needs a recipient.")})
    return _save(actor, letter, fields, allowed=LETTER_FIELDS)


@transaction.atomic
def register_letter(*, actor: Any, letter: Letter, on: dt.date | None = None) -> Letter:
    """Give the letter its registration number and date."""
    workflows.letter.apply(letter, "register", actor=actor)
    today = on or timezone.localdate()
    letter.number = letter_number(today.year, next_number(SequenceKind.LETTER, today.year))
    letter.registered_on = today
    if letter.response_due is None:
        letter.response_due = today + dt.timedelta(days=30)
    letter.save(update_fields=["number", "registered_on", "response_due"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=letter,
        after={"number": letter.number, "registered_on": today},
    )
    return letter


@transaction.atomic
def send_letter(*, actor: Any, letter: Letter, on: dt.date | None = None) -> Letter:
    workflows.letter.apply(letter, "send", actor=actor)
    Letter.objects.filter(pk=letter.pk).update(sent_on=on or timezone.localdate())
    letter.refresh_from_db()
    notify(
        recipients=officers_of([letter.recipient_id]),
        subject=_("Letter %(number)s from the Commission: %(subject)s")
        % {"number": letter.number, "subject": letter.subject},
        url=letter.get_absolute_url(),
        organization_id=letter.recipient_id,
    )
    return letter


@transaction.atomic
def mark_letter_delivered(*, actor: Any, letter: Letter, on: dt.date | None = None) -> Letter:
    workflows.letter.apply(letter, "deliver", actor=actor)
    Letter.objects.filter(pk=letter.pk).update(delivered_on=on or timezone.localdate())
    letter.refresh_from_db()
    return letter


@transaction.atomic
def close_letter(*, actor: Any, letter: Letter) -> Letter:
    workflows.letter.apply(letter, "close", actor=actor)
    return letter


@transaction.atomic
def record_letter_response(
    *,
    actor: Any,
    letter: Letter,
    text: str,
    task: Task | None = None,
    incoming_number: str = "",
    received_on: dt.date | None = None,
    file: Any = None,
) -> LetterResponse:
    """Register an institution's response to a letter, linked to the task it answers."""
    require(actor, "commission.respond_letter", letter)
    if letter.status not in {LetterStatus.SENT, LetterStatus.DELIVERED, LetterStatus.ANSWERED}:
        raise ValidationError(_("Only a letter that has been sent can be answered."))
    if not text.strip():
        raise ValidationError({"text": _("Write the response.")})
    if task is not None and (
        task.decision_id != letter.decision_id or letter.recipient_id not in task.owner_ids()
    ):
        raise ValidationError({"task": _("The task is not one this letter is about.")})
    response = LetterResponse(
        letter=letter,
        task=task,
        incoming_number=incoming_number,
        received_on=received_on or timezone.localdate(),
        text=text.strip(),
        registered_by=actor,
    )
    if file:
        response.file = file
    _save(actor, response, {}, allowed=())
    if letter.status in {LetterStatus.SENT, LetterStatus.DELIVERED}:
        workflows.letter.apply(letter, "answer", actor=actor)
    return response
