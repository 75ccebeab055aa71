"""The documents tab of a case: list and upload, download, deletion – and who may do what."""

from __future__ import annotations

import datetime
import io
import os
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import TenantWorld, World
from lotse.audit.models import AuditEvent
from lotse.cases import storage
from lotse.cases.filetypes import ACCEPT_ATTRIBUTE
from lotse.cases.models import Case, CaseStatus, Document
from lotse.cases.services.documents import document_upload
from lotse.cases.services.substitution import absence_add, nomination_add
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

# --- Tiny real files ------------------------------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def _png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG = _png()

# --- Fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def doc_root(settings: Any, tmp_path: Path) -> Path:
    """A document store of this test alone, so that "nothing stored" can be checked. Autouse:
    set up before ``world``, whose case holds one document ("Bescheid", Bescheid.pdf)."""
    root = tmp_path / "documents"
    settings.DOCUMENT_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def english(client: Client) -> Client:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def cm(world: World, signed_in: Any, tenant: str = "wesel") -> Client:
    return english(signed_in(getattr(world, tenant).users[Role.CASE_MANAGER]))


def list_url(part: TenantWorld, case: Case | None = None) -> str:
    return reverse("cases:document_list", kwargs={"tenant": part.tenant.slug, "pk": (case or part.case).pk})


def doc_url(name: str, part: TenantWorld, document: Document, case: Case | None = None) -> str:
    return reverse(name, kwargs={"tenant": part.tenant.slug, "pk": (case or part.case).pk, "document": document.pk})


def upload(part: TenantWorld, *, name: str = "Pass Amina.pdf", data: bytes = PDF, title: str = "Pass") -> Document:
    return document_upload(
        part.case, actor=part.users[Role.CASE_MANAGER], upload=SimpleUploadedFile(name, data), title=title
    )


def close(case: Case, status: str = CaseStatus.CLOSED) -> None:
    Case.objects.filter(pk=case.pk).update(status=status)


def fresh_case(part: TenantWorld) -> Case:
    """A second open case of the tenant's case manager, without documents."""
    from lotse.cases.services.cases import case_open

    actor = part.users[Role.CASE_MANAGER]
    return case_open(
        actor=actor,
        tenant=part.tenant,
        case_manager_id=actor.pk,
        provider=part.provider,
        location=part.location,
        pseudonym="Zweiter Fall",
        intake_channel="walk_in",
        opened_on=timezone.localdate(),
    )


def other_case_manager(part: TenantWorld) -> Any:
    """A second case manager of the tenant, at the same (contracted) provider."""
    return MembershipFactory(tenant=part.tenant, role=Role.CASE_MANAGER, provider=part.provider).user


def an_upload() -> dict[str, Any]:
    return {"title": "x", "file": SimpleUploadedFile("x.pdf", PDF)}


