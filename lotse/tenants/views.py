"""Tenant administration in the Lotse UI: staff (accounts and roles), providers, locations
and municipalities. Views are thin: forms validate, services write, selectors read."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.access import policy
from lotse.access.decorators import authenticated, tenant_view
from lotse.access.http import LotseRequest, TenantRequest
from lotse.access.permissions import Perm
from lotse.accounts import services as account_services
from lotse.core.http import post_data
from lotse.core.versioning import StaleObjectError, VersionedModel
from lotse.tenants import selectors, services
from lotse.tenants.forms import (
    LocationForm,
    MunicipalityForm,
    ProviderForm,
    StaffAddExistingForm,
    StaffCreateForm,
    StaffEditForm,
    StaffFilterForm,
)
from lotse.tenants.models import Location, Membership, Municipality, Provider
from lotse.ui.conflict import conflict_rows
from lotse.ui.htmx import render_list

# --- Staff ----------------------------------------------------------------------------------


@tenant_view(Perm.STAFF_VIEW)
@require_GET
def staff_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = StaffFilterForm(request.GET or None, tenant=ctx.tenant, providers=selectors.provider_list(ctx))
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "query": data["q"],
            "role": data["role"],
            "provider_id": data["provider"].pk if data["provider"] else None,
            "status": data["status"] or "active",
        }
    page = Paginator(selectors.staff_list(ctx, **filters), 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "can_manage": ctx.has(Perm.STAFF_MANAGE)}
    return render_list(request, "tenants/staff_list.html", "tenants/partials/staff_results.html", context)


@tenant_view(Perm.STAFF_MANAGE)
@require_http_methods(["GET", "POST"])
def staff_create(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = StaffCreateForm(post_data(request), tenant=ctx.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            membership, password = services.staff_create(actor=request.user, tenant=ctx.tenant, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return render(
                request,
                "tenants/staff_password.html",
                {"membership": membership, "password": password, "created": True},
            )
    return render(request, "tenants/staff_form.html", {"form": form, "creating": True})


@tenant_view(Perm.STAFF_MANAGE)
@require_http_methods(["GET", "POST"])
def staff_add_existing(request: TenantRequest, tenant: str) -> HttpResponse:
    """A person who already works in another tenant gets a role here (one account, several
    memberships); their password and authenticator stay as they are."""
    ctx = request.access
    form = StaffAddExistingForm(post_data(request), tenant=ctx.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.staff_add_existing(actor=request.user, tenant=ctx.tenant, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The person now has a role in this tenant."))
            return redirect("tenants:staff_detail", tenant=tenant, pk=membership.pk)
    return render(request, "tenants/staff_add_existing.html", {"form": form})


@tenant_view(Perm.STAFF_VIEW)
@require_GET
def staff_detail(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    membership = selectors.membership_get(ctx, pk)
    context = {
        "membership": membership,
        "account": membership.user,
        "has_authenticator": membership.user.totp_device_confirmed(),
        "can_manage_membership": policy.can_manage_membership(ctx, membership),
        "can_manage_account": policy.can_manage_account(ctx, membership.user),
    }
    return render(request, "tenants/staff_detail.html", context)


@tenant_view(Perm.STAFF_MANAGE)
@require_http_methods(["GET", "POST"])
def staff_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    membership = selectors.membership_get(ctx, pk)
    if not policy.can_manage_membership(ctx, membership):
        raise PermissionDenied
    user = membership.user
    initial = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": membership.role,
        "provider": membership.provider,
        "version": membership.version,
        "user_version": user.version,
    }
    account_editable = policy.can_manage_account(ctx, user)
    form = StaffEditForm(post_data(request), initial=initial, tenant=ctx.tenant, account_editable=account_editable)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = (
            services.AccountDetails(data["first_name"], data["last_name"], data["email"]) if account_editable else None
        )
        try:
            services.staff_update(
                actor=request.user,
                membership=membership,
                expected_version=data["version"],
                user_version=data["user_version"],
                role=data["role"],
                provider=data["provider"],
                account=account,
            )
        except StaleObjectError as exc:
            fresh = selectors.membership_get(ctx, pk)
            conflict = conflict_rows(request, form, exc, {"version": fresh.version, "user_version": fresh.user.version})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("tenants:staff_detail", tenant=tenant, pk=pk)
    context = {"form": form, "membership": membership, "conflict": conflict, "account_editable": account_editable}
    return render(request, "tenants/staff_form.html", context)


StaffAction = Callable[[TenantRequest, Any, Membership], HttpResponse]


def _staff_action(
    *, account_level: bool, title: Any, question: Any, button: Any
) -> Callable[[StaffAction], Callable[..., HttpResponse]]:
    """GET shows a confirmation page; POST performs the action. Works without JavaScript."""

    def decorate(perform: StaffAction) -> Callable[..., HttpResponse]:
        @tenant_view(Perm.STAFF_MANAGE)
        @require_http_methods(["GET", "POST"])
        def view(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
            ctx = request.access
            membership = selectors.membership_get(ctx, pk)
            allowed = (
                policy.can_manage_account(ctx, membership.user)
                if account_level
                else policy.can_manage_membership(ctx, membership)
            )
            if not allowed:
                raise PermissionDenied
            if request.method == "POST":
                return perform(request, ctx, membership)
            context = {"membership": membership, "title": title, "question": question, "button": button}
            return render(request, "tenants/staff_confirm.html", context)

        view.__name__ = perform.__name__
        view.__doc__ = perform.__doc__
        return view

    return decorate


@_staff_action(
    account_level=True,
    title=gettext_lazy("Reset password"),
    question=gettext_lazy(
        "The account gets a new temporary password; all its sessions end and its API tokens are revoked."
    ),
    button=gettext_lazy("Reset password"),
)
def staff_password_reset(request: TenantRequest, ctx: Any, membership: Membership) -> HttpResponse:
    password = account_services.account_password_reset(actor=request.user, user=membership.user)
    return render(request, "tenants/staff_password.html", {"membership": membership, "password": password})


@_staff_action(
    account_level=True,
    title=gettext_lazy("Reset authenticator"),
    question=gettext_lazy(
        "The person gets a new temporary password and sets up the authenticator app again at the next "
        "sign-in. All sessions end and its API tokens are revoked."
    ),
    button=gettext_lazy("Reset authenticator"),
)
def staff_totp_reset(request: TenantRequest, ctx: Any, membership: Membership) -> HttpResponse:
    password = account_services.account_totp_reset(actor=request.user, user=membership.user)
    return render(
        request, "tenants/staff_password.html", {"membership": membership, "password": password, "totp_reset": True}
    )


@_staff_action(
    account_level=True,
    title=gettext_lazy("Deactivate account"),
    question=gettext_lazy("The person can no longer sign in anywhere; all sessions end at once."),
    button=gettext_lazy("Deactivate account"),
)
def staff_deactivate(request: TenantRequest, ctx: Any, membership: Membership) -> HttpResponse:
    account_services.account_set_active(actor=request.user, user=membership.user, active=False)
    messages.success(request, _("The account was deactivated."))
    return redirect("tenants:staff_detail", tenant=ctx.tenant.slug, pk=membership.pk)


@_staff_action(
    account_level=True,
    title=gettext_lazy("Reactivate account"),
    question=gettext_lazy("The person can sign in again with the current password."),
    button=gettext_lazy("Reactivate account"),
)
def staff_reactivate(request: TenantRequest, ctx: Any, membership: Membership) -> HttpResponse:
    account_services.account_set_active(actor=request.user, user=membership.user, active=True)
    messages.success(request, _("The account was reactivated."))
    return redirect("tenants:staff_detail", tenant=ctx.tenant.slug, pk=membership.pk)


@_staff_action(
    account_level=False,
    title=gettext_lazy("End membership"),
    question=gettext_lazy("The person loses access to this tenant at once. The account stays for other tenants."),
    button=gettext_lazy("End membership"),
)
def staff_membership_end(request: TenantRequest, ctx: Any, membership: Membership) -> HttpResponse:
    services.membership_set_active(actor=request.user, membership=membership, active=False)
    messages.success(request, _("The membership was ended."))
    return redirect("tenants:staff_detail", tenant=ctx.tenant.slug, pk=membership.pk)


@_staff_action(
    account_level=False,
    title=gettext_lazy("Restore membership"),
    question=gettext_lazy("The person gets access to this tenant again with the same role."),
    button=gettext_lazy("Restore membership"),
)
def staff_membership_restore(request: TenantRequest, ctx: Any, membership: Membership) -> HttpResponse:
    services.membership_set_active(actor=request.user, membership=membership, active=True)
    messages.success(request, _("The membership was restored."))
    return redirect("tenants:staff_detail", tenant=ctx.tenant.slug, pk=membership.pk)


# --- Providers, locations, municipalities -------------------------------------------------------


@dataclass(frozen=True)
class StructureKind:
    """What differs between the provider, location and municipality pages."""

    model: type[VersionedModel]
    form: type
    list_template: str
    list_url: str
    items: Callable[[Any], Any]
    get: Callable[[Any, int], Any]
    new_title: Any
    edit_title: Any


def _structure_views(kind: StructureKind) -> tuple[Callable[..., HttpResponse], ...]:
    """List (readers), create and edit (tenant admins) for one kind of tenant structure."""

    def form_page(request: TenantRequest, obj: Any) -> HttpResponse:
        ctx = request.access
        initial = {"version": obj.version} if obj is not None else None
        # the form gets a copy: ModelForm validation writes into its instance
        form = kind.form(post_data(request), instance=copy.copy(obj), initial=initial, tenant=ctx.tenant)
        conflict = None
        if request.method == "POST" and form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form._meta.fields}
            try:
                if obj is None:
                    services.structure_create(kind.model, actor=request.user, tenant=ctx.tenant, **fields)
                else:
                    version = form.cleaned_data.get("version") or 0
                    services.structure_update(obj, actor=request.user, expected_version=version, **fields)
            except StaleObjectError as exc:
                conflict = conflict_rows(request, form, exc, {"version": exc.current.version})
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect(kind.list_url, tenant=ctx.tenant.slug)
        title = kind.new_title if obj is None else kind.edit_title
        context = {"form": form, "object": obj, "conflict": conflict, "title": title, "list_url": kind.list_url}
        return render(request, "tenants/structure_form.html", context)

    @tenant_view(Perm.STRUCTURE_VIEW)
    @require_GET
    def list_view(request: TenantRequest, tenant: str) -> HttpResponse:
        ctx = request.access
        context = {"items": kind.items(ctx), "can_manage": ctx.has(Perm.STRUCTURE_MANAGE)}
        return render(request, kind.list_template, context)

    @tenant_view(Perm.STRUCTURE_MANAGE)
    @require_http_methods(["GET", "POST"])
    def create_view(request: TenantRequest, tenant: str) -> HttpResponse:
        return form_page(request, None)

    @tenant_view(Perm.STRUCTURE_MANAGE)
    @require_http_methods(["GET", "POST"])
    def edit_view(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
        return form_page(request, kind.get(request.access, pk))

    return list_view, create_view, edit_view


provider_list, provider_create, provider_edit = _structure_views(
    StructureKind(
        model=Provider,
        form=ProviderForm,
        list_template="tenants/provider_list.html",
        list_url="tenants:provider_list",
        items=selectors.provider_list,
        get=selectors.provider_get,
        new_title=gettext_lazy("New provider"),
        edit_title=gettext_lazy("Edit provider"),
    )
)
location_list, location_create, location_edit = _structure_views(
    StructureKind(
        model=Location,
        form=LocationForm,
        list_template="tenants/location_list.html",
        list_url="tenants:location_list",
        items=selectors.location_list,
        get=selectors.location_get,
        new_title=gettext_lazy("New location"),
        edit_title=gettext_lazy("Edit location"),
    )
)
municipality_list, municipality_create, municipality_edit = _structure_views(
    StructureKind(
        model=Municipality,
        form=MunicipalityForm,
        list_template="tenants/municipality_list.html",
        list_url="tenants:municipality_list",
        items=selectors.municipality_list,
        get=selectors.municipality_get,
        new_title=gettext_lazy("New municipality"),
        edit_title=gettext_lazy("Edit municipality"),
    )
)


# --- Invitations (answered by the invited person, outside any tenant) ----------------------------


def _answer_invitation(request: LotseRequest, pk: int, *, accept: bool) -> HttpResponse:
    membership = selectors.invitation_get(request.user, pk)
    try:
        services.invitation_answer(user=request.user, membership=membership, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("ui:tenant_select")
    if accept:
        messages.success(request, _("You now work in %(tenant)s as well.") % {"tenant": membership.tenant.name})
        return redirect("ui:dashboard", tenant=membership.tenant.slug)
    messages.info(request, _("You declined the invitation of %(tenant)s.") % {"tenant": membership.tenant.name})
    return redirect("ui:tenant_select")


@authenticated()
@require_POST
def invitation_accept(request: LotseRequest, pk: int) -> HttpResponse:
    return _answer_invitation(request, pk, accept=True)


@authenticated()
@require_POST
def invitation_decline(request: LotseRequest, pk: int) -> HttpResponse:
    return _answer_invitation(request, pk, accept=False)
