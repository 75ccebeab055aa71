"""The case itself: work list, intake, overview, details, handover, closure, reopening, and the
coordinator's assignment and caseload."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.cases import selectors
from lotse.cases.forms import (
    AssignForm,
    CaseCreateForm,
    CaseEditForm,
    CaseFilterForm,
    ClosureDecisionForm,
    ClosureForm,
    HandoverForm,
    VersionOnlyForm,
)
from lotse.cases.models import Case, CaseStatus, Goal, GoalStatus
from lotse.cases.services import cases as services
from lotse.cases.services.cases import CASE_DETAIL_FIELDS, case_settings
from lotse.cases.views.base import form_page, load_case, render_case, require_case_reader, require_work
from lotse.core.http import post_data
from lotse.core.versioning import StaleObjectError
from lotse.transfer.links import export_url
from lotse.ui.conflict import submit
from lotse.ui.htmx import render_list

LIST_FILTERS = ("q", "status", "provider", "case_manager")  # the export link carries them


@tenant_view()
@require_GET
def case_list(request: TenantRequest, tenant: str) -> HttpResponse:
    """Case managers: own and substituted cases, due dates first. Coordinators: every case of
    the tenant, pseudonymised, with filters by provider and case manager."""
    require_case_reader(request)
    ctx = request.access
    oversight = ctx.has(Perm.CASE_OVERSIGHT)
    form = CaseFilterForm(request.GET or None, tenant=ctx.tenant, oversight=oversight)
    page = Paginator(selectors.case_list(ctx, **form.filters(default_status="active")), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "oversight": oversight,
        "today": timezone.localdate(),
        "export_url": export_url(
            "transfer:export_cases", ctx.tenant.slug, request.GET, LIST_FILTERS, defaults={"status": "active"}
        ),
    }
    return render_list(request, "cases/case_list.html", "cases/partials/case_results.html", context)


@tenant_view()
@require_http_methods(["GET", "POST"])
def case_create(request: TenantRequest, tenant: str) -> HttpResponse:
    """Intake (Erstkontakt): an anonymous case with number and pseudonym. Case managers open
    it for themselves; coordinators for a provider, assigned now or later."""
    require_case_reader(request)
    ctx = request.access
    own = ctx.has(Perm.CASE_WORK)
    provider = ctx.membership.provider if own else None
    form = CaseCreateForm(post_data(request), tenant=ctx.tenant, provider=provider)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_open(
                actor=request.user,
                tenant=ctx.tenant,
                case_manager_id=request.user.pk if own else (data["case_manager"].pk if data["case_manager"] else None),
                provider=provider or data["provider"],
                **{k: data[k] for k in (*CASE_DETAIL_FIELDS, "opened_on")},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect("cases:detail", tenant=tenant, pk=case.pk)
    return render(request, "cases/case_create.html", {"form": form})


@tenant_view()
@require_GET
def case_detail(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """The case overview: details, household, open goals with steps, open follow-ups, recent
    contacts. A fixed number of queries whatever the size of the case."""
    require_case_reader(request)
    access = load_case(request, pk, select_related=("intake_agency", "closed_by", "closure_requested_by"))
    case = access.case
    goals = list(case.goals.filter(status=GoalStatus.OPEN).prefetch_related("steps"))
    context = {
        "household": list(case.household.all()),
        "goals": goals,
        "follow_ups": list(case.follow_ups.filter(done_on__isnull=True)[:20]),
        "contacts": list(case.contacts.all()[:5]),
        "today": timezone.localdate(),
    }
    if access.as_substitute:
        _audit_substitute_access(request, case)
    return render_case(request, "cases/case_detail.html", access, "overview", context)


def _audit_substitute_access(request: TenantRequest, case: Any) -> None:
    """A substitute's opening of a case is logged once per session and case."""
    from lotse.audit.services import audit_record

    seen = request.session.setdefault("lotse_substitute_seen", [])
    if case.pk not in seen:
        audit_record(action="substitution.case_accessed", actor=request.user, tenant_id=case.tenant_id, obj=case)
        seen.append(case.pk)
        request.session.modified = True


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def case_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    access = load_case(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    case = access.case
    initial = {name: getattr(case, name) for name in CASE_DETAIL_FIELDS} | {"version": case.version}
    form = CaseEditForm(post_data(request), initial=initial, tenant=case.tenant, provider=case.provider)
    result = submit(
        request,
        form,
        lambda data: services.case_update(
            case,
            actor=request.user,
            expected_version=data["version"],
            **{k: data[k] for k in CASE_DETAIL_FIELDS},
        ),
    )
    if result.saved:
        messages.success(request, _("Case details saved."))
        return redirect("cases:detail", tenant=tenant, pk=pk)
    return form_page(
        request,
        access,
        "overview",
        form,
        heading=_("Edit case details"),
        submit_label=_("Save"),
        conflict=result.conflict,
    )


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def case_handover(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    access = load_case(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    case = access.case
    form = HandoverForm(
        post_data(request), initial={"version": case.version}, tenant=case.tenant, current_user_id=case.case_manager_id
    )
    result = submit(
        request,
        form,
        lambda data: services.case_handover(
            case,
            actor=request.user,
            kind=data["kind"],
            reason=data["reason"],
            expected_version=data["version"],
            to_user_id=data["to_user"].pk if data["kind"] == "case_manager" and data["to_user"] else None,
            to_provider=data["to_provider"] if data["kind"] == "provider" else None,
            to_agency=data["to_agency"] if data["kind"] == "agency" else None,
            handed_on=data["handed_on"],
        ),
    )
    if result.saved:
        messages.success(request, _("The case was handed over."))
        if Case.objects.filter(pk=pk, case_manager=request.user, status=CaseStatus.OPEN).exists():
            return redirect("cases:detail", tenant=tenant, pk=pk)
        return redirect("cases:list", tenant=tenant)
    conflict = result.conflict
    return form_page(
        request,
        access,
        "overview",
        form,
        heading=_("Hand over the case"),
        intro=_(
            "Hand the case to another case manager, to another provider (its coordination assigns it) or to an "
            "agency with its own case management (SGB II, III, VIII) – the KIM case then closes."
        ),
        submit_label=_("Hand over"),
        conflict=conflict,
    )


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def case_close(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Abschluss with reason and the outcome of every open goal; with the tenant's approval
    rule it waits for the coordinator."""
    access = load_case(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    case = access.case
    open_goals = list(Goal.objects.filter(case=case, status=GoalStatus.OPEN))
    form = ClosureForm(post_data(request), initial={"version": case.version}, open_goals=open_goals)
    result = submit(
        request,
        form,
        lambda data: services.closure_request(
            case,
            actor=request.user,
            reason=data["reason"],
            note=data["note"],
            goal_outcomes=form.goal_outcomes(),
            expected_version=data["version"],
        ),
    )
    if result.saved:
        if case.status == CaseStatus.CLOSURE_REQUESTED:
            messages.success(request, _("Closure requested. The KIM coordination decides on it."))
        else:
            messages.success(request, _("The case is closed."))
        return redirect("cases:detail", tenant=tenant, pk=pk)
    if case_settings(case.tenant).closure_requires_approval:
        intro = _("The KIM coordination approves closures in this tenant; the case stays read-only until then.")
    else:
        intro = _("After closing, the case is read-only. It can be reopened; the reopening is logged.")
    return form_page(
        request,
        access,
        "overview",
        form,
        heading=_("Close the case"),
        intro=intro,
        submit_label=_("Close the case"),
        conflict=result.conflict,
    )


@tenant_view(Perm.CASE_OVERSIGHT)
@require_http_methods(["GET", "POST"])
def closure_decision(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Fachaufsicht: approve a requested closure or return the case."""
    access = load_case(request, pk)
    case = access.case
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        messages.info(request, _("No closure of this case is waiting for a decision."))
        return redirect("cases:detail", tenant=tenant, pk=pk)
    form = ClosureDecisionForm(post_data(request), initial={"version": case.version})
    result = submit(
        request,
        form,
        lambda data: services.closure_decide(
            case, actor=request.user, approve=data["decision"] == "approve", expected_version=data["version"]
        ),
    )
    if result.saved:
        approved = form.cleaned_data["decision"] == "approve"
        messages.success(request, _("Closure approved.") if approved else _("The case was returned."))
        return redirect("cases:detail", tenant=tenant, pk=pk)
    return form_page(
        request,
        access,
        "overview",
        form,
        heading=_("Decide on the closure"),
        submit_label=_("Save decision"),
        conflict=result.conflict,
        goals=list(case.goals.all()),
        aside="cases/partials/closure_summary.html",
    )


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def case_reopen(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    access = load_case(request, pk)
    case = access.case
    form = VersionOnlyForm(post_data(request), initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(case, actor=request.user, expected_version=form.cleaned_data["version"])
        except StaleObjectError:
            messages.warning(request, _("The case was changed meanwhile. Check it and try again."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The case is open again. The reopening is logged."))
            return redirect("cases:detail", tenant=tenant, pk=pk)
    return form_page(
        request,
        access,
        "overview",
        form,
        heading=_("Reopen the case"),
        intro=_("The case opens again for its case manager. The reopening is logged."),
        submit_label=_("Reopen"),
    )


@tenant_view(Perm.CASE_OVERSIGHT)
@require_http_methods(["GET", "POST"])
def case_assign(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Einsatzmanagement: the coordinator gives a case to a case manager."""
    access = load_case(request, pk)
    case = access.case
    form = AssignForm(
        post_data(request),
        initial={"version": case.version, "case_manager": case.case_manager_id},
        tenant=case.tenant,
    )
    result = submit(
        request,
        form,
        lambda data: services.case_assign(
            case, actor=request.user, case_manager_id=data["case_manager"].pk, expected_version=data["version"]
        ),
    )
    if result.saved:
        messages.success(request, _("The case was assigned."))
        return redirect("cases:detail", tenant=tenant, pk=pk)
    return form_page(
        request,
        access,
        "overview",
        form,
        heading=_("Assign the case"),
        submit_label=_("Assign"),
        conflict=result.conflict,
    )


@tenant_view(Perm.CASE_OVERSIGHT)
@require_GET
def caseload(request: TenantRequest, tenant: str) -> HttpResponse:
    return render(request, "cases/caseload.html", {"rows": selectors.caseload(request.access)})
