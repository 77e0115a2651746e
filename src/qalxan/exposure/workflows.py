"""Declared lifecycles: a scan (queued → running → finished or failed) and a finding (open → fixed by a
rescan, or risk accepted; reopened when seen again or by a supervisor)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qalxan.core.workflows import Transition, Workflow
from qalxan.exposure.choices import FindingState, ScanState

SCAN = "exposure.scan_site"
TRIAGE = "exposure.triage_finding"


def _started(scan: Any, actor: Any, ctx: dict[str, Any]) -> None:
    scan.started_at = timezone.now()


def _ended(scan: Any, actor: Any, ctx: dict[str, Any]) -> None:
    scan.finished_at = timezone.now()


def _reason_given(obj: Any, ctx: dict[str, Any]) -> str | None:
    return None if str(ctx.get("reason") or "").strip() else _("Give the reason.")


def _fixed(finding: Any, actor: Any, ctx: dict[str, Any]) -> None:
    finding.fixed_at = timezone.now()
    finding.fixed_scan = ctx.get("scan")


def _reopened(finding: Any, actor: Any, ctx: dict[str, Any]) -> None:
    finding.fixed_at = None
    finding.fixed_scan = None
    if ctx.get("scan") is not None:
        finding.last_scan = ctx["scan"]
    finding.decision_reason = str(ctx.get("reason") or "")


def _accepted(finding: Any, actor: Any, ctx: dict[str, Any]) -> None:
    finding.decision_reason = str(ctx.get("reason") or "").strip()


scan_lifecycle = Workflow(
    "exposure_scan",
    "state",
    [
        Transition(
            "start", (ScanState.QUEUED,), ScanState.RUNNING, SCAN, gettext_lazy("Start"), effects=(_started,)
        ),
        Transition(
            "finish",
            (ScanState.RUNNING,),
            ScanState.FINISHED,
            SCAN,
            gettext_lazy("Finish"),
            effects=(_ended,),
        ),
        Transition(
            "fail",
            (ScanState.QUEUED, ScanState.RUNNING),
            ScanState.FAILED,
            SCAN,
            gettext_lazy("Fail"),
            effects=(_ended,),
        ),
    ],
)

finding_lifecycle = Workflow(
    "exposure_finding",
    "state",
    [
        Transition(
            "verify_fixed",
            (FindingState.OPEN,),
            FindingState.FIXED,
            SCAN,
            gettext_lazy("Verified fixed by a rescan"),
            effects=(_fixed,),
        ),
        Transition(
            "accept_risk",
            (FindingState.OPEN,),
            FindingState.ACCEPTED,
            TRIAGE,
            gettext_lazy("Accept the risk"),
            guards=(_reason_given,),
            effects=(_accepted,),
        ),
        Transition(
            "reopen",
            (FindingState.FIXED, FindingState.ACCEPTED),
            FindingState.OPEN,
            TRIAGE,
            gettext_lazy("Reopen"),
            effects=(_reopened,),
        ),
    ],
)
