"""Reads of strategic steering. Every function starts from the access layer
(:mod:`lotse.access.steering`): barriers only through ``barriers_scope`` (coordinators), themes
through ``themes_scope`` (coordinators and seat holders of a responsible or discussing body).

Committee members get figures only: the counts and the trend of a theme are aggregates over its
barriers, computed in the database; no barrier row, case number or description leaves here for
them (the theme itself was reached through their scope)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone

from lotse.access.context import AccessContext
from lotse.access.steering import barriers_scope, bodies_scope, themes_scope
from lotse.cases.models import Barrier
from lotse.steering.models import LEVELS, StaircaseSettings, Theme, ThemeEvent, ThemeEventKind, ThemeStatus
from lotse.tenants.models import Tenant

# --- staircase settings ---------------------------------------------------------------------


def staircase_for(tenant: Tenant) -> StaircaseSettings:
    """The tenant's staircase settings; the defaults (unsaved) while none were stored."""
    found = StaircaseSettings.objects.filter(tenant=tenant).first()
    return found if found is not None else StaircaseSettings(tenant=tenant)


def is_to_escalate(*, cases: int, providers: int, level: int, staircase: StaircaseSettings) -> bool:
    """The escalation rule: a theme below ``escalate_below_level`` that reaches N cases or M
    providers should climb the staircase."""
    reached = cases >= staircase.escalate_cases or providers >= staircase.escalate_providers
    return reached and level < staircase.escalate_below_level


# --- barrier register -----------------------------------------------------------------------


def barrier_register(
    ctx: AccessContext,
    *,
    domain: str = "",
    institution: str = "",
    municipality_id: int | None = None,
    provider_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    theme: str = "",
) -> QuerySet[Barrier]:
    """The tenant's barriers for the coordinator, filtered. ``institution`` is a text found in
    the directory agency's name or in the free-text institution; ``theme`` is ``""`` (all),
    ``"none"`` (not grouped yet), ``"any"`` (grouped) or a theme id."""
    qs = barriers_scope(ctx)
    if domain:
        qs = qs.filter(domain=domain)
    for word in institution.split()[:4]:
        qs = qs.filter(Q(agency__name__icontains=word) | Q(institution__icontains=word))
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    if provider_id:
        qs = qs.filter(provider_id=provider_id)
    if date_from:
        qs = qs.filter(recorded_on__gte=date_from)
    if date_to:
        qs = qs.filter(recorded_on__lte=date_to)
    if theme == "none":
        qs = qs.filter(theme__isnull=True)
    elif theme == "any":
        qs = qs.filter(theme__isnull=False)
    elif theme.isdigit():
        qs = qs.filter(theme_id=int(theme))
    return qs.select_related("case", "provider", "municipality", "agency", "theme").order_by("-recorded_on", "-pk")


def barriers_by_ids(ctx: AccessContext, ids: Iterable[int]) -> tuple[list[Barrier], bool]:
    """The barriers of ``ids`` within the acting user's scope, and whether all ids were found
    (a missing or foreign id makes the whole selection invalid)."""
    wanted = set(ids)
    found = list(barriers_scope(ctx).filter(pk__in=wanted))
    return found, len(found) == len(wanted)


def theme_barriers(ctx: AccessContext, theme: Theme) -> QuerySet[Barrier]:
    """The barrier rows of a theme: coordinators only (``barriers_scope`` is empty otherwise)."""
    return (
        barriers_scope(ctx)
        .filter(theme=theme)
        .select_related("case", "provider", "municipality", "agency")
        .order_by("-recorded_on", "-pk")
    )


# --- themes ---------------------------------------------------------------------------------


def theme_counts(qs: QuerySet[Theme]) -> QuerySet[Theme]:
    """Annotate themes with live counts, in the same query: ``case_count`` (distinct cases),
    ``provider_count``, ``municipality_count`` and ``barrier_count``."""
    return qs.annotate(
        case_count=Count("barriers__case", distinct=True),
        provider_count=Count("barriers__provider", distinct=True),
        municipality_count=Count("barriers__municipality", distinct=True),
        barrier_count=Count("barriers", distinct=True),
    )


def themes_with_counts(ctx: AccessContext, *, status: str = ThemeStatus.ACTIVE) -> list[Theme]:
    """The themes the context may read, with counts, level name and escalation mark
    (``level_name``, ``to_escalate``), in one query plus one for the staircase settings.
    ``status`` is a :class:`ThemeStatus` value or ``"all"``."""
    if ctx.tenant is None:
        return []
    # counted on a plain queryset: the committee member's scope joins agenda items
    qs = Theme.objects.filter(pk__in=themes_scope(ctx).values("pk"))
    if status != "all":
        qs = qs.filter(status=status)
    themes = list(theme_counts(qs).select_related("responsible_body").order_by("-level", "title", "pk"))
    decorate(themes, staircase_for(ctx.tenant))
    return themes


