"""The proof of use computed for a hand-built data set whose every figure is worked out by hand
below, the Voerde figure of seed 003, and the consolidated proof of two providers.

Hand-built data set ("KIM 2021", Kreis Wesel, Träger A, period 01.01.–31.12.2021, any-day month
rule, flat rates 2021: case management 55,000, admin assistance 22,500 per FTE and year):

* Position A – case management, 1.00 FTE, 16.02.2021–31.12.2021: active in Feb … Dec = 11 months;
  grant 1.00 × 55,000 × 11 / 12 = 50,416.666… → 50,416.67. Actual costs 52,000.00 (above the
  flat rate) → eligible min(52,000.00, 50,416.67) = 50,416.67.
* Position B – admin assistance, 0.50 FTE, from 01.07.2021, open: Jul … Dec = 6 months;
  grant 0.50 × 22,500 × 6 / 12 = 5,625.00. Actual costs 5,000.00 (below) → eligible 5,000.00.
* Not in the proof: a case-management position of Träger B, and one of Träger A that ended on
  31.12.2020.
* Material (planned total/eligible; settled total/eligible): workplace 2,000.00/0.00;
  2,000.00/0.00 – office 600.00/300.00; 500.00/250.00 – other 1,500.00/0.00; 1,450.00/0.00.
* Third party 1,000.00 planned and settled; no other public funding.
* Payments to Träger A: 30,000.00 received 03.05.2021 and 30,000.00 received 04.10.2021 (in the
  period); 5,000.00 received 15.01.2022 (after it) and a call not yet received do not count; a
  payment to Träger B does not count either → paid 60,000.00.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lotse.access.context import AccessContext
from lotse.funding import services_proof
from lotse.funding.models import (
    FundingProgramme,
    FundingRate,
    MaterialCostLine,
    PaymentCall,
    Position,
    ProofOfUse,
    StaffCostLine,
)
from lotse.funding.proof import (
    MaterialCost,
    MissingRate,
    PositionCost,
    ProofData,
    compute,
    load_consolidated,
    load_document,
    proofs_with_lines,
)
from lotse.funding.services_proof import MaterialEntry
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db

D = Decimal
Y2021 = (datetime.date(2021, 1, 1), datetime.date(2021, 12, 31))
RATES_2021 = {
    "case_manager": {2021: D("55000.00")},
    "coordinator": {2021: D("55000.00")},
    "admin_assistant": {2021: D("22500.00")},
}


def clerk_ctx(world, tenant: str = "wesel") -> AccessContext:
    part = getattr(world, tenant)
    role = Role.FUNDING_CLERK
    return AccessContext(user=part.users[role], tenant=part.tenant, membership=part.memberships[role])


def programme_2021(world) -> FundingProgramme:
    w = world.wesel
    programme = FundingProgramme.objects.create(
        tenant=w.tenant,
        name="KIM 2021",
        reference="36.3.6-KIM-1-2021",
        starts_on=Y2021[0],
        ends_on=Y2021[1],
    )
    for position_type, amounts in RATES_2021.items():
        FundingRate.objects.create(
            programme=programme, year=2021, position_type=position_type, annual_amount=amounts[2021]
        )
    return programme


def position(world, programme, provider, position_type, fte, starts_on, ends_on=None, person=""):  # type: ignore[no-untyped-def]
    return Position.objects.create(
        tenant=world.wesel.tenant,
        provider=provider,
        programme=programme,
        position_type=position_type,
        fte=D(fte),
        starts_on=starts_on,
        ends_on=ends_on,
        person=person,
    )


def payment(world, programme, provider, due_on, amount, received_on=None):  # type: ignore[no-untyped-def]
    return PaymentCall.objects.create(
        tenant=world.wesel.tenant,
        programme=programme,
        provider=provider,
        due_on=due_on,
        planned_amount=D(amount),
        received_on=received_on,
        received_amount=D(amount) if received_on else None,
    )


@pytest.fixture
def hand_built(world):  # type: ignore[no-untyped-def]
    """The data set of the module docstring, the proof created and filled in by the services."""
    w = world.wesel
    clerk = w.users[Role.FUNDING_CLERK]
    programme = programme_2021(world)
    a = position(
        world, programme, w.provider, "case_manager", "1.00", datetime.date(2021, 2, 16), Y2021[1], "Muster, Anna"
    )
    b = position(world, programme, w.provider, "admin_assistant", "0.50", datetime.date(2021, 7, 1))
    position(world, programme, w.other_provider, "case_manager", "1.00", datetime.date(2021, 1, 1))
    position(
        world, programme, w.provider, "case_manager", "1.00", datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)
    )
    payment(world, programme, w.provider, datetime.date(2021, 5, 1), "30000.00", datetime.date(2021, 5, 3))
    payment(world, programme, w.provider, datetime.date(2021, 10, 1), "30000.00", datetime.date(2021, 10, 4))
    payment(world, programme, w.provider, datetime.date(2022, 1, 1), "5000.00", datetime.date(2022, 1, 15))
    payment(world, programme, w.provider, datetime.date(2022, 5, 1), "30000.00")
    payment(world, programme, w.other_provider, datetime.date(2021, 5, 1), "7000.00", datetime.date(2021, 5, 3))
    proof = services_proof.proof_create(
        actor=clerk,
        tenant=w.tenant,
        programme=programme,
        provider=w.provider,
        period_start=Y2021[0],
        period_end=Y2021[1],
        contract_date=datetime.date(2021, 3, 1),
    )
    lines = {line.position_id: line for line in StaffCostLine.objects.filter(proof=proof)}
    services_proof.proof_update(
        proof,
        actor=clerk,
        expected_version=proof.version,
        fields={"third_party_planned": D("1000.00"), "third_party_actual": D("1000.00")},
        staff={lines[a.pk].pk: D("52000.00"), lines[b.pk].pk: D("5000.00")},
        material={
            "workplace": MaterialEntry(D("2000.00"), D("0.00"), D("2000.00"), D("0.00")),
            "office": MaterialEntry(D("600.00"), D("300.00"), D("500.00"), D("250.00")),
            "other": MaterialEntry(D("1500.00"), D("0.00"), D("1450.00"), D("0.00")),
        },
    )
    return {"programme": programme, "proof": proof, "a": a, "b": b}


def load(world, proof: ProofOfUse, tenant: str = "wesel"):  # type: ignore[no-untyped-def]
    ctx = clerk_ctx(world, tenant)
    return load_document(ctx, proofs_with_lines(ctx).get(pk=proof.pk))


# --- creation ---------------------------------------------------------------------------------


def test_creation_makes_one_staff_line_per_active_position_with_its_grant_and_three_material_lines(world, hand_built):
    proof = hand_built["proof"]
    lines = {line.position_id: line for line in StaffCostLine.objects.filter(proof=proof)}
    # A and B only: Träger B's position and the one ended in 2020 are not in the proof
    assert set(lines) == {hand_built["a"].pk, hand_built["b"].pk}
    assert lines[hand_built["a"].pk].planned_total == D("50416.67")  # 1.00 × 55,000 × 11/12
    assert lines[hand_built["b"].pk].planned_total == D("5625.00")  # 0.50 × 22,500 × 6/12
    material = {line.category: line for line in MaterialCostLine.objects.filter(proof=proof)}
    assert set(material) == {"workplace", "office", "other"}


def test_a_fresh_proof_has_zero_actual_costs(world):
    w = world.wesel
    programme = programme_2021(world)
    position(world, programme, w.provider, "case_manager", "1.00", datetime.date(2021, 2, 16), Y2021[1])
    proof = services_proof.proof_create(
        actor=w.users[Role.FUNDING_CLERK],
        tenant=w.tenant,
        programme=programme,
        provider=w.provider,
        period_start=Y2021[0],
        period_end=Y2021[1],
    )
    assert [line.actual_total for line in proof.staff_lines.all()] == [D("0.00")]
    assert {
        (m.planned_total, m.planned_eligible, m.actual_total, m.actual_eligible) for m in proof.material_lines.all()
    } == {(D("0.00"), D("0.00"), D("0.00"), D("0.00"))}


def test_a_second_proof_for_the_same_provider_programme_and_period_is_refused(world, hand_built):
    w = world.wesel
    with pytest.raises(ValidationError, match="exists already"), translation.override("en"):
        services_proof.proof_create(
            actor=w.users[Role.FUNDING_CLERK],
            tenant=w.tenant,
            programme=hand_built["programme"],
            provider=w.provider,
            period_start=Y2021[0],
            period_end=Y2021[1],
        )
    assert ProofOfUse.objects.filter(programme=hand_built["programme"]).count() == 1


def test_creation_refuses_a_period_outside_the_programme_and_a_missing_rate(world):
    w = world.wesel
    programme = programme_2021(world)
    clerk = w.users[Role.FUNDING_CLERK]
    with pytest.raises(ValidationError):
        services_proof.proof_create(
            actor=clerk,
            tenant=w.tenant,
            programme=programme,
            provider=w.provider,
            period_start=datetime.date(2020, 12, 1),
            period_end=Y2021[1],
        )
    # no flat rate for the immigration office in 2021
    position(world, programme, w.provider, "immigration_office", "1.00", datetime.date(2021, 1, 1))
    with pytest.raises(ValidationError, match="2021"):
        services_proof.proof_create(
            actor=clerk,
            tenant=w.tenant,
            programme=programme,
            provider=w.provider,
            period_start=Y2021[0],
            period_end=Y2021[1],
        )
    assert not ProofOfUse.objects.filter(programme=programme).exists()


# --- the hand-built statement -----------------------------------------------------------------


def test_hand_built_staff_rows_per_position_and_type(world, hand_built):
    st = load(world, hand_built["proof"]).statement
    cm, admin = st.staff_groups  # in the order of the form's types: case management, …, admin
    assert (cm.position_type, admin.position_type) == ("case_manager", "admin_assistant")
    (row_a,) = cm.rows
    (row_b,) = admin.rows
    # A: 1.00 FTE, 11 months; planned 50,416.67 / eligible 50,416.67; settled 52,000.00 / 50,416.67
    assert (row_a.fte, row_a.months) == (D("1.00"), 11)
    assert row_a.amounts.planned_total == D("50416.67")
    assert row_a.amounts.planned_eligible == D("50416.67")
    assert row_a.amounts.settled_total == D("52000.00")
    assert row_a.amounts.settled_eligible == D("50416.67")
    # B: 0.50 FTE, 6 months; planned 5,625.00 / 5,625.00; settled 5,000.00 / 5,000.00
    assert (row_b.fte, row_b.months) == (D("0.50"), 6)
    assert row_b.amounts.planned_total == D("5625.00")
    assert row_b.amounts.planned_eligible == D("5625.00")
    assert row_b.amounts.settled_total == D("5000.00")
    assert row_b.amounts.settled_eligible == D("5000.00")
    # subtotals per type: one position each, so the same figures
    assert cm.fte == D("1.00") and cm.amounts == row_a.amounts
    assert admin.fte == D("0.50") and admin.amounts == row_b.amounts
    # staff total: FTE 1.00 + 0.50 = 1.50; planned 50,416.67 + 5,625.00 = 56,041.67 (eligible the
    # same); settled 52,000.00 + 5,000.00 = 57,000.00, eligible 50,416.67 + 5,000.00 = 55,416.67
    assert st.staff_fte == D("1.50")
    assert st.staff.planned_total == D("56041.67")
    assert st.staff.planned_eligible == D("56041.67")
    assert st.staff.settled_total == D("57000.00")
    assert st.staff.settled_eligible == D("55416.67")


def test_hand_built_material_expenses_and_grant(world, hand_built):
    st = load(world, hand_built["proof"]).statement
    rows = {row.category: row.amounts for row in st.material_rows}
    assert [row.category for row in st.material_rows] == ["workplace", "office", "other"]
    assert rows["workplace"].planned_total == D("2000.00") and rows["workplace"].planned_eligible == D("0.00")
    assert rows["workplace"].settled_total == D("2000.00") and rows["workplace"].settled_eligible == D("0.00")
    assert rows["office"].planned_total == D("600.00") and rows["office"].planned_eligible == D("300.00")
    assert rows["office"].settled_total == D("500.00") and rows["office"].settled_eligible == D("250.00")
    assert rows["other"].planned_total == D("1500.00") and rows["other"].planned_eligible == D("0.00")
    assert rows["other"].settled_total == D("1450.00") and rows["other"].settled_eligible == D("0.00")
    # material totals: planned 2,000 + 600 + 1,500 = 4,100.00, eligible 0 + 300 + 0 = 300.00;
    # settled 2,000 + 500 + 1,450 = 3,950.00, eligible 0 + 250 + 0 = 250.00
    assert st.material.planned_total == D("4100.00")
    assert st.material.planned_eligible == D("300.00")
    assert st.material.settled_total == D("3950.00")
    assert st.material.settled_eligible == D("250.00")
    # expenses: planned 56,041.67 + 4,100.00 = 60,141.67; settled 57,000.00 + 3,950.00 = 60,950.00
    assert st.expenses_planned == D("60141.67")
    assert st.expenses_settled == D("60950.00")
    # state grant: planned 56,041.67 + 300.00 = 56,341.67 ("bewilligt");
    # settled 55,416.67 + 250.00 = 55,666.67
    assert st.grant_planned == D("56341.67")
    assert st.approved == D("56341.67")
    assert st.grant_settled == D("55666.67")
    # paid out in the period: 30,000.00 + 30,000.00
    assert st.paid == D("60000.00")


def test_hand_built_income_with_percentages(world, hand_built):
    st = load(world, hand_built["proof"]).statement
    own, third, public, grant, total = st.income
    assert [row.key for row in st.income] == ["own_share", "third_party", "public_grant", "state_grant", "total"]
    # own share planned: 60,141.67 − 1,000.00 − 0.00 − 56,341.67 = 2,800.00
    # own share settled: 60,950.00 − 1,000.00 − 0.00 − 55,666.67 = 4,283.33
    assert (own.planned, own.settled) == (D("2800.00"), D("4283.33"))
    assert (third.planned, third.settled) == (D("1000.00"), D("1000.00"))
    assert (public.planned, public.settled) == (D("0.00"), D("0.00"))
    assert (grant.planned, grant.settled) == (D("56341.67"), D("55666.67"))
    assert (total.planned, total.settled) == (D("60141.67"), D("60950.00"))
    # planned %: 2,800.00 / 60,141.67 = 4.6557 % → 4.66; 1,000.00 / 60,141.67 = 1.6627 % → 1.66;
    # 56,341.67 / 60,141.67 = 93.6816 % → 93.68; total 100.00
    assert own.planned_percent == D("4.66")
    assert third.planned_percent == D("1.66")
    assert public.planned_percent == D("0.00")
    assert grant.planned_percent == D("93.68")
    assert total.planned_percent == D("100.00")
    # settled %: 4,283.33 / 60,950.00 = 7.0276 % → 7.03; 1,000.00 / 60,950.00 = 1.6407 % → 1.64;
    # 55,666.67 / 60,950.00 = 91.3317 % → 91.33; total 100.00
    assert own.settled_percent == D("7.03")
    assert third.settled_percent == D("1.64")
    assert public.settled_percent == D("0.00")
    assert grant.settled_percent == D("91.33")
    assert total.settled_percent == D("100.00")


def test_hand_built_result_is_underspending_due_a_month_after_the_period(world, hand_built):
    st = load(world, hand_built["proof"]).statement
    # planned: expenses 60,141.67; income 2,800.00 + 1,000.00 + 0.00 + 60,000.00 paid = 63,800.00
    # → Minderausgaben 63,800.00 − 60,141.67 = 3,658.33 (= 60,000.00 − 56,341.67)
    assert st.planned.expenses == D("60141.67")
    assert st.planned.income == D("63800.00")
    assert (st.planned.less, st.planned.more) == (D("3658.33"), D("0.00"))
    # settled: expenses 60,950.00; income 4,283.33 + 1,000.00 + 0.00 + 60,000.00 = 65,283.33
    # → Minderausgaben 65,283.33 − 60,950.00 = 4,333.33 (= 60,000.00 − 55,666.67): to repay
    assert st.settled.expenses == D("60950.00")
    assert st.settled.income == D("65283.33")
    assert (st.settled.less, st.settled.more) == (D("4333.33"), D("0.00"))
    assert st.to_repay == D("4333.33")
    # 31.12.2021 + 1 month (programme.repayment_months, seed 003 §17(1))
    assert st.repayment_due_on == datetime.date(2022, 1, 31)


def test_hand_built_header(world, hand_built):
    document = load(world, hand_built["proof"])
    assert document.recipient == "Kreis Wesel"
    assert document.provider == "Kreis Wesel Träger A"
    assert document.programme == "KIM 2021"
    assert document.reference == "36.3.6-KIM-1-2021"
    assert document.contract_date == datetime.date(2021, 3, 1)
    assert not document.consolidated


# --- seed figures -----------------------------------------------------------------------------


def voerde(paid: str) -> ProofData:
    """Seed 003, Voerde: 1.0 FTE case management all year 2021 at 55,000; actual staff costs
    63,500, material 10,000 (not eligible)."""
    return ProofData(
        *Y2021,
        month_rule="any_day",
        rates=RATES_2021,
        repayment_months=1,
        staff=(PositionCost(1, "case_manager", D("1.00"), *Y2021, "", D("55000.00"), D("63500.00")),),
        material=(MaterialCost("other", D("10000.00"), D("0.00"), D("10000.00"), D("0.00")),),
        paid=D(paid),
    )


def test_voerde_own_share_is_18500():
    st = compute(voerde("55000.00"))
    # 12 months × 55,000 / 12 = 55,000.00; eligible min(63,500.00, 55,000.00) = 55,000.00
    assert st.staff_rows[0].months == 12
    assert st.grant_settled == D("55000.00")
    # own share 63,500 + 10,000 − 55,000 = 18,500.00
    assert st.income_row("own_share").settled == D("18500.00")
    # expenses 73,500.00; own 18,500.00 / 73,500.00 = 25.17 %; grant 74.83 %
    assert st.expenses_settled == D("73500.00")
    assert st.income_row("own_share").settled_percent == D("25.17")
    assert st.income_row("state_grant").settled_percent == D("74.83")
    # paid exactly the grant: neither over- nor underspending
    assert (st.settled.less, st.settled.more) == (D("0.00"), D("0.00"))


def test_voerde_with_less_paid_out_is_overspending():
    st = compute(voerde("50000.00"))
    # income 18,500 + 50,000 = 68,500.00 < expenses 73,500.00 → Mehrausgaben 5,000.00
    assert st.settled.income == D("68500.00")
    assert (st.settled.more, st.settled.less) == (D("5000.00"), D("0.00"))
    assert st.to_repay == D("0.00")


def test_the_issues_worked_example_seven_positions():
    data = ProofData(
        *Y2021,
        month_rule="any_day",
        rates=RATES_2021,
        repayment_months=1,
        staff=(PositionCost(1, "case_manager", D("7.00"), datetime.date(2021, 2, 16), Y2021[1], "", D("0"), D("0")),),
    )
    # 7.0 × 55,000 × 11 / 12 = 352,916.666… → 352,916.67
    assert compute(data).grant_planned == D("352916.67")


def test_the_month_rule_of_the_programme_counts():
    data = ProofData(
        *Y2021,
        month_rule="full_month",
        rates=RATES_2021,
        repayment_months=2,
        staff=(PositionCost(1, "case_manager", D("1.00"), datetime.date(2021, 2, 16), Y2021[1], "", D("0"), D("0")),),
    )
    st = compute(data)
    # February is not complete: Mar … Dec = 10 months; 55,000 × 10 / 12 = 45,833.33
    assert st.staff_rows[0].months == 10
    assert st.grant_planned == D("45833.33")
    # two months after 31.12.2021: 28.02.2022 (the month's last day)
    assert st.repayment_due_on == datetime.date(2022, 2, 28)


def test_a_missing_rate_is_named():
    data = ProofData(
        *Y2021,
        month_rule="any_day",
        rates={"case_manager": {2020: D("55000")}},
        repayment_months=1,
        staff=(PositionCost(1, "case_manager", D("1.00"), *Y2021, "", D("0"), D("0")),),
    )
    with pytest.raises(MissingRate) as caught:
        compute(data)
    assert (caught.value.position_type, caught.value.year) == ("case_manager", 2021)


def test_an_empty_proof_has_zero_percentages():
    st = compute(ProofData(*Y2021, month_rule="any_day", rates={}, repayment_months=1))
    assert all(row.planned_percent == 0 and row.settled_percent == 0 for row in st.income)
    assert st.staff_groups == ()


# --- consolidated -----------------------------------------------------------------------------


@pytest.fixture
def second_provider(world, hand_built):  # type: ignore[no-untyped-def]
    """Träger B: coordination 1.00 FTE 01.01.–30.06.2021 → 6 months → 27,500.00; actual 30,000.00
    (eligible 27,500.00); other public funding 2,000.00 settled (none planned); 25,000.00 paid
    on 01.10.2021 (plus the 7,000.00 of 03.05.2021 from the fixture) → paid 32,000.00."""
    w = world.wesel
    clerk = w.users[Role.FUNDING_CLERK]
    programme = hand_built["programme"]
    e = position(world, programme, w.other_provider, "coordinator", "1.00", Y2021[0], datetime.date(2021, 6, 30))
    # the fixture gave Träger B an open case-management position from 01.01.2021 as well; end it
    # before the period starts so that this proof holds coordination only
    Position.objects.filter(provider=w.other_provider, position_type="case_manager").update(
        starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 12, 31)
    )
    payment(world, programme, w.other_provider, datetime.date(2021, 10, 1), "25000.00", datetime.date(2021, 10, 1))
    proof = services_proof.proof_create(
        actor=clerk,
        tenant=w.tenant,
        programme=programme,
        provider=w.other_provider,
        period_start=Y2021[0],
        period_end=Y2021[1],
    )
    (line,) = proof.staff_lines.all()
    assert line.position_id == e.pk and line.planned_total == D("27500.00")
    services_proof.proof_update(
        proof,
        actor=clerk,
        expected_version=proof.version,
        fields={"public_grant_name": "Stadt Wesel", "public_grant_actual": D("2000.00")},
        staff={line.pk: D("30000.00")},
        material={},
    )
    return proof


def test_second_provider_by_hand(world, second_provider):
    st = load(world, second_provider).statement
    # expenses 30,000.00; grant 27,500.00; own 30,000.00 − 0 − 2,000.00 − 27,500.00 = 500.00
    assert st.expenses_settled == D("30000.00")
    assert st.grant_settled == D("27500.00")
    assert st.income_row("own_share").settled == D("500.00")
    # planned: expenses 27,500.00 = grant → own share 0.00
    assert st.income_row("own_share").planned == D("0.00")
    # paid 7,000.00 + 25,000.00 = 32,000.00 > grant 27,500.00 → Minderausgaben 4,500.00
    assert st.paid == D("32000.00")
    assert st.settled.less == D("4500.00")


def test_consolidated_is_the_sum_of_the_two_providers(world, hand_built, second_provider):
    ctx = clerk_ctx(world)
    one = load(world, hand_built["proof"]).statement
    two = load(world, second_provider).statement
    document = load_consolidated(ctx, hand_built["programme"], *Y2021)
    assert document is not None and document.consolidated
    st = document.statement
    assert document.public_grant_name == "Stadt Wesel"
    assert document.provider == ""
    # staff rows of every provider, grouped by type: case management (A), coordination (E), admin (B)
    assert [g.position_type for g in st.staff_groups] == ["case_manager", "coordinator", "admin_assistant"]
    assert sorted(r.line_id for r in st.staff_rows) == sorted(r.line_id for r in (*one.staff_rows, *two.staff_rows))
    assert {r.provider for r in st.staff_rows} == {"Kreis Wesel Träger A", "Kreis Wesel Träger B"}
    # every additive figure is the sum of the providers'
    assert st.staff == one.staff + two.staff
    assert st.staff_fte == one.staff_fte + two.staff_fte
    assert st.material == one.material + two.material
    for name in ("expenses_planned", "expenses_settled", "grant_planned", "grant_settled", "paid"):
        assert getattr(st, name) == getattr(one, name) + getattr(two, name), name
    for key in ("own_share", "third_party", "public_grant", "state_grant", "total"):
        for column in ("planned", "settled"):
            mine = getattr(st.income_row(key), column)
            assert mine == getattr(one.income_row(key), column) + getattr(two.income_row(key), column), key
    # and by hand: settled staff 57,000.00 + 30,000.00 = 87,000.00, eligible 55,416.67 + 27,500.00
    # = 82,916.67; expenses 60,950.00 + 30,000.00 = 90,950.00; grant 55,666.67 + 27,500.00 =
    # 83,166.67; own 4,283.33 + 500.00 = 4,783.33; paid 60,000.00 + 32,000.00 = 92,000.00
    assert st.staff.settled_total == D("87000.00")
    assert st.staff.settled_eligible == D("82916.67")
    assert st.expenses_settled == D("90950.00")
    assert st.grant_settled == D("83166.67")
    assert st.income_row("own_share").settled == D("4783.33")
    assert st.paid == D("92000.00")
    # income 4,783.33 + 1,000.00 + 2,000.00 + 92,000.00 = 99,783.33 − 90,950.00 = 8,833.33
    # (= 4,333.33 + 4,500.00, the providers' Minderausgaben)
    assert st.settled.income == D("99783.33")
    assert st.settled.less == D("8833.33")
    # percentages are of the consolidated total: 4,783.33 / 90,950.00 = 5.2593 % → 5.26
    assert st.income_row("own_share").settled_percent == D("5.26")


def test_consolidated_without_proofs_is_none_and_other_periods_do_not_mix(world, hand_built):
    ctx = clerk_ctx(world)
    assert load_consolidated(ctx, hand_built["programme"], Y2021[0], datetime.date(2021, 6, 30)) is None


def test_consolidated_ticks_a_box_only_when_every_provider_confirmed(world, hand_built, second_provider):
    clerk = world.wesel.users[Role.FUNDING_CLERK]
    for proof in (hand_built["proof"], second_provider):
        proof.refresh_from_db()
        services_proof.proof_update(
            proof, actor=clerk, expected_version=proof.version, fields={"confirm_economy": True}, staff={}, material={}
        )
    proof = hand_built["proof"]
    proof.refresh_from_db()
    services_proof.proof_update(
        proof, actor=clerk, expected_version=proof.version, fields={"confirm_conditions": True}, staff={}, material={}
    )
    document = load_consolidated(clerk_ctx(world), hand_built["programme"], *Y2021)
    assert document is not None
    ticked = dict(document.confirmations)
    assert ticked["confirm_economy"] is True
    assert ticked["confirm_conditions"] is False


# --- activity figures (I) ---------------------------------------------------------------------


def test_activity_figures_count_the_providers_cases_of_the_period(world):
    """The world's proof covers the current year; its provider has the world's case (opened 30
    days ago, open, one goal "work", one contact and one referral today) and the tenant one
    theme on level 1. The other provider has no case."""
    proof = world.wesel.objects["proof"]
    case = world.wesel.case
    activity = load(world, proof).statement.activity
    assert activity is not None
    assert activity.active == 1
    assert activity.opened == (1 if case.opened_on >= proof.period_start else 0)
    assert activity.closed == 0
    assert dict(activity.by_domain)["work"] == 1
    assert activity.contacts == 1
    assert activity.referrals == 1
    assert sum(n for _status, n in activity.referrals_by_status) == 1
    assert {level: n for level, _name, n in activity.themes_by_level}[1] == 1
    # the consolidated proof counts the whole tenant
    ctx = clerk_ctx(world)
    document = load_consolidated(ctx, proof.programme, proof.period_start, proof.period_end)
    assert document is not None and document.statement.activity is not None
    assert document.statement.activity.active == 1


def test_a_proof_is_read_only_through_the_own_tenant(world):
    """The Coesfeld clerk's scope does not hold the Wesel proof."""
    ctx = clerk_ctx(world, "coesfeld")
    assert not proofs_with_lines(ctx).filter(pk=world.wesel.objects["proof"].pk).exists()
