"""The indicators of PRODUCT.md (Module 3) for a period, per tenant and provider: the one place
the reports, the proof of use and the state controlling export count cases from.

Aggregate-only reads: like :mod:`lotse.supervision.selectors`, this module reads case tables
directly, but only within a :class:`~lotse.access.funding.FigureScope` that the access layer
built for the acting user, and hands out nothing but counts and sums — never a case, number or
pseudonym. Small-cell suppression is the caller's business (:mod:`lotse.reports.suppression`)
wherever figures leave the district.

Definitions (stated in the outputs too):

* *opened*: cases opened in the period; *closed*: cases closed in the period;
  *active*: cases open on at least one day of the period (opened on or before its end, not
  closed before its start). Anonymised cases still count: they keep provider and dates.
* *by life domain*: active cases with at least one goal in the domain.
* *contacts*: contacts of the period; *referrals*: referrals sent in the period, by their
  current status (the outcome).
* *staff*: full-time equivalents of the positions active on at least one day of the period.
* *themes by level*: the tenant's themes (not merged away) created by the end of the period,
  by their current level; themes belong to the tenant, not to a provider.

Every function runs a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from lotse.access.funding import FigureScope
from lotse.cases.domains import LifeDomain
from lotse.cases.models import Case, Contact, Goal, Referral, ReferralStatus
from lotse.funding.models import Position, PositionType
from lotse.steering.models import LEVELS, Theme, ThemeStatus

# (tenant id, provider id)
Key = tuple[int, int]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


@dataclass
class ProviderFigures:
    """The case-based indicators of one provider (or a sum of providers)."""

    opened: int = 0
    active: int = 0
    closed: int = 0
    by_domain: dict[str, int] = field(default_factory=lambda: {d.value: 0 for d in LifeDomain})
    contacts: int = 0
    referrals: int = 0
    referrals_by_status: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in ReferralStatus})
    fte_by_type: dict[str, Decimal] = field(default_factory=lambda: {t.value: Decimal("0.00") for t in PositionType})

    @property
    def fte(self) -> Decimal:
        return sum(self.fte_by_type.values(), Decimal("0.00"))

    def add(self, other: ProviderFigures) -> None:
        self.opened += other.opened
        self.active += other.active
        self.closed += other.closed
        self.contacts += other.contacts
        self.referrals += other.referrals
        for key, value in other.by_domain.items():
            self.by_domain[key] += value
        for key, value in other.referrals_by_status.items():
            self.referrals_by_status[key] += value
        for key, fte in other.fte_by_type.items():
            self.fte_by_type[key] += fte


@dataclass
class Figures:
    """Indicators of a scope for a period: per (tenant, provider), and themes per tenant."""

    period: Period
    providers: dict[Key, ProviderFigures]
    themes_by_level: dict[int, dict[int, int]]  # tenant id -> level -> count

    def tenant_total(self, tenant_id: int) -> ProviderFigures:
        total = ProviderFigures()
        for (tid, _pid), figures in self.providers.items():
            if tid == tenant_id:
                total.add(figures)
        return total

    def total(self) -> ProviderFigures:
        total = ProviderFigures()
        for figures in self.providers.values():
            total.add(figures)
        return total

    def themes_total(self) -> dict[int, int]:
        total = dict.fromkeys(LEVELS, 0)
        for levels in self.themes_by_level.values():
            for level, count in levels.items():
                total[level] += count
        return total


def _scoped(qs: QuerySet[Any], scope: FigureScope, prefix: str = "") -> QuerySet[Any]:
    qs = qs.filter(**{f"{prefix}tenant_id__in": scope.tenant_ids})
    if scope.provider_ids is not None:
        qs = qs.filter(**{f"{prefix}provider_id__in": scope.provider_ids})
    return qs


def _active(period: Period, prefix: str = "") -> Q:
    return Q(**{f"{prefix}opened_on__lte": period.end}) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": period.start})
    )


def figures(scope: FigureScope, period: Period) -> Figures:
    """All indicators of the scope for the period in six aggregate queries."""
    rows: dict[Key, ProviderFigures] = defaultdict(ProviderFigures)
    if not scope.tenant_ids:
        return Figures(period, {}, {})
    in_period = {"opened_on__range": (period.start, period.end)}
    case_rows = (
        _scoped(Case.objects.all(), scope)
        .filter(Q(**in_period) | Q(closed_on__range=(period.start, period.end)) | _active(period))
        .values("tenant_id", "provider_id")
        .annotate(
            opened=Count("pk", filter=Q(**in_period)),
            active=Count("pk", filter=_active(period)),
            closed=Count("pk", filter=Q(closed_on__range=(period.start, period.end))),
        )
    )
    for row in case_rows:
        item = rows[(row["tenant_id"], row["provider_id"])]
        item.opened, item.active, item.closed = row["opened"], row["active"], row["closed"]

    domain_rows = (
        _scoped(Goal.objects.all(), scope, "case__")
        .filter(_active(period, "case__"))
        .values("case__tenant_id", "case__provider_id", "domain")
        .annotate(n=Count("case_id", distinct=True))
    )
    for row in domain_rows:
        if row["domain"] in LifeDomain.values:
            rows[(row["case__tenant_id"], row["case__provider_id"])].by_domain[row["domain"]] = row["n"]

    contact_rows = (
        _scoped(Contact.objects.all(), scope, "case__")
        .filter(occurred_on__range=(period.start, period.end))
        .values("case__tenant_id", "case__provider_id")
        .annotate(n=Count("pk"))
    )
    for row in contact_rows:
        rows[(row["case__tenant_id"], row["case__provider_id"])].contacts = row["n"]

    referral_rows = (
        _scoped(Referral.objects.all(), scope, "case__")
        .filter(sent_on__range=(period.start, period.end))
        .values("case__tenant_id", "case__provider_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in referral_rows:
        item = rows[(row["case__tenant_id"], row["case__provider_id"])]
        item.referrals += row["n"]
        if row["status"] in item.referrals_by_status:
            item.referrals_by_status[row["status"]] += row["n"]

    position_rows = (
        _scoped(Position.objects.all(), scope)
        .filter(Q(starts_on__lte=period.end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=period.start)))
        .values("tenant_id", "provider_id", "position_type")
        .annotate(fte=Sum("fte"))
    )
    for row in position_rows:
        rows[(row["tenant_id"], row["provider_id"])].fte_by_type[row["position_type"]] = row["fte"] or Decimal("0.00")

    themes: dict[int, dict[int, int]] = {tid: dict.fromkeys(LEVELS, 0) for tid in scope.tenant_ids}
    theme_rows = (
        Theme.objects.filter(tenant_id__in=scope.tenant_ids, created_at__date__lte=period.end)
        .exclude(status=ThemeStatus.MERGED)
        .values("tenant_id", "level")
        .annotate(n=Count("pk"))
    )
    for row in theme_rows:
        if row["level"] in themes[row["tenant_id"]]:
            themes[row["tenant_id"]][row["level"]] = row["n"]
    return Figures(period, dict(rows), themes)
