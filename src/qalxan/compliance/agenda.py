"""Overdue compliance findings escalated by a supervisor, as candidate agenda items of the Coordination
Commission (when that module is deployed).

The label carries the finding's reference, the requirement, the severity and the subject's sector —
not the institution's name; who may open the finding through the link is decided by this module's
tenancy. When the secretary puts one on an agenda, the finding records the agenda item.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.commission import sources
from qalxan.compliance import queries, services
from qalxan.compliance.models import Finding


def escalated_findings(user: Any) -> list[sources.Candidate]:
    findings = (
        queries.overdue_findings()
        .filter(escalated_at__isnull=False, agenda_item_id__isnull=True)
        .select_related("requirement")
        .prefetch_related("organization__sectors")
        .order_by("deadline")[:200]
    )
    out = []
    for f in findings:
        sector = next(iter(f.organization.sectors.all()), None)
        parts = [
            f.reference,
            f.requirement.ref_id if f.requirement else "",
            f.get_severity_display(),
            sector.name if sector else "",
        ]
        label = " · ".join(str(p) for p in parts if p)
        out.append(
            sources.Candidate.of(
                f,
                label=label,
                url=f.get_absolute_url(),
                title=_("Overdue compliance finding %(ref)s") % {"ref": f.reference},
            )
        )
    return out


def _added(item: Any, finding: Finding, actor: Any) -> None:
    services.record_agenda_item(actor=actor, finding=finding, item_id=item.pk)


sources.register(
    sources.AgendaSource(
        key="compliance.overdue_finding",
        label=gettext_lazy("Overdue compliance findings (escalated)"),
        candidates=escalated_findings,
        on_added=_added,
        order=45,
    )
)
