"""Reads of the supervision figures (Fachaufsicht) and of the committee members' aggregate figures.

Aggregate-only reads through the access rule: case managers' case lists go through
:func:`lotse.access.cases.cases_scope`, but supervision needs counts over cases nobody here may
open one by one. So this module — and only this module — reads ``Case.objects.filter(tenant=…)``
directly, always narrowed to the providers :func:`lotse.access.steering.supervision_provider_ids`
allows (``None`` = the whole tenant for coordinators, a list = the provider lead's own provider),
and hands out nothing but counts, means and medians: never a case, case number or pseudonym.
Staff names appear (caseload per case manager): supervisors may see who carries which load.

Every function runs a fixed number of aggregate queries, whatever the amount of data (the
dashboard's bound is asserted in ``tests/test_queries.py``); only :func:`case_durations` fetches
one row per closed case of the period (two dates), for the median.

Small cells: a feedback mean is shown only from :data:`MIN_CELL` answers on; below that the
mean is ``None`` and the page says "fewer than 5 answers", so no single client's answer can be
read off a provider's or a month's figure.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.access import policy
from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.access.steering import supervision_provider_ids, themes_scope
from lotse.cases.domains import LifeDomain
from lotse.cases.models import AssessmentEntry, Case, CaseStatus, Referral, ReferralStatus
from lotse.feedback.models import FeedbackResponse
from lotse.feedback.selectors import feedback_summary
from lotse.feedback.texts import QUESTIONS as FEEDBACK_QUESTIONS
from lotse.steering.models import DEFAULT_LEVEL_NAMES, LEVELS, StaircaseSettings, ThemeStatus
from lotse.tenants.models import Membership, Provider, Role

# Small-cell rule: fewer answers than this and a feedback mean is not shown.
MIN_CELL = 5

# Short staff labels of the five questions of the feedback form (``lotse.feedback.texts``
# holds the client's wording in seven languages), in the form's order.
_QUESTION_LABELS: dict[str, Any] = {
    "understood": _("Understood the explanations"),
    "helped": _("The counselling helped"),
    "respected": _("Treated with respect"),
    "reachable": _("Counsellor easy to reach"),
    "recommend": _("Would recommend the counselling"),
}
QUESTIONS: list[tuple[str, Any]] = [(name, _QUESTION_LABELS[name]) for name in FEEDBACK_QUESTIONS]

# Cases that still count as caseload: open, or waiting for the approval of their closure.
NOT_CLOSED = Q(status__in=[CaseStatus.OPEN, CaseStatus.CLOSURE_REQUESTED])


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def first_month(self) -> datetime.date:
        return self.start.replace(day=1)

    def months(self) -> list[datetime.date]:
        """First days of every month the period touches."""
        months, month = [], self.first_month
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months


def default_period(today: datetime.date | None = None) -> Period:
    """The last twelve months: from the first day of the month eleven months back until today."""
    today = today or timezone.localdate()
    month = today.month - 11
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return Period(datetime.date(year, month, 1), today)


@dataclass(frozen=True)
class Scope:
    """Which cases the figures count: the tenant's, narrowed to ``provider_ids`` unless ``None``."""

    tenant_id: int
    provider_ids: list[int] | None

    def filter(self, qs: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
        qs = qs.filter(**{f"{prefix}tenant_id": self.tenant_id})
        if self.provider_ids is not None:
            qs = qs.filter(**{f"{prefix}provider_id__in": self.provider_ids})
        return qs


def supervision_scope(ctx: AccessContext, provider_id: int | None = None) -> Scope:
    """The scope of the acting supervisor, optionally narrowed to one provider they may see.
    Raises ``PermissionError`` for every role without supervision rights."""
    allowed = supervision_provider_ids(ctx)
    assert ctx.tenant is not None
    if provider_id is None:
        return Scope(ctx.tenant.pk, allowed)
    if allowed is not None and provider_id not in allowed:
        return Scope(ctx.tenant.pk, [])
    return Scope(ctx.tenant.pk, [provider_id])


def supervision_providers(ctx: AccessContext) -> QuerySet[Provider]:
    """The providers whose figures the acting supervisor may see (filter choices, names)."""
    allowed = supervision_provider_ids(ctx)
    qs = policy.providers_scope(ctx)
    if allowed is not None:
        qs = qs.filter(pk__in=allowed)
    return qs.order_by("name")


def _cases(scope: Scope) -> QuerySet[Case]:
    return scope.filter(Case.objects.all())


def _name(first: str | None, last: str | None, username: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or (username or "")


def _mean(value: float | Decimal | None, count: int) -> float | None:
    """A feedback mean to one place (half up, as ``feedback_summary`` rounds), or ``None`` below
    the small-cell limit."""
    if value is None or count < MIN_CELL:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- caseload and overdue work ----------------------------------------------------------------------


@dataclass
class CaseManagerLoad:
    name: str
    open: int = 0
    overdue_follow_ups: int = 0
    overdue_reassessments: int = 0


def caseload_by_case_manager(scope: Scope, today: datetime.date | None = None) -> list[CaseManagerLoad]:
    """Open cases and overdue follow-ups / re-assessments per case manager (two queries): every
    active case manager of the providers in scope, also with no case, and the unassigned cases."""
    today = today or timezone.localdate()
    rows = (
        _cases(scope)
        .filter(NOT_CLOSED)
        .values("case_manager_id", "case_manager__first_name", "case_manager__last_name", "case_manager__username")
        .annotate(
            open=Count("pk"),
            overdue_follow_ups=Count("pk", filter=Q(next_follow_up_on__lt=today)),
            overdue_reassessments=Count("pk", filter=Q(next_reassessment_on__lt=today)),
        )
    )
    loads: dict[int | None, CaseManagerLoad] = {}
    staff = scope.filter(
        Membership.objects.filter(role=Role.CASE_MANAGER, is_active=True, user__is_active=True)
    ).values_list("user_id", "user__first_name", "user__last_name", "user__username")
    for user_id, first, last, username in staff:
        loads[user_id] = CaseManagerLoad(_name(first, last, username))
    for row in rows:
        user_id = row["case_manager_id"]
        if user_id not in loads:
            names = (row["case_manager__first_name"], row["case_manager__last_name"], row["case_manager__username"])
            loads[user_id] = CaseManagerLoad(str(_("Not assigned")) if user_id is None else _name(*names))
        load = loads[user_id]
        load.open, load.overdue_follow_ups, load.overdue_reassessments = (
            row["open"],
            row["overdue_follow_ups"],
            row["overdue_reassessments"],
        )
    return sorted(loads.values(), key=lambda load: (-load.open, load.name.casefold()))


@dataclass
class ProviderCases:
    name: str
    open_now: int = 0
    opened: int = 0
    closed: int = 0


def cases_by_provider(scope: Scope, period: Period, providers: list[Provider]) -> list[ProviderCases]:
    """Open now, opened in the period and closed in the period, per provider (one query)."""
    rows = {
        row["provider_id"]: row
        for row in _cases(scope)
        .values("provider_id")
        .annotate(
            open_now=Count("pk", filter=NOT_CLOSED),
            opened=Count("pk", filter=Q(opened_on__range=(period.start, period.end))),
            closed=Count("pk", filter=Q(status=CaseStatus.CLOSED, closed_on__range=(period.start, period.end))),
        )
    }
    result = []
    for provider in providers:
        row = rows.get(provider.pk)
        if row is None:
            result.append(ProviderCases(provider.name))
        else:
            result.append(ProviderCases(provider.name, row["open_now"], row["opened"], row["closed"]))
    return result


@dataclass
class MonthlyCases:
    months: list[datetime.date]
    opened: list[int]
    closed: list[int]


def cases_by_month(scope: Scope, period: Period) -> MonthlyCases:
    """Cases opened and closed per month of the period (two queries)."""
    opened = dict(
        _cases(scope)
        .filter(opened_on__range=(period.start, period.end))
        .annotate(month=TruncMonth("opened_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    closed = dict(
        _cases(scope)
        .filter(status=CaseStatus.CLOSED, closed_on__range=(period.start, period.end))
        .annotate(month=TruncMonth("closed_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    months = period.months()
    return MonthlyCases(months, [opened.get(m, 0) for m in months], [closed.get(m, 0) for m in months])


def overdue_totals(scope: Scope, today: datetime.date | None = None) -> dict[str, int]:
    """Open cases, and those with an overdue follow-up / re-assessment (one query; the role
    dashboard's cards)."""
    today = today or timezone.localdate()
    return _cases(scope).aggregate(
        open=Count("pk", filter=NOT_CLOSED),
        follow_ups=Count("pk", filter=NOT_CLOSED & Q(next_follow_up_on__lt=today)),
        reassessments=Count("pk", filter=NOT_CLOSED & Q(next_reassessment_on__lt=today)),
    )


# --- case duration --------------------------------------------------------------------------------------


@dataclass
class Duration:
    name: str
    closed: int
    median_days: float | None
    mean_days: float | None


def case_durations(scope: Scope, period: Period, providers: list[Provider]) -> list[Duration]:
    """Days from opening to closure of the cases closed in the period, per provider: count,
    median and mean (one query of two dates per closed case)."""
    days: dict[int, list[int]] = defaultdict(list)
    rows = (
        _cases(scope)
        .filter(status=CaseStatus.CLOSED, closed_on__range=(period.start, period.end))
        .values_list("provider_id", "opened_on", "closed_on")
    )
    for provider_id, opened_on, closed_on in rows.iterator(chunk_size=2000):
        if closed_on is not None:  # always set on closed cases
            days[provider_id].append((closed_on - opened_on).days)
    result = []
    for provider in providers:
        values = days.get(provider.pk, [])
        if not values:
            result.append(Duration(provider.name, 0, None, None))
            continue
        result.append(
            Duration(
                provider.name,
                len(values),
                round(float(statistics.median(values)), 1),
                round(statistics.fmean(values), 1),
            )
        )
    return result


# --- referrals --------------------------------------------------------------------------------------------


@dataclass
class AgencyReferrals:
    name: str
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def referrals_by_agency(scope: Scope, period: Period) -> list[AgencyReferrals]:
    """Referrals sent in the period, per agency and current status (one query)."""
    rows = (
        scope.filter(Referral.objects.all(), prefix="case__")
        .filter(sent_on__range=(period.start, period.end))
        .values("agency_id", "agency__name", "status")
        .annotate(n=Count("pk"))
    )
    agencies: dict[int, AgencyReferrals] = {}
    for row in rows:
        agency = agencies.setdefault(row["agency_id"], AgencyReferrals(row["agency__name"]))
        agency.by_status[row["status"]] = row["n"]
    return sorted(agencies.values(), key=lambda a: (-a.total, a.name.casefold()))


REFERRAL_STATUSES = list(ReferralStatus)


# --- change of need -----------------------------------------------------------------------------------


@dataclass
class NeedChange:
    domain: str
    label: str
    cases: int
    first: float
    latest: float

    @property
    def change(self) -> float:
        return round(self.latest - self.first, 1)


def need_change(scope: Scope, period: Period) -> list[NeedChange]:
    """Per life domain: the mean need level of the initial assessment against the latest
    re-assessment, over the cases whose latest re-assessment (up to the period's end) lies in the
    period and rates the domain in both (one query).

    Read from the latest re-assessment's entries: a re-assessment in the period with no later one
    up to the period's end (``NOT EXISTS``, an anti-join), joined to the initial assessment's
    entry of the same case and domain. (A correlated "latest re-assessment" subquery per initial
    entry took seconds at 20,000 cases: docs/benchmarks.md.)"""
    from lotse.cases.models import Assessment

    latest = OuterRef("assessment__assessed_on")
    newer = Assessment.objects.filter(
        case_id=OuterRef("assessment__case_id"), is_initial=False, assessed_on__lte=period.end
    ).filter(Q(assessed_on__gt=latest) | Q(assessed_on=latest, pk__gt=OuterRef("assessment_id")))
    initial = "assessment__case__assessments__"
    rows = (
        scope.filter(AssessmentEntry.objects.all(), prefix="assessment__case__")
        .filter(assessment__is_initial=False, assessment__assessed_on__range=(period.start, period.end))
        .filter(~Exists(newer))
        .filter(**{f"{initial}is_initial": True, f"{initial}entries__domain": F("domain")})
        .values("domain")
        .annotate(cases=Count("pk"), first=Avg(f"{initial}entries__need_level"), latest=Avg("need_level"))
    )
    found = {row["domain"]: row for row in rows}
    return [
        NeedChange(domain, str(label), row["cases"], round(row["first"], 1), round(row["latest"], 1))
        for domain, label in LifeDomain.choices
        if (row := found.get(domain)) is not None
    ]


# --- client feedback ------------------------------------------------------------------------------------


@dataclass
class QuestionFigure:
    count: int
    mean: float | None  # None: fewer than MIN_CELL answers


@dataclass
class FeedbackRow:
    label: str
    responses: int
    questions: list[QuestionFigure]


def _feedback(scope: Scope, period: Period) -> QuerySet[FeedbackResponse]:
    return scope.filter(FeedbackResponse.objects.all()).filter(month__range=(period.first_month, period.end))


def _question_aggregates() -> dict[str, Any]:
    aggregates: dict[str, Any] = {"responses": Count("pk")}
    for name, _label in QUESTIONS:
        aggregates[f"{name}_n"] = Count(name)
        aggregates[f"{name}_mean"] = Avg(name)
    return aggregates


def _feedback_row(label: str, row: Mapping[str, Any] | None) -> FeedbackRow:
    if row is None:
        return FeedbackRow(label, 0, [QuestionFigure(0, None) for _name in QUESTIONS])
    return FeedbackRow(
        label,
        row["responses"],
        [QuestionFigure(row[f"{n}_n"], _mean(row[f"{n}_mean"], row[f"{n}_n"])) for n, _label in QUESTIONS],
    )


def feedback_by_provider(scope: Scope, period: Period, providers: list[Provider]) -> list[FeedbackRow]:
    """Per provider and question: number of answers and mean (1–5), the mean only from
    :data:`MIN_CELL` answers on (one query, :func:`lotse.feedback.selectors.feedback_summary`).
    Feedback months count from the period's first month to its last."""
    summary = {
        row.provider_id: row for row in feedback_summary(scope.tenant_id, scope.provider_ids, period.start, period.end)
    }
    result = []
    for provider in providers:
        row = summary.get(provider.pk)
        if row is None:
            result.append(_feedback_row(provider.name, None))
            continue
        figures = [row.questions[name] for name, _label in QUESTIONS]
        result.append(
            FeedbackRow(
                provider.name, row.responses, [QuestionFigure(f.count, _mean(f.mean, f.count)) for f in figures]
            )
        )
    return result


def feedback_total(scope: Scope, period: Period) -> FeedbackRow:
    """All providers in scope together (one query)."""
    row = _feedback(scope, period).aggregate(**_question_aggregates())
    return _feedback_row(str(_("All providers")), row if row["responses"] else None)


def feedback_by_month(scope: Scope, period: Period) -> list[tuple[datetime.date, FeedbackRow]]:
    """Per month of the period: answers and mean per question, with the same small-cell rule
    (one query)."""
    aggregated = _feedback(scope, period).values("month").annotate(**_question_aggregates())
    rows = {row["month"]: row for row in aggregated}
    return [(month, _feedback_row("", rows.get(month))) for month in period.months()]


# --- committee members: aggregate figures of the tenant --------------------------------------------------


def committee_figures(ctx: AccessContext, today: datetime.date | None = None) -> dict[str, Any] | None:
    """What committee members may know about case work: counts of the whole tenant, themes per
    staircase level (as far as :func:`themes_scope` shows them), feedback answers this year.
    Aggregate-only read of the tenant's cases (see the module docstring): counts, nothing else."""
    if ctx.tenant is None or not ctx.has(Perm.THEME_VIEW):
        return None
    today = today or timezone.localdate()
    year_start = today.replace(month=1, day=1)
    cases = Case.objects.filter(tenant=ctx.tenant).aggregate(
        open=Count("pk", filter=NOT_CLOSED),
        opened_this_year=Count("pk", filter=Q(opened_on__gte=year_start, opened_on__lte=today)),
    )
    per_level = dict(
        themes_scope(ctx)
        .filter(status=ThemeStatus.ACTIVE)
        .order_by()
        .values("level")
        .annotate(n=Count("pk", distinct=True))
        .values_list("level", "n")
    )
    staircase = StaircaseSettings.objects.filter(tenant=ctx.tenant).first()
    levels = [
        (level, staircase.level_name(level) if staircase else str(DEFAULT_LEVEL_NAMES[level]), per_level.get(level, 0))
        for level in LEVELS
    ]
    feedback = FeedbackResponse.objects.filter(tenant=ctx.tenant, month__gte=year_start).count()
    return {
        "open": cases["open"],
        "opened_this_year": cases["opened_this_year"],
        "levels": levels,
        "feedback_this_year": feedback,
    }
