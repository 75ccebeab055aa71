"""The arithmetic of funding control, free of the database so every rule can be checked by hand.

* Money is :class:`~decimal.Decimal`. Intermediate results keep full precision (28 digits) and
  are rounded half-up to cents once, by :func:`cents`, when a figure is final.
* Pro rata: ``FTE × annual rate × counted months / 12``, per calendar year (each year with its
  own rate). Which months count is the programme's :class:`~lotse.funding.models.MonthRule`.
* Interest: ``amount × (base rate + points) / 100 × days / 365`` per stretch of days with one
  base rate (act/365, the first day counted, the last day not), summed and rounded once.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TWELVE = Decimal(12)
DAYS_PER_YEAR = 365
DAY_COUNT = "act/365"

ANY_DAY = "any_day"
FULL_MONTH = "full_month"
FROM_15TH = "from_15th"


def cents(value: Decimal) -> Decimal:
    """Round half-up to cents (kaufmännisch)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole``, half-up to two places; 0 when ``whole`` is 0."""
    if not whole:
        return Decimal("0.00")
    return cents(part * 100 / whole)


def _month_counts(days_active: int, days_in_month: int, rule: str) -> bool:
    if days_active <= 0:
        return False
    if rule == ANY_DAY:
        return True
    if rule == FULL_MONTH:
        return days_active == days_in_month
    if rule == FROM_15TH:
        return days_active >= 15
    raise ValueError(f"unknown month rule {rule!r}")


def counted_months(
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    period_start: datetime.date,
    period_end: datetime.date,
    rule: str,
) -> dict[int, int]:
    """Months counted per calendar year for a position active from ``starts_on`` to ``ends_on``
    (open end: still running) within the period. Only days inside the period count."""
    first = max(starts_on, period_start)
    last = min(ends_on or period_end, period_end)
    months: dict[int, int] = {}
    if last < first:
        return months
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        days_in_month = calendar.monthrange(year, month)[1]
        month_first = datetime.date(year, month, 1)
        month_last = datetime.date(year, month, days_in_month)
        active = (min(last, month_last) - max(first, month_first)).days + 1
        if _month_counts(active, days_in_month, rule):
            months[year] = months.get(year, 0) + 1
        else:
            months.setdefault(year, 0)
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return months


def pro_rata(fte: Decimal, annual_amount: Decimal, months: int) -> Decimal:
    """Unrounded grant for ``months`` months of a position of ``fte`` at ``annual_amount``."""
    return fte * annual_amount * months / TWELVE


def position_grant(
    fte: Decimal,
    months_by_year: dict[int, int],
    rate_for_year: dict[int, Decimal],
) -> Decimal:
    """Grant of one position over several years, each year at its own rate, rounded once.
    Raises ``KeyError`` naming the year when a rate is missing for a counted month."""
    total = Decimal(0)
    for year, months in months_by_year.items():
        if months:
            total += pro_rata(fte, rate_for_year[year], months)
    return cents(total)


def own_share(staff_costs: Decimal, material_costs: Decimal, *grants: Decimal) -> Decimal:
    """Eigenanteil: what the employer carries of the actual costs after the grants
    (seed 003, Voerde: 63,500 + 10,000 − 55,000 = 18,500)."""
    return cents(staff_costs + material_costs - sum(grants, Decimal(0)))


@dataclass(frozen=True)
class InterestStretch:
    start: datetime.date  # first day with interest
    end: datetime.date  # first day without (exclusive)
    base_rate: Decimal
    rate: Decimal  # base rate + points, percent per year
    days: int
    amount: Decimal  # unrounded


@dataclass(frozen=True)
class Interest:
    principal: Decimal
    start: datetime.date
    end: datetime.date
    stretches: tuple[InterestStretch, ...]
    total: Decimal  # rounded to cents
    day_count: str = DAY_COUNT

    @property
    def days(self) -> int:
        return sum(s.days for s in self.stretches)


class MissingBaseRate(ValueError):
    """No base rate is known for a day interest is to be computed on."""

    def __init__(self, day: datetime.date):
        super().__init__(f"no base rate valid on {day.isoformat()}")
        self.day = day


def interest(
    principal: Decimal,
    start: datetime.date,
    end: datetime.date,
    base_rates: Iterable[tuple[datetime.date, Decimal]],
    points: Decimal = Decimal(5),
) -> Interest:
    """Interest on ``principal`` for the days from ``start`` (counted) to ``end`` (not counted),
    at ``points`` above the base rate valid on each day. ``base_rates`` are (valid from, percent)."""
    table: Sequence[tuple[datetime.date, Decimal]] = sorted(base_rates)
    stretches: list[InterestStretch] = []
    day = start
    while day < end:
        current = [(valid_from, rate) for valid_from, rate in table if valid_from <= day]
        if not current:
            raise MissingBaseRate(day)
        base = current[-1][1]
        later = [valid_from for valid_from, _rate in table if valid_from > day]
        stretch_end = min([end, *later])
        days = (stretch_end - day).days
        rate = base + points
        amount = principal * rate / 100 * days / DAYS_PER_YEAR
        stretches.append(InterestStretch(day, stretch_end, base, rate, days, amount))
        day = stretch_end
    total = cents(sum((s.amount for s in stretches), Decimal(0)))
    return Interest(principal, start, end, tuple(stretches), total)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day if it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
