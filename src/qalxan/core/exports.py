"""Export helpers: streaming CSV that opens cleanly in spreadsheet programs."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from qalxan.core import audit
from qalxan.core.choices import AuditAction
from qalxan.core.models import AuditEntry

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value: Any) -> Any:
    # A cell that starts like a formula is neutralised: exports travel to spreadsheets.
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"  # lets spreadsheet programs recognise UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([_safe(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def audit_csv_response(queryset: QuerySet[AuditEntry], *, actor: Any) -> StreamingHttpResponse:
    from qalxan.core.tenancy import sees_source_addresses

    show_addresses = sees_source_addresses(actor)
    audit.record(
        actor=actor, action=AuditAction.EXPORT, message=f"audit log export ({queryset.count()} entries)"
    )
    header = [
        "id",
        "timestamp",
        "actor",
        "organization",
        "action",
        "object_type",
        "object_id",
        "object",
        "before",
        "after",
        "message",
        "ip_address",
    ]

    def rows() -> Iterator[list[Any]]:
        import json

        for e in queryset.select_related("content_type").iterator(chunk_size=2000):
            ct = e.content_type
            yield [
                e.pk,
                timezone.localtime(e.timestamp).isoformat(),
                e.actor_username,
                e.organization_id or "",
                e.action,
                f"{ct.app_label}.{ct.model}" if ct else "",
                e.object_id,
                e.object_repr,
                json.dumps(e.before, ensure_ascii=False) if e.before is not None else "",
                json.dumps(e.after, ensure_ascii=False) if e.after is not None else "",
                e.message,
                (e.ip_address or "") if show_addresses else "",
            ]

    return csv_response(f"qalxan-audit-{timezone.localdate():%Y%m%d}.csv", header, rows())
