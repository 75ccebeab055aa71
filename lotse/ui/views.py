"""The frame pages: start, tenant choice, role dashboard, and error pages in the same look."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from lotse.access.decorators import authenticated, public, tenant_view
from lotse.access.http import LotseRequest, TenantRequest
from lotse.access.middleware import SESSION_TENANT
from lotse.access.permissions import Perm
from lotse.tenants import selectors as tenant_selectors
from lotse.ui.dashboards import sections_for


def _tenant_choice(request: LotseRequest) -> dict[str, Any]:
    return {
        "memberships": list(tenant_selectors.user_tenants(request.user)),
        "invitations": list(tenant_selectors.open_invitations(request.user)),
    }


@authenticated()
@require_GET
def home(request: LotseRequest) -> HttpResponse:
    """After sign-in: the last tenant used, the only tenant, or the choice of tenants (always
    the choice while an invitation waits for an answer)."""
    choice = _tenant_choice(request)
    memberships = choice["memberships"]
    last = request.session.get(SESSION_TENANT)
    if not choice["invitations"]:
        for membership in memberships:
            if membership.tenant.slug == last or len(memberships) == 1:
                return redirect("ui:dashboard", tenant=membership.tenant.slug)
    return render(request, "ui/tenant_select.html", choice)


@authenticated()
@require_GET
def tenant_select(request: LotseRequest) -> HttpResponse:
    """Explicit switch between the tenants a user works in."""
    return render(request, "ui/tenant_select.html", _tenant_choice(request))


@tenant_view(Perm.DASHBOARD_VIEW)
@require_GET
def dashboard(request: TenantRequest, tenant: str) -> HttpResponse:
    sections = sections_for(request.access)
    return render(request, "ui/dashboard.html", {"sections": sections})


@public
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch the interface language (German or English); a plain form, no JavaScript."""
    return set_language(request)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    context = {
        "title": _("The form has expired"),
        "text": _(
            "For your security the form could not be sent: it was open too long or cookies are "
            "blocked. Go back, reload the page and send it again."
        ),
    }
    return render(request, "ui/error.html", context, status=403)
