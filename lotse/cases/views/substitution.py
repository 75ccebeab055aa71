"""Vertretung (seed 003 §3(3)): a case manager names substitutes (case managers of contracted
providers) and enters absences; while an absence runs the substitutes work the cases. Every
action here acts on the signed-in case manager as principal, never on another person.

Also the tenant admin's case settings (case number, re-assessment interval, closure approval)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.access.cases import substituted_principal_ids
from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.cases.forms_substitution import AbsenceForm, CaseSettingsForm, NominateForm, person_label
from lotse.cases.models import Absence, SubstituteNomination
from lotse.cases.services import substitution as services
from lotse.cases.services.cases import case_settings as load_case_settings
from lotse.cases.services.settings import SETTINGS_FIELDS, case_settings_update, next_number_preview
from lotse.core.http import post_data
from lotse.tenants.models import Membership, Role
from lotse.ui.conflict import submit

# --- Substitution ---------------------------------------------------------------------------


def _case_manager_memberships(request: TenantRequest, user_ids: set[int]) -> dict[int, Membership]:
    memberships = Membership.objects.filter(
        tenant=request.access.tenant,
        user_id__in=user_ids,
        role=Role.CASE_MANAGER,
        is_active=True,
        accepted_at__isnull=False,
    ).select_related("provider")
    return {m.user_id: m for m in memberships}


def _page(
    request: TenantRequest, *, nominate_form: NominateForm | None = None, absence_form: AbsenceForm | None = None
) -> HttpResponse:
    ctx = request.access
    me = request.user
    today = timezone.localdate()

    nominations = list(
        SubstituteNomination.objects.filter(tenant=ctx.tenant, principal=me)
        .select_related("substitute")
        .order_by("substitute__sort_name", "pk")
    )
    principals = list(
        SubstituteNomination.objects.filter(tenant=ctx.tenant, substitute=me)
        .select_related("principal")
        .order_by("principal__sort_name", "pk")
    )
    memberships = _case_manager_memberships(
        request, {n.substitute_id for n in nominations} | {n.principal_id for n in principals}
    )

    substitutes = []
    for nomination in nominations:
        membership = memberships.get(nomination.substitute_id)
        substitutes.append(
            {
                "nomination": nomination,
                "name": person_label(nomination.substitute),
                "provider": membership.provider if membership else None,
                # named earlier, but no longer an active case manager of a contracted provider
                "eligible": bool(
                    membership
                    and membership.provider
                    and membership.provider.is_contracted
                    and nomination.substitute.is_active
                ),
            }
        )

    absences = [
        {"absence": a, "running": a.starts_on <= today}
        for a in Absence.objects.filter(tenant=ctx.tenant, principal=me, ends_on__gte=today).order_by("starts_on")
    ]

    accessible = set(substituted_principal_ids(ctx, today))
    upcoming: dict[int, list[Absence]] = {}
    for absence in Absence.objects.filter(
        tenant=ctx.tenant, principal_id__in=[n.principal_id for n in principals], ends_on__gte=today
    ).order_by("starts_on"):
        upcoming.setdefault(absence.principal_id, []).append(absence)
    substituting = []
    for nomination in principals:
        periods = upcoming.get(nomination.principal_id, [])
        membership = memberships.get(nomination.principal_id)
        substituting.append(
            {
                "name": person_label(nomination.principal),
                "provider": membership.provider if membership else None,
                "current": next((a for a in periods if a.starts_on <= today), None),
                "next": next((a for a in periods if a.starts_on > today), None),
                "accessible": nomination.principal_id in accessible,
            }
        )

    if nominate_form is None:
        nominate_form = NominateForm(
            tenant=ctx.tenant, principal=me, named=frozenset(n.substitute_id for n in nominations)
        )
    context = {
        "substitutes": substitutes,
        "absences": absences,
        "substituting": substituting,
        "nominate_form": nominate_form,
        "absence_form": absence_form or AbsenceForm(),
        "today": today,
    }
    return render(request, "cases/substitution.html", context)


def _back(request: TenantRequest) -> HttpResponse:
    return redirect("cases:substitution", tenant=request.access.tenant.slug)


@tenant_view(Perm.CASE_WORK)
@require_GET
def substitution(request: TenantRequest, tenant: str) -> HttpResponse:
    """My substitutes, my absences, and the colleagues I substitute for."""
    return _page(request)


@tenant_view(Perm.CASE_WORK)
@require_POST
def substitution_nominate(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    named = frozenset(
        SubstituteNomination.objects.filter(tenant=ctx.tenant, principal=request.user).values_list(
            "substitute_id", flat=True
        )
    )
    form = NominateForm(request.POST, tenant=ctx.tenant, principal=request.user, named=named)
    if form.is_valid():
        try:
            nomination = services.nomination_add(
                tenant=ctx.tenant,
                actor=request.user,
                principal=request.user,
                substitute_id=form.cleaned_data["substitute"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now named as your substitute.") % {"name": person_label(nomination.substitute)},
            )
            return _back(request)
    return _page(request, nominate_form=form)


@tenant_view(Perm.CASE_WORK)
@require_POST
def substitution_remove(request: TenantRequest, tenant: str, nomination: int) -> HttpResponse:
    """Remove one of *my* substitutes; anyone else's nomination does not exist here (404)."""
    ctx = request.access
    row = (
        SubstituteNomination.objects.filter(tenant=ctx.tenant, principal=request.user, pk=nomination)
        .select_related("substitute")
        .first()
    )
    if row is None:
        raise Http404
    try:
        services.nomination_remove(tenant=ctx.tenant, actor=request.user, principal=request.user, nomination_id=row.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is no longer your substitute.") % {"name": person_label(row.substitute)})
    return _back(request)


@tenant_view(Perm.CASE_WORK)
@require_POST
def absence_add(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = AbsenceForm(request.POST)
    if form.is_valid():
        try:
            services.absence_add(
                tenant=ctx.tenant,
                actor=request.user,
                principal=request.user,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The absence was entered. Your substitutes work your cases during it."))
            return _back(request)
    return _page(request, absence_form=form)


@tenant_view(Perm.CASE_WORK)
@require_POST
def absence_end(request: TenantRequest, tenant: str, absence: int) -> HttpResponse:
    """Back early: a running absence ends yesterday, so substitutes lose access at once; a
    planned one is cancelled. Anyone else's absence does not exist here (404)."""
    ctx = request.access
    row = Absence.objects.filter(tenant=ctx.tenant, principal=request.user, pk=absence).first()
    if row is None:
        raise Http404
    today = timezone.localdate()
    if row.ends_on < today:
        messages.error(request, _("This absence is already over."))
        return _back(request)
    running = row.starts_on <= today
    # yesterday for a running absence; the day before the first day cancels a planned one
    ends_on = max(today - datetime.timedelta(days=1), row.starts_on - datetime.timedelta(days=1))
    try:
        services.absence_end(
            tenant=ctx.tenant, actor=request.user, principal=request.user, absence_id=row.pk, ends_on=ends_on
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if running:
            messages.success(
                request, _("Welcome back: the absence has ended and your substitutes no longer see your cases.")
            )
        else:
            messages.success(request, _("The planned absence was cancelled."))
    return _back(request)


# --- Case settings (tenant admin) -----------------------------------------------------------


@tenant_view(Perm.CASE_SETTINGS_MANAGE)
@require_http_methods(["GET", "POST"])
def case_settings(request: TenantRequest, tenant: str) -> HttpResponse:
    """The tenant's rules of case work. Cases already opened keep their numbers."""
    ctx = request.access
    settings_ = load_case_settings(ctx.tenant)
    initial: dict[str, Any] = {name: getattr(settings_, name) for name in SETTINGS_FIELDS}
    initial["version"] = settings_.version
    form = CaseSettingsForm(post_data(request), initial=initial)

    def save(data: dict[str, Any]) -> Any:
        return case_settings_update(
            settings_,
            actor=request.user,
            expected_version=data["version"],
            **{name: data[name] for name in SETTINGS_FIELDS},
        )

    done = submit(request, form, save)
    if done.saved:
        messages.success(request, _("The case settings were saved. New cases get numbers in the new format."))
        return redirect("cases:case_settings", tenant=tenant)
    conflict = done.conflict
    try:
        preview = next_number_preview(settings_)
    except ValidationError:
        preview = None
    context = {"form": form, "conflict": conflict, "preview": preview, "case_settings": settings_}
    return render(request, "cases/substitution_case_settings.html", context)
