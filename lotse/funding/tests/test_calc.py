"""The arithmetic of funding control (lotse.funding.calc), every figure computed by hand here:
the two seed figures, the three month rules, a position across two years, half-up rounding once
at the end, and interest (act/365) across a change of the base rate."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from lotse.funding import calc

D = Decimal
YEAR_2021 = (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
SEED_START, SEED_END = datetime.date(2021, 2, 16), datetime.date(2021, 12, 31)


# --- seed 003: 7.0 FTE at 55,000 from 16.02.2021 to 31.12.2021 --------------------------------


def test_seed_figure_counts_eleven_months_and_grants_352916_67():
    # every month with at least one active day: February (16.–28.) and March … December = 1 + 10
    months = calc.counted_months(SEED_START, SEED_END, *YEAR_2021, "any_day")
    assert months == {2021: 11}
    # 7.0 × 55,000 = 385,000 per year; × 11 / 12 = 4,235,000 / 12 = 352,916.666… → 352,916.67
    assert calc.position_grant(D("7.0"), months, {2021: D("55000")}) == D("352916.67")


def test_full_month_rule_leaves_out_the_started_february():
    # February 2021 has 28 days, the position is active on 13 of them (16.–28.): not complete.
    # March … December are complete: 10 months.
    months = calc.counted_months(SEED_START, SEED_END, *YEAR_2021, "full_month")
    assert months == {2021: 10}
    # 385,000 × 10 / 12 = 3,850,000 / 12 = 320,833.333… → 320,833.33
    assert calc.position_grant(D("7.0"), months, {2021: D("55000")}) == D("320833.33")


def test_from_15th_rule_needs_fifteen_days_in_the_month():
    # 13 active days in February are fewer than 15: February does not count → 10 months
    # (not 11: counting from the 16th leaves 13 days, under either reading of "from the 15th").
    assert calc.counted_months(SEED_START, SEED_END, *YEAR_2021, "from_15th") == {2021: 10}
    # from 14.02.: 14.–28. are 15 days → February counts → 11; a complete month it still is not
    start = datetime.date(2021, 2, 14)
    assert calc.counted_months(start, SEED_END, *YEAR_2021, "from_15th") == {2021: 11}
    assert calc.counted_months(start, SEED_END, *YEAR_2021, "full_month") == {2021: 10}


def test_position_across_two_years_uses_each_years_rate():
    # 2.5 FTE administrative assistance from 01.09.2021 to 30.06.2022:
    # 2021: September … December = 4 months at 22,500; 2022: January … June = 6 months at 24,000
    months = calc.counted_months(
        datetime.date(2021, 9, 1),
        datetime.date(2022, 6, 30),
        datetime.date(2021, 1, 1),
        datetime.date(2022, 12, 31),
        "any_day",
    )
    assert months == {2021: 4, 2022: 6}
    # 2.5 × 22,500 × 4 / 12 = 18,750; 2.5 × 24,000 × 6 / 12 = 30,000; together 48,750.00
    grant = calc.position_grant(D("2.5"), months, {2021: D("22500"), 2022: D("24000")})
    assert grant == D("48750.00")


def test_only_days_inside_the_period_count_and_an_open_end_runs_to_its_end():
    # open end: counted until 31.12.2021; a start before the period counts from 01.01.
    months = calc.counted_months(datetime.date(2020, 5, 20), None, *YEAR_2021, "full_month")
    assert months == {2021: 12}


def test_missing_rate_of_a_counted_year_names_the_year():
    with pytest.raises(KeyError) as exc:
        calc.position_grant(D("1"), {2021: 2, 2022: 1}, {2021: D("55000")})
    assert exc.value.args[0] == 2022


# --- own share (seed 003, Voerde) and rounding -------------------------------------------------


def test_voerde_own_share_is_18500():
    # 63,500 staff + 10,000 material − 55,000 grant = 18,500.00
    assert calc.own_share(D("63500"), D("10000"), D("55000")) == D("18500.00")


def test_cents_round_half_up():
    assert calc.cents(D("0.005")) == D("0.01")
    assert calc.cents(D("2.675")) == D("2.68")  # a float 2.675 would be 2.67499… and round down
    assert calc.cents(D("2.665")) == D("2.67")  # not to the even neighbour (banker's rounding: 2.66)
    assert calc.cents(D("0.0049999")) == D("0.00")
    assert calc.cents(D("-0.005")) == D("-0.01")  # half away from zero


def test_grant_is_rounded_once_at_the_end():
    # 1 FTE at 0.06 EUR a year for one month = 0.005 in each of two years:
    # rounded per year 0.01 + 0.01 = 0.02; rounded once 0.010 → 0.01
    assert calc.position_grant(D("1"), {2021: 1, 2022: 1}, {2021: D("0.06"), 2022: D("0.06")}) == D("0.01")


def test_percent():
    assert calc.percent(D("18500"), D("73500")) == D("25.17")  # 25.170068… %
    assert calc.percent(D("1"), D("0")) == D("0.00")


# --- interest: 5 points above the base rate, act/365 -----------------------------------------

BASE = [(datetime.date(2023, 1, 1), D("1.62")), (datetime.date(2023, 7, 1), D("3.12"))]


def test_interest_across_a_change_of_the_base_rate():
    result = calc.interest(D("10000"), datetime.date(2023, 6, 1), datetime.date(2023, 8, 1), BASE, D("5"))
    # 01.06.–30.06.: 30 days at 1.62 + 5 = 6.62 %: 10,000 × 6.62 % = 662 a year; × 30 / 365 = 54.4109589…
    # 01.07.–31.07.: 31 days at 3.12 + 5 = 8.12 %: 812 a year; × 31 / 365 = 68.9643835…
    # together 45,032 / 365 = 123.3753424… → 123.38 (rounding each stretch first would give 54.41 + 68.96 = 123.37)
    assert [(s.start, s.end, s.days, s.base_rate, s.rate) for s in result.stretches] == [
        (datetime.date(2023, 6, 1), datetime.date(2023, 7, 1), 30, D("1.62"), D("6.62")),
        (datetime.date(2023, 7, 1), datetime.date(2023, 8, 1), 31, D("3.12"), D("8.12")),
    ]
    assert result.days == 61
    assert result.total == D("123.38")
    assert result.day_count == "act/365"


def test_interest_counts_the_first_day_not_the_last():
    # one day, 01.06. → 02.06.: 10,000 × 6.62 % / 365 = 1.8136986… → 1.81
    result = calc.interest(D("10000"), datetime.date(2023, 6, 1), datetime.date(2023, 6, 2), BASE, D("5"))
    assert result.days == 1 and result.total == D("1.81")
    # nothing when the end is not after the start
    assert calc.interest(D("10000"), datetime.date(2023, 6, 1), datetime.date(2023, 6, 1), BASE).total == D("0.00")


def test_interest_without_a_base_rate_for_a_day_raises():
    with pytest.raises(calc.MissingBaseRate) as exc:
        calc.interest(D("10000"), datetime.date(2022, 12, 15), datetime.date(2023, 2, 1), BASE, D("5"))
    assert exc.value.day == datetime.date(2022, 12, 15)