def form_errors(response: Any, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


# --- List and upload ------------------------------------------------------------------------------


def test_list_shows_the_upload_form_with_types_and_size_limit(world: World, signed_in: Any, doc_root: Path) -> None:
    response = cm(world, signed_in).get(list_url(world.wesel))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert f'accept="{ACCEPT_ATTRIBUTE}"' in html
    assert 'type="file"' in html and 'name="title"' in html
    assert "PDF, PNG, JPG, TIFF, DOCX, XLSX, ODT" in html
    assert "10.0\xa0MB" in html
    assert "Bescheid.pdf" in html  # the world's document
    empty = cm(world, signed_in).get(list_url(world.wesel, fresh_case(world.wesel)))
    assert "No documents in this case yet." in empty.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "content_type", "label"),
    [("Pass Amina.pdf", PDF, "application/pdf", "PDF"), ("foto.png", PNG, "image/png", "PNG")],
    ids=["pdf", "png"],
)
def test_upload_is_stored_and_listed(
    world: World, signed_in: Any, doc_root: Path, name: str, data: bytes, content_type: str, label: str
) -> None:
    client = cm(world, signed_in)
    url = list_url(world.wesel)
    before = stored_files(doc_root)
    response = client.post(url, {"title": "Aufenthaltstitel", "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302 and response["Location"] == url
    document = Document.objects.get(case=world.wesel.case, title="Aufenthaltstitel")
    assert (document.content_type, document.size) == (content_type, len(data))
    assert document.uploaded_by == world.wesel.users[Role.CASE_MANAGER]
    assert len(stored_files(doc_root)) == len(before) + 1
    assert AuditEvent.objects.filter(action="document.uploaded", object_id=str(document.pk)).exists()

    page = client.get(url)
    html = page.content.decode()
    assert "was uploaded" in html
    assert "Aufenthaltstitel" in html and label in html
    assert name in html  # the decrypted original name, for the case manager
    assert doc_url("cases:document_download", world.wesel, document) in html
    assert doc_url("cases:document_delete", world.wesel, document) in html


def _refused(client: Client, url: str, data: dict[str, Any], doc_root: Path, case: Case) -> Any:
    documents, files = list(Document.objects.filter(case=case)), stored_files(doc_root)
    response = client.post(url, data)
    assert response.status_code == 200
    assert list(Document.objects.filter(case=case)) == documents
    assert stored_files(doc_root) == files
    return response


def test_exe_named_pdf_is_refused_with_the_type_message(world: World, signed_in: Any, doc_root: Path) -> None:
    response = _refused(
        cm(world, signed_in),
        list_url(world.wesel),
        {"title": "Bescheid", "file": SimpleUploadedFile("bescheid.pdf", EXE, content_type="application/pdf")},
        doc_root,
        world.wesel.case,
    )
    message = (
        "This file type is not accepted. Upload a PDF, an image (PNG, JPEG, TIFF) "
        "or an office document (DOCX, XLSX, ODT)."
    )
    assert form_errors(response, "file") == [message]
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html and "id_file_error" in html
    assert 'value="Bescheid"' in html  # the title is kept for the next try


def test_oversize_upload_is_refused_with_the_size_message(
    world: World, signed_in: Any, doc_root: Path, settings: Any
) -> None:
    settings.DOCUMENT_MAX_BYTES = 1000
    response = _refused(
        cm(world, signed_in),
        list_url(world.wesel),
        {"title": "Groß", "file": SimpleUploadedFile("gross.pdf", PDF + b"%" * 1000)},
        doc_root,
        world.wesel.case,
    )
    assert form_errors(response, "file") == ["The file is too large. At most 1000\xa0bytes are accepted."]
    assert "The file is too large." in response.content.decode()
    assert "At most 1000\xa0bytes per file." in response.content.decode()  # the hint follows the setting


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "Leer", "file": SimpleUploadedFile("leer.pdf", b"")}, "file", "The file is empty."),
        ({"title": "Ohne Datei"}, "file", "Choose a file to upload."),
        ({"file": SimpleUploadedFile("x.pdf", PDF)}, "title", "This field is required."),
        ({"title": "   ", "file": SimpleUploadedFile("x.pdf", PDF)}, "title", "This field is required."),
    ],
    ids=["empty-file", "no-file", "no-title", "blank-title"],
)
def test_incomplete_uploads_are_refused_on_the_form(
    world: World, signed_in: Any, doc_root: Path, data: dict[str, Any], field: str, message: str
) -> None:
    response = _refused(cm(world, signed_in), list_url(world.wesel), data, doc_root, world.wesel.case)
    assert form_errors(response, field) == [message]
    assert message in response.content.decode()


@pytest.mark.parametrize("status", [CaseStatus.CLOSED, CaseStatus.CLOSURE_REQUESTED])
def test_upload_on_a_case_that_is_not_open_is_refused(
    world: World, signed_in: Any, doc_root: Path, status: str
) -> None:
    case = world.wesel.case
    close(case, status)
    client = cm(world, signed_in)
    url = list_url(world.wesel)
    files = stored_files(doc_root)
    response = client.post(url, {"title": "Spät", "file": SimpleUploadedFile("spaet.pdf", PDF)})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"tenant": world.wesel.tenant.slug, "pk": case.pk})
    assert not Document.objects.filter(case=case, title="Spät").exists()
    assert stored_files(doc_root) == files
    # the list stays readable, without the upload form
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"] is None
    assert 'type="file"' not in page.content.decode()


# --- Download -------------------------------------------------------------------------------------