def decorate(themes: Iterable[Theme], staircase: StaircaseSettings) -> None:
    """Put ``level_name`` and ``to_escalate`` on themes annotated by :func:`theme_counts`."""
    for theme in themes:
        t: Any = theme
        t.level_name = staircase.level_name(theme.level)
        t.to_escalate = theme.status == ThemeStatus.ACTIVE and is_to_escalate(
            cases=t.case_count, providers=t.provider_count, level=theme.level, staircase=staircase
        )


def theme_get(ctx: AccessContext, pk: int) -> Theme:
    """One theme of the scope, or 404 (also for another tenant's theme or a body without seat)."""
    return get_object_or_404(themes_scope(ctx).select_related("responsible_body", "merged_into"), pk=pk)


def theme_with_counts(ctx: AccessContext, pk: int, *, staircase: StaircaseSettings | None = None) -> Theme:
    """One theme with its counts, level name and escalation mark (one query), or 404."""
    qs = theme_counts(Theme.objects.filter(pk__in=themes_scope(ctx).values("pk")))
    theme = get_object_or_404(qs.select_related("responsible_body"), pk=pk)
    if staircase is None and ctx.tenant is not None:
        staircase = staircase_for(ctx.tenant)
    if staircase is not None:
        decorate([theme], staircase)
    return theme


def theme_visible(ctx: AccessContext, pk: int) -> Theme | None:
    """A theme of the scope, or ``None`` (e.g. the theme another one was merged into, which a
    committee member may not see)."""
    return themes_scope(ctx).filter(pk=pk).first()


def active_themes(ctx: AccessContext) -> QuerySet[Theme]:
    """Themes barriers can be assigned to or merged with: the active ones of the scope."""
    return themes_scope(ctx).filter(status=ThemeStatus.ACTIVE).order_by("title", "pk")


def groupable_themes(ctx: AccessContext) -> QuerySet[Theme]:
    """Themes that can hold barriers (not merged away), for the register's theme filter."""
    return themes_scope(ctx).exclude(status=ThemeStatus.MERGED).order_by("title", "pk")


def responsible_bodies(ctx: AccessContext) -> QuerySet[Any]:
    return bodies_scope(ctx).filter(is_active=True).order_by("name", "pk")


@dataclass(frozen=True)
class Step:
    level: int
    name: str
    current: bool


def staircase_steps(theme: Theme, staircase: StaircaseSettings) -> list[Step]:
    return [Step(level, staircase.level_name(level), level == theme.level) for level in LEVELS]


@dataclass(frozen=True)
class HistoryRow:
    event: ThemeEvent
    label: str
    from_name: str
    to_name: str
    detail: str
    # the title of the other theme of a merge or split, only if the reader may see that theme
    other_title: str = ""


def theme_history(ctx: AccessContext, theme: Theme, staircase: StaircaseSettings) -> list[HistoryRow]:
    """The theme's events, newest first, with level names and (for status changes) the new
    status as a label. The other theme of a merge or split is named only when it lies in the
    reader's scope (a committee member may see this theme but not the one it was split from)."""
    statuses = dict(ThemeStatus.choices)
    rows = []
    events = list(theme.events.select_related("created_by", "other_theme").order_by("-occurred_on", "-pk"))
    other_ids = {e.other_theme_id for e in events if e.other_theme_id}
    visible = set(themes_scope(ctx).filter(pk__in=other_ids).values_list("pk", flat=True)) if other_ids else set()
    for event in events:
        detail = event.reason
        if event.kind == ThemeEventKind.STATUS:
            detail = str(statuses.get(event.reason, event.reason))
        rows.append(
            HistoryRow(
                event=event,
                label=event.get_kind_display(),
                from_name=staircase.level_name(event.from_level) if event.from_level in LEVELS else "",
                to_name=staircase.level_name(event.to_level) if event.to_level in LEVELS else "",
                detail=detail,
                other_title=event.other_theme.title if event.other_theme_id in visible and event.other_theme else "",
            )
        )
    return rows


def month_starts(months: int, today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the last ``months`` months, oldest first, ending with this month."""
    day = (today or timezone.localdate()).replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(day)
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return starts[::-1]


@dataclass(frozen=True)
class Trend:
    labels: list[str]
    barriers: list[int]
    cases: list[int]


def theme_trend(theme: Theme, *, months: int = 12, today: datetime.date | None = None) -> Trend:
    """New barriers and distinct cases per month (by ``recorded_on``) over the last ``months``
    months, in one aggregate query. ``theme`` must come from :func:`theme_get` (scoped)."""
    starts = month_starts(months, today)
    rows = (
        Barrier.objects.filter(theme=theme, recorded_on__gte=starts[0])
        .annotate(month=TruncMonth("recorded_on"))
        .order_by()
        .values("month")
        .annotate(barriers=Count("pk"), cases=Count("case", distinct=True))
    )
    by_month: dict[datetime.date, dict[str, Any]] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        by_month[month] = dict(row)
    return Trend(
        labels=[formats.date_format(start, "YEAR_MONTH_FORMAT") for start in starts],
        barriers=[by_month.get(start, {}).get("barriers", 0) for start in starts],
        cases=[by_month.get(start, {}).get("cases", 0) for start in starts],
    )
