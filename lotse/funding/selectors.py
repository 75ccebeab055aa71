"""Reads of funding control. Every query starts from the scopes of :mod:`lotse.access.funding`
(own tenant, ``FUNDING_VIEW``); the arithmetic is :mod:`lotse.funding.calc`'s.

The pages read a bounded number of queries however many positions, calls and claims there
are: the rates, positions, calls, claims and base rates of the tenant are each read once and
combined here."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from lotse.access import policy
from lotse.access.context import AccessContext
from lotse.access.funding import (
    base_rates_scope,
    claims_scope,
    payments_scope,
    positions_scope,
    programmes_scope,
)
from lotse.funding import calc
from lotse.funding.base_rates import half_year_start
from lotse.funding.models import (
    BaseRate,
    FundingProgramme,
    FundingRate,
    PaymentCall,
    Position,
    PositionType,
    RepaymentClaim,
)

ZERO = Decimal("0.00")
Rates = dict[tuple[int, str], Decimal]  # (year, position type) -> EUR per FTE and year


# --- single records (404 for anything outside the scope) --------------------------------------


def programme_get(ctx: AccessContext, pk: int) -> FundingProgramme:
    return get_object_or_404(programmes_scope(ctx), pk=pk)


def position_get(ctx: AccessContext, pk: int) -> Position:
    return get_object_or_404(positions_scope(ctx).select_related("provider", "programme"), pk=pk)


def payment_get(ctx: AccessContext, pk: int) -> PaymentCall:
    return get_object_or_404(payments_scope(ctx).select_related("provider", "programme"), pk=pk)


def base_rate_get(ctx: AccessContext, pk: int) -> BaseRate:
    return get_object_or_404(base_rates_scope(ctx), pk=pk)


def claim_get(ctx: AccessContext, pk: int) -> RepaymentClaim:
    return get_object_or_404(claims_scope(ctx).select_related("provider", "programme"), pk=pk)


def providers(ctx: AccessContext) -> QuerySet[Any]:
    """The providers a funding record may name: those of the own tenant."""
    return policy.providers_scope(ctx)


def programmes(ctx: AccessContext) -> QuerySet[FundingProgramme]:
    return programmes_scope(ctx)


def base_rates(ctx: AccessContext) -> QuerySet[BaseRate]:
    return base_rates_scope(ctx).order_by("-valid_from")


def base_rate_table(ctx: AccessContext) -> list[tuple[datetime.date, Decimal]]:
    """(valid from, percent) of the tenant, as :func:`calc.interest` takes them (one query)."""
    return list(base_rates_scope(ctx).order_by("valid_from").values_list("valid_from", "rate"))


def current_half_year_missing(ctx: AccessContext, today: datetime.date | None = None) -> datetime.date | None:
    """The start of the current half-year if the tenant has no base rate from that day, else None."""
    start = half_year_start(today or timezone.localdate())
    return None if base_rates_scope(ctx).filter(valid_from=start).exists() else start


# --- flat rates and grants --------------------------------------------------------------------


def rates_of(ctx: AccessContext, programme_ids: Iterable[int]) -> dict[int, Rates]:
    """The flat rates of the programmes, per programme (one query)."""
    result: dict[int, Rates] = defaultdict(dict)
    rows = FundingRate.objects.filter(programme__in=programmes_scope(ctx), programme_id__in=list(programme_ids))
    for programme_id, year, position_type, amount in rows.values_list(
        "programme_id", "year", "position_type", "annual_amount"
    ):
        result[programme_id][(year, position_type)] = amount
    return result


def programme_year(programme: FundingProgramme, today: datetime.date | None = None) -> int:
    """The programme year to show: this year if the period covers it, else its nearest year."""
    year = (today or timezone.localdate()).year
    return min(max(year, programme.starts_on.year), programme.ends_on.year)


def reference_day(programme: FundingProgramme, today: datetime.date | None = None) -> datetime.date:
    """Today, moved into the programme period (its last day once it ended, its first before)."""
    day = today or timezone.localdate()
    return min(max(day, programme.starts_on), programme.ends_on)


@dataclass
class Grant:
    """A position's counted months and pro-rata grant within a period (``amount`` is None while
    a flat rate of a counted year is missing – ``missing_year`` says which)."""

    months: dict[int, int]
    amount: Decimal | None
    missing_year: int | None = None

    @property
    def month_total(self) -> int:
        return sum(self.months.values())


def grant_of(
    position: Position,
    programme: FundingProgramme,
    rates: Rates,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Grant:
    """Months and grant of ``position`` from ``start`` to ``end`` (default: the programme
    period; never beyond it) under the programme's month rule."""
    period_start = max(start or programme.starts_on, programme.starts_on)
    period_end = min(end or programme.ends_on, programme.ends_on)
    months = calc.counted_months(position.starts_on, position.ends_on, period_start, period_end, programme.month_rule)
    by_year = {year: amount for (year, kind), amount in rates.items() if kind == position.position_type}
    try:
        amount = calc.position_grant(position.fte, months, by_year)
    except KeyError as exc:
        return Grant(months, None, int(exc.args[0]))
    return Grant(months, amount)


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


