"""Case documents: type detection by content, encrypted storage, and the upload, download and
deletion services."""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import override_settings
from django.utils import translation

from lotse.accounts.tests.factories import UserFactory
from lotse.audit.models import AuditEvent
from lotse.cases import filetypes, storage
from lotse.cases.models import Case, CaseStatus, Document
from lotse.cases.services.cases import case_open
from lotse.cases.services.documents import (
    document_delete,
    document_filename,
    document_read,
    document_sweep_orphans,
    document_upload,
)
from lotse.core import crypto
from lotse.tenants.tests.factories import MembershipFactory, ProviderFactory, TenantFactory

# --- Tiny real files -----------------------------------------------------------------------------


def png_bytes() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8 bit, RGB
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
TIFF_LE = b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"
TIFF_BE = b"MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00"


def pdf_bytes(extra: bytes = b"") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + extra + b">>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def pdf_with_object_stream(content: bytes) -> bytes:
    packed = zlib.compress(b"4 0 " + content)
    return (
        b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>\nendobj\n"
        b"5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length "
        + str(len(packed)).encode()
        + b" >>\nstream\n"
        + packed
        + b"\nendstream\nendobj\n%%EOF\n"
    )


def zip_bytes(members: dict[str, bytes], *, first_stored: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:
            archive.writestr(first_stored, members[first_stored], compress_type=zipfile.ZIP_STORED)
        for name, content in members.items():
            if name != first_stored:
                archive.writestr(name, content)
    return buffer.getvalue()


def content_types(main: str, *extra: str) -> bytes:
    overrides = "".join(f'<Override PartName="/x{i}" ContentType="{t}"/>' for i, t in enumerate(extra))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}"/>{overrides}</Types>'
    ).encode()


WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def docx_bytes(**extra_members: bytes) -> bytes:
    return zip_bytes(
        {"[Content_Types].xml": content_types(WORD_MAIN), "word/document.xml": b"<w:document/>", **extra_members}
    )


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": content_types(EXCEL_MAIN), "xl/workbook.xml": b"<workbook/>"})


def odt_bytes(mimetype: bytes = b"application/vnd.oasis.opendocument.text", **extra: bytes) -> bytes:
    return zip_bytes(
        {"mimetype": mimetype, "content.xml": b"<office:document-content/>", "META-INF/manifest.xml": b"<m/>", **extra},
        first_stored="mimetype",
    )


# --- Type detection ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdf_bytes(), ("application/pdf", "pdf")),
        (png_bytes(), ("image/png", "png")),
        (JPEG, ("image/jpeg", "jpg")),
        (TIFF_LE, ("image/tiff", "tiff")),
        (TIFF_BE, ("image/tiff", "tiff")),
        (docx_bytes(), filetypes.DOCX),
        (xlsx_bytes(), filetypes.XLSX),
        (odt_bytes(), filetypes.ODT),
    ],
    ids=["pdf", "png", "jpeg", "tiff-le", "tiff-be", "docx", "xlsx", "odt"],
)
def test_accepted_types_are_detected_by_content(data: bytes, expected: tuple[str, str]) -> None:
    assert filetypes.detect_file_type(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",
        b"\x7fELF\x02\x01\x01",
        b"<!DOCTYPE html><html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"just some text",
        zip_bytes({"readme.txt": b"hello", "tool.exe": b"MZ"}),
        zip_bytes({"[Content_Types].xml": b"<Types/>", "a.xml": b"<a/>"}),
        odt_bytes(mimetype=b"application/vnd.oasis.opendocument.spreadsheet"),
        b"PK\x03\x04 damaged archive",
        b"%PD",
    ],
    ids=["exe", "elf", "html", "svg", "text", "plain-zip", "ooxml-without-main", "ods", "broken-zip", "short"],
)
def test_other_content_is_refused(data: bytes) -> None:
    with pytest.raises(ValidationError) as exc:
        filetypes.detect_file_type(data)
    assert exc.value.code == "file_type"


