"""Uploaded files: what a form, the API or a mail hands to a service, and how a service keeps it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename

from qalxan.core.models import StoredFile

_F = TypeVar("_F", bound=StoredFile)


@dataclass(frozen=True)
class Upload:
    """A file given with a report, an answer or as evidence."""

    filename: str
    content: bytes
    content_type: str = ""

    @classmethod
    def from_file(cls, file: Any) -> Upload:
        """From a Django UploadedFile (forms and multipart API requests)."""
        return cls(file.name, file.read(), getattr(file, "content_type", "") or "")

    @property
    def safe_name(self) -> str:
        return get_valid_filename(self.filename or "attachment")[:200] or "attachment"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def keep(stored: _F, upload: Upload, actor: Any) -> _F:
    """Fill `stored` from `upload` (name, type, size, SHA-256, uploader), write its file and save it."""
    name = upload.safe_name
    stored.filename = name
    stored.size = len(upload.content)
    stored.sha256 = upload.sha256
    stored.content_type = upload.content_type[:100]
    stored.uploaded_by = actor if getattr(actor, "pk", None) else None
    stored.file.save(name, ContentFile(upload.content), save=False)  # type: ignore[attr-defined]  # declared by the concrete model
    stored.save()
    return stored
