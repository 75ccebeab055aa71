"""The data-protection officer's view of the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.audit import selectors
from lotse.audit.actions import label
from lotse.audit.forms import EventFilterForm
from lotse.audit.models import PLATFORM_CHAIN, tenant_chain
from lotse.audit.services import audit_record
from lotse.audit.verify import verify_chain
from lotse.ui.htmx import render_list


@tenant_view(Perm.AUDIT_VIEW)
@require_GET
def event_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = EventFilterForm(request.GET or None, object_types=selectors.object_types(ctx))
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "action": data["action"],
            "actor_query": data["actor"],
            "object_type": data["object_type"],
            "object_id": data["object_id"].strip(),
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    page = Paginator(selectors.event_list(ctx, **filters), 50).get_page(request.GET.get("page"))
    rows = [(event, label(event.action)) for event in page]
    context = {"form": form, "page": page, "rows": rows}
    return render_list(request, "audit/event_list.html", "audit/partials/event_results.html", context)


@tenant_view(Perm.AUDIT_VIEW)
@require_POST
def verify(request: TenantRequest, tenant: str) -> HttpResponse:
    """Check the integrity of this tenant's chain and of the platform chain."""
    ctx = request.access
    reports = [verify_chain(tenant_chain(ctx.tenant.pk)), verify_chain(PLATFORM_CHAIN)]
    ok = all(r.ok for r in reports)
    with transaction.atomic():
        audit_record(
            action="audit.verified",
            actor=request.user,
            tenant=ctx.tenant,
            details={"ok": ok, "rows": sum(r.rows for r in reports)},
        )
    if ok:
        messages.success(
            request,
            _("The audit log is intact: %(rows)s entries checked, no entry altered or removed.")
            % {"rows": sum(r.rows for r in reports)},
        )
    else:
        broken = next(r for r in reports if not r.ok)
        messages.error(
            request,
            _(
                "The audit log was tampered with: %(problem)s. "
                "Inform the operations team and keep a copy of the database."
            )
            % {"problem": broken.problem},
        )
    return redirect("audit:event_list", tenant=ctx.tenant.slug)
