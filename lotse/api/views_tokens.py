"""The tenant page "API tokens": every staff member creates (secret shown once), lists and
revokes their own tokens for this tenant."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.api.forms import TokenCreateForm
from lotse.api.models import ApiToken
from lotse.api.tokens import token_create, token_revoke
from lotse.core.http import post_data


def own_tokens(request: TenantRequest):  # type: ignore[no-untyped-def]
    ctx = request.access
    return ApiToken.objects.filter(user=ctx.user, tenant=ctx.tenant)


@tenant_view(Perm.DASHBOARD_VIEW)
@require_GET
def token_list(request: TenantRequest, tenant: str) -> HttpResponse:
    return render(request, "api/token_list.html", {"tokens": list(own_tokens(request)[:200])})


@tenant_view(Perm.DASHBOARD_VIEW)
@require_http_methods(["GET", "POST"])
def token_new(request: TenantRequest, tenant: str) -> HttpResponse:
    """Create a token; the answer to the POST is the only place the secret ever appears."""
    ctx = request.access
    form = TokenCreateForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            issued = token_create(
                actor=request.user,
                membership=ctx.membership,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(request, "api/token_created.html", {"issued": issued})
    return render(request, "api/token_form.html", {"form": form})


@tenant_view(Perm.DASHBOARD_VIEW)
@require_http_methods(["GET", "POST"])
def token_revoke_view(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    token = own_tokens(request).filter(pk=pk).first()
    if token is None:
        raise Http404
    if request.method == "POST" and request.POST.get("confirm") == "1":
        token_revoke(token, actor=request.user)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("api_tokens:list", tenant=tenant)
    return render(request, "api/token_revoke.html", {"token": token})