# --- programmes -------------------------------------------------------------------------------


def programme_list(ctx: AccessContext) -> list[FundingProgramme]:
    return list(programmes_scope(ctx).order_by("-starts_on", "name"))


def rate_table(ctx: AccessContext, programme: FundingProgramme) -> Rates:
    return rates_of(ctx, [programme.pk]).get(programme.pk, {})


# --- positions --------------------------------------------------------------------------------


@dataclass
class PositionRow:
    position: Position
    year: int
    year_grant: Grant
    period_grant: Grant

    @property
    def months(self) -> int:
        return self.year_grant.months.get(self.year, 0)


@dataclass
class PositionListing:
    rows: list[PositionRow]
    fte: Decimal
    year_grant: Decimal
    period_grant: Decimal
    missing_rates: bool


def position_list(
    ctx: AccessContext,
    *,
    provider_id: int | None = None,
    programme_id: int | None = None,
    position_type: str = "",
    year: int | None = None,
    today: datetime.date | None = None,
) -> PositionListing:
    """Positions with FTE, dates, months counted in the programme year (``year``, default: the
    current one of each programme) and their grants for that year and the whole period.
    Two queries (positions with provider and programme, rates)."""
    qs = positions_scope(ctx).select_related("provider", "programme")
    if provider_id:
        qs = qs.filter(provider_id=provider_id)
    if programme_id:
        qs = qs.filter(programme_id=programme_id)
    if position_type:
        qs = qs.filter(position_type=position_type)
    positions = list(qs.order_by("provider__name", "programme__name", "position_type", "starts_on", "pk"))
    rates = rates_of(ctx, {p.programme_id for p in positions})
    rows = []
    for position in positions:
        programme = position.programme
        shown = year if year is not None else programme_year(programme, today)
        programme_rates = rates.get(programme.pk, {})
        year_grant = grant_of(
            position, programme, programme_rates, datetime.date(shown, 1, 1), datetime.date(shown, 12, 31)
        )
        rows.append(PositionRow(position, shown, year_grant, grant_of(position, programme, programme_rates)))
    return PositionListing(
        rows=rows,
        fte=sum((r.position.fte for r in rows), ZERO),
        year_grant=_sum(r.year_grant.amount for r in rows),
        period_grant=_sum(r.period_grant.amount for r in rows),
        missing_rates=any(r.year_grant.amount is None or r.period_grant.amount is None for r in rows),
    )


def position_in_proof(position: Position) -> bool:
    from lotse.funding.models import StaffCostLine

    return StaffCostLine.objects.filter(position=position).exists()


# --- payment calls ----------------------------------------------------------------------------


@dataclass
class PaymentSummaryRow:
    programme: FundingProgramme
    provider: Any
    granted: Decimal
    called: Decimal
    received: Decimal
    missing_rates: bool = False

    @property
    def open(self) -> Decimal:
        """Granted but not yet received."""
        return self.granted - self.received


def _grants_by_programme_provider(
    ctx: AccessContext, positions: Sequence[Position]
) -> tuple[dict[tuple[int, int], Decimal], set[tuple[int, int]]]:
    rates = rates_of(ctx, {p.programme_id for p in positions})
    granted: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    missing: set[tuple[int, int]] = set()
    for position in positions:
        key = (position.programme_id, position.provider_id)
        grant = grant_of(position, position.programme, rates.get(position.programme_id, {}))
        if grant.amount is None:
            missing.add(key)
        else:
            granted[key] += grant.amount
    return granted, missing


@dataclass
class PaymentListing:
    calls: list[PaymentCall]
    summary: list[PaymentSummaryRow]
    totals: PaymentSummaryRow | None


def payment_list(
    ctx: AccessContext, *, programme_id: int | None = None, provider_id: int | None = None
) -> PaymentListing:
    """The payment calls and, per programme and provider, granted (sum of the positions'
    grants for the programme period), called, received and open (granted − received).
    Three queries (calls, positions, rates)."""
    calls_qs = payments_scope(ctx).select_related("programme", "provider")
    positions_qs = positions_scope(ctx).select_related("programme", "provider")
    if programme_id:
        calls_qs = calls_qs.filter(programme_id=programme_id)
        positions_qs = positions_qs.filter(programme_id=programme_id)
    if provider_id:
        calls_qs = calls_qs.filter(provider_id=provider_id)
        positions_qs = positions_qs.filter(provider_id=provider_id)
    calls = list(calls_qs.order_by("programme__name", "due_on", "provider__name", "pk"))
    positions = list(positions_qs)
    granted, missing = _grants_by_programme_provider(ctx, positions)
    records: dict[tuple[int, int], tuple[FundingProgramme, Any]] = {}
    for record in (*positions, *calls):
        records[(record.programme_id, record.provider_id)] = (record.programme, record.provider)
    called: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    received: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for call in calls:
        key = (call.programme_id, call.provider_id)
        called[key] += call.planned_amount
        received[key] += call.received_amount or ZERO
    summary = [
        PaymentSummaryRow(programme, provider, granted[key], called[key], received[key], key in missing)
        for key, (programme, provider) in sorted(
            records.items(), key=lambda item: (item[1][0].name, item[1][1].name, item[0])
        )
    ]
    totals = None
    if summary:
        totals = PaymentSummaryRow(
            summary[0].programme,
            None,
            _sum(r.granted for r in summary),
            _sum(r.called for r in summary),
            _sum(r.received for r in summary),
            any(r.missing_rates for r in summary),
        )
    return PaymentListing(calls, summary, totals)


