"""Tables of the commission lists."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from qalxan.commission.models import CommissionMember, Decision, Letter, Meeting, Proposal, Task, WorkingGroup


class MeetingTable(tables.Table):
    starts_at = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name=_("Date"))
    title = tables.Column(linkify=True, verbose_name=_("Title"))
    place = tables.Column(verbose_name=_("Place"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Meeting
        fields = ["starts_at", "title", "place", "format", "status"]
        attrs = {"class": "table"}


class ProposalTable(tables.Table):
    topic = tables.Column(linkify=True, verbose_name=_("Topic"))
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Institution"))
    created_at = tables.DateColumn(format="Y-m-d", verbose_name=_("Submitted"))

    class Meta:
        model = Proposal
        fields = ["created_at", "organization", "topic", "status"]
        attrs = {"class": "table"}


class DecisionTable(tables.Table):
    meeting = tables.Column(linkify=lambda record: record.get_absolute_url(), verbose_name=_("Meeting"))
    item = tables.Column(accessor="agenda_item__title", verbose_name=_("Agenda item"), orderable=False)
    text = tables.Column(linkify=True, verbose_name=_("Decision"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Decision
        fields = ["meeting", "item", "text", "status"]
        attrs = {"class": "table"}

    def render_text(self, value: str) -> str:
        return value[:160]


class TaskTable(tables.Table):
    text = tables.Column(linkify=True, verbose_name=_("Task"))
    responsible = tables.Column(accessor="responsible__short_name", verbose_name=_("Responsible"))
    deadline = tables.DateColumn(format="Y-m-d", verbose_name=_("Deadline"))
    status = tables.Column(verbose_name=_("Status"))
    overdue = tables.BooleanColumn(accessor="is_overdue", verbose_name=_("Overdue"), orderable=False)

    class Meta:
        model = Task
        fields = ["deadline", "responsible", "text", "status", "overdue"]
        attrs = {"class": "table"}

    def render_text(self, value: str) -> str:
        return value[:140]


class LetterTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"), default="—")
    subject = tables.Column(linkify=True, verbose_name=_("Subject"))
    recipient = tables.Column(accessor="recipient__short_name", verbose_name=_("Recipient"))
    registered_on = tables.DateColumn(format="Y-m-d", verbose_name=_("Date"))
    response_due = tables.DateColumn(format="Y-m-d", verbose_name=_("Response due"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Letter
        fields = ["number", "registered_on", "recipient", "subject", "status", "response_due"]
        attrs = {"class": "table"}


class MemberTable(tables.Table):
    full_name = tables.Column(
        linkify=("commission:member_edit", {"pk": tables.A("pk")}), verbose_name=_("Full name")
    )
    organization = tables.Column(accessor="organization__short_name", verbose_name=_("Organisation"))

    class Meta:
        model = CommissionMember
        fields = ["full_name", "position", "organization", "role", "is_active"]
        attrs = {"class": "table"}


class WorkingGroupTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name=_("Name"))

    class Meta:
        model = WorkingGroup
        fields = ["name", "deadline", "status"]
        attrs = {"class": "table"}
