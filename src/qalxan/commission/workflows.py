"""Declared lifecycles of proposals, meetings, decisions, tasks, protocols and letters."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qalxan.commission.choices import (
    DecisionStatus as D,
)
from qalxan.commission.choices import (
    LetterStatus as L,
)
from qalxan.commission.choices import (
    MeetingStatus as M,
)
from qalxan.commission.choices import (
    ProposalStatus as P,
)
from qalxan.commission.choices import (
    ProtocolStatus as PR,
)
from qalxan.commission.choices import (
    TaskStatus as T,
)
from qalxan.core.workflows import Transition, Workflow


def _needs(key: str, message: Any) -> Any:
    def guard(obj: Any, ctx: dict[str, Any]) -> Any:
        return None if str(ctx.get(key) or "").strip() else message

    return guard


def _has_agenda(meeting: Any, ctx: dict[str, Any]) -> Any:
    return None if meeting.agenda_items.exists() else _("The agenda has no items yet.")


def _approved(meeting_id: int) -> bool:
    from qalxan.commission.models import Protocol  # read afresh: a cached protocol may be stale

    return Protocol.objects.filter(meeting_id=meeting_id, status=PR.APPROVED).exists()


def _protocol_approved(meeting: Any, ctx: dict[str, Any]) -> Any:
    if not _approved(meeting.pk):
        return _("The meeting can be closed once its protocol is approved.")
    return None


def _meeting_held(decision: Any, ctx: dict[str, Any]) -> Any:
    if decision.meeting.status != M.HELD:
        return _("A decision is adopted at a meeting that has been held.")
    return None


def _decision_protocol_approved(decision: Any, ctx: dict[str, Any]) -> Any:
    if not _approved(decision.meeting_id):
        return _("A decision is published once the protocol of its meeting is approved.")
    return None


def _all_tasks_accepted(decision: Any, ctx: dict[str, Any]) -> Any:
    tasks = decision.tasks.exclude(status=T.CANCELLED)
    if not tasks.exists() or tasks.exclude(status=T.ACCEPTED).exists():
        return _("Every task of the decision must be executed first.")
    return None


def _protocol_ready(protocol: Any, ctx: dict[str, Any]) -> Any:
    if protocol.meeting.status != M.HELD:
        return _("The protocol is approved after the meeting has been held.")
    if not protocol.versions.exists():
        return _("Generate a draft of the protocol first.")
    return None


proposal = Workflow(
    "proposal",
    "status",
    [
        Transition(
            "put_on_agenda", (P.SUBMITTED,), P.ON_AGENDA, "commission.screen_proposal", _("Put on an agenda")
        ),
        Transition(
            "return",
            (P.SUBMITTED,),
            P.RETURNED,
            "commission.screen_proposal",
            _("Return"),
            guards=(_needs("reason", _("Say why the proposal is returned.")),),
        ),
        Transition("merge", (P.SUBMITTED,), P.MERGED, "commission.screen_proposal", _("Merge")),
        Transition("resubmit", (P.RETURNED,), P.SUBMITTED, "commission.change_proposal", _("Submit again")),
    ],
)

meeting = Workflow(
    "meeting",
    "status",
    [
        Transition(
            "send_agenda",
            (M.PLANNED, M.AGENDA_SENT),
            M.AGENDA_SENT,
            "commission.change_meeting",
            _("Send the agenda to members"),
            guards=(_has_agenda,),
        ),
        Transition(
            "hold", (M.PLANNED, M.AGENDA_SENT), M.HELD, "commission.change_meeting", _("Mark as held")
        ),
        Transition(
            "close",
            (M.HELD,),
            M.CLOSED,
            "commission.change_meeting",
            _("Close"),
            guards=(_protocol_approved,),
        ),
        Transition(
            "cancel", (M.PLANNED, M.AGENDA_SENT), M.CANCELLED, "commission.change_meeting", _("Cancel")
        ),
    ],
)

decision = Workflow(
    "decision",
    "status",
    [
        Transition(
            "adopt", (D.DRAFT,), D.ADOPTED, "commission.change_decision", _("Adopt"), guards=(_meeting_held,)
        ),
        Transition(
            "publish",
            (D.ADOPTED,),
            D.PUBLISHED,
            "commission.change_decision",
            _("Publish"),
            guards=(_decision_protocol_approved,),
        ),
        Transition(
            "execute",
            (D.PUBLISHED,),
            D.EXECUTED,
            "commission.change_decision",
            _("Mark as executed"),
            guards=(_all_tasks_accepted,),
        ),
        Transition("withdraw", (D.DRAFT,), D.WITHDRAWN, "commission.change_decision", _("Withdraw")),
    ],
)

task = Workflow(
    "task",
    "status",
    [
        Transition(
            "report",
            (T.OPEN, T.RETURNED),
            T.REPORTED,
            "commission.report_task",
            _("Report execution"),
            guards=(_needs("text", _("Describe what was done.")),),
        ),
        Transition("accept", (T.REPORTED,), T.ACCEPTED, "commission.review_task", _("Accept")),
        Transition(
            "return",
            (T.REPORTED,),
            T.RETURNED,
            "commission.review_task",
            _("Return for rework"),
            guards=(_needs("comment", _("Say why the report is returned.")),),
        ),
        Transition(
            "cancel", (T.OPEN, T.RETURNED, T.REPORTED), T.CANCELLED, "commission.change_task", _("Cancel")
        ),
    ],
)

protocol = Workflow(
    "protocol",
    "status",
    [
        Transition(
            "approve",
            (PR.DRAFT,),
            PR.APPROVED,
            "commission.approve_protocol",
            _("Approve and register"),
            guards=(_protocol_ready,),
        ),
    ],
)

letter = Workflow(
    "letter",
    "status",
    [
        Transition("register", (L.DRAFT,), L.REGISTERED, "commission.change_letter", _("Register")),
        Transition("send", (L.REGISTERED,), L.SENT, "commission.change_letter", _("Mark as sent")),
        Transition("deliver", (L.SENT,), L.DELIVERED, "commission.change_letter", _("Mark as delivered")),
        Transition("answer", (L.SENT, L.DELIVERED), L.ANSWERED, "commission.respond_letter", _("Answered")),
        Transition(
            "close", (L.SENT, L.DELIVERED, L.ANSWERED), L.CLOSED, "commission.change_letter", _("Close")
        ),
    ],
)