def test_empty_content_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        filetypes.detect_file_type(b"")
    assert exc.value.code == "empty"


@pytest.mark.parametrize(
    "data",
    [
        docx_bytes(**{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        zip_bytes({"[Content_Types].xml": content_types("application/vnd.ms-word.document.macroEnabled.main+xml")}),
        zip_bytes({"[Content_Types].xml": content_types(WORD_MAIN, "application/vnd.ms-office.vbaProject"), "x": b""}),
        docx_bytes(**{"word/activeX/activeX1.bin": b"\x00"}),
        odt_bytes(**{"Basic/Standard/Module1.xml": b"<script:module/>"}),
    ],
    ids=["docx-vbaproject", "docm", "vba-content-type", "activex", "odt-basic"],
)
def test_office_documents_with_macros_are_refused(data: bytes) -> None:
    with pytest.raises(ValidationError) as exc:
        filetypes.detect_file_type(data)
    assert exc.value.code == "macros"


@pytest.mark.parametrize(
    "data",
    [
        pdf_bytes(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
        pdf_bytes(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> "),
        pdf_bytes(b"/OpenAction << /S /Launch /F (cmd.exe) >> "),
        pdf_with_object_stream(b"<< /S /JavaScript /JS (app.alert(1)) >>"),
    ],
    ids=["javascript", "escaped-names", "launch", "in-object-stream"],
)
def test_pdf_with_javascript_or_launch_actions_is_refused(data: bytes) -> None:
    with pytest.raises(ValidationError) as exc:
        filetypes.detect_file_type(data)
    assert exc.value.code == "pdf_active"


def test_pdf_names_that_only_start_like_js_are_fine() -> None:
    data = pdf_bytes(b"/JSONData (x) /JSX 1 ") + b"(the text mentions JavaScript)"
    assert filetypes.detect_file_type(data) == filetypes.PDF
    assert filetypes.detect_file_type(pdf_with_object_stream(b"<< /Type /Annot /JSX 1 >>")) == filetypes.PDF


# --- Storage -------------------------------------------------------------------------------------


@pytest.fixture
def doc_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "documents"
    settings.DOCUMENT_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_storage_encrypts_under_a_server_chosen_name(doc_root: Path) -> None:
    plaintext = b"Bescheid des Jobcenters fuer Amina Testfall " * 20
    name = storage.save(plaintext)
    assert storage.is_valid_name(name)
    path = doc_root / name[:2] / name
    assert stored_files(doc_root) == [path]
    on_disk = path.read_bytes()
    assert plaintext not in on_disk and b"Amina" not in on_disk
    assert storage.read(name) == plaintext
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
    assert stat.S_IMODE(doc_root.stat().st_mode) & 0o077 == 0
    assert storage.save(plaintext) != name


def test_tampered_or_moved_file_does_not_decrypt(doc_root: Path) -> None:
    name = storage.save(b"original")
    path = doc_root / name[:2] / name
    altered = bytearray(path.read_bytes())
    altered[-1] ^= 1
    path.write_bytes(bytes(altered))
    with pytest.raises(storage.CorruptFileError):
        storage.read(name)

    other = storage.save(b"other")
    other_path = doc_root / other[:2] / other
    moved = "f" * 64
    (doc_root / "ff").mkdir(exist_ok=True)
    (doc_root / "ff" / moved).write_bytes(other_path.read_bytes())
    with pytest.raises(storage.CorruptFileError):
        storage.read(moved)


@pytest.mark.parametrize(
    "name",
    ["../" * 5 + "etc/passwd", "/etc/passwd", "a" * 63, "A" * 64, "g" * 64, "a" * 64 + "\n", "..", "", "a" * 65],
)
def test_invalid_names_are_refused_before_any_path_is_built(doc_root: Path, name: str) -> None:
    assert not storage.is_valid_name(name)
    for operation in (storage.read, storage.delete, storage.reencrypt, storage.exists):
        with pytest.raises(ValueError):
            operation(name)


def test_delete_and_missing_files(doc_root: Path) -> None:
    name = storage.save(b"x")
    storage.delete(name)
    storage.delete(name)  # already gone: fine
    assert not storage.exists(name)
    with pytest.raises(storage.MissingFileError):
        storage.read(name)


def test_reencrypt_only_rewrites_files_of_an_older_key(doc_root: Path, settings: Any) -> None:
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    name = storage.save(b"inhalt")
    assert storage.reencrypt(name) is False
    before = (doc_root / name[:2] / name).read_bytes()
    settings.FIELD_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(os.urandom(32)).decode(), old]
    assert storage.reencrypt(name) is True
    after = (doc_root / name[:2] / name).read_bytes()
    assert after != before and not crypto.needs_rotation(after)
    assert storage.reencrypt(name) is False
    assert storage.read(name) == b"inhalt"
    assert [p.name for p in stored_files(doc_root)] == [name]  # no temporary file left


def test_failed_write_leaves_no_temporary_file(doc_root: Path) -> None:
    with mock.patch("lotse.cases.storage.Path.replace", side_effect=OSError("disk full")), pytest.raises(OSError):
        storage.save(b"x")
    assert stored_files(doc_root) == []


# --- Services ------------------------------------------------------------------------------------


@pytest.fixture
def setup(db: None, doc_root: Path) -> dict[str, Any]:
    tenant = TenantFactory()
    provider = ProviderFactory(tenant=tenant)
    user = UserFactory()
    MembershipFactory(user=user, tenant=tenant, role="case_manager", provider=provider)
    case = case_open(
        actor=user,
        tenant=tenant,
        case_manager_id=user.pk,
        provider=provider,
        pseudonym="Fall Dokumente",
        intake_channel="walk_in",
    )
    return {"case": case, "user": user, "root": doc_root}


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def document_events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_upload_stores_encrypted_file_and_encrypted_name(setup: dict[str, Any]) -> None:
    case, user = setup["case"], setup["user"]
    data = pdf_bytes(b"/Info (Amina Testfall) ")
    document = document_upload(
        case, actor=user, upload=upload("Bescheid Amina Testfall.pdf", data, "text/html"), title="Bescheid"
    )
    document.refresh_from_db()
    assert document.content_type == "application/pdf"  # not what the browser claimed
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.uploaded_by == user
    assert storage.is_valid_name(document.storage_name)
    files = stored_files(setup["root"])
    assert [p.name for p in files] == [document.storage_name]
    assert data not in files[0].read_bytes() and b"Amina" not in files[0].read_bytes()
    # the file name lives only encrypted in the row
    assert b"Amina" not in bytes(document.name_ciphertext)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_document WHERE id = %s", [document.pk])
        row = cursor.fetchone()
    assert not any(b"Amina" in (v if isinstance(v, bytes | memoryview) else str(v).encode()) for v in row)
    assert document_filename(document) == "Bescheid Amina Testfall.pdf"

    (event,) = document_events("document.uploaded")
    assert event.details == {"case": case.pk, "type": "pdf", "size": len(data)}
    assert event.object_id == str(document.pk) and event.tenant_id == case.tenant_id
    assert "Amina" not in str(event.details) and "Bescheid" not in str(event.details)


def test_the_name_does_not_decide_the_type(setup: dict[str, Any]) -> None:
    document = document_upload(
        setup["case"], actor=setup["user"], upload=upload("scan.pdf", png_bytes(), "application/pdf"), title="Scan"
    )
    assert document.content_type == "image/png"
    assert document_filename(document) == "scan.pdf.png"


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60, "file_type"),
        ("brief.pdf", b"<html><script>alert(1)</script></html>", "file_type"),
        ("akten.docx", zip_bytes({"a.txt": b"a"}), "file_type"),
        ("makro.docx", docx_bytes(**{"word/vbaProject.bin": b"\xd0\xcf"}), "macros"),
        ("leer.pdf", b"", "empty"),
    ],
)
def test_refused_uploads_store_nothing(setup: dict[str, Any], name: str, data: bytes, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        document_upload(setup["case"], actor=setup["user"], upload=upload(name, data), title="Dokument")
    assert exc.value.code == code
    assert stored_files(setup["root"]) == []
    assert not Document.objects.exists()
    assert document_events("document.uploaded") == []


class _UnknownSize(SimpleUploadedFile):
    """An upload whose size is not known beforehand (streamed)."""

    read_calls: list[int]

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        self.read_calls.append(size)
        return super().read(size)


def test_oversize_upload_is_refused_without_reading_it_all(setup: dict[str, Any]) -> None:
    data = pdf_bytes() + b"%" * 5000
    with override_settings(DOCUMENT_MAX_BYTES=1000):
        with pytest.raises(ValidationError) as exc:
            document_upload(setup["case"], actor=setup["user"], upload=upload("gross.pdf", data), title="Groß")
        assert exc.value.code == "too_large"

        streamed = _UnknownSize("gross.pdf", data)
        streamed.read_calls = []
        streamed.size = None  # type: ignore[assignment]
        with pytest.raises(ValidationError):
            document_upload(setup["case"], actor=setup["user"], upload=streamed, title="Groß")
        assert all(0 <= size <= 1001 for size in streamed.read_calls)
        assert sum(streamed.read_calls) <= 1001

        exact = pdf_bytes().ljust(1000, b"%")
        document_upload(setup["case"], actor=setup["user"], upload=upload("genau.pdf", exact), title="Genau")
    assert Document.objects.count() == 1


@pytest.mark.parametrize("status", [CaseStatus.CLOSED, CaseStatus.CLOSURE_REQUESTED])
def test_upload_and_delete_refused_on_a_case_that_is_not_open(setup: dict[str, Any], status: str) -> None:
    case, user = setup["case"], setup["user"]
    document = document_upload(case, actor=user, upload=upload("a.png", png_bytes()), title="Foto")
    Case.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    document.refresh_from_db()
    with pytest.raises(ValidationError):
        document_upload(case, actor=user, upload=upload("b.png", png_bytes()), title="Foto")
    with pytest.raises(ValidationError):
        document_delete(document, actor=user)
    assert len(stored_files(setup["root"])) == 1
    # reading stays possible
    data, filename, content_type = document_read(document, actor=user, as_substitute=False)
    assert (data, filename, content_type) == (png_bytes(), "a.png", "image/png")


def test_failed_transaction_leaves_no_file(setup: dict[str, Any]) -> None:
    with (
        mock.patch("lotse.cases.services.documents.audit_record", side_effect=RuntimeError("db gone")),
        pytest.raises(RuntimeError),
    ):
        document_upload(setup["case"], actor=setup["user"], upload=upload("a.png", png_bytes()), title="Foto")
    assert stored_files(setup["root"]) == []
    assert not Document.objects.exists()


def test_rolled_back_outer_transaction_leaves_an_orphan_the_sweep_removes(setup: dict[str, Any]) -> None:
    kept = document_upload(setup["case"], actor=setup["user"], upload=upload("a.png", png_bytes()), title="Foto")
    with pytest.raises(RuntimeError), transaction.atomic():
        document_upload(setup["case"], actor=setup["user"], upload=upload("b.png", png_bytes()), title="Foto")
        raise RuntimeError("the caller fails later")
    assert len(stored_files(setup["root"])) == 2
    assert document_sweep_orphans() == 0  # too recent: the upload could still be running
    assert document_sweep_orphans(older_than=datetime.timedelta(seconds=-1)) == 1
    assert [p.name for p in stored_files(setup["root"])] == [kept.storage_name]


def test_read_audits_and_detects_tampering(setup: dict[str, Any]) -> None:
    case, user = setup["case"], setup["user"]
    document = document_upload(case, actor=user, upload=upload("Pass Amina.jpeg", JPEG), title="Pass")
    data, filename, content_type = document_read(document, actor=user, as_substitute=True)
    assert (data, filename, content_type) == (JPEG, "Pass Amina.jpeg", "image/jpeg")
    (event,) = document_events("document.downloaded")
    assert event.details == {"case": case.pk, "as_substitute": True}
    assert event.object_id == str(document.pk)

    path = setup["root"] / document.storage_name[:2] / document.storage_name
    altered = bytearray(path.read_bytes())
    altered[40] ^= 0xFF
    path.write_bytes(bytes(altered))
    with pytest.raises(storage.StorageError):
        document_read(document, actor=user, as_substitute=False)
    assert len(document_events("document.downloaded")) == 1


def test_file_of_another_document_is_detected(setup: dict[str, Any]) -> None:
    case, user = setup["case"], setup["user"]
    first = document_upload(case, actor=user, upload=upload("a.png", png_bytes()), title="A")
    second = document_upload(case, actor=user, upload=upload("b.jpg", JPEG), title="B")
    Document.objects.filter(pk=first.pk).update(sha256=second.sha256)
    first.refresh_from_db()
    with pytest.raises(storage.CorruptFileError):
        document_read(first, actor=user, as_substitute=False)


def test_delete_removes_the_file_on_commit(setup: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    case, user = setup["case"], setup["user"]
    document = document_upload(case, actor=user, upload=upload("a.odt", odt_bytes()), title="Vertrag")
    pk, size = document.pk, document.size
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document_delete(document, actor=user)
    assert not Document.objects.filter(pk=pk).exists()
    assert len(stored_files(setup["root"])) == 1  # not before the commit
    for callback in callbacks:
        callback()
    assert stored_files(setup["root"]) == []
    (event,) = document_events("document.deleted")
    assert event.details == {"case": case.pk, "type": "odt", "size": size}
    assert event.object_id == str(pk)


@pytest.mark.parametrize(
    ("original", "content_type", "expected"),
    [
        ('..\\..\\evil";\r\nX-Header: 1.pdf', "application/pdf", "evil__ X-Header_ 1.pdf"),
        ("C:\\Users\\kim\\Foto Ärztin.JPG", "image/jpeg", "Foto Ärztin.jpg"),
        ("scan.tif", "image/tiff", "scan.tif"),
        ("bericht.html", "application/pdf", "bericht.html.pdf"),
        ("...", "image/png", "document.png"),
        ("", "image/png", "document.png"),
        ("x" * 300 + ".docx", filetypes.DOCX[0], "x" * 150 + ".docx"),
    ],
)
def test_download_names_are_safe_and_end_in_the_detected_type(
    setup: dict[str, Any], original: str, content_type: str, expected: str
) -> None:
    name = "e" * 64
    document = Document(
        case=setup["case"],
        storage_name=name,
        name_ciphertext=crypto.encrypt_text(original, associated_data=b"cases.document-name:" + name.encode()),
        title="t",
        content_type=content_type,
        size=1,
        sha256="0" * 64,
        uploaded_by=setup["user"],
    )
    with translation.override("en"):
        assert document_filename(document) == expected


def test_name_ciphertext_is_bound_to_its_document(setup: dict[str, Any]) -> None:
    case, user = setup["case"], setup["user"]
    first = document_upload(case, actor=user, upload=upload("Amina.png", png_bytes()), title="A")
    second = document_upload(case, actor=user, upload=upload("b.png", png_bytes()), title="B")
    Document.objects.filter(pk=second.pk).update(name_ciphertext=first.name_ciphertext)
    second.refresh_from_db()
    with translation.override("en"):
        assert document_filename(second) == "document.png"


def test_anonymising_the_case_removes_its_files(setup: dict[str, Any], django_capture_on_commit_callbacks) -> None:
    from lotse.cases.services.cases import case_anonymise

    case, user = setup["case"], setup["user"]
    document_upload(case, actor=user, upload=upload("Amina.png", png_bytes()), title="A")
    with django_capture_on_commit_callbacks(execute=True):
        case_anonymise(case, actor=user)
    assert not Document.objects.filter(case=case).exists()
    assert stored_files(setup["root"]) == []
