"""The Information Security Coordination Commission: members, working groups, proposals, meetings,
agenda items, decisions, tasks, protocols and letters.

Ownership (tenancy): a proposal belongs to the institution that submitted it; a meeting (and what hangs
off it: agenda, materials, decisions, protocol) belongs to the commission's organisation and is readable
by the bodies whose members are invited; a task belongs to its responsible institution and its
co-executors; a letter to its recipient.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qalxan.commission.choices import (
    PENDING_TASK_STATES,
    Adoption,
    Attendance,
    DecisionStatus,
    ExecutorRole,
    LetterKind,
    LetterStatus,
    MeetingFormat,
    MeetingStatus,
    MemberRole,
    ProposalStatus,
    ProtocolStatus,
    ReportReview,
    SequenceKind,
    TaskStatus,
    WorkingGroupStatus,
)
from qalxan.core.models import ScopedModel, TimeStampedModel
from qalxan.core.tenancy import ScopedQuerySet

ORG = "organizations.Organization"
# The bodies whose commission members are invited to a meeting may read it.
MEETING_READERS = "meeting__invitations__member__organization"


class CommissionMember(ScopedModel, TimeStampedModel):
    """A person on the commission: position, the body they represent, and their role on it."""

    organization = models.ForeignKey(
        ORG, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="commission_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commission_seats",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=300)
    role = models.CharField(_("role on the commission"), max_length=20, choices=MemberRole.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["role", "full_name"]
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("commission:member_list")


class WorkingGroup(ScopedModel, TimeStampedModel):
    """A working group set up by the commission with a mandate and a deadline."""

    organization = models.ForeignKey(
        ORG, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=300)
    mandate = models.TextField(_("mandate"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    lead = models.ForeignKey(
        CommissionMember,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        CommissionMember, verbose_name=_("members"), blank=True, related_name="working_groups"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=WorkingGroupStatus.choices, default=WorkingGroupStatus.ACTIVE
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commission:group_detail", args=[self.pk])


class WorkingGroupReport(ScopedModel, TimeStampedModel):
    """A report of a working group to the commission."""

    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("working group"), on_delete=models.CASCADE, related_name="reports"
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    submitted_on = models.DateField(_("submitted on"), default=timezone.localdate)
    file = models.FileField(_("file"), upload_to="commission/groups/%Y/", blank=True)

    tenant_field: ClassVar[str] = "group__organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("working group report")
        verbose_name_plural = _("working group reports")

    def __str__(self) -> str:
        return self.title


class Proposal(ScopedModel, TimeStampedModel):
    """A proposal of a state institution for the commission's agenda."""

    organization = models.ForeignKey(
        ORG, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="commission_proposals"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=300)
    text = models.TextField(_("text"))
    proposed_decision = models.TextField(_("proposed decision"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")),
                name="commission_proposal_not_merged_into_self",
            )
        ]

    def __str__(self) -> str:
        return self.topic

    def get_absolute_url(self) -> str:
        return reverse("commission:proposal_detail", args=[self.pk])


class ProposalAttachment(ScopedModel):
    """A file attached to a proposal."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="commission/proposals/%Y/")
    name = models.CharField(_("name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    tenant_field: ClassVar[str] = "proposal__organization"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Meeting(ScopedModel, TimeStampedModel):
    """A meeting of the commission (or of one of its working groups)."""

    organization = models.ForeignKey(
        ORG, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    format = models.CharField(
        _("format"), max_length=12, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    chair = models.ForeignKey(
        CommissionMember,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )

    tenant_field: ClassVar[str] = "invitations__member__organization"
    tenant_distinct: ClassVar[bool] = True
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("commission:meeting_detail", args=[self.pk])

    def tenant_id(self) -> int | None:
        return self.organization_id

    def owner_ids(self) -> set[int]:
        """The commission's organisation and every body with an invited member."""
        invited = self.invitations.values_list("member__organization_id", flat=True)
        return {self.organization_id, *invited}

    @property
    def is_locked(self) -> bool:
        """Closed, cancelled, or its protocol approved: the record of the meeting no longer changes."""
        if self.status in {MeetingStatus.CLOSED, MeetingStatus.CANCELLED}:
            return True
        protocol = Protocol.objects.filter(meeting=self).first()
        return protocol is not None and protocol.status == ProtocolStatus.APPROVED


