"""What a case document is, decided from its content (magic bytes) alone.

The file name and the content type the browser sends are chosen by the uploader and prove
nothing; a ``.pdf`` that starts like a PNG is a PNG. Accepted is what a case manager scans or
photographs and the office documents of everyday work:

* PDF (without JavaScript or launch actions),
* PNG, JPEG, TIFF,
* DOCX, XLSX (Office Open XML, without macros or ActiveX) and ODT (OpenDocument text, without
  macros). These are ZIP containers; an arbitrary ZIP is refused.

:func:`detect_file_type` returns ``(content_type, extension)`` or raises ``ValidationError``.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PDF = ("application/pdf", "pdf")
PNG = ("image/png", "png")
JPEG = ("image/jpeg", "jpg")
TIFF = ("image/tiff", "tiff")
DOCX = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
XLSX = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
ODT = ("application/vnd.oasis.opendocument.text", "odt")

#: Every accepted type: content type → extension.
ACCEPTED: dict[str, str] = dict([PDF, PNG, JPEG, TIFF, DOCX, XLSX, ODT])

#: For ``<input type="file" accept="…">``: a hint for the file picker, not a check.
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in [*ACCEPTED.values(), "jpeg", "tif"])

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_TIFF_MAGICS = (b"II*\x00", b"MM\x00*")
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"

_OOXML_MAIN_TYPES = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
# Content types of parts that carry code: VBA projects, macro-enabled documents, ActiveX.
_OOXML_CODE_MARKERS = (b"macroenabled", b"vbaproject", b"vbadata", b"activex")
_ODF_TEXT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Where OpenDocument keeps macros (StarBasic and other script languages).
_ODF_MACRO_DIRS = ("basic/", "scripts/")

# Bytes read at most from one member of a container (content types, manifest, mimetype).
_MEMBER_LIMIT = 1024 * 1024
# Bytes inflated at most from the object streams of a PDF before it counts as uncheckable.
_PDF_INFLATE_LIMIT = 32 * 1024 * 1024

# PDF names that run code or programs when the document is opened or clicked.
_PDF_ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch"})
# A PDF name token: "/" followed by regular characters (delimiters and white space end it).
_PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n")
# What reading a damaged, encrypted (RuntimeError) or oddly compressed ZIP can raise.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
    EOFError,
    zlib.error,
)


def not_accepted() -> ValidationError:
    return ValidationError(
        _(
            "This file type is not accepted. Upload a PDF, an image (PNG, JPEG, TIFF) "
            "or an office document (DOCX, XLSX, ODT)."
        ),
        code="file_type",
    )


def detect_file_type(data: bytes) -> tuple[str, str]:
    """``(content_type, extension)`` of ``data``, judged by content only."""
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if data.startswith(_PDF_MAGIC):
        _check_pdf(data)
        return PDF
    if data.startswith(_PNG_MAGIC):
        return PNG
    if data.startswith(_JPEG_MAGIC):
        return JPEG
    if data.startswith(_TIFF_MAGICS):
        return TIFF
    if data.startswith(_ZIP_MAGIC):
        return _office_type(data)
    raise not_accepted()


# --- Office documents (ZIP containers) ---------------------------------------------------------


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A member's content, bounded (the sizes in a ZIP directory can lie)."""
    with archive.open(name) as member:
        content = member.read(_MEMBER_LIMIT + 1)
    if len(content) > _MEMBER_LIMIT:
        raise not_accepted()
    return content


def _office_type(data: bytes) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            lowered = [name.replace("\\", "/").lower() for name in names]
            if "[content_types].xml" in lowered:
                return _ooxml_type(archive, names[lowered.index("[content_types].xml")], lowered)
            if "mimetype" in lowered:
                return _odf_type(archive, names[lowered.index("mimetype")], lowered)
    except _ZIP_ERRORS:
        raise not_accepted() from None
    raise not_accepted()


def _ooxml_type(archive: zipfile.ZipFile, types_name: str, lowered: list[str]) -> tuple[str, str]:
    content_types = _read_member(archive, types_name)
    if any(marker in content_types.lower() for marker in _OOXML_CODE_MARKERS) or any(
        name.rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml") or "/activex/" in f"/{name}" for name in lowered
    ):
        raise _macros_refused()
    found = {kind for marker, kind in _OOXML_MAIN_TYPES.items() if marker in content_types}
    if len(found) != 1:
        raise not_accepted()
    return found.pop()


def _odf_type(archive: zipfile.ZipFile, mimetype_name: str, lowered: list[str]) -> tuple[str, str]:
    if _read_member(archive, mimetype_name).strip() != _ODF_TEXT_MIMETYPE:
        raise not_accepted()
    if any(name.startswith(_ODF_MACRO_DIRS) for name in lowered):
        raise _macros_refused()
    return ODT


def _macros_refused() -> ValidationError:
    return ValidationError(
        _("Office documents with macros or embedded controls are not accepted. Save the document without macros."),
        code="macros",
    )


# --- PDF ---------------------------------------------------------------------------------------


def _pdf_names(chunk: bytes) -> Iterator[bytes]:
    """The PDF names in ``chunk``, with ``#xx`` escapes decoded (``/J#53`` is ``/JS``)."""
    for match in _PDF_NAME.finditer(chunk):
        name = match.group(1)
        if b"#" in name:
            name = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)
        yield name


def _object_streams(data: bytes) -> Iterator[bytes]:
    """The inflated content of the compressed object streams (``/Type /ObjStm``), where PDF 1.5
    and later keep most dictionaries. Other streams (page content, images) hold no actions."""
    budget = _PDF_INFLATE_LIMIT
    for match in _PDF_STREAM.finditer(data):
        head_start = data.rfind(b"obj", 0, match.start())
        head = data[max(head_start, match.start() - 4096, 0) : match.start()]
        names = set(_pdf_names(head))
        if b"ObjStm" not in names or b"FlateDecode" not in names:
            continue
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(data[match.end() :], budget + 1)
        except zlib.error:
            continue  # damaged or encrypted stream: a viewer cannot read it either
        budget -= len(content)
        if budget < 0:
            raise ValidationError(_("This PDF could not be checked. Save or print it as a new PDF."), code="pdf")
        yield content


def _check_pdf(data: bytes) -> None:
    """Refuse PDFs with JavaScript or launch actions, in plain dictionaries or inside object
    streams. Best effort against accidents and ordinary malware; the download is served as an
    attachment in any case."""
    for chunk in itertools.chain([data], _object_streams(data)):
        if not _PDF_ACTIVE_NAMES.isdisjoint(_pdf_names(chunk)):
            raise ValidationError(
                _("PDF files with JavaScript or embedded actions are not accepted. Print the document to a new PDF."),
                code="pdf_active",
            )
