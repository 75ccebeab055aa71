"""Supervision pages (Fachaufsicht): coordinators see the figures of the whole tenant, provider
leads those of their own provider. Every figure comes from :mod:`lotse.supervision.selectors`;
the views only choose the period and provider and turn the figures into charts, each with its
table alternative (``ui/partials/chart.html``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.supervision import selectors
from lotse.supervision.forms import SupervisionFilterForm
from lotse.supervision.selectors import QUESTIONS, FeedbackRow, Period, Scope
from lotse.tenants.models import Provider
from lotse.ui.charts import Chart, Series


@dataclass
class Filters:
    form: SupervisionFilterForm
    providers: list[Provider]
    scope: Scope | None  # None: the filter has errors, nothing is shown
    period: Period | None
    scope_label: str


def _filters(request: TenantRequest) -> Filters:
    ctx = request.access
    try:
        selectors.supervision_scope(ctx)
    except PermissionError as exc:  # the decorator already refused; the selector is the last line
        raise PermissionDenied from exc
    choices = selectors.supervision_providers(ctx)
    providers = list(choices)
    fixed = not ctx.has(Perm.STEERING_MANAGE)  # provider leads: their own provider only
    form = SupervisionFilterForm(request.GET, providers=None if fixed else choices)
    if not form.is_valid():
        return Filters(form, providers, None, None, "")
    provider_id = None if fixed else form.provider_id()
    scope = selectors.supervision_scope(ctx, provider_id)
    if scope.provider_ids is not None:
        providers = [p for p in providers if p.pk in scope.provider_ids]
    label = ", ".join(p.name for p in providers) if scope.provider_ids is not None else _("all providers")
    return Filters(form, providers, scope, form.period(), label)


def _month(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _feedback_chart(chart_id: str, title: str, rows: list[FeedbackRow]) -> Chart:
    """Mean per question and row (provider or month); suppressed means stay empty."""
    return Chart(
        chart_id,
        "bar",
        title,
        [row.label for row in rows],
        [Series(str(label), [row.questions[i].mean for row in rows]) for i, (_name, label) in enumerate(QUESTIONS)],
        unit=_("mean, 1 = not at all … 5 = fully"),
    )


def _dashboard_figures(scope: Scope, period: Period, providers: list[Provider]) -> dict[str, Any]:
    loads = selectors.caseload_by_case_manager(scope)
    by_provider = selectors.cases_by_provider(scope, period, providers)
    monthly = selectors.cases_by_month(scope, period)
    durations = selectors.case_durations(scope, period, providers)
    referrals = selectors.referrals_by_agency(scope, period)
    needs = selectors.need_change(scope, period)
    feedback = selectors.feedback_by_provider(scope, period, providers)
    overdue = [load for load in loads if load.overdue_follow_ups or load.overdue_reassessments]
    statuses = selectors.REFERRAL_STATUSES
    return {
        "totals": {
            "open_now": sum(p.open_now for p in by_provider),
            "opened": sum(p.opened for p in by_provider),
            "closed": sum(p.closed for p in by_provider),
        },
        "caseload_chart": Chart(
            "caseload-case-manager",
            "bar",
            _("Open cases per case manager"),
            [load.name for load in loads],
            [Series(_("Open cases"), [load.open for load in loads])],
            unit=_("cases"),
            horizontal=True,
        ),
        "provider_chart": Chart(
            "cases-provider",
            "bar",
            _("Cases per provider"),
            [p.name for p in by_provider],
            [
                Series(_("Open now"), [p.open_now for p in by_provider]),
                Series(_("Opened in the period"), [p.opened for p in by_provider]),
                Series(_("Closed in the period"), [p.closed for p in by_provider]),
            ],
            unit=_("cases"),
            horizontal=True,
        ),
        "monthly_chart": Chart(
            "cases-month",
            "line",
            _("Cases opened and closed per month"),
            [_month(m) for m in monthly.months],
            [Series(_("Opened"), list(monthly.opened)), Series(_("Closed"), list(monthly.closed))],
            unit=_("cases"),
        ),
        "overdue_chart": Chart(
            "overdue-case-manager",
            "bar",
            _("Open cases with overdue work per case manager"),
            [load.name for load in overdue],
            [
                Series(_("Follow-up overdue"), [load.overdue_follow_ups for load in overdue]),
                Series(_("Re-assessment overdue"), [load.overdue_reassessments for load in overdue]),
            ],
            unit=_("cases"),
            horizontal=True,
        ),
        "duration_chart": Chart(
            "duration-provider",
            "bar",
            _("Duration of the cases closed in the period"),
            [
                _("%(provider)s (%(count)s closed)") % {"provider": d.name, "count": d.closed}
                for d in durations
                if d.closed
            ],
            [
                Series(_("Median"), [d.median_days for d in durations if d.closed]),
                Series(_("Mean"), [d.mean_days for d in durations if d.closed]),
            ],
            unit=_("days from opening to closure"),
            horizontal=True,
        ),
        "referral_chart": Chart(
            "referrals-agency",
            "bar",
            _("Referrals sent in the period, by agency and status"),
            [a.name for a in referrals],
            [Series(str(status.label), [a.by_status.get(status.value, 0) for a in referrals]) for status in statuses],
            unit=_("referrals"),
            horizontal=True,
        ),
        "need_chart": Chart(
            "need-domain",
            "bar",
            _("Mean need per life domain: initial assessment and latest re-assessment"),
            [n.label for n in needs],
            [
                Series(_("Initial assessment"), [n.first for n in needs]),
                Series(_("Latest re-assessment"), [n.latest for n in needs]),
            ],
            unit=_("0 = none … 3 = high"),
        ),
        "needs": needs,
        "feedback_chart": _feedback_chart("feedback-provider", _("Client feedback per provider"), feedback),
        "feedback": feedback,
    }


def _context(request: TenantRequest, filters: Filters, figures: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "query": request.GET.urlencode(),
        "form": filters.form,
        "period": filters.period,
        "scope_label": filters.scope_label,
        "figures": figures,
        "questions": [str(label) for _name, label in QUESTIONS],
        "min_cell": selectors.MIN_CELL,
    }


@tenant_view(Perm.SUPERVISION_VIEW)
@require_GET
def dashboard(request: TenantRequest, tenant: str) -> HttpResponse:
    filters = _filters(request)
    figures = None
    if filters.scope is not None and filters.period is not None:
        figures = _dashboard_figures(filters.scope, filters.period, filters.providers)
    return render(request, "supervision/dashboard.html", _context(request, filters, figures))


def _has_hidden(rows: list[Any]) -> bool:
    """Some mean of these rows is suppressed (answers exist, fewer than the small-cell limit)."""
    return any(q.count > 0 and q.mean is None for row in rows for q in row.questions)


@tenant_view(Perm.SUPERVISION_VIEW)
@require_GET
def feedback(request: TenantRequest, tenant: str) -> HttpResponse:
    filters = _filters(request)
    figures = None
    if filters.scope is not None and filters.period is not None:
        scope, period = filters.scope, filters.period
        by_provider = selectors.feedback_by_provider(scope, period, filters.providers)
        total = selectors.feedback_total(scope, period)
        by_month = [
            FeedbackRow(_month(month), row.responses, row.questions)
            for month, row in selectors.feedback_by_month(scope, period)
        ]
        # The total is shown only when no provider and no month is hidden: otherwise the total
        # minus the visible rows would give away the hidden answers (complementary disclosure).
        show_total = len(by_provider) > 1 and not _has_hidden(by_provider) and not _has_hidden(by_month)
        figures = {
            "rows": [*by_provider, total] if show_total else by_provider,
            "provider_chart": _feedback_chart("feedback-provider", _("Mean per provider and question"), by_provider),
            "trend_chart": Chart(
                "feedback-trend",
                "line",
                _("Mean per question and month"),
                [row.label for row in by_month],
                [
                    Series(str(label), [row.questions[i].mean for row in by_month])
                    for i, (_name, label) in enumerate(QUESTIONS)
                ],
                unit=_("mean, 1 = not at all … 5 = fully"),
            ),
            "count_chart": Chart(
                "feedback-count",
                "bar",
                _("Answers per month"),
                [row.label for row in by_month],
                [Series(_("Answers"), [row.responses for row in by_month])],
                unit=_("answers"),
            ),
        }
    return render(request, "supervision/feedback.html", _context(request, filters, figures))
