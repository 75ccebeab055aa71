"""Monitoring of a case: contacts, follow-ups (Wiedervorlagen), the case manager's due list with
re-assessment reminders, and the structural barriers (Hemmnisse) recorded from a case."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.access.cases import CaseAccess, cases_scope
from lotse.access.context import AccessContext
from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.cases.domains import domain_labels
from lotse.cases.forms_monitoring import BackForm, BarrierForm, ContactForm, FollowUpForm
from lotse.cases.models import Case, CaseStatus, Contact, FollowUp
from lotse.cases.services import work
from lotse.cases.views.base import load_case, render_case, require_work, validation_messages
from lotse.core.http import post_data

CONTACTS_PER_PAGE = 25
# The due list shows at most this many rows per section (a case manager's caseload is far
# smaller; the bound keeps the page cheap even when something went wrong).
DUE_SECTION_LIMIT = 200
REASSESSMENT_HORIZON_DAYS = 7

_BACK_URLS = {"contacts": "cases:contact_list", "detail": "cases:detail"}
_BACK_TARGETS = {*_BACK_URLS, "due"}


def _back(request: TenantRequest, case: Case, back: str | None) -> HttpResponse:
    """Where a follow-up form sends the user back to: a fixed choice, never a URL from the request."""
    slug = request.access.tenant.slug
    if back == "due":
        return redirect("cases:due_list", tenant=slug)
    return redirect(_BACK_URLS.get(back or "", "cases:contact_list"), tenant=slug, pk=case.pk)


# --- Contacts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactRow:
    contact: Contact
    topics: list[str]


@tenant_view()
@require_GET
def contact_list(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Contacts of the case, newest first. Coordinators see them without the free-text note
    (pseudonymised view)."""
    access = load_case(request, pk)
    case = access.case
    contacts = Contact.objects.filter(case=case).order_by("-occurred_on", "-pk")
    totals = contacts.aggregate(number=Count("pk"), effort=Sum("effort_minutes"))
    page = Paginator(contacts, CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [ContactRow(c, domain_labels(c.topics)) for c in page]
    context = {
        "page": page,
        "rows": rows,
        "totals": {"number": totals["number"], "effort": totals["effort"] or 0},
        "show_notes": not access.oversight,
        "follow_ups": _open_follow_ups(case),
        "today": timezone.localdate(),
    }
    return render_case(request, "cases/contacts.html", access, "contacts", context)


def _open_follow_ups(case: Case) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(case=case, done_on__isnull=True).order_by("due_on", "pk")


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def contact_create(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    access = load_case(request, pk)
    refused = require_work(request, access)
    if refused is not None:
        return refused
    form = ContactForm(post_data(request), case=access.case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            work.contact_create(
                access.case,
                actor=request.user,
                occurred_on=data["occurred_on"],
                kind=data["kind"],
                duration_minutes=data["duration_minutes"],
                effort_minutes=data["effort_minutes"],
                interpreter_used=data["interpreter_used"],
                topics=list(data["topics"]),
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The contact was recorded."))
            return redirect("cases:contact_list", tenant=tenant, pk=pk)
    return render_case(request, "cases/contacts_form.html", access, "contacts", {"form": form})


# --- Follow-ups -----------------------------------------------------------------------------


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def followup_create(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """A new follow-up: posted from the contacts page or the case overview; GET shows the form
    on a page of its own (and errors are shown there)."""
    access = load_case(request, pk)
    refused = require_work(request, access)
    if refused is not None:
        return refused
    back = request.GET.get("back")
    form = FollowUpForm(post_data(request), initial={"back": back if back in _BACK_TARGETS else "contacts"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            work.followup_create(access.case, actor=request.user, due_on=data["due_on"], note=data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The follow-up was set."))
            return _back(request, access.case, data["back"])
    return render_case(request, "cases/followups_form.html", access, "contacts", {"form": form})


@tenant_view(Perm.CASE_WORK)
@require_POST
def followup_done(request: TenantRequest, tenant: str, pk: int, follow_up: int) -> HttpResponse:
    access = load_case(request, pk)
    refused = require_work(request, access)
    if refused is not None:
        return refused
    back_form = BackForm(request.POST)
    back = back_form.cleaned_data["back"] if back_form.is_valid() else None
    try:
        work.followup_done(access.case, actor=request.user, follow_up_id=follow_up)
    except ValidationError as exc:
        for message in validation_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The follow-up is marked as done."))
    return _back(request, access.case, back)


# --- Due list (own and substituted cases) ---------------------------------------------------


@dataclass(frozen=True)
class DueSection:
    key: str
    title: Any
    rows: list[Any]
    truncated: bool


# what a row of the due list shows of the case (and never more: no password hash of the user)
_DUE_CASE_FIELDS = (
    "number",
    "pseudonym",
    "case_manager__first_name",
    "case_manager__last_name",
    "case_manager__username",
)


def _open_scope(ctx: AccessContext) -> QuerySet[Case]:
    """Open cases the acting case manager works: own and substituted (lotse.access.cases)."""
    return cases_scope(ctx).filter(status=CaseStatus.OPEN)


def _bounded(qs: QuerySet[Any]) -> tuple[list[Any], bool]:
    rows = list(qs[: DUE_SECTION_LIMIT + 1])
    return rows[:DUE_SECTION_LIMIT], len(rows) > DUE_SECTION_LIMIT


def due_follow_ups(ctx: AccessContext, *, until: datetime.date, **due_filter: Any) -> QuerySet[FollowUp]:
    """Open follow-ups of the open cases the acting case manager works, due on or before
    ``until`` (narrowed by ``due_filter``), oldest first. The denormalised
    ``Case.next_follow_up_on`` (index ``case_worklist``) picks the cases first."""
    cases = _open_scope(ctx).filter(next_follow_up_on__lte=until).values("pk")
    return (
        FollowUp.objects.filter(case__in=cases, done_on__isnull=True, due_on__lte=until, **due_filter)
        .select_related("case", "case__case_manager")
        .only("due_on", "note", *(f"case__{f}" for f in _DUE_CASE_FIELDS))
        .order_by("due_on", "case__number", "pk")
    )


def due_reassessments(ctx: AccessContext, until: datetime.date) -> QuerySet[Case]:
    return (
        _open_scope(ctx)
        .filter(next_reassessment_on__lte=until)
        .select_related("case_manager")
        .only("next_reassessment_on", *_DUE_CASE_FIELDS)
        .order_by("next_reassessment_on", "number")
    )


def week_end(day: datetime.date) -> datetime.date:
    """The Sunday of the week of ``day``."""
    return day + datetime.timedelta(days=6 - day.weekday())


SECTION_TITLES = {
    "overdue": gettext_lazy("Overdue"),
    "today": gettext_lazy("Due today"),
    "week": gettext_lazy("Due this week"),
}


@tenant_view(Perm.CASE_WORK)
@require_GET
def due_list(request: TenantRequest, tenant: str) -> HttpResponse:
    """Work list of the acting case manager over own and substituted open cases: follow-ups
    overdue, due today and due until Sunday, and re-assessments due within a week. One query
    per section."""
    ctx = request.access
    today = timezone.localdate()
    filters: dict[str, tuple[datetime.date, dict[str, Any]]] = {
        "overdue": (today - datetime.timedelta(days=1), {}),
        "today": (today, {"due_on": today}),
        "week": (week_end(today), {"due_on__gt": today}),
    }
    sections = []
    for key, (until, due_filter) in filters.items():
        rows, truncated = _bounded(due_follow_ups(ctx, until=until, **due_filter))
        sections.append(DueSection(key, SECTION_TITLES[key], rows, truncated))
    reassessments, reassessments_truncated = _bounded(
        due_reassessments(ctx, today + datetime.timedelta(days=REASSESSMENT_HORIZON_DAYS))
    )
    context = {
        "sections": sections,
        "reassessments": reassessments,
        "reassessments_truncated": reassessments_truncated,
        "today": today,
        "limit": DUE_SECTION_LIMIT,
        "horizon": REASSESSMENT_HORIZON_DAYS,
    }
    return render(request, "cases/due.html", context)


# --- Barriers -------------------------------------------------------------------------------


@tenant_view()
@require_GET
def barrier_list(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    access = load_case(request, pk)
    barriers = access.case.barriers.select_related("agency", "municipality").order_by("-recorded_on", "-pk")
    context = {"barriers": barriers, "can_record": _may_record_barrier(access)}
    return render_case(request, "cases/barriers.html", access, "barriers", context)


def _may_record_barrier(access: CaseAccess) -> bool:
    """Case managers of the case (own or substituted) record barriers on open and closed cases,
    as long as the case is not anonymised."""
    return access.identity and not access.oversight and access.case.anonymised_at is None


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def barrier_create(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Barriers are often seen at the end, so closed cases take them too (not require_work)."""
    access = load_case(request, pk, select_related=("location__municipality",))
    if access.oversight:
        raise PermissionDenied
    case = access.case
    if not _may_record_barrier(access):
        messages.error(request, _("This case is anonymised."))
        return redirect("cases:barrier_list", tenant=tenant, pk=pk)
    initial = {"municipality": case.location.municipality_id if case.location else None}
    form = BarrierForm(post_data(request), initial=initial, tenant=request.access.tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            work.barrier_create(
                case,
                actor=request.user,
                domain=data["domain"],
                description=data["description"],
                municipality=data["municipality"],
                agency=data["agency"],
                institution=data["institution"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The barrier was recorded. Thank you – it feeds the steering."))
            return redirect("cases:barrier_list", tenant=tenant, pk=pk)
    context = {"form": form, "case_closed": not access.work}
    return render_case(request, "cases/barriers_form.html", access, "barriers", context)