class MeetingScoped(ScopedModel):
    """Something that hangs off a meeting and is read by whoever reads the meeting."""

    tenant_field: ClassVar[str] = MEETING_READERS
    tenant_distinct: ClassVar[bool] = True
    meeting: Any

    class Meta:
        abstract = True

    def tenant_id(self) -> int | None:
        return self.meeting.organization_id

    def owner_ids(self) -> set[int]:
        return self.meeting.owner_ids()


class Invitation(MeetingScoped):
    """A commission member invited to a meeting, and whether they attended."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    member = models.ForeignKey(
        CommissionMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="invitations"
    )
    attendance = models.CharField(
        _("attendance"), max_length=12, choices=Attendance.choices, default=Attendance.INVITED
    )
    representative = models.CharField(_("represented by"), max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["member__role", "member__full_name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="commission_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.meeting}"


class AgendaItem(MeetingScoped, TimeStampedModel):
    """An item of a meeting's agenda; it may point at any object."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    presenter = models.CharField(_("presented by"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=60, default="free")
    # A generic reference, so that any module can offer agenda items without changing this model.
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    reference = GenericForeignKey("content_type", "object_id")
    reference_label = models.CharField(_("refers to"), max_length=500, blank=True)
    reference_url = models.CharField(_("link"), max_length=500, blank=True)
    summary = models.TextField(_("summary of discussion"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="commission_agenda_item_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def source_label(self) -> str:
        from qalxan.commission.sources import label_of

        return label_of(self.source)


class Material(MeetingScoped):
    """A document for a meeting or one of its agenda items."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="materials"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="materials",
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="commission/materials/%Y/")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class Decision(MeetingScoped, TimeStampedModel):
    """A decision taken on an agenda item; institutions read it once it is published."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="decisions"
    )
    text = models.TextField(_("text"))
    adoption = models.CharField(
        _("how adopted"), max_length=12, choices=Adoption.choices, default=Adoption.CONSENSUS
    )
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstained = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting__starts_at", "agenda_item__order", "id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.number}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("commission:decision_detail", args=[self.pk])

    @property
    def number(self) -> str:
        """Item number and position among the item's decisions ("3.2"), as the protocol numbers them."""
        if not self.pk:
            return str(self.agenda_item.order)
        earlier = (
            Decision.objects.filter(agenda_item_id=self.agenda_item_id, pk__lte=self.pk)
            .exclude(~models.Q(pk=self.pk), status=DecisionStatus.WITHDRAWN)
            .count()
        )
        return f"{self.agenda_item.order}.{earlier}"


