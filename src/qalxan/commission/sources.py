"""Where agenda items come from: a registry that any app can add to.

A source has a key, a label and a function that lists candidate items for a person. Each candidate
points at its object generically (content type + id) with a label and a link, so that the commission
keeps a reference to a compliance finding, an incident, a campaign or a strategy action without
knowing those apps. An app registers its source from its AppConfig.ready():

    from qalxan.commission import sources

    sources.register(sources.AgendaSource(
        key="incidents.case",
        label=_("Incidents and campaigns"),
        candidates=lambda user: [sources.Candidate.of(case, label=str(case), url=case.get_absolute_url())
                                 for case in Case.objects.visible_to(user).filter(major=True)],
    ))

`on_added(item, actor)` (optional) runs in the transaction that adds the item, e.g. to mark the
object as referred to the commission.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Candidate:
    """An object that could become an agenda item."""

    content_type_id: int
    object_id: str
    label: str
    url: str = ""
    title: str = ""  # suggested agenda item title; the label when empty
    presenter: str = ""

    @classmethod
    def of(
        cls, obj: models.Model, *, label: str, url: str = "", title: str = "", presenter: str = ""
    ) -> Candidate:
        return cls(ContentType.objects.get_for_model(obj).pk, str(obj.pk), label, url, title, presenter)

    @property
    def key(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


@dataclass(frozen=True)
class AgendaSource:
    key: str
    label: str | Promise
    candidates: Callable[[Any], Iterable[Candidate]]
    on_added: Callable[[Any, Any, Any], None] | None = None  # (agenda item, referenced object, actor)
    free: bool = False  # items without a referenced object
    order: int = 100

    def find(self, user: Any, object_id: str) -> Candidate | None:
        """The candidate with this object id, if the person may put it on an agenda."""
        for candidate in self.candidates(user):
            if candidate.object_id == str(object_id):
                return candidate
        return None


_SOURCES: dict[str, AgendaSource] = {}


def register(source: AgendaSource) -> AgendaSource:
    _SOURCES[source.key] = source
    return source


def get(key: str) -> AgendaSource | None:
    return _SOURCES.get(key)


def all_sources() -> list[AgendaSource]:
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def label_of(key: str) -> str:
    source = _SOURCES.get(key)
    return str(source.label) if source else key


# --- Built-in sources.


def _proposals(user: Any) -> Iterable[Candidate]:
    from qalxan.commission.choices import ProposalStatus
    from qalxan.commission.models import Proposal
    from qalxan.core.tenancy import has_permission, restrict

    if not has_permission(user, "commission.screen_proposal"):
        return []
    waiting = restrict(
        Proposal.objects.select_related("organization"), user, "commission.view_proposal"
    ).filter(status=ProposalStatus.SUBMITTED)
    return [
        Candidate.of(
            p,
            label=f"{p.organization.short_name}: {p.topic}",
            url=p.get_absolute_url(),
            title=p.topic,
            presenter=p.organization.name,
        )
        for p in waiting
    ]


def _proposal_added(item: Any, proposal: Any, actor: Any) -> None:
    from qalxan.commission import workflows

    workflows.proposal.apply(proposal, "put_on_agenda", actor=actor, message=str(item.meeting))


def _overdue_tasks(user: Any) -> Iterable[Candidate]:
    from qalxan.commission.queries import overdue_tasks
    from qalxan.core.tenancy import has_permission

    if not has_permission(user, "commission.change_meeting"):
        return []
    return [
        Candidate.of(
            t,
            label=f"{t.responsible.short_name}: {t.text[:120]} ({t.deadline:%d.%m.%Y})",
            url=t.get_absolute_url(),
            title=str(_("Overdue task: %(task)s")) % {"task": t.text[:200]},
            presenter=t.responsible.name,
        )
        for t in overdue_tasks(user).filter(carried_to__isnull=True)
    ]


def _task_added(item: Any, task: Any, actor: Any) -> None:
    from qalxan.core import audit
    from qalxan.core.choices import AuditAction

    before = {"carried_to": task.carried_to_id}
    task.carried_to = item
    task.save(update_fields=["carried_to", "updated_at"])
    audit.record(
        actor=actor, action=AuditAction.UPDATE, target=task, before=before, after={"carried_to": item.pk}
    )


register(AgendaSource("proposal", _("Proposals of institutions"), _proposals, _proposal_added, order=10))
register(
    AgendaSource("overdue_task", _("Overdue tasks (carried over)"), _overdue_tasks, _task_added, order=20)
)
register(AgendaSource("free", _("Free item"), lambda user: [], free=True, order=1000))
