"""The importer framework: CSV or XLSX → every row validated → preview → all-or-nothing commit.

An importer declares a row form (the fields and their validation) and how to commit a clean
row through the services. A file with any bad row changes nothing; the preview lists each bad
row (numbered as in a spreadsheet, the header being row 1), the field and the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from qalxan.core import audit
from qalxan.core.choices import AuditAction

MAX_ROWS = 100_000


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    created: int = 0
    updated: int = 0
    warnings: list[RowError] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "committed": self.committed,
            "created": self.created,
            "updated": self.updated,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
        }


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dictionaries keyed by the lower-cased header."""
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}
        )
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    name = filename.lower()
    if name.endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        header, body = _read_xlsx(content)
    elif name.endswith((".csv", ".txt")) or "." not in name:
        header, body = _read_csv(content)
    else:
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    if not header or not any(header):
        raise ImportFileError(_("The first row must name the columns."))
    header = [h.strip().lower() for h in header]
    duplicates = sorted({h for h in header if h and header.count(h) > 1})
    if duplicates:
        raise ImportFileError(_("Columns appear twice: %(cols)s.") % {"cols": ", ".join(duplicates)})
    rows: list[dict[str, str]] = []
    for values in body:
        if not any(v.strip() for v in values):
            rows.append({})  # keep numbering true to the file; blank rows are skipped later
            continue
        rows.append({h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header) if h})
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("A file may hold at most %(n)d rows.") % {"n": MAX_ROWS})
    return rows


def _read_csv(content: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The file is not UTF-8 text; save it as “CSV UTF-8”.")) from exc
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        table = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(err)s") % {"err": exc}) from exc
    return (table[0], table[1:]) if table else ([], [])


def _read_xlsx(content: bytes) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(_("The XLSX file cannot be read.")) from exc
    try:
        sheet = workbook.worksheets[0]
        table = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    return (table[0], table[1:]) if table else ([], [])


class RowForm(forms.Form):
    """Base of an importer's row form; `context` carries the actor and lookups shared by all rows."""

    def __init__(self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.context = context or {}
        super().__init__(*args, **kwargs)


class Importer:
    """Declare `key`, `label`, `permission`, `row_form` and `commit_row`; the rest is shared."""

    key: ClassVar[str]
    label: ClassVar[str | Promise]
    permission: ClassVar[str]
    row_form: ClassVar[type[RowForm]]
    unique_together: ClassVar[tuple[str, ...]] = ()
    example: ClassVar[str] = ""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    @classmethod
    def columns(cls) -> list[str]:
        return list(cls.row_form.base_fields)

    @classmethod
    def required_columns(cls) -> list[str]:
        return [name for name, f in cls.row_form.base_fields.items() if f.required]

    def context(self) -> dict[str, Any]:
        """Lookups shared by every row (override to preload)."""
        return {"actor": self.actor}

    def check_rows(self, rows: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
        """Checks across rows; by default the `unique_together` columns must not repeat."""
        errors = []
        if self.unique_together:
            seen: dict[tuple[Any, ...], int] = {}
            for number, data in rows:
                key = tuple(data.get(c) for c in self.unique_together)
                if key in seen:
                    errors.append(
                        RowError(
                            number, self.unique_together[0], _("Repeats row %(row)d.") % {"row": seen[key]}
                        )
                    )
                else:
                    seen[key] = number
        return errors

    def commit_row(self, data: dict[str, Any]) -> tuple[bool, list[str]]:
        """Write one clean row through the services; return (created, warnings)."""
        raise NotImplementedError

    def commit_rows(self, rows: list[tuple[int, dict[str, Any]]], result: ImportResult) -> None:
        """Commit every clean row (inside the import's transaction); bulk importers override this."""
        for number, data in rows:
            try:
                created, warnings = self.commit_row(data)
            except ValidationError as exc:
                for field_name, message in _error_items(exc):
                    result.errors.append(RowError(number, field_name, message))
                continue
            result.created += int(created)
            result.updated += int(not created)
            result.warnings.extend(RowError(number, "", w) for w in warnings)

    def validate(self, rows: list[dict[str, str]]) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
        errors: list[RowError] = []
        present = set().union(*(r.keys() for r in rows)) if rows else set()
        for column in self.required_columns():
            if rows and column not in present:
                errors.append(RowError(1, column, _("The required column is missing.")))
        unknown = sorted(present - set(self.columns()))
        for column in unknown:
            errors.append(
                RowError(
                    1, column, _("Unknown column; expected: %(cols)s.") % {"cols": ", ".join(self.columns())}
                )
            )
        if errors:
            return [], errors
        context = self.context()
        clean: list[tuple[int, dict[str, Any]]] = []
        # One form, bound anew to each row: building a form deep-copies its fields, which would dominate
        # the time of a large file. Fields keep no state between rows.
        form = self.row_form(data={}, context=context)
        for number, row in enumerate(rows, start=2):
            if not row:
                continue
            form.data = row
            form._errors = None  # type: ignore[attr-defined]  # Form internals, reset for each row
            form._bound_fields_cache = {}  # type: ignore[attr-defined]
            form.cleaned_data = {}
            if form.is_valid():
                clean.append((number, form.cleaned_data))
            else:
                for field_name, messages in form.errors.items():
                    for message in messages:
                        errors.append(
                            RowError(number, field_name if field_name != "__all__" else "", str(message))
                        )
        if not clean and not errors:
            errors.append(RowError(1, "", _("The file has no data rows.")))
        errors.extend(self.check_rows(clean))
        return clean, sorted(errors, key=lambda e: (e.row, e.field))

    def run(self, *, filename: str, content: bytes, commit: bool) -> ImportResult:
        """Validate the file and, when asked and every row is valid, commit it all at once."""
        from qalxan.core.tenancy import require

        require(self.actor, self.permission)
        result = ImportResult()
        try:
            rows = read_table(filename, content)
        except ImportFileError as exc:
            result.errors.append(RowError(0, "", str(exc)))
            return result
        clean, errors = self.validate(rows)
        result.rows = len(clean)
        result.errors = errors
        result.preview = [
            {"row": n, **{k: _cell_text(v) if not hasattr(v, "pk") else str(v) for k, v in d.items()}}
            for n, d in clean[:50]
        ]
        if errors or not commit:
            return result
        try:
            with transaction.atomic():
                self.commit_rows(clean, result)
                if result.errors:
                    raise _Rollback
                audit.record(
                    actor=self.actor,
                    action=AuditAction.IMPORT,
                    message=f"{self.key}: {filename}: {result.created} created, {result.updated} updated",
                    after={"importer": self.key, "file": filename, "rows": result.rows},
                )
        except _Rollback:
            result.created = result.updated = 0
            result.warnings = []
            return result
        result.committed = True
        return result


class _Rollback(Exception):
    pass


def _error_items(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(f if f != "__all__" else "", str(m)) for f, errs in exc.message_dict.items() for m in errs]
    return [("", str(m)) for m in exc.messages]


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    _REGISTRY[importer.key] = importer
    return importer


def get(key: str) -> type[Importer]:
    return _REGISTRY[key]


def registered() -> dict[str, type[Importer]]:
    return dict(_REGISTRY)