def test_download_is_an_audited_attachment_with_safe_headers(world: World, signed_in: Any, doc_root: Path) -> None:
    document = upload(world.wesel, name='Pass "Amina"; x.pdf')
    response = cm(world, signed_in).get(doc_url("cases:document_download", world.wesel, document))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["Content-Disposition"] == 'attachment; filename="Pass _Amina__ x.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(action="document.downloaded", object_id=str(document.pk))
    assert event.actor == world.wesel.users[Role.CASE_MANAGER]
    assert event.details == {"case": world.wesel.case.pk, "as_substitute": False}
    assert "Amina" not in str(event.details)


def test_download_names_with_non_ascii_characters(world: World, signed_in: Any, doc_root: Path) -> None:
    document = upload(world.wesel, name="Bescheid Müller.png", data=PNG)
    response = cm(world, signed_in).get(doc_url("cases:document_download", world.wesel, document))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Bescheid%20M%C3%BCller.png"


def test_download_works_on_a_closed_case(world: World, signed_in: Any, doc_root: Path) -> None:
    document = upload(world.wesel)
    close(world.wesel.case)
    response = cm(world, signed_in).get(doc_url("cases:document_download", world.wesel, document))
    assert response.status_code == 200 and response.content == PDF


@pytest.mark.parametrize("damage", ["missing", "altered"])
def test_unreadable_file_gives_a_clear_message_not_an_error(
    world: World, signed_in: Any, doc_root: Path, damage: str
) -> None:
    document = upload(world.wesel, title="Mietvertrag")
    path = doc_root / document.storage_name[:2] / document.storage_name
    if damage == "missing":
        path.unlink()
    else:
        content = bytearray(path.read_bytes())
        content[-1] ^= 1
        path.write_bytes(bytes(content))
    client = cm(world, signed_in)
    response = client.get(doc_url("cases:document_download", world.wesel, document))
    assert response.status_code == 302 and response["Location"] == list_url(world.wesel)
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()
    page = client.get(list_url(world.wesel))
    assert "The file of the document “Mietvertrag” cannot be read" in page.content.decode()


# --- Who may ------------------------------------------------------------------------------------


def test_coordinator_never_sees_documents(world: World, signed_in: Any, doc_root: Path) -> None:
    document = upload(world.wesel)
    client = english(signed_in(world.wesel.users[Role.COORDINATOR]))
    assert client.get(list_url(world.wesel)).status_code == 403
    assert client.post(list_url(world.wesel), an_upload()).status_code == 403
    assert client.get(doc_url("cases:document_download", world.wesel, document)).status_code == 403
    assert client.get(doc_url("cases:document_delete", world.wesel, document)).status_code == 403
    assert client.post(doc_url("cases:document_delete", world.wesel, document)).status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()
    # nor the tab of the case
    detail = client.get(reverse("cases:detail", kwargs={"tenant": world.wesel.tenant.slug, "pk": world.wesel.case.pk}))
    assert list_url(world.wesel) not in detail.content.decode()


def test_another_case_manager_gets_404(world: World, signed_in: Any, doc_root: Path) -> None:
    document = upload(world.wesel)
    client = english(signed_in(other_case_manager(world.wesel)))
    assert client.get(list_url(world.wesel)).status_code == 404
    assert client.post(list_url(world.wesel), an_upload()).status_code == 404
    assert client.get(doc_url("cases:document_download", world.wesel, document)).status_code == 404
    assert client.post(doc_url("cases:document_delete", world.wesel, document)).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


def test_substitute_may_download_during_the_absence(world: World, signed_in: Any, doc_root: Path) -> None:
    part = world.wesel
    document = upload(part)
    principal = part.users[Role.CASE_MANAGER]
    substitute = other_case_manager(part)
    nomination_add(tenant=part.tenant, actor=principal, principal=principal, substitute_id=substitute.pk)
    client = english(signed_in(substitute))
    url = doc_url("cases:document_download", part, document)
    assert client.get(url).status_code == 404  # named, but no absence yet

    today = timezone.localdate()
    absence_add(
        tenant=part.tenant, actor=principal, principal=principal, starts_on=today, ends_on=today + datetime.timedelta(7)
    )
    page = client.get(list_url(part))
    assert page.status_code == 200 and "Pass Amina.pdf" in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response.content == PDF
    event = AuditEvent.objects.get(action="document.downloaded", object_id=str(document.pk))
    assert event.actor == substitute
    assert event.details["as_substitute"] is True


