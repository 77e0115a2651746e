"""Text of the documents a site links to: PDF (pypdf), DOCX (python-docx) and XLSX (openpyxl)."""

from __future__ import annotations

import io
import zipfile

DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx"}
MAX_CELLS = 2_000_000


class DocumentError(Exception):
    """A document that cannot be read (corrupt, encrypted, not what it claims to be)."""


def kind_of(url_path: str, content_type: str = "") -> str | None:
    kind = DOCUMENT_TYPES.get(content_type.split(";")[0].strip().lower())
    if kind:
        return kind
    lowered = url_path.lower()
    for extension, value in EXTENSIONS.items():
        if lowered.endswith(extension):
            return value
    return None


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise DocumentError("encrypted PDF")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _docx(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _xlsx(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    lines: list[str] = []
    cells = 0
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_CELLS:
                    raise DocumentError("too many cells")
                lines.append("\t".join("" if v is None else str(v) for v in row))
    finally:
        book.close()
    return "\n".join(lines)


def extract_text(kind: str, data: bytes) -> str:
    """The document's text; DocumentError with the reason when it cannot be read."""
    readers = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}
    try:
        return readers[kind](data)
    except DocumentError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError, AttributeError) as exc:
        raise DocumentError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    except Exception as exc:  # pypdf raises its own many error types; a corrupt file must not stop the scan
        raise DocumentError(f"{type(exc).__name__}: {str(exc)[:200]}") from exc
