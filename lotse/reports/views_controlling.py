"""Reports: the index page and the state controlling export (preview and download).

Coordinators (``REPORTS_VIEW``) report on their own district, state analysts
(``CROSS_TENANT_AGGREGATES``, in the state tenant) on every active district. The decorator
names the permission both roles share; :func:`_require_reports` lets in exactly those who have
districts to report on (:func:`~lotse.access.funding.report_tenants_scope`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lotse.access.context import AccessContext
from lotse.access.decorators import tenant_view
from lotse.access.funding import report_tenants_scope
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.audit.services import audit_record
from lotse.reports import controlling_export as files
from lotse.reports.controlling import build, legend, rules
from lotse.reports.forms import PeriodForm


def _require_reports(ctx: AccessContext) -> None:
    if not report_tenants_scope(ctx).exists():
        raise PermissionDenied


def _page(
    request: TenantRequest, form: PeriodForm, *, report: Any = None, error: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "report": report,
        "legend": legend(),
        "rules": rules(),
        "error": error,
        "query": form.query() if report is not None else "",
        "formats": files.FORMATS.values(),
        "state": request.access.has(Perm.CROSS_TENANT_AGGREGATES),
    }
    return render(request, "reports/controlling.html", context, status=status)


@tenant_view(Perm.DASHBOARD_VIEW)
@require_GET
def index(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    _require_reports(ctx)
    context = {
        "state": ctx.has(Perm.CROSS_TENANT_AGGREGATES),
        "status_report": ctx.has(Perm.REPORTS_VIEW),
    }
    return render(request, "reports/index.html", context)


@tenant_view(Perm.DASHBOARD_VIEW)
@require_GET
def controlling(request: TenantRequest, tenant: str) -> HttpResponse:
    """The suppressed tables of the period as the export will contain them, and the links to
    download them."""
    ctx = request.access
    _require_reports(ctx)
    form = PeriodForm(request.GET, ctx=ctx)
    if not form.is_valid():
        return _page(request, form)
    return _page(request, form, report=build(ctx, form.period(), form.tenant_ids()))


@tenant_view(Perm.DASHBOARD_VIEW)
@require_GET
def controlling_export(request: TenantRequest, tenant: str) -> HttpResponse:
    """The export as a file (``?format=xlsx|csv|json`` and the period); every download is
    audited. An unknown format or a wrong period answers 400 with the page and the reason."""
    ctx = request.access
    _require_reports(ctx)
    form = PeriodForm(request.GET, ctx=ctx)
    code = request.GET.get("format", "")
    if code not in files.FORMATS:
        form.is_valid()
        return _page(request, form, error=_("Unknown download format. Choose XLSX, CSV or JSON."), status=400)
    if not form.is_valid():
        return _page(request, form, error=_("The period is not valid: correct it and download again."), status=400)
    period = form.period()
    content = files.export(ctx, period, form.tenant_ids(), code)
    audit_record(
        action="report.controlling_exported",
        actor=request.user,
        tenant=ctx.tenant,
        details={"format": code, "period": f"{period.start.isoformat()}:{period.end.isoformat()}"},
    )
    response = HttpResponse(content, content_type=files.FORMATS[code].content_type)
    response["Content-Length"] = str(len(content))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=files.filename(period, code)
    )
    return response