def test_other_tenant_gets_404(world: World, signed_in: Any, doc_root: Path) -> None:
    foreign = upload(world.coesfeld)
    client = cm(world, signed_in)  # Wesel case manager
    for url in (
        list_url(world.coesfeld),
        doc_url("cases:document_download", world.coesfeld, foreign),
        doc_url("cases:document_delete", world.coesfeld, foreign),
    ):
        assert client.get(url).status_code in (403, 404)
    # Coesfeld objects addressed through the Wesel tenant
    wesel_slug = world.wesel.tenant.slug
    crossed = reverse(
        "cases:document_download", kwargs={"tenant": wesel_slug, "pk": world.coesfeld.case.pk, "document": foreign.pk}
    )
    assert client.get(crossed).status_code == 404
    into_own_case = doc_url("cases:document_download", world.wesel, foreign)
    assert client.get(into_own_case).status_code == 404
    assert client.post(doc_url("cases:document_delete", world.wesel, foreign)).status_code == 404
    assert Document.objects.filter(pk=foreign.pk).exists()
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_document_of_another_case_through_this_case_is_404(world: World, signed_in: Any, doc_root: Path) -> None:
    part = world.wesel
    second = fresh_case(part)
    document = document_upload(
        second, actor=part.users[Role.CASE_MANAGER], upload=SimpleUploadedFile("b.pdf", PDF), title="Zweiter"
    )
    client = cm(world, signed_in)
    assert client.get(doc_url("cases:document_download", part, document)).status_code == 404
    assert client.get(doc_url("cases:document_delete", part, document)).status_code == 404
    assert client.post(doc_url("cases:document_delete", part, document)).status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()
    # through its own case it works
    assert client.get(doc_url("cases:document_download", part, document, case=second)).status_code == 200


# --- Delete ---------------------------------------------------------------------------------------


def test_delete_confirms_then_removes_row_and_file(
    world: World, signed_in: Any, doc_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    document = upload(world.wesel, title="Alter Bescheid")
    client = cm(world, signed_in)
    url = doc_url("cases:document_delete", world.wesel, document)
    confirm = client.get(url)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Alter Bescheid" in html and "Pass Amina.pdf" in html and 'method="post"' in html
    path = doc_root / document.storage_name[:2] / document.storage_name
    assert path.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response["Location"] == list_url(world.wesel)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    assert storage.exists(world.wesel.objects["document"].storage_name)  # the others stay
    assert AuditEvent.objects.filter(action="document.deleted", object_id=str(document.pk)).exists()
    assert "was deleted" in client.get(list_url(world.wesel)).content.decode()


def test_delete_on_a_closed_case_is_refused(world: World, signed_in: Any, doc_root: Path) -> None:
    document = upload(world.wesel)
    close(world.wesel.case)
    client = cm(world, signed_in)
    url = doc_url("cases:document_delete", world.wesel, document)
    detail = reverse("cases:detail", kwargs={"tenant": world.wesel.tenant.slug, "pk": world.wesel.case.pk})
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302 and response["Location"] == detail
    assert Document.objects.filter(pk=document.pk).exists()
    assert storage.exists(document.storage_name)
    # no delete link on the read-only list
    assert url not in client.get(list_url(world.wesel)).content.decode()


# --- Housekeeping command -------------------------------------------------------------------------


def test_documents_sweep_removes_old_orphans_only_and_is_idempotent(world: World, doc_root: Path) -> None:
    kept = upload(world.wesel)
    old_orphan = storage.save(b"left over")
    new_orphan = storage.save(b"upload in progress")
    old = time.time() - 7 * 3600
    for name in (kept.storage_name, old_orphan):
        os.utime(doc_root / name[:2] / name, (old, old))

    out = io.StringIO()
    call_command("documents_sweep", stdout=out)
    assert "removed 1 orphaned document file(s)" in out.getvalue()
    assert not storage.exists(old_orphan)
    assert storage.exists(kept.storage_name) and storage.exists(new_orphan)

    again = io.StringIO()
    call_command("documents_sweep", stdout=again)
    assert "removed 0 orphaned document file(s)" in again.getvalue()

    call_command("documents_sweep", "--hours", "1", stdout=io.StringIO())
    assert storage.exists(new_orphan)  # still younger than an hour
    with pytest.raises(CommandError):
        call_command("documents_sweep", "--hours", "0")
