"""Assessment with re-assessments side by side, and the goal agreement with its steps and the
bilingual plan for the client."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.audit.services import audit_record
from lotse.cases.domains import LifeDomain, NeedLevel
from lotse.cases.forms import AssessmentForm, GoalEditForm, GoalForm, PlanLanguageForm, StepForm
from lotse.cases.models import AssessmentEntry, Goal, GoalStep
from lotse.cases.services import work
from lotse.cases.views.base import form_page, load_case, render_case, require_case_reader, require_work
from lotse.core.http import post_data
from lotse.ui.conflict import submit

# Re-assessments shown side by side (the latest ones).
COMPARE_COLUMNS = 4


@tenant_view()
@require_GET
def assessment_list(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Every life domain as a row, the latest assessments as columns with the need level and
    its change against the assessment before; free texts for the case manager only."""
    require_case_reader(request)
    access = load_case(request, pk)
    assessments = list(access.case.assessments.order_by("-assessed_on", "-pk")[:COMPARE_COLUMNS])[::-1]
    entries = AssessmentEntry.objects.filter(assessment__in=assessments)
    by_key = {(e.assessment_id, e.domain): e for e in entries}
    labels = dict(NeedLevel.choices)
    rows = []
    for domain in LifeDomain:
        cells: list[dict[str, Any]] = []
        previous: int | None = None
        for assessment in assessments:
            entry = by_key.get((assessment.pk, domain.value))
            level = entry.need_level if entry else None
            change = None if level is None or previous is None else level - previous
            cells.append(
                {
                    "level": level,
                    "label": labels.get(level, "–") if level is not None else "–",
                    "change": change,
                    "situation": entry.situation if entry and access.identity else "",
                    "resources": entry.resources if entry and access.identity else "",
                }
            )
            previous = level if level is not None else previous
        first = next((c["level"] for c in cells if c["level"] is not None), None)
        last = next((c["level"] for c in reversed(cells) if c["level"] is not None), None)
        total = None if first is None or last is None or len(assessments) < 2 else last - first
        if any(c["level"] is not None for c in cells):
            rows.append({"domain": domain.label, "cells": cells, "total": total})
    return render_case(
        request, "cases/assessment_list.html", access, "assessment", {"assessments": assessments, "rows": rows}
    )


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def assessment_create(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """A new (re-)assessment, prefilled with the need levels of the latest one."""
    access = load_case(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    case = access.case
    latest = case.assessments.order_by("-assessed_on", "-pk").first()
    previous = {e.domain: e.need_level for e in latest.entries.all()} if latest else {}
    health_allowed = work.has_health_consent(case)
    form = AssessmentForm(post_data(request), health_allowed=health_allowed, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            work.assessment_create(
                case, actor=request.user, assessed_on=form.cleaned_data["assessed_on"], entries=form.entries()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Assessment saved. The next re-assessment is due on %(date)s.")
                % {"date": case.next_reassessment_on.strftime("%d.%m.%Y") if case.next_reassessment_on else "–"},
            )
            return redirect("cases:assessment_list", tenant=tenant, pk=pk)
    context = {"form": form, "health_allowed": health_allowed, "is_reassessment": latest is not None}
    return render_case(request, "cases/assessment_form.html", access, "assessment", context)


@tenant_view()
@require_GET
def goal_list(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    require_case_reader(request)
    access = load_case(request, pk)
    goals = list(access.case.goals.prefetch_related("steps"))
    context = {"goals": goals, "language_form": PlanLanguageForm(initial={"language": "ar"}), "step_form": StepForm()}
    return render_case(request, "cases/goal_list.html", access, "goals", context)


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def goal_create(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    access = load_case(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    form = GoalForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            work.goal_create(access.case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Goal agreed. Add the steps that lead to it."))
            return redirect("cases:goal_list", tenant=tenant, pk=pk)
    return form_page(
        request,
        access,
        "goals",
        form,
        heading=_("Agree a goal"),
        submit_label=_("Save goal"),
        cancel_url="cases:goal_list",
    )


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def goal_edit(request: TenantRequest, tenant: str, pk: int, goal: int) -> HttpResponse:
    access = load_case(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    obj = get_object_or_404(Goal, case=access.case, pk=goal)
    form = GoalEditForm(post_data(request), initial={"text": obj.text, "status": obj.status, "version": obj.version})
    result = submit(
        request,
        form,
        lambda data: work.goal_update(
            obj, actor=request.user, expected_version=data["version"], text=data["text"], status=data["status"]
        ),
    )
    if result.saved:
        messages.success(request, _("Goal saved."))
        return redirect("cases:goal_list", tenant=tenant, pk=pk)
    return form_page(
        request,
        access,
        "goals",
        form,
        heading=_("Edit goal"),
        submit_label=_("Save"),
        conflict=result.conflict,
        cancel_url="cases:goal_list",
    )


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def step_add(request: TenantRequest, tenant: str, pk: int, goal: int) -> HttpResponse:
    access = load_case(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    obj = get_object_or_404(Goal, case=access.case, pk=goal)
    form = StepForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            work.step_add(obj, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Step added."))
            return redirect("cases:goal_list", tenant=tenant, pk=pk)
    return form_page(
        request,
        access,
        "goals",
        form,
        heading=_("Add a step"),
        intro=obj.text,
        submit_label=_("Add step"),
        cancel_url="cases:goal_list",
    )


@tenant_view(Perm.CASE_WORK)
@require_POST
def step_done(request: TenantRequest, tenant: str, pk: int, step: int) -> HttpResponse:
    access = load_case(request, pk)
    if (refused := require_work(request, access)) is not None:
        return refused
    obj = get_object_or_404(GoalStep.objects.select_related("goal__case"), goal__case=access.case, pk=step)
    try:
        work.step_done(obj, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Step marked as done."))
    return redirect("cases:goal_list", tenant=tenant, pk=pk)


@tenant_view(Perm.CASE_WORK)
@require_GET
def goal_plan_pdf(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """The goal agreement for the client: German and the client's language side by side."""
    access = load_case(request, pk)
    if access.oversight:
        raise PermissionDenied
    from lotse.cases.goal_plan import goal_plan_pdf as render_plan

    form = PlanLanguageForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose the language of the plan."))
        return redirect("cases:goal_list", tenant=tenant, pk=pk)
    language = form.cleaned_data["language"]
    goals = list(access.case.goals.prefetch_related("steps"))
    pdf = render_plan(case=access.case, goals=goals, language=language)
    audit_record(
        action="goal.plan_printed",
        actor=request.user,
        tenant_id=access.case.tenant_id,
        obj=access.case,
        details={"language": language},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="Zielvereinbarung-{access.case.number}-{language}.pdf"'
    return response
