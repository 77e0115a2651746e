"""Forms of the commission pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qalxan.commission import sources
from qalxan.commission.choices import Adoption
from qalxan.commission.models import (
    CommissionMember,
    Decision,
    Letter,
    Meeting,
    Proposal,
    Task,
    WorkingGroup,
)
from qalxan.core.tenancy import restrict
from qalxan.organizations.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class MemberForm(forms.ModelForm):
    class Meta:
        model = CommissionMember
        fields = ["full_name", "position", "organization", "role", "user", "is_active"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class WorkingGroupForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        queryset=CommissionMember.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Members"),
    )

    class Meta:
        model = WorkingGroup
        fields = ["name", "mandate", "deadline", "lead", "status", "members"]
        widgets = {"deadline": DateInput()}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["members"].initial = list(self.instance.members.all())


class GroupReportForm(forms.Form):
    title = forms.CharField(max_length=300, label=_("Title"))
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Text"))
    file = forms.FileField(required=False, label=_("File"))


class ProposalForm(forms.ModelForm):
    attachment = forms.FileField(required=False, label=_("Attachment"))

    class Meta:
        model = Proposal
        fields = ["organization", "topic", "text", "proposed_decision"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "proposed_decision": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]
            Organization.objects.all(), user, "commission.add_proposal"
        )
        if self.instance.pk:
            del self.fields["organization"]


class MeetingForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        queryset=CommissionMember.objects.filter(is_active=True).select_related("organization"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Invited members"),
        help_text=_("Nobody chosen: every active member (or the working group's members) is invited."),
    )

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "place", "format", "chair", "working_group", "members"]
        widgets = {"starts_at": DateTimeInput(format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["members"].initial = [i.member_id for i in self.instance.invitations.all()]


class AgendaItemForm(forms.Form):
    """An item from a registered source (`source:object id`) or a free item."""

    origin = forms.ChoiceField(label=_("From"))
    title = forms.CharField(max_length=500, required=False, label=_("Title"))
    presenter = forms.CharField(max_length=300, required=False, label=_("Presented by"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[Any] = []
        for source in sources.all_sources():
            if source.free:
                choices.append((f"{source.key}:", str(source.label)))
                continue
            options = [(f"{source.key}:{c.object_id}", c.label) for c in source.candidates(user)]
            if options:
                choices.append((str(source.label), options))
        self.fields["origin"].choices = choices  # type: ignore[attr-defined]

    def clean_origin(self) -> tuple[str, str]:
        key, _sep, object_id = self.cleaned_data["origin"].partition(":")
        return key, object_id


class SummaryForm(forms.Form):
    title = forms.CharField(max_length=500, label=_("Title"))
    presenter = forms.CharField(max_length=300, required=False, label=_("Presented by"))
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Summary of discussion")
    )


class MaterialForm(forms.Form):
    title = forms.CharField(max_length=300, required=False, label=_("Title"))
    file = forms.FileField(label=_("File"))
    agenda_item = forms.IntegerField(required=False, widget=forms.HiddenInput)


class CommentForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Comment"))
    decision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "adoption", "votes_for", "votes_against", "votes_abstained"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adoption"].initial = Adoption.CONSENSUS


class TaskForm(forms.ModelForm):
    responsible = forms.ModelChoiceField(
        queryset=Organization.objects.filter(is_active=True),
        required=False,
        label=_("Responsible institution"),
    )
    co_executors = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.filter(is_active=True), required=False, label=_("Co-executors")
    )
    deadline = forms.DateField(required=False, widget=DateInput(), label=_("Deadline"))

    class Meta:
        model = Task
        fields = ["text", "responsible", "co_executors", "deadline", "expected_result"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["co_executors"].initial = [o.pk for o in self.instance.co_executors]


class ReportForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("What was done"))
    evidence = forms.FileField(required=False, label=_("Evidence"))


class ReviewForm(forms.Form):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Comment"))


class MeetingChoiceForm(forms.Form):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label=_("Meeting"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(  # type: ignore[attr-defined]
            status__in=("planned", "agenda_sent")
        ).order_by("starts_at")


class LetterForm(forms.ModelForm):
    recipient = forms.ModelChoiceField(
        queryset=Organization.objects.filter(is_active=True), required=False, label=_("Recipient")
    )
    subject = forms.CharField(max_length=300, required=False, label=_("Subject"))
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False, label=_("Text"))

    class Meta:
        model = Letter
        fields = ["recipient", "decision", "kind", "subject", "body", "response_due"]
        widgets = {"response_due": DateInput()}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(  # type: ignore[attr-defined]
            status__in=("published", "executed")
        ).select_related("agenda_item")


class ResponseForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Response"))
    task = forms.ModelChoiceField(queryset=Task.objects.none(), required=False, label=_("Task answered"))
    incoming_number = forms.CharField(max_length=60, required=False, label=_("Incoming number"))
    received_on = forms.DateField(required=False, widget=DateInput(), label=_("Received on"))
    file = forms.FileField(required=False, label=_("File"))

    def __init__(self, *args: Any, letter: Letter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if letter.decision_id:
            self.fields["task"].queryset = Task.objects.filter(  # type: ignore[attr-defined]
                decision_id=letter.decision_id, executors__organization_id=letter.recipient_id
            )


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("Reason"))


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Proposal.objects.none(), label=_("Merge into"))

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Proposal.objects.filter(  # type: ignore[attr-defined]
            status__in=("submitted", "on_agenda")
        ).exclude(pk=proposal.pk)
