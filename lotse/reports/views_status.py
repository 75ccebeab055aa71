"""The committee status report (Sachstandsbericht) of the coordinator's district: an HTML
preview in the reader's language and the council documents in German, PDF and DOCX (attachments;
every download is audited). The period comes from :class:`~lotse.reports.forms.PeriodForm`
(GET); a bad period shows the form with its message – on the page, and with status 400 for a
download link – never a 500."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.audit.services import audit_record
from lotse.reports import status
from lotse.reports.forms import PeriodForm
from lotse.reports.indicators import Period
from lotse.reports.status_docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from lotse.reports.status_docx import status_docx

TEMPLATE = "reports/status.html"


def _page(request: TenantRequest, form: PeriodForm, *, status_code: int = 200) -> HttpResponse:
    report = None
    query = ""
    if form.is_valid():
        report = status.status_report(request.access, form.period())
        query = form.query()
    context: dict[str, Any] = {"form": form, "report": report, "query": query}
    return render(request, TEMPLATE, context, status=status_code)


@tenant_view(Perm.REPORTS_VIEW)
@require_GET
def status_report(request: TenantRequest, tenant: str) -> HttpResponse:
    return _page(request, PeriodForm(request.GET, ctx=request.access))


def _audit(request: TenantRequest, kind: str, period: Period) -> None:
    with transaction.atomic():
        audit_record(
            action="report.status_exported",
            actor=request.user,
            tenant=request.access.tenant,
            details={"format": kind, "period": f"{period.start.isoformat()}:{period.end.isoformat()}"},
        )


def _download(request: TenantRequest, kind: str) -> HttpResponse:
    form = PeriodForm(request.GET, ctx=request.access)
    if not form.is_valid():
        return _page(request, form, status_code=400)
    period = form.period()
    with translation.override(status.LANGUAGE):
        document = status.render_charts(status.status_report(request.access, period))
        if kind == "pdf":
            data, content_type = status.status_pdf(document), "application/pdf"
        else:
            data, content_type = status_docx(document), DOCX_CONTENT_TYPE
    _audit(request, kind, period)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Length"] = str(len(data))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{document.filename_stem}.{kind}"
    )
    return response


@tenant_view(Perm.REPORTS_VIEW)
@require_GET
def status_report_pdf(request: TenantRequest, tenant: str) -> HttpResponse:
    return _download(request, "pdf")


@tenant_view(Perm.REPORTS_VIEW)
@require_GET
def status_report_docx(request: TenantRequest, tenant: str) -> HttpResponse:
    return _download(request, "docx")