# --- repayment claims and interest ------------------------------------------------------------


@dataclass
class ClaimInterest:
    claim: RepaymentClaim
    until: datetime.date  # first day without interest
    interest: calc.Interest | None
    missing_day: datetime.date | None = None

    @property
    def total(self) -> Decimal | None:
        return None if self.interest is None else self.interest.total

    @property
    def with_interest(self) -> Decimal | None:
        return None if self.interest is None else self.claim.amount + self.interest.total


def claim_interest(
    claim: RepaymentClaim, table: Sequence[tuple[datetime.date, Decimal]], as_of: datetime.date
) -> ClaimInterest:
    """Interest on the claim from ``interest_from`` (counted) until the day it was repaid or
    ``as_of`` (not counted), at the programme's points above the base rate of each day."""
    until = claim.paid_on or as_of
    try:
        result = calc.interest(claim.amount, claim.interest_from, until, table, claim.programme.interest_points)
    except calc.MissingBaseRate as exc:
        return ClaimInterest(claim, until, None, exc.day)
    return ClaimInterest(claim, until, result)


def claim_list(ctx: AccessContext, *, as_of: datetime.date | None = None) -> list[ClaimInterest]:
    """The claims with interest to date (repaid ones until their repayment). Two queries."""
    table = base_rate_table(ctx)
    day = as_of or timezone.localdate()
    claims = claims_scope(ctx).select_related("programme", "provider").order_by("paid_on", "due_on", "pk")
    return [claim_interest(claim, table, day) for claim in claims]


# --- overview ---------------------------------------------------------------------------------


@dataclass
class ProgrammeOverview:
    programme: FundingProgramme
    day: datetime.date  # positions counted on this day
    positions: int = 0
    fte_by_type: dict[str, Decimal] = field(default_factory=dict)
    granted: Decimal = ZERO
    called: Decimal = ZERO
    received: Decimal = ZERO
    missing_rates: bool = False
    open_claims: int = 0
    open_claim_amount: Decimal = ZERO
    open_claim_interest: Decimal = ZERO
    interest_missing: bool = False

    @property
    def fte(self) -> Decimal:
        return sum(self.fte_by_type.values(), ZERO)

    @property
    def fte_columns(self) -> list[Decimal]:
        """FTE per position type, in the order of :class:`PositionType` (0 where none)."""
        return [self.fte_by_type.get(value, ZERO) for value in PositionType.values]

    @property
    def open_claim_total(self) -> Decimal:
        return self.open_claim_amount + self.open_claim_interest

    @property
    def running(self) -> bool:
        return self.programme.starts_on <= timezone.localdate() <= self.programme.ends_on


def overview(
    ctx: AccessContext, *, today: datetime.date | None = None, with_claims: bool = True
) -> list[ProgrammeOverview]:
    """Per programme: positions and FTE by type on the reference day (today, within the
    period), granted for the programme period, called and received, open claims with interest
    to date. Six queries however many programmes, positions, calls and claims there are."""
    day = today or timezone.localdate()
    programmes_ = programme_list(ctx)
    result = {p.pk: ProgrammeOverview(p, reference_day(p, day)) for p in programmes_}
    positions = list(positions_scope(ctx).select_related("programme"))
    rates = rates_of(ctx, result)
    for position in positions:
        row = result.get(position.programme_id)
        if row is None:  # only the tenant's own programmes (the services allow no other)
            continue
        if position.starts_on <= row.day and (position.ends_on is None or position.ends_on >= row.day):
            row.positions += 1
            row.fte_by_type[position.position_type] = row.fte_by_type.get(position.position_type, ZERO) + position.fte
        grant = grant_of(position, row.programme, rates.get(position.programme_id, {}))
        if grant.amount is None:
            row.missing_rates = True
        else:
            row.granted += grant.amount
    for programme_id, planned, received in payments_scope(ctx).values_list(
        "programme_id", "planned_amount", "received_amount"
    ):
        if programme_id in result:
            result[programme_id].called += planned
            result[programme_id].received += received or ZERO
    if with_claims:
        table = base_rate_table(ctx)
        for claim in claims_scope(ctx).filter(paid_on__isnull=True).select_related("programme"):
            row = result.get(claim.programme_id)
            if row is None:
                continue
            row.open_claims += 1
            row.open_claim_amount += claim.amount
            found = claim_interest(claim, table, day)
            if found.total is None:
                row.interest_missing = True
            else:
                row.open_claim_interest += found.total
    return list(result.values())
