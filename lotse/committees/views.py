"""Committee work (Gremienarbeit): bodies with their seats, meetings with attendance and agenda,
decisions and votes, tasks, and the minutes as PDF.

Coordinators keep everything (``STEERING_MANAGE``); seat holders (``COMMITTEE_VIEW``) read the
bodies in which they hold a seat. Every read starts from the access layer's scopes
(:mod:`lotse.committees.selectors`), so an object outside them is 404. Views are thin: forms
validate, services write."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.committees import selectors, services
from lotse.committees.forms import (
    AttendanceForm,
    BodyForm,
    ItemForm,
    MeetingEditForm,
    MeetingForm,
    MemberForm,
    TaskForm,
)
from lotse.committees.minutes import minutes_filename, minutes_pdf
from lotse.committees.models import AgendaPart, BodyKind, Meeting
from lotse.core.http import post_data
from lotse.core.versioning import StaleObjectError
from lotse.ui.conflict import Submission, submit

FORM_TEMPLATE = "committees/form.html"


def _url(request: TenantRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"committees:{name}", kwargs={"tenant": request.access.tenant.slug, **kwargs})


def _readable(exc: StaleObjectError, form: forms.BaseForm) -> StaleObjectError:
    """Show the values of a conflict as the editor knows them: labels, not codes."""

    def show(name: str, value: Any) -> Any:
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime.date):
            return value.strftime("%d.%m.%Y")
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        field = form.fields.get(name)
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            labels = {str(key): label for key, label in field.choices}  # type: ignore[union-attr,misc]
            return labels.get(str(value), value)
        return value

    exc.changed = {name: (show(name, mine), show(name, theirs)) for name, (mine, theirs) in exc.changed.items()}
    return exc


def _submit(request: TenantRequest, form: forms.BaseForm, action: Callable[[], Any]) -> Submission:
    """The shared :func:`lotse.ui.conflict.submit` with this app's conflict labels."""
    return submit(request, form, lambda _data: action(), readable=lambda exc: _readable(exc, form))


def _form_page(
    request: TenantRequest,
    form: forms.BaseForm,
    *,
    heading: str,
    submit_label: str,
    cancel_url: str,
    conflict: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "heading": heading,
        "submit_label": submit_label,
        "cancel_url": cancel_url,
        "conflict": conflict,
        **extra,
    }
    return render(request, FORM_TEMPLATE, context)


def _meeting_line(meeting: Meeting) -> str:
    return _("Meeting no. %(number)s – %(name)s") % {"number": meeting.number, "name": meeting.body.name}


def _version(form: forms.BaseForm) -> int:
    return form.cleaned_data.get("version") or 0


# --- Bodies ---------------------------------------------------------------------------------


@tenant_view(Perm.COMMITTEE_VIEW)
@require_GET
def body_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    context = {
        "bodies": list(selectors.body_list(ctx)),
        "can_manage": ctx.has(Perm.STEERING_MANAGE),
        "today": timezone.localdate(),
    }
    return render(request, "committees/body_list.html", context)


def _body_form_page(request: TenantRequest, body: Any) -> HttpResponse:
    ctx = request.access
    initial = {"version": body.version} if body is not None else None
    # the form gets a copy: ModelForm validation writes into its instance
    form = BodyForm(post_data(request), instance=copy.copy(body), initial=initial)

    def save() -> Any:
        fields = form.service_fields()  # type: ignore[attr-defined]
        if body is None:
            return services.body_create(actor=request.user, tenant=ctx.tenant, **fields)
        return services.body_update(body, actor=request.user, expected_version=_version(form), **fields)

    done = _submit(request, form, save)
    if done.saved:
        messages.success(request, _("The changes were saved."))
        return redirect(_url(request, "body_detail", pk=done.result.pk))
    cancel = _url(request, "body_detail", pk=body.pk) if body else _url(request, "body_list")
    return _form_page(
        request,
        form,
        heading=_("Edit body") if body else _("New body"),
        submit_label=_("Save"),
        cancel_url=cancel,
        conflict=done.conflict,
    )


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def body_create(request: TenantRequest, tenant: str) -> HttpResponse:
    return _body_form_page(request, None)


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def body_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    return _body_form_page(request, selectors.body_get(request.access, pk))


