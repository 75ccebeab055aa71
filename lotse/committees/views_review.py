"""Quality circle: the picks of a meeting, picking and removing (coordinators), and the
pseudonymised summary the circle reviews. Reads and writes live in :mod:`lotse.committees.review`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.committees import review as reviews
from lotse.committees.forms_review import ReviewPickForm, ReviewRemoveForm
from lotse.committees.models import Meeting


def _list_page(request: TenantRequest, meeting: Meeting, form: ReviewPickForm | None) -> HttpResponse:
    ctx = request.access
    can_manage = ctx.has(Perm.STEERING_MANAGE)
    context = {
        "meeting": meeting,
        "rows": reviews.review_rows(ctx, meeting),
        "can_manage": can_manage,
        "form": (form or ReviewPickForm()) if can_manage else None,
    }
    return render(request, "committees/review_list.html", context)


def _to_list(request: TenantRequest, meeting: Meeting) -> HttpResponse:
    return redirect("committees:review_list", tenant=request.access.tenant.slug, pk=meeting.pk)


@tenant_view(Perm.COMMITTEE_VIEW)
@require_GET
def review_list(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Seat holders of the circle and coordinators; anyone else gets 404."""
    meeting = reviews.review_meeting(request.access, pk)
    return _list_page(request, meeting, None)


@tenant_view(Perm.STEERING_MANAGE)
@require_POST
def review_add(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    meeting = reviews.review_meeting(ctx, pk)
    form = ReviewPickForm(request.POST)
    if form.is_valid():
        try:
            review = reviews.review_case_add(
                ctx, meeting=meeting, number=form.cleaned_data["number"], actor=request.user
            )
        except ValidationError as exc:
            form.add_error("number", exc)
        else:
            messages.success(request, _("The case was picked as “Case %(label)s”.") % {"label": review.label})
            return _to_list(request, meeting)
    return _list_page(request, meeting, form)


@tenant_view(Perm.COMMITTEE_VIEW)
@require_GET
def review_case(request: TenantRequest, tenant: str, pk: int, review: int) -> HttpResponse:
    """The pseudonymised summary; every display is audited."""
    ctx = request.access
    meeting = reviews.review_meeting(ctx, pk)
    summary = reviews.review_case_read(ctx, meeting=meeting, pk=review, actor=request.user)
    context = {"meeting": meeting, "summary": summary}
    return render(request, "committees/review_case.html", context)


@tenant_view(Perm.STEERING_MANAGE)
@require_POST
def review_remove(request: TenantRequest, tenant: str, pk: int, review: int) -> HttpResponse:
    ctx = request.access
    meeting = reviews.review_meeting(ctx, pk)
    pick = reviews.review_get(ctx, meeting, review)
    if not ReviewRemoveForm(request.POST).is_valid():
        messages.error(
            request,
            _("Tick “Confirm” next to “Case %(label)s” to remove it. Nothing was removed.") % {"label": pick.label},
        )
        return _to_list(request, meeting)
    try:
        reviews.review_case_remove(ctx, review=pick, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("“Case %(label)s” was removed from this meeting.") % {"label": pick.label})
    return _to_list(request, meeting)
