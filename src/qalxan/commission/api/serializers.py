"""Serializers of the commission API; writes go through the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from qalxan.commission import queries, services, sources
from qalxan.commission.choices import Attendance, LetterKind
from qalxan.commission.models import (
    AgendaItem,
    CommissionMember,
    Decision,
    DraftComment,
    Invitation,
    Letter,
    LetterResponse,
    Meeting,
    Proposal,
    ProposalAttachment,
    Protocol,
    ProtocolVersion,
    Task,
    TaskReport,
    WorkingGroup,
)
from qalxan.core.tenancy import restrict
from qalxan.organizations.models import Organization


def _request_user(serializer: serializers.Serializer) -> Any:
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class CommissionOrganizationRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "short_name", "name"]
        read_only_fields = fields


class ProposalAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProposalAttachment
        fields = ["id", "name", "uploaded_at"]
        read_only_fields = fields


class ProposalSerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(source="submitted_by.username", read_only=True, default="")
    attachments = ProposalAttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "organization",
            "topic",
            "text",
            "proposed_decision",
            "status",
            "return_reason",
            "merged_into",
            "submitted_by",
            "attachments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "return_reason", "merged_into", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        if user is not None:
            self.fields["organization"].queryset = restrict(  # type: ignore[attr-defined]
                Organization.objects.all(), user, "commission.add_proposal"
            )

    def create(self, validated_data: dict[str, Any]) -> Proposal:
        return services.submit_proposal(actor=_request_user(self), **validated_data)

    def update(self, instance: Proposal, validated_data: dict[str, Any]) -> Proposal:
        validated_data.pop("organization", None)
        return services.update_proposal(actor=_request_user(self), proposal=instance, **validated_data)


class CommissionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class ProposalMergeSerializer(serializers.Serializer):
    into = serializers.PrimaryKeyRelatedField(queryset=Proposal.objects.all())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        if user is not None:
            self.fields["into"].queryset = queries.visible_proposals(user)  # type: ignore[attr-defined]


class CommissionMeetingChoiceSerializer(serializers.Serializer):
    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        if user is not None:
            self.fields["meeting"].queryset = queries.visible_meetings(user)  # type: ignore[attr-defined]


class CommissionFileSerializer(serializers.Serializer):
    file = serializers.FileField()


class InvitationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="member.full_name", read_only=True)
    position = serializers.CharField(source="member.position", read_only=True)
    organization = serializers.IntegerField(source="member.organization_id", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "member", "name", "position", "organization", "attendance", "representative"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    invitations = InvitationSerializer(many=True, read_only=True)
    members = serializers.PrimaryKeyRelatedField(
        queryset=CommissionMember.objects.filter(is_active=True), many=True, write_only=True, required=False
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "title",
            "starts_at",
            "place",
            "format",
            "chair",
            "working_group",
            "status",
            "members",
            "invitations",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.all()  # type: ignore[attr-defined]

    def create(self, validated_data: dict[str, Any]) -> Meeting:
        return services.create_meeting(actor=_request_user(self), **validated_data)

    def update(self, instance: Meeting, validated_data: dict[str, Any]) -> Meeting:
        return services.update_meeting(actor=_request_user(self), meeting=instance, **validated_data)


class MeetingAttendanceRowSerializer(serializers.Serializer):
    invitation = serializers.IntegerField()
    attendance = serializers.ChoiceField(choices=Attendance.choices)
    representative = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MeetingAttendanceSerializer(serializers.Serializer):
    rows = MeetingAttendanceRowSerializer(many=True)


class AgendaItemSerializer(serializers.ModelSerializer):
    source_label = serializers.SerializerMethodField()

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "order",
            "title",
            "presenter",
            "source",
            "source_label",
            "content_type",
            "object_id",
            "reference_label",
            "reference_url",
            "summary",
        ]
        read_only_fields = fields

    def get_source_label(self, obj: AgendaItem) -> str:
        return sources.label_of(obj.source)


class AgendaItemCreateSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=[])  # type: ignore[assignment]  # the API calls it "source"
    object_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    presenter = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s.key, str(s.label)) for s in sources.all_sources()]  # type: ignore[attr-defined]


class ProtocolVersionSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = ProtocolVersion
        fields = ["version", "created_at", "created_by", "is_final"]
        read_only_fields = fields


class ProtocolSerializer(serializers.ModelSerializer):
    versions = ProtocolVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Protocol
        fields = ["id", "meeting", "status", "number", "registered_on", "versions"]
        read_only_fields = fields


class CommissionTransitionSerializer(serializers.Serializer):
    step = serializers.CharField(max_length=40)
    message = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DraftCommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = DraftComment
        fields = ["id", "decision", "author", "text", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {
            "decision": {"queryset": Decision.objects.all(), "required": False, "allow_null": True}
        }


class DecisionTaskSummarySerializer(serializers.ModelSerializer):
    responsible = CommissionOrganizationRefSerializer(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "text", "responsible", "deadline", "expected_result"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    meeting: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    number = serializers.CharField(read_only=True)
    tasks = DecisionTaskSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = [
            "id",
            "number",
            "meeting",
            "agenda_item",
            "text",
            "adoption",
            "votes_for",
            "votes_against",
            "votes_abstained",
            "status",
            "published_at",
            "tasks",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "published_at", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        if user is not None:
            self.fields["agenda_item"].queryset = restrict(  # type: ignore[attr-defined]
                AgendaItem.objects.all(), user, "commission.add_decision"
            )

    def create(self, validated_data: dict[str, Any]) -> Decision:
        return services.record_decision(actor=_request_user(self), **validated_data)

    def update(self, instance: Decision, validated_data: dict[str, Any]) -> Decision:
        return services.update_decision(actor=_request_user(self), decision=instance, **validated_data)


class TaskReportReadSerializer(serializers.ModelSerializer):
    organization: Any = serializers.PrimaryKeyRelatedField(read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = TaskReport
        fields = [
            "id",
            "organization",
            "author",
            "text",
            "submitted_at",
            "review",
            "review_comment",
            "reviewed_at",
        ]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    co_executors = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(), many=True, required=False
    )
    is_overdue = serializers.BooleanField(read_only=True)
    reports = TaskReportReadSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "decision",
            "text",
            "responsible",
            "co_executors",
            "deadline",
            "expected_result",
            "status",
            "executed_on",
            "is_overdue",
            "carried_to",
            "reports",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "executed_on", "carried_to", "created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        if user is not None:
            self.fields["decision"].queryset = restrict(  # type: ignore[attr-defined]
                Decision.objects.all(), user, "commission.add_task"
            )

    def to_representation(self, instance: Task) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["co_executors"] = [o.pk for o in instance.co_executors]
        return data

    def create(self, validated_data: dict[str, Any]) -> Task:
        return services.add_task(actor=_request_user(self), **validated_data)

    def update(self, instance: Task, validated_data: dict[str, Any]) -> Task:
        validated_data.pop("decision", None)
        return services.update_task(actor=_request_user(self), task=instance, **validated_data)


class TaskExecutionReportSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=8000)
    evidence = serializers.FileField(required=False)


class TaskReportReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class LetterResponseSerializer(serializers.ModelSerializer):
    class Meta:
        model = LetterResponse
        fields = ["id", "task", "incoming_number", "received_on", "text", "created_by_name"]
        read_only_fields = ["id", "created_by_name"]
        extra_kwargs = {"task": {"queryset": Task.objects.all(), "required": False, "allow_null": True}}

    created_by_name = serializers.CharField(source="registered_by.username", read_only=True)


class LetterSerializer(serializers.ModelSerializer):
    responses = LetterResponseSerializer(many=True, read_only=True)
    recipient = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    kind = serializers.ChoiceField(choices=LetterKind.choices, required=False)
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True)
    body = serializers.CharField(required=False, allow_blank=True)

    class Meta:
        model = Letter
        fields = [
            "id",
            "recipient",
            "decision",
            "kind",
            "subject",
            "body",
            "number",
            "registered_on",
            "status",
            "sent_on",
            "delivered_on",
            "response_due",
            "responses",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "registered_on",
            "status",
            "sent_on",
            "delivered_on",
            "created_at",
            "updated_at",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = _request_user(self)
        if user is not None:
            self.fields["decision"].queryset = queries.visible_decisions(user)  # type: ignore[attr-defined]

    def create(self, validated_data: dict[str, Any]) -> Letter:
        return services.create_letter(actor=_request_user(self), **validated_data)

    def update(self, instance: Letter, validated_data: dict[str, Any]) -> Letter:
        return services.update_letter(actor=_request_user(self), letter=instance, **validated_data)
