"""Documents of a case: upload (type checked by content, stored encrypted), download (audited),
deletion, and the housekeeping of the file store (orphans, key rotation).

The original file name often carries the client's name; it is stored only encrypted (associated
data ``cases.document-name:<storage name>``) and never written to the audit log. The file is
written before its row: if the row's transaction fails here, the file is removed at once; if an
outer transaction of the caller rolls back later, :func:`document_sweep_orphans` removes it.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
import re
import time
import unicodedata
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.cases import storage
from lotse.cases.filetypes import ACCEPTED, detect_file_type
from lotse.cases.models import Case, Document
from lotse.cases.services.common import require_open
from lotse.core import crypto

_NAME_AD_PREFIX = b"cases.document-name:"
_TITLE_MAX = Document._meta.get_field("title").max_length or 200
_NAME_MAX = 200
_READ_CHUNK = 64 * 1024
# Equivalent spellings of an extension: a download keeps the uploader's one.
_EXTENSION_ALIASES = {"jpg": {"jpg", "jpeg"}, "tiff": {"tiff", "tif"}}
# Not allowed in a download name: path separators, characters Windows refuses, quotes and ";"
# (Content-Disposition), "%" (percent-decoding by some browsers).
_UNSAFE_NAME_CHARS = re.compile(r'[\\/:*?"<>|;%]')


def name_associated_data(storage_name: str) -> bytes:
    return _NAME_AD_PREFIX + storage_name.encode("ascii")


def _extension(document: Document) -> str:
    return ACCEPTED.get(document.content_type, "bin")


def _without_controls(value: str) -> str:
    value = unicodedata.normalize("NFC", value)
    return "".join(" " if unicodedata.category(char).startswith("C") else char for char in value)


def clean_original_name(name: str | None) -> str:
    """The uploaded name as kept (encrypted): last path component, no control characters,
    white space collapsed, bounded length."""
    name = _without_controls(name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = " ".join(name.split())
    return name[:_NAME_MAX]


def _read_limited(upload: UploadedFile, limit: int) -> bytes:
    """At most ``limit`` bytes of the upload; a larger file is refused without reading it all."""
    too_large = ValidationError(
        _("The file is too large. At most %(limit)s are accepted."),
        code="too_large",
        params={"limit": filesizeformat(limit)},
    )
    if upload.size is not None and upload.size > limit:
        raise too_large
    with contextlib.suppress(AttributeError, OSError, ValueError):  # not seekable: read from where it stands
        upload.seek(0)
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = upload.read(min(_READ_CHUNK, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise too_large
    return b"".join(chunks)


def _clean_title(title: str) -> str:
    title = " ".join(_without_controls(title).split())
    if not title:
        raise ValidationError(_("Give the document a title."), code="title")
    if len(title) > _TITLE_MAX:
        raise ValidationError(
            _("The title is too long (at most %(max)d characters)."), code="title", params={"max": _TITLE_MAX}
        )
    return title


def document_upload(case: Case, *, actor: Any, upload: UploadedFile, title: str) -> Document:
    """Check, encrypt and store an uploaded file and record it on the case."""
    require_open(case)
    title = _clean_title(title)
    data = _read_limited(upload, settings.DOCUMENT_MAX_BYTES)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    content_type, extension = detect_file_type(data)
    original_name = clean_original_name(upload.name)
    storage_name = storage.save(data)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                case=case,
                storage_name=storage_name,
                name_ciphertext=crypto.encrypt_text(original_name, associated_data=name_associated_data(storage_name)),
                title=title,
                content_type=content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=actor,
            )
            audit_record(
                action="document.uploaded",
                actor=actor,
                tenant_id=case.tenant_id,
                obj=document,
                details={"case": case.pk, "type": extension, "size": len(data)},
            )
    except BaseException:
        storage.delete(storage_name)
        raise
    return document


def document_read(document: Document, *, actor: Any, as_substitute: bool) -> tuple[bytes, str, str]:
    """``(content, file name for download, content type)``; writes ``document.downloaded``.
    Raises :class:`lotse.cases.storage.StorageError` if the file is missing or altered."""
    data = storage.read(document.storage_name)
    if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), document.sha256):
        raise storage.CorruptFileError("The stored document does not match its record.")
    audit_record(
        action="document.downloaded",
        actor=actor,
        tenant_id=document.case.tenant_id,
        obj=document,
        details={"case": document.case_id, "as_substitute": as_substitute},
    )
    return data, document_filename(document), document.content_type


def document_delete(document: Document, *, actor: Any) -> None:
    """Remove a document from an open case; the file goes once the deletion is committed."""
    case = document.case
    require_open(case)
    storage_name = document.storage_name
    with transaction.atomic():
        audit_record(
            action="document.deleted",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=document,
            details={"case": case.pk, "type": _extension(document), "size": document.size},
        )
        document.delete()
        transaction.on_commit(lambda: storage.delete(storage_name), robust=True)


def document_filename(document: Document) -> str:
    """The original file name for display and ``Content-Disposition``: without path
    separators, quotes, control characters, and ending in the extension of the detected type
    (a PDF uploaded as ``brief.html`` downloads as ``brief.html.pdf``)."""
    extension = _extension(document)
    try:
        name = crypto.decrypt_text(
            bytes(document.name_ciphertext), associated_data=name_associated_data(document.storage_name)
        )
    except (crypto.DecryptionError, UnicodeDecodeError):
        name = ""
    name = _UNSAFE_NAME_CHARS.sub("_", clean_original_name(name)).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and suffix.lower() in _EXTENSION_ALIASES.get(extension, {extension}):
        name = stem.strip(" .")
        extension = suffix.lower()
    name = name[:150].strip(" .") or _("document")
    return f"{name}.{extension}"


# --- Housekeeping --------------------------------------------------------------------------------


def document_sweep_orphans(*, older_than: datetime.timedelta = datetime.timedelta(hours=6)) -> int:
    """Remove stored files without a document row (left by a rolled-back outer transaction or a
    crash between writing the file and committing the row). Recent files are kept: their upload
    may still be in progress. Returns the number of files removed."""
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    batch: list[str] = []

    def flush() -> int:
        known = set(Document.objects.filter(storage_name__in=batch).values_list("storage_name", flat=True))
        count = 0
        for name in batch:
            if name in known:
                continue
            try:
                if storage.modified_at(name) >= cutoff:
                    continue
            except FileNotFoundError:
                continue
            storage.delete(name)
            count += 1
        batch.clear()
        return count

    for name in storage.stored_names():
        batch.append(name)
        if len(batch) >= 500:
            removed += flush()
    if batch:
        removed += flush()
    return removed