@tenant_view(Perm.COMMITTEE_VIEW)
@require_GET
def body_detail(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    body = selectors.body_get(ctx, pk)
    detail = selectors.body_detail(ctx, body)
    context = {
        "body": body,
        "detail": detail,
        "can_manage": ctx.has(Perm.STEERING_MANAGE),
        "show_themes": ctx.has(Perm.THEME_VIEW),
    }
    return render(request, "committees/body_detail.html", context)


# --- Seats ----------------------------------------------------------------------------------


def _member_form_page(request: TenantRequest, body: Any, member: Any) -> HttpResponse:
    ctx = request.access
    initial = {"version": member.version} if member is not None else None
    accounts = selectors.seat_accounts(ctx, member.membership if member else None)
    form = MemberForm(post_data(request), instance=copy.copy(member), initial=initial, accounts=accounts)

    def save() -> Any:
        fields = form.service_fields()
        if member is None:
            return services.member_create(body, actor=request.user, **fields)
        return services.member_update(member, actor=request.user, expected_version=_version(form), **fields)

    done = _submit(request, form, save)
    if done.saved:
        messages.success(request, _("The changes were saved."))
        return redirect(_url(request, "body_detail", pk=body.pk))
    return _form_page(
        request,
        form,
        heading=_("Edit seat") if member else _("New seat"),
        submit_label=_("Save"),
        cancel_url=_url(request, "body_detail", pk=body.pk),
        conflict=done.conflict,
        context_line=body.name,
    )


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def member_create(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    body = selectors.body_get(request.access, pk)
    return _member_form_page(request, body, None)


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def member_edit(request: TenantRequest, tenant: str, pk: int, member: int) -> HttpResponse:
    body = selectors.body_get(request.access, pk)
    return _member_form_page(request, body, selectors.member_get(body, member))


# --- Meetings -------------------------------------------------------------------------------


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_create(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    body = selectors.body_get(request.access, pk)
    initial = {
        "number": services.next_meeting_number(body),
        "date": timezone.localdate(),
        "chair": selectors.chair_default(body),
        "minute_taker": selectors.minute_taker_default(body),
    }
    form = MeetingForm(post_data(request), initial=initial)

    def save() -> Any:
        return services.meeting_create(body, actor=request.user, **form.service_fields())

    done = _submit(request, form, save)
    if done.saved:
        messages.success(request, _("The meeting was created."))
        return redirect(_url(request, "meeting_detail", pk=done.result.pk))
    return _form_page(
        request,
        form,
        heading=_("New meeting"),
        submit_label=_("Save"),
        cancel_url=_url(request, "body_detail", pk=body.pk),
        context_line=body.name,
    )


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.access, pk)
    form = MeetingEditForm(post_data(request), instance=copy.copy(meeting), initial={"version": meeting.version})

    def save() -> Any:
        return services.meeting_update(
            meeting, actor=request.user, expected_version=_version(form), **form.service_fields()
        )

    done = _submit(request, form, save)
    if done.saved:
        messages.success(request, _("The changes were saved."))
        return redirect(_url(request, "meeting_detail", pk=meeting.pk))
    return _form_page(
        request,
        form,
        heading=_("Edit meeting"),
        submit_label=_("Save"),
        cancel_url=_url(request, "meeting_detail", pk=meeting.pk),
        conflict=done.conflict,
        context_line=_meeting_line(meeting),
    )


def _review_url(request: TenantRequest, meeting: Meeting) -> str | None:
    """The quality circle's review list of the meeting (lotse/committees/urls_review.py)."""
    if meeting.body.kind != BodyKind.QUALITY_CIRCLE:
        return None
    try:
        return _url(request, "review_list", pk=meeting.pk)
    except NoReverseMatch:
        return None


@tenant_view(Perm.COMMITTEE_VIEW)
@require_GET
def meeting_detail(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    meeting = selectors.meeting_get(ctx, pk)
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "detail": selectors.meeting_detail(ctx, meeting),
        "can_manage": ctx.has(Perm.STEERING_MANAGE),
        "review_url": _review_url(request, meeting),
    }
    return render(request, "committees/meeting_detail.html", context)


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def attendance(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """One row per seat of the meeting day; saved all or nothing."""
    meeting = selectors.meeting_get(request.access, pk)
    members = selectors.members_on(meeting)
    form = AttendanceForm(
        post_data(request), meeting=meeting, members=members, existing=selectors.attendance_of(meeting)
    )

    def save() -> Any:
        return services.attendance_record(
            meeting,
            actor=request.user,
            entries=form.entries,
            expected_version=form.cleaned_data.get("version") or meeting.version,
        )

    done = _submit(request, form, save)
    if done.saved:
        messages.success(request, _("The attendance was saved."))
        return redirect(_url(request, "meeting_detail", pk=meeting.pk))
    context = {"form": form, "meeting": meeting, "body": meeting.body}
    return render(request, "committees/attendance_form.html", context)


@tenant_view(Perm.COMMITTEE_VIEW)
@require_GET
def minutes_download(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """The minutes as PDF (German, an attachment); every print is audited."""
    meeting = selectors.meeting_get(request.access, pk)
    pdf = minutes_pdf(meeting, actor=request.user, show_themes=request.access.has(Perm.THEME_VIEW))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Length"] = str(len(pdf))
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=minutes_filename(meeting))
    return response


# --- Agenda items ---------------------------------------------------------------------------


def _item_form_page(request: TenantRequest, meeting: Meeting, item: Any) -> HttpResponse:
    ctx = request.access
    themes = selectors.themes_for_agenda(ctx, item.theme if item else None)
    if item is None:
        requested = request.GET.get("part", "")
        part = requested if requested in AgendaPart.values else AgendaPart.PUBLIC.value
        initial: dict[str, Any] = {"part": part, "number": services.next_item_number(meeting, part)}
    else:
        initial = {"version": item.version}
    form = ItemForm(post_data(request), instance=copy.copy(item), initial=initial, meeting=meeting, themes=themes)

    def save() -> Any:
        fields = form.service_fields()
        if item is None:
            return services.item_create(meeting, actor=request.user, **fields)
        return services.item_update(item, actor=request.user, expected_version=_version(form), **fields)

    done = _submit(request, form, save)
    if done.saved:
        messages.success(request, _("The agenda item was saved."))
        return redirect(_url(request, "meeting_detail", pk=meeting.pk))
    return _form_page(
        request,
        form,
        heading=_("Edit agenda item") if item else _("New agenda item"),
        submit_label=_("Save"),
        cancel_url=_url(request, "meeting_detail", pk=meeting.pk),
        conflict=done.conflict,
        context_line=_meeting_line(meeting),
    )


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def item_create(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    return _item_form_page(request, selectors.meeting_get(request.access, pk), None)


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def item_edit(request: TenantRequest, tenant: str, pk: int, item: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.access, pk)
    return _item_form_page(request, meeting, selectors.item_get(meeting, item))


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def item_delete(request: TenantRequest, tenant: str, pk: int, item: int) -> HttpResponse:
    """Confirm (GET), then delete (POST with ``confirm=1``; without it nothing is deleted)."""
    meeting = selectors.meeting_get(request.access, pk)
    agenda_item = selectors.item_get(meeting, item)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") == "1":
            services.item_delete(agenda_item, actor=request.user)
            messages.success(request, _("The agenda item was removed."))
            return redirect(_url(request, "meeting_detail", pk=meeting.pk))
        error = _("Tick the box to confirm that the agenda item and its tasks are to be removed.")
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "item": agenda_item,
        "task_count": agenda_item.tasks.count(),
        "error": error,
    }
    return render(request, "committees/item_delete.html", context)


# --- Tasks ----------------------------------------------------------------------------------


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def task_create(request: TenantRequest, tenant: str, pk: int, item: int) -> HttpResponse:
    meeting = selectors.meeting_get(request.access, pk)
    agenda_item = selectors.item_get(meeting, item)
    form = TaskForm(post_data(request))

    def save() -> Any:
        data = form.cleaned_data
        return services.task_create(
            agenda_item, actor=request.user, title=data["title"], owner=data["owner"], due_on=data["due_on"]
        )

    done = _submit(request, form, save)
    if done.saved:
        messages.success(request, _("The task was saved."))
        return redirect(_url(request, "meeting_detail", pk=meeting.pk))
    return _form_page(
        request,
        form,
        heading=_("New task from the decision"),
        submit_label=_("Save"),
        cancel_url=_url(request, "meeting_detail", pk=meeting.pk),
        context_line=f"{_meeting_line(meeting)}: {agenda_item}",
    )


@tenant_view(Perm.COMMITTEE_VIEW)
@require_GET
def task_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    context = {
        "tasks": list(selectors.open_tasks(ctx)[:500]),
        "can_manage": ctx.has(Perm.STEERING_MANAGE),
        "today": timezone.localdate(),
    }
    return render(request, "committees/task_list.html", context)


@tenant_view(Perm.STEERING_MANAGE)
@require_POST
def task_done(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    task = selectors.task_get(request.access, pk)
    try:
        services.task_done(task, actor=request.user)
    except (ValidationError, StaleObjectError):
        messages.info(request, _("This task was already marked done."))
    else:
        messages.success(request, _("The task “%(title)s” is done.") % {"title": task.title})
    return redirect(_url(request, "task_list"))
