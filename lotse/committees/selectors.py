"""Reads of committee work. Every function starts from the access layer's scopes
(:mod:`lotse.access.steering`): coordinators see every body of the tenant, everyone else the
bodies in which they hold a seat. No read here reaches a case, a barrier or a person's record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.access.steering import bodies_scope, meetings_scope, themes_scope
from lotse.committees.models import (
    AgendaItem,
    AgendaPart,
    Attendance,
    AttendanceStatus,
    Body,
    BodyMember,
    Meeting,
    MeetingStatus,
    MemberRole,
    Task,
)
from lotse.steering.models import DEFAULT_LEVEL_NAMES, StaircaseSettings, Theme, ThemeStatus
from lotse.tenants.models import Membership


def current_seats(today: datetime.date) -> Q:
    """Seats not left before ``today`` (the same rule as the access layer's seats)."""
    return Q(left_on__isnull=True) | Q(left_on__gte=today)


# --- Bodies ---------------------------------------------------------------------------------


def body_list(ctx: AccessContext) -> QuerySet[Body]:
    """The bodies in scope with the number of current seats and the date of the next planned
    meeting (``next_meeting``), active bodies first."""
    today = timezone.localdate()
    next_meeting = (
        Meeting.objects.filter(body=OuterRef("pk"), date__gte=today, status=MeetingStatus.PLANNED)
        .order_by("date", "pk")
        .values("date")[:1]
    )
    return (
        bodies_scope(ctx)
        .annotate(
            member_count=Count("members", filter=Q(members__left_on__isnull=True) | Q(members__left_on__gte=today)),
            next_meeting=Subquery(next_meeting),
        )
        .order_by("-is_active", "name", "pk")
    )


def body_get(ctx: AccessContext, pk: int) -> Body:
    """One body in scope, or 404 (also another tenant's, or a body without the user's seat)."""
    return get_object_or_404(bodies_scope(ctx), pk=pk)


def member_get(body: Body, pk: int) -> BodyMember:
    """A seat of ``body`` (itself from :func:`body_get`); another body's seat is 404."""
    return get_object_or_404(BodyMember.objects.select_related("membership__user"), body=body, pk=pk)


@dataclass
class BodyDetail:
    members: list[BodyMember]
    former_members: list[BodyMember]
    meetings: list[Meeting]
    themes: list[dict[str, Any]]


def level_names(tenant: Any) -> dict[int, str]:
    """The names of the staircase's five levels in the tenant (defaults where not configured)."""
    settings = StaircaseSettings.objects.filter(tenant=tenant).first()
    if settings is None:
        return {level: str(name) for level, name in DEFAULT_LEVEL_NAMES.items()}
    return {level: settings.level_name(level) for level in DEFAULT_LEVEL_NAMES}


def theme_summary(theme: Theme, names: dict[int, str]) -> dict[str, Any]:
    """What committee pages show of a theme: title and staircase level, nothing of its cases."""
    return {"pk": theme.pk, "title": theme.title, "level": theme.level, "level_name": names.get(theme.level, "")}


def body_detail(ctx: AccessContext, body: Body) -> BodyDetail:
    """Seats (current and former), meetings (newest first) and the themes the body is
    responsible for — title and level only, and only themes the user may see."""
    today = timezone.localdate()
    seats = list(BodyMember.objects.filter(body=body).select_related("membership__user").order_by("position", "pk"))
    current = [m for m in seats if m.left_on is None or m.left_on >= today]
    former = [m for m in seats if m.left_on is not None and m.left_on < today]
    meetings = list(meetings_scope(ctx).filter(body=body).order_by("-date", "-number"))
    themes: list[dict[str, Any]] = []
    if ctx.has(Perm.THEME_VIEW):
        found = list(
            themes_scope(ctx)
            .filter(responsible_body=body)
            .exclude(status=ThemeStatus.MERGED)
            .only("pk", "title", "level", "status")
            .order_by("-level", "title", "pk")
        )
        if found:
            names = level_names(ctx.tenant)
            themes = [theme_summary(theme, names) for theme in found]
    return BodyDetail(current, former, meetings, themes)


def chair_default(body: Body, today: datetime.date | None = None) -> str:
    """The person holding the chair seat (for a new meeting's chair)."""
    seat = (
        BodyMember.objects.filter(body=body, role=MemberRole.CHAIR)
        .filter(current_seats(today or timezone.localdate()))
        .order_by("position", "pk")
        .first()
    )
    return (seat.person or seat.organisation) if seat else ""


def minute_taker_default(body: Body, today: datetime.date | None = None) -> str:
    """The person of the managing office (Geschäftsstelle), who usually takes the minutes."""
    seat = (
        BodyMember.objects.filter(body=body, role=MemberRole.MANAGING_OFFICE)
        .filter(current_seats(today or timezone.localdate()))
        .order_by("position", "pk")
        .first()
    )
    return (seat.person or seat.organisation) if seat else ""


def seat_accounts(ctx: AccessContext, current: Membership | None = None) -> QuerySet[Membership]:
    """Lotse accounts that can be linked to a seat: active memberships of the tenant (and the
    one linked now, so that editing keeps it)."""
    qs = Membership.objects.filter(tenant=ctx.tenant).select_related("user")
    condition = Q(is_active=True, ended_at__isnull=True, accepted_at__isnull=False)
    if current is not None:
        condition |= Q(pk=current.pk)
    return qs.filter(condition).order_by("user__sort_name", "pk")


# --- Meetings -------------------------------------------------------------------------------


def meeting_get(ctx: AccessContext, pk: int) -> Meeting:
    """One meeting in scope, or 404."""
    return get_object_or_404(meetings_scope(ctx).select_related("body"), pk=pk)


def item_get(meeting: Meeting, pk: int) -> AgendaItem:
    """An agenda item of ``meeting`` (itself from :func:`meeting_get`), or 404."""
    return get_object_or_404(AgendaItem.objects.select_related("theme"), meeting=meeting, pk=pk)


def members_on(meeting: Meeting) -> list[BodyMember]:
    """The seats of the meeting's body on the meeting day, plus any seat with attendance
    recorded for it, in list order."""
    recorded = Attendance.objects.filter(meeting=meeting).values("member_id")
    return list(
        BodyMember.objects.filter(body_id=meeting.body_id)
        .filter(current_seats(meeting.date) | Q(pk__in=recorded))
        .order_by("position", "pk")
    )


def attendance_of(meeting: Meeting) -> dict[int, Attendance]:
    """Recorded attendance by seat id."""
    return {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}


@dataclass
class AttendanceRow:
    member: BodyMember
    record: Attendance | None


@dataclass
class MeetingDetail:
    attendance: list[AttendanceRow]
    attendance_recorded: bool
    counts: dict[str, int]
    parts: list[dict[str, Any]]
    items: list[AgendaItem] = field(default_factory=list)


def agenda_items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda: public part first, then the non-public part, each by number; themes and
    tasks loaded with it (three queries however long the agenda)."""
    order: dict[str, int] = {AgendaPart.PUBLIC.value: 0, AgendaPart.NON_PUBLIC.value: 1}
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("theme")
        .prefetch_related(Prefetch("tasks", queryset=Task.objects.order_by("due_on", "pk")))
    )
    items.sort(key=lambda item: (order.get(item.part, 2), item.number, item.pk))
    return items


def meeting_detail(ctx: AccessContext, meeting: Meeting) -> MeetingDetail:
    """Attendance per seat and the agenda by part. An item's theme is shown (title and level)
    to those who may read themes; for everyone else ``item.theme_summary`` is ``None``."""
    records = attendance_of(meeting)
    rows = [AttendanceRow(member, records.get(member.pk)) for member in members_on(meeting)]
    counts = {status: sum(1 for r in records.values() if r.status == status) for status in AttendanceStatus.values}
    items = agenda_items(meeting)
    show_themes = ctx.has(Perm.THEME_VIEW) and any(item.theme_id for item in items)
    names = level_names(ctx.tenant) if show_themes else {}
    for item in items:
        item.theme_summary = theme_summary(item.theme, names) if show_themes and item.theme else None  # type: ignore[attr-defined]
    parts = [
        {"key": part.value, "label": part.label, "items": [item for item in items if item.part == part]}
        for part in AgendaPart
    ]
    return MeetingDetail(rows, bool(records), counts, parts, items)


def themes_for_agenda(ctx: AccessContext, current: Theme | None = None) -> QuerySet[Theme]:
    """Themes an agenda item can be linked to: the active themes in scope (and the linked one)."""
    condition = Q(status=ThemeStatus.ACTIVE)
    if current is not None:
        condition |= Q(pk=current.pk)
    return themes_scope(ctx).filter(condition).order_by("-level", "title", "pk")


# --- Tasks ----------------------------------------------------------------------------------


def tasks_scope(ctx: AccessContext) -> QuerySet[Task]:
    """Tasks from decisions of the meetings in scope."""
    return Task.objects.filter(item__meeting__in=meetings_scope(ctx))


def open_tasks(ctx: AccessContext) -> QuerySet[Task]:
    """Open tasks of the bodies in scope: overdue and soonest due first, those without a due
    date last, with meeting and body for the list."""
    return (
        tasks_scope(ctx)
        .filter(done_on__isnull=True)
        .select_related("item__meeting__body")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def task_get(ctx: AccessContext, pk: int) -> Task:
    return get_object_or_404(tasks_scope(ctx).select_related("item__meeting__body"), pk=pk)
