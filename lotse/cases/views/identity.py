"""Anonymous counselling and identity: search before create, show (audited), record, change and
erase the identity; the household."""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.cases.forms import ConfirmForm, DuplicateCheckForm, HouseholdForm, IdentityForm
from lotse.cases.identity import FIELDS, IdentityData
from lotse.cases.services import identity as services
from lotse.cases.services import work
from lotse.cases.views.base import form_page, load_case, render_case, require_case_manager, require_work
from lotse.core.http import post_data
from lotse.core.versioning import StaleObjectError


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def duplicate_check(request: TenantRequest, tenant: str) -> HttpResponse:
    """Search before create: is the client known in this tenant already? A hit in another case
    manager's work names whom to ask, never the case."""
    form = DuplicateCheckForm(post_data(request))
    hits = None
    if request.method == "POST" and form.is_valid():
        hits = services.duplicate_check(request.access, **form.cleaned_data)
    return render(request, "cases/duplicate_check.html", {"form": form, "hits": hits})


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET"])
def identity_view(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """The identity, shown only on this page and only to the case manager of the case (or the
    substitute); every display writes ``identity.viewed`` to the audit log."""
    access = load_case(request, pk)
    require_case_manager(access)
    data = services.identity_read(access, actor=request.user)
    return render_case(
        request,
        "cases/identity.html",
        access,
        "identity",
        {"identity": data, "household": list(access.case.household.all())},
    )


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def identity_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Switch to named counselling on the client's wish, or correct the identity."""
    access = load_case(request, pk)
    require_case_manager(access)
    if (refused := require_work(request, access)) is not None:
        return refused
    case = access.case
    version = services.identity_version(case)
    initial: dict[str, object] = {"version": version}
    if request.method == "GET" and version:
        current = services.identity_read(access, actor=request.user)
        if current is not None:
            initial.update(dataclasses.asdict(current))
    form = IdentityForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.identity_record(
                case,
                actor=request.user,
                data=IdentityData(**{name: data[name] for name in FIELDS}),
                expected_version=data["version"],
            )
        except StaleObjectError:
            messages.warning(
                request,
                _(
                    "Someone changed the identity while you were editing. Your entries were not saved. "
                    "Open the identity again to see the current data, then repeat your change."
                ),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Identity saved. The case is now a named case."))
            return redirect("cases:identity", tenant=tenant, pk=pk)
    return form_page(
        request,
        access,
        "identity",
        form,
        heading=_("Client's identity"),
        intro=_(
            "Record the identity only on the client's wish. It is stored encrypted, apart from the case, and "
            "every display is logged."
        ),
        submit_label=_("Save identity"),
        cancel_url="cases:identity",
    )


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def identity_erase(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Back to anonymous counselling: the identity is deleted for good."""
    access = load_case(request, pk)
    require_case_manager(access)
    if (refused := require_work(request, access)) is not None:
        return refused
    if request.method == "POST":
        try:
            services.identity_erase(access.case, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The identity was erased. The case continues as anonymous counselling."))
        return redirect("cases:detail", tenant=tenant, pk=pk)
    return form_page(
        request,
        access,
        "identity",
        ConfirmForm(),
        heading=_("Back to anonymous counselling"),
        intro=_(
            "The client wishes to be counselled anonymously again. The identity (name, birth date, nationality, "
            "address, phone, e-mail) is deleted for good; the case continues under its number and pseudonym."
        ),
        submit_label=_("Erase identity"),
        danger=True,
        cancel_url="cases:identity",
    )


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def household(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    access = load_case(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    form = HouseholdForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            work.household_add(access.case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Household member added."))
            return redirect("cases:detail", tenant=tenant, pk=pk)
    return form_page(
        request,
        access,
        "overview",
        form,
        heading=_("Household"),
        submit_label=_("Add household member"),
        household=list(access.case.household.all()),
        aside="cases/partials/household_table.html",
    )


@tenant_view(Perm.CASE_WORK)
@require_POST
def household_remove(request: TenantRequest, tenant: str, pk: int, member: int) -> HttpResponse:
    access = load_case(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    try:
        work.household_remove(access.case, actor=request.user, member_id=member)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Household member removed."))
    return redirect("cases:household", tenant=tenant, pk=pk)
