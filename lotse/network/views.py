"""Partner directory (Netzwerk): case managers and coordinators look agencies up, coordinators
keep the directory. Views are thin: forms validate, services write, selectors read."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.core.http import post_data
from lotse.core.versioning import StaleObjectError
from lotse.network import selectors, services
from lotse.network.forms import AgencyFilterForm, AgencyForm
from lotse.network.models import Agency, AgencyKind
from lotse.ui.conflict import submit
from lotse.ui.htmx import render_list


@tenant_view(Perm.AGENCY_VIEW)
@require_GET
def agency_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = AgencyFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"query": data["q"], "kind": data["kind"], "status": data["status"] or "active"}
    page = Paginator(selectors.agency_list(ctx, **filters), 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_manage": ctx.has(Perm.AGENCY_MANAGE)}
    return render_list(request, "network/agency_list.html", "network/partials/agency_results.html", context)


def _readable(exc: StaleObjectError) -> StaleObjectError:
    """Show the type and yes/no fields of a conflict as the editor knows them, not as codes."""

    def show(name: str, value: Any) -> Any:
        if name == "kind" and value in AgencyKind.values:
            return AgencyKind(value).label
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return value

    exc.changed = {name: (show(name, mine), show(name, theirs)) for name, (mine, theirs) in exc.changed.items()}
    return exc


def _agency_form_page(request: TenantRequest, agency: Agency | None) -> HttpResponse:
    ctx = request.access
    initial = {"version": agency.version} if agency is not None else None
    # the form gets a copy: ModelForm validation writes into its instance
    form = AgencyForm(post_data(request), instance=copy.copy(agency), initial=initial)

    def save(data: dict[str, Any]) -> Agency:
        fields = form.agency_fields()
        if agency is None:
            return services.agency_create(actor=request.user, tenant=ctx.tenant, **fields)
        return services.agency_update(agency, actor=request.user, expected_version=data.get("version") or 0, **fields)

    done = submit(request, form, save, readable=_readable)
    if done.saved:
        messages.success(request, _("The changes were saved."))
        return redirect("network:agency_list", tenant=ctx.tenant.slug)
    context = {"form": form, "agency": agency, "conflict": done.conflict}
    return render(request, "network/agency_form.html", context)


@tenant_view(Perm.AGENCY_MANAGE)
@require_http_methods(["GET", "POST"])
def agency_create(request: TenantRequest, tenant: str) -> HttpResponse:
    return _agency_form_page(request, None)


@tenant_view(Perm.AGENCY_MANAGE)
@require_http_methods(["GET", "POST"])
def agency_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    return _agency_form_page(request, selectors.agency_get(request.access, pk))
