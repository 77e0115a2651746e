"""Settings of the compliance app, read from the environment (or Django settings of the same name)."""

from __future__ import annotations

import os

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, None) or os.environ.get(name)
    try:
        return int(value) if value is not None else default
    except (TypeError, ValueError):
        return default


def evidence_max_bytes() -> int:
    """QALXAN_COMPLIANCE_EVIDENCE_MAX_MB (default 20): the largest evidence file accepted."""
    return _int("QALXAN_COMPLIANCE_EVIDENCE_MAX_MB", 20) * 1024 * 1024


def evidence_reminder_days() -> int:
    """QALXAN_COMPLIANCE_EVIDENCE_REMINDER_DAYS (default 30): remind this many days before evidence lapses."""
    return _int("QALXAN_COMPLIANCE_EVIDENCE_REMINDER_DAYS", 30)


def catalogue_max_bytes() -> int:
    """QALXAN_COMPLIANCE_CATALOGUE_MAX_MB (default 25): the largest OSCAL or XLSX catalogue accepted."""
    return _int("QALXAN_COMPLIANCE_CATALOGUE_MAX_MB", 25) * 1024 * 1024


def plan_due_day() -> tuple[int, int]:
    """The (month, day) by which the annual inspection plan is due at the co-supervising agency."""
    return (12, _int("QALXAN_COMPLIANCE_PLAN_DUE_DAY", 20))
