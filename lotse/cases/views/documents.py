"""Documents of a case: list and upload, download (audited), deletion.

Only the case managers of the case (own or substituted) see documents; coordinators never do
(pseudonymised view), so every view calls :func:`require_case_manager`. Reading stays possible
on a closed case; uploading and deleting need an open one (:func:`require_work`). Files are
checked, encrypted and audited by :mod:`lotse.cases.services.documents`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.access.cases import CaseAccess
from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.cases import storage
from lotse.cases.filetypes import ACCEPTED
from lotse.cases.forms_documents import DocumentUploadForm
from lotse.cases.models import Document
from lotse.cases.services import documents as services
from lotse.cases.views.base import (
    load_case,
    read_only_message,
    render_case,
    require_case_manager,
    require_work,
    validation_messages,
)

logger = logging.getLogger(__name__)

DOCUMENTS_PER_PAGE = 25


@dataclass(frozen=True)
class DocumentRow:
    document: Document
    filename: str
    type_label: str


def _row(document: Document) -> DocumentRow:
    return DocumentRow(
        document,
        services.document_filename(document),
        ACCEPTED.get(document.content_type, "").upper() or _("unknown"),
    )


def _document(access: CaseAccess, pk: int) -> Document:
    """A document of this case; an id of another case's document is 404 like a missing one."""
    return get_object_or_404(Document.objects.select_related("case", "uploaded_by"), case=access.case, pk=pk)


def _case_manager_access(request: TenantRequest, pk: int) -> CaseAccess:
    access = load_case(request, pk)
    require_case_manager(access)
    return access


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def document_list(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """The case's documents, newest first, and the upload form (open cases only)."""
    access = _case_manager_access(request, pk)
    form = None
    if request.method == "POST":
        if (refused := require_work(request, access)) is not None:
            return refused
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.document_upload(
                    access.case,
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("The document “%(title)s” was uploaded.") % {"title": document.title})
                return redirect("cases:document_list", tenant=tenant, pk=pk)
    elif access.work:
        form = DocumentUploadForm()
    documents = Document.objects.filter(case=access.case).select_related("uploaded_by")
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [_row(document) for document in page],
        "form": form,
        "read_only_text": "" if access.work else read_only_message(access),
    }
    return render_case(request, "cases/documents.html", access, "documents", context)


@tenant_view(Perm.CASE_WORK)
@require_GET
def document_download(request: TenantRequest, tenant: str, pk: int, document: int) -> HttpResponse:
    """The decrypted file as an attachment (never shown inline: no script of an uploaded file
    runs in Lotse's origin). Allowed on closed cases too; every download is audited."""
    access = _case_manager_access(request, pk)
    doc = _document(access, document)
    try:
        data, filename, content_type = services.document_read(
            doc, actor=request.user, as_substitute=access.as_substitute
        )
    except (storage.StorageError, OSError) as exc:
        logger.error("document %s cannot be read: %s", doc.pk, type(exc).__name__)
        messages.error(
            request,
            _(
                "The file of the document “%(title)s” cannot be read: it is missing or damaged. "
                "Please tell your administrator."
            )
            % {"title": doc.title},
        )
        return redirect("cases:document_list", tenant=tenant, pk=pk)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Length"] = str(len(data))
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store"
    return response


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def document_delete(request: TenantRequest, tenant: str, pk: int, document: int) -> HttpResponse:
    """Confirm (GET), then delete (POST); the file goes once the deletion is committed."""
    access = _case_manager_access(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    doc = _document(access, document)
    if request.method == "POST":
        title = doc.title
        try:
            services.document_delete(doc, actor=request.user)
        except ValidationError as exc:
            for message in validation_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("The document “%(title)s” was deleted.") % {"title": title})
        return redirect("cases:document_list", tenant=tenant, pk=pk)
    return render_case(request, "cases/documents_delete.html", access, "documents", {"row": _row(doc)})
