"""Import of case lists (coordinators) and list exports (case managers and coordinators).

Import: upload → dry run with a row-by-row report (on the page and as CSV/XLSX) → the real run
after confirmation, all rows or none. The uploaded file is read into memory only (no temporary
file on disk) and kept between the steps encrypted, bound to the uploader's session; it is
deleted after the import, when discarded, or after ``LOTSE_IMPORT_UPLOAD_MINUTES``.

Export: the lists of what the user may see, streamed (see :mod:`lotse.transfer.exports`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.cases import selectors as case_selectors
from lotse.cases.forms import CaseFilterForm
from lotse.steering.forms import barrier_register_filtered
from lotse.transfer import exports, services
from lotse.transfer.case_import import template_rows
from lotse.transfer.conf import import_max_bytes, upload_minutes
from lotse.transfer.forms import ImportUploadForm

SESSION_KEY = "transfer_upload"
REPORT_HEADER: list[Any] = ["Zeile", "Spalte", "Problem", "Wert"]
SHOWN_PROBLEMS = 200


class InMemoryUploadHandler(MemoryFileUploadHandler):
    """Keeps the upload in memory whatever its size (the size is capped before reading), so
    no unencrypted copy of a case list ever lands in a temporary file."""

    def handle_raw_input(self, *args: Any, **kwargs: Any) -> None:
        self.activated = True


def _format(request: HttpRequest) -> str:
    return "xlsx" if request.GET.get("format") == "xlsx" else "csv"


def _attachment(content: bytes, *, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX_TYPE if fmt == "xlsx" else exports.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- import -----------------------------------------------------------------------------------


@tenant_view(Perm.CASE_IMPORT)
@csrf_exempt
def import_start(request: TenantRequest, tenant: str) -> HttpResponse:
    """Upload a case list; its dry run follows at once."""
    request.upload_handlers = [InMemoryUploadHandler(request)]
    return _import_start(request, tenant)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _import_start(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    services.uploads_purge()
    form = ImportUploadForm()
    if request.method == "POST":
        if int(request.META.get("CONTENT_LENGTH") or 0) > import_max_bytes() + 65_536:
            form.add_error(None, _too_large())
        else:
            form = ImportUploadForm(request.POST, request.FILES)
            if form.is_valid() and form.cleaned_data["file"].size > import_max_bytes():
                form.add_error("file", _too_large())
            elif form.is_valid():
                data = form.cleaned_data["file"].read()
                upload, _report = services.upload_check(ctx, data=data)
                previous = services.upload_find(ctx, request.session.get(SESSION_KEY))
                if previous is not None:
                    services.upload_discard(ctx, previous)
                request.session[SESSION_KEY] = str(upload.token)
                return redirect("transfer:import_review", tenant=tenant)
    return render(request, "transfer/import_start.html", {"form": form, "max_mb": max(1, import_max_bytes() >> 20)})


def _too_large() -> str:
    return _("The file is too large (at most %(mb)s MB). Split the list into several files.") % {
        "mb": max(1, import_max_bytes() >> 20)
    }


def _session_upload(request: TenantRequest) -> Any:
    upload = services.upload_find(request.access, request.session.get(SESSION_KEY))
    if upload is None:
        request.session.pop(SESSION_KEY, None)
    return upload


@tenant_view(Perm.CASE_IMPORT)
@require_http_methods(["GET", "POST"])
def import_review(request: TenantRequest, tenant: str) -> HttpResponse:
    """The dry-run report of the uploaded list, and the real run after confirmation."""
    ctx = request.access
    upload = _session_upload(request)
    if upload is None:
        messages.info(
            request,
            _("No uploaded case list is waiting (lists are kept for %(minutes)s minutes). Upload it again.")
            % {"minutes": upload_minutes()},
        )
        return redirect("transfer:import_start", tenant=tenant)
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            services.upload_discard(ctx, upload)
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("The uploaded case list was deleted; nothing was imported."))
            return redirect("transfer:import_start", tenant=tenant)
        if request.POST.get("confirm") == "1":
            report, written = services.upload_import(ctx, upload)
            if written:
                request.session.pop(SESSION_KEY, None)
                messages.success(request, _("%(count)s cases imported.") % {"count": written})
                return redirect("cases:list", tenant=tenant)
            messages.error(
                request, _("Nothing was imported: the check found problems. Correct the file and upload it again.")
            )
        else:
            messages.error(request, _("Confirm the import first."))
    report = services.upload_report(upload)
    context = {
        "report": report,
        "problems": report.problems[:SHOWN_PROBLEMS],
        "more": max(0, len(report.problems) - SHOWN_PROBLEMS),
        "uploaded_at": upload.created_at,
        "expires_at": upload.created_at + datetime.timedelta(minutes=upload_minutes()),
    }
    return render(request, "transfer/import_review.html", context)


@tenant_view(Perm.CASE_IMPORT)
@require_GET
def import_report(request: TenantRequest, tenant: str) -> HttpResponse:
    """The report of the waiting upload as CSV or XLSX (it may quote personal data)."""
    upload = _session_upload(request)
    if upload is None:
        return redirect("transfer:import_start", tenant=tenant)
    report = services.upload_report(upload)
    rows: list[list[Any]] = [REPORT_HEADER, *[[p.row or "", p.column, p.problem, p.value] for p in report.problems]]
    fmt = _format(request)
    content = exports.table_xlsx(rows, title="Prüfbericht") if fmt == "xlsx" else exports.table_csv(rows)
    return _attachment(content, name="pruefbericht-import", fmt=fmt)


@tenant_view(Perm.CASE_IMPORT)
@require_GET
def import_template(request: TenantRequest, tenant: str) -> HttpResponse:
    """The empty template: header row and one example row."""
    fmt = _format(request)
    rows = list(template_rows())
    content = exports.table_xlsx(rows, title="Fälle") if fmt == "xlsx" else exports.table_csv(rows)
    return _attachment(content, name="vorlage-fallliste", fmt=fmt)


# --- export -----------------------------------------------------------------------------------


def _require_case_reader(request: TenantRequest) -> None:
    if not (request.access.has(Perm.CASE_WORK) or request.access.has(Perm.CASE_OVERSIGHT)):
        raise PermissionDenied


def _send(request: TenantRequest, rows: Any, fields: list[exports.Field], *, kind: str, title: str) -> Any:
    fmt = _format(request)
    services.export_record(request.access, kind=kind, fmt=fmt)
    name = f"{kind}-{timezone.localdate():%Y-%m-%d}"
    if fmt == "xlsx":
        handle = exports.xlsx_file(rows, fields, title=title)
        return FileResponse(handle, as_attachment=True, filename=f"{name}.xlsx", content_type=exports.XLSX_TYPE)
    response = StreamingHttpResponse(exports.csv_stream(rows, fields), content_type=exports.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@tenant_view()
@require_GET
def export_index(request: TenantRequest, tenant: str) -> HttpResponse:
    _require_case_reader(request)
    return render(request, "transfer/export_index.html", {"oversight": request.access.has(Perm.CASE_OVERSIGHT)})


@tenant_view()
@require_GET
def export_cases(request: TenantRequest, tenant: str) -> Any:
    """The case list with the filters of the case list page (``q``, ``status``, and for
    coordinators ``provider`` and ``case_manager``); default: all statuses."""
    _require_case_reader(request)
    ctx = request.access
    form = CaseFilterForm(request.GET, tenant=ctx.tenant, oversight=ctx.has(Perm.CASE_OVERSIGHT))
    rows = (
        case_selectors.case_list(ctx, **form.filters(default_status="all"))
        .select_related("location")
        .iterator(chunk_size=exports.CHUNK)
    )
    return _send(request, rows, exports.case_fields(), kind="cases", title="Fälle")


@tenant_view()
@require_GET
def export_contacts(request: TenantRequest, tenant: str) -> Any:
    _require_case_reader(request)
    ctx = request.access
    rows = exports.contacts_for(ctx).iterator(chunk_size=exports.CHUNK)
    fields = exports.contact_fields(with_note=ctx.has(Perm.CASE_WORK))
    return _send(request, rows, fields, kind="contacts", title="Kontakte")


@tenant_view()
@require_GET
def export_barriers(request: TenantRequest, tenant: str) -> Any:
    """Coordinators: the barrier register with the register page's filters (what the page shows
    is what the file holds). Case managers: the barriers of their cases."""
    _require_case_reader(request)
    ctx = request.access
    if ctx.has(Perm.STEERING_MANAGE):
        barriers = barrier_register_filtered(ctx, request.GET or None)[1]
    else:
        barriers = exports.barriers_for(ctx)
    rows = barriers.iterator(chunk_size=exports.CHUNK)
    return _send(request, rows, exports.barrier_fields(), kind="barriers", title="Barrieren")