class DraftComment(MeetingScoped):
    """A member's comment on the drafts of a meeting (a draft decision or the draft protocol)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="comments"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]


class Task(ScopedModel, TimeStampedModel):
    """A task under a decision, for a responsible institution with co-executors and a deadline."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="tasks"
    )
    text = models.TextField(_("task"))
    responsible = models.ForeignKey(
        ORG, verbose_name=_("responsible institution"), on_delete=models.PROTECT, related_name="+"
    )
    organizations = models.ManyToManyField(  # type: ignore[var-annotated]
        ORG, through="TaskExecutor", related_name="commission_tasks", verbose_name=_("executors")
    )
    deadline = models.DateField(_("deadline"))
    expected_result = models.TextField(_("expected result"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)
    carried_to = models.ForeignKey(
        AgendaItem,
        verbose_name=_("carried onto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_tasks",
    )

    tenant_field: ClassVar[str] = "executors__organization"
    tenant_distinct: ClassVar[bool] = True
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("commission:task_detail", args=[self.pk])

    def tenant_id(self) -> int | None:
        return self.responsible_id

    def owner_ids(self) -> set[int]:
        return set(self.executors.values_list("organization_id", flat=True)) | {self.responsible_id}

    @property
    def co_executors(self) -> list[Any]:
        return [e.organization for e in self.executors.all() if e.role == ExecutorRole.CO_EXECUTOR]

    @property
    def is_overdue(self) -> bool:
        return self.status in PENDING_TASK_STATES and self.deadline < timezone.localdate()


class TaskExecutor(models.Model):
    """An institution executing a task: the responsible one or a co-executor."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="executors")
    organization = models.ForeignKey(ORG, verbose_name=_("institution"), on_delete=models.PROTECT)
    role = models.CharField(_("role"), max_length=12, choices=ExecutorRole.choices)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("executor")
        verbose_name_plural = _("executors")
        constraints = [
            models.UniqueConstraint(fields=["task", "organization"], name="commission_task_executor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class TaskReport(ScopedModel):
    """An institution's report on executing a task, with evidence; the secretary accepts or returns it."""

    task = models.ForeignKey(Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="reports")
    organization = models.ForeignKey(ORG, verbose_name=_("institution"), on_delete=models.PROTECT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("report"))
    evidence = models.FileField(_("evidence"), upload_to="commission/evidence/%Y/", blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    review = models.CharField(
        _("review"), max_length=12, choices=ReportReview.choices, default=ReportReview.PENDING
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("execution report")
        verbose_name_plural = _("execution reports")

    def __str__(self) -> str:
        return f"{self.organization}: {self.text[:60]}"


class Protocol(MeetingScoped):
    """The minutes of a meeting: versioned drafts, then approved, registered and immutable."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="protocol"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ProtocolStatus.choices, default=ProtocolStatus.DRAFT
    )
    number = models.CharField(_("registration number"), max_length=40, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting__starts_at"]
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="commission_protocol_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number or str(_("Draft protocol"))

    @property
    def latest(self) -> ProtocolVersion | None:
        return self.versions.order_by("-version").first()


class ProtocolVersion(MeetingScoped):
    """One generated version of a protocol: the frozen content its documents are rendered from."""

    protocol = models.ForeignKey(
        Protocol, verbose_name=_("protocol"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    is_final = models.BooleanField(_("approved text"), default=False)

    tenant_field: ClassVar[str] = "protocol__" + MEETING_READERS

    class Meta:
        ordering = ["protocol", "-version"]
        verbose_name = _("protocol version")
        verbose_name_plural = _("protocol versions")
        constraints = [
            models.UniqueConstraint(fields=["protocol", "version"], name="commission_protocol_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.protocol} v{self.version}"

    @property
    def meeting(self) -> Meeting:
        return self.protocol.meeting


class Letter(ScopedModel, TimeStampedModel):
    """An outgoing letter of the commission to an institution, with its registration and response tracking."""

    recipient = models.ForeignKey(
        ORG, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="commission_letters"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
    )
    kind = models.CharField(
        _("template"), max_length=24, choices=LetterKind.choices, default=LetterKind.DECISION_EXTRACT
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    number = models.CharField(_("registration number"), max_length=40, blank=True)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=LetterStatus.choices, default=LetterStatus.DRAFT
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    response_due = models.DateField(_("response due"), null=True, blank=True)

    tenant_field: ClassVar[str] = "recipient"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~models.Q(number=""), name="commission_letter_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or _('draft')}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("commission:letter_detail", args=[self.pk])

    @property
    def is_response_overdue(self) -> bool:
        return (
            self.response_due is not None
            and self.status in {LetterStatus.SENT, LetterStatus.DELIVERED}
            and self.response_due < timezone.localdate()
        )


class LetterResponse(ScopedModel):
    """An incoming response to a letter, linked to the task it answers."""

    letter = models.ForeignKey(
        Letter, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="responses"
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    incoming_number = models.CharField(_("incoming number"), max_length=60, blank=True)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    text = models.TextField(_("text"))
    file = models.FileField(_("file"), upload_to="commission/responses/%Y/", blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )

    tenant_field: ClassVar[str] = "letter__recipient"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.incoming_number or '—'} ({self.received_on})"


class RegistrationSequence(models.Model):
    """The last registration number given per kind of document and year."""

    kind = models.CharField(_("kind"), max_length=12, choices=SequenceKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        ordering = ["kind", "year"]
        verbose_name = _("registration sequence")
        verbose_name_plural = _("registration sequences")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="commission_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"
