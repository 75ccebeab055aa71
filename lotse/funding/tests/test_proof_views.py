"""Proof of use pages: a clerk creates and edits a proof (all lines in one form, all or nothing),
bad input and stale versions change nothing, coordinators read and download only, other
tenants' proofs do not exist here, a repayment claim is made once, and the detail page runs the
same number of queries for 1 and for 10 positions. ``as_role`` (English pages) is the fixture of
``lotse/funding/tests/conftest.py``.

The world's proof (root ``conftest._funding_world``): Kreis Wesel, programme of the current year
(flat rates 55,000 / 55,000 / 22,500), Träger A with one case-management position 1.00 FTE from
1 January (12 months → 55,000.00), actual costs 60,000.00; one payment call not yet received."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lotse.audit.models import AuditEvent
from lotse.funding.models import (
    MaterialCostLine,
    PaymentCall,
    Position,
    ProofOfUse,
    RepaymentClaim,
    StaffCostLine,
)
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db
D = Decimal


def url(world: Any, name: str, tenant: str = "wesel", **kwargs: Any) -> str:
    return reverse(f"funding:{name}", kwargs={"tenant": getattr(world, tenant).tenant.slug, **kwargs})


@pytest.fixture
def clerk(as_role) -> Client:  # type: ignore[no-untyped-def]
    return as_role(Role.FUNDING_CLERK)


def snapshot(proof: ProofOfUse) -> tuple[Any, ...]:
    proof.refresh_from_db()
    return (
        proof.version,
        proof.third_party_actual,
        proof.activity_report,
        tuple(StaffCostLine.objects.filter(proof=proof).order_by("pk").values_list("actual_total", flat=True)),
        tuple(
            MaterialCostLine.objects.filter(proof=proof)
            .order_by("category")
            .values_list("planned_total", "planned_eligible", "actual_total", "actual_eligible")
        ),
    )


def edit_data(proof: ProofOfUse, **overrides: str) -> dict[str, str]:
    """A complete, valid edit form for the proof (as the page would post it)."""
    data = {
        "version": str(proof.version),
        "contract_date": "",
        "activity_report": "Aufbau des Case Managements.",
        "third_party_planned": "0",
        "third_party_actual": "0",
        "public_grant_name": "",
        "public_grant_planned": "0",
        "public_grant_actual": "0",
    }
    for line in StaffCostLine.objects.filter(proof=proof):
        data[f"staff_{line.pk}"] = str(line.actual_total)
    for category in ("workplace", "office", "other"):
        for column in ("planned_total", "planned_eligible", "actual_total", "actual_eligible"):
            data[f"material_{category}_{column}"] = "0"
    data.update(overrides)
    return data


# --- create -----------------------------------------------------------------------------------


def test_clerk_creates_a_proof_with_its_lines(world, clerk):
    w = world.wesel
    programme = w.objects["programme"]
    year = programme.starts_on.year
    position = Position.objects.create(
        tenant=w.tenant,
        provider=w.other_provider,
        programme=programme,
        position_type="admin_assistant",
        fte=D("0.50"),
        starts_on=datetime.date(year, 7, 1),
    )
    response = clerk.get(url(world, "proof_create"))
    assert response.status_code == 200
    # the period left empty: the programme's funding period
    response = clerk.post(url(world, "proof_create"), {"programme": programme.pk, "provider": w.other_provider.pk})
    proof = ProofOfUse.objects.get(provider=w.other_provider)
    assert response.status_code == 302
    assert response["Location"] == url(world, "proof_edit", pk=proof.pk)
    assert (proof.period_start, proof.period_end) == (programme.starts_on, programme.ends_on)
    (line,) = proof.staff_lines.all()
    # 0.50 × 22,500 × 6 (Jul … Dec) / 12 = 5,625.00
    assert (line.position_id, line.planned_total, line.actual_total) == (position.pk, D("5625.00"), D("0.00"))
    assert proof.material_lines.count() == 3
    assert AuditEvent.objects.filter(action="funding.proof_saved", object_id=str(proof.pk)).exists()
    # the same provider, programme and period again: refused on the form, nothing created
    response = clerk.post(url(world, "proof_create"), {"programme": programme.pk, "provider": w.other_provider.pk})
    assert response.status_code == 200
    assert "exists already" in response.content.decode()
    assert ProofOfUse.objects.filter(provider=w.other_provider).count() == 1


def test_create_refuses_foreign_and_impossible_choices(world, clerk):
    w = world.wesel
    before = ProofOfUse.objects.count()
    for data in (
        {"programme": world.coesfeld.objects["programme"].pk, "provider": w.other_provider.pk},
        {"programme": w.objects["programme"].pk, "provider": world.coesfeld.provider.pk},
        {"programme": "99999999999999999999", "provider": "x"},
        {
            "programme": w.objects["programme"].pk,
            "provider": w.other_provider.pk,
            "period_start": "2031-02-01",
            "period_end": "2031-01-01",
        },
    ):
        response = clerk.post(url(world, "proof_create"), data)
        assert response.status_code == 200, data
    assert ProofOfUse.objects.count() == before


# --- edit -------------------------------------------------------------------------------------


def test_edit_saves_everything_and_accepts_the_german_decimal_comma(world, clerk):
    proof = world.wesel.objects["proof"]
    (line,) = StaffCostLine.objects.filter(proof=proof)
    response = clerk.get(url(world, "proof_edit", pk=proof.pk))
    assert response.status_code == 200
    assert f'name="staff_{line.pk}"' in response.content.decode()
    data = edit_data(
        proof,
        **{
            f"staff_{line.pk}": "52.000,50",
            "third_party_actual": "1.000",
            "material_other_planned_total": "1500,5",
            "material_other_planned_eligible": "1,234.56",
            "material_office_actual_total": "600",
            "material_office_actual_eligible": "250,00 €",
            "confirm_economy": "on",
        },
    )
    response = clerk.post(url(world, "proof_edit", pk=proof.pk), data)
    assert response.status_code == 302
    proof.refresh_from_db()
    line.refresh_from_db()
    assert line.actual_total == D("52000.50")
    assert proof.third_party_actual == D("1000.00")
    assert proof.confirm_economy is True and proof.confirm_conditions is False
    assert proof.activity_report == "Aufbau des Case Managements."
    material = {m.category: m for m in proof.material_lines.all()}  # created by the save (the world had none)
    assert (material["other"].planned_total, material["other"].planned_eligible) == (D("1500.50"), D("1234.56"))
    assert (material["office"].actual_total, material["office"].actual_eligible) == (D("600.00"), D("250.00"))
    assert proof.version == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("material_workplace_actual_eligible", "2000", "must not exceed the total"),
        ("third_party_actual", "-5", "must not be negative"),
        ("staff", "-1,00", "must not be negative"),
        ("staff", "abc", "Enter an amount in euros"),
        ("staff", "1.234.56", "Enter an amount in euros"),
        ("staff", "12,345", None),  # 12,345.00 (a thousands separator): valid
        ("staff", "1,234", None),
        ("staff", "0,001", "Enter an amount in euros"),
        ("staff", "99999999999", "too large"),
        ("staff", "", "Enter an amount in euros (0 if there is none)"),
    ],
)
def test_bad_input_shows_a_message_and_changes_nothing(world, clerk, field, value, message):
    proof = world.wesel.objects["proof"]
    (line,) = StaffCostLine.objects.filter(proof=proof)
    name = f"staff_{line.pk}" if field == "staff" else field
    overrides = {name: value, "material_workplace_actual_total": "1000", "activity_report": "Neu"}
    before = snapshot(proof)
    response = clerk.post(url(world, "proof_edit", pk=proof.pk), edit_data(proof, **overrides))
    if message is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot(proof) == before  # the valid fields of the same form were not saved either


def test_a_stale_version_is_a_conflict_and_changes_nothing(world, clerk):
    proof = world.wesel.objects["proof"]
    (line,) = StaffCostLine.objects.filter(proof=proof)
    loaded = edit_data(proof, **{f"staff_{line.pk}": "61000"})
    # someone else saves first
    assert (
        clerk.post(url(world, "proof_edit", pk=proof.pk), edit_data(proof, third_party_actual="500")).status_code == 302
    )
    before = snapshot(proof)
    response = clerk.post(url(world, "proof_edit", pk=proof.pk), loaded)
    assert response.status_code == 200
    assert "saved this record while you were editing" in response.content.decode()
    assert snapshot(proof) == before
    line.refresh_from_db()
    assert line.actual_total == D("60000.00")


# --- reading: coordinators and other tenants ---------------------------------------------------


def test_coordinator_reads_and_downloads_but_does_not_edit(world, as_role):
    client = as_role(Role.COORDINATOR)
    proof = world.wesel.objects["proof"]
    response = client.get(url(world, "proof_detail", pk=proof.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "I. Activity report" in page and "III. Result" in page
    assert "55,000.00" in page  # the flat-rate grant, English page
    assert url(world, "proof_edit", pk=proof.pk) not in page
    assert client.get(url(world, "proof_list")).status_code == 200
    assert client.get(url(world, "proof_pdf", pk=proof.pk)).status_code == 200
    assert client.get(url(world, "proof_xlsx", pk=proof.pk)).status_code == 200
    before = snapshot(proof)
    assert client.get(url(world, "proof_edit", pk=proof.pk)).status_code == 403
    assert client.post(url(world, "proof_edit", pk=proof.pk), edit_data(proof)).status_code == 403
    assert client.post(url(world, "proof_claim", pk=proof.pk), {"confirm": "1"}).status_code == 403
    assert client.post(url(world, "proof_delete", pk=proof.pk), {"confirm": "1"}).status_code == 403
    assert client.get(url(world, "proof_create")).status_code == 403
    assert snapshot(proof) == before


def test_a_case_manager_reaches_no_proof(world, as_role):
    client = as_role(Role.CASE_MANAGER)
    proof = world.wesel.objects["proof"]
    assert client.get(url(world, "proof_detail", pk=proof.pk)).status_code == 403
    assert client.get(url(world, "proof_list")).status_code == 403


def test_a_coesfeld_proof_does_not_exist_under_wesel(world, clerk):
    foreign = world.coesfeld.objects["proof"]
    before = snapshot(foreign)
    for name in ("proof_detail", "proof_edit", "proof_pdf", "proof_xlsx", "proof_delete"):
        assert clerk.get(url(world, name, pk=foreign.pk)).status_code == 404, name
    for name in ("proof_edit", "proof_claim", "proof_delete"):
        assert clerk.post(url(world, name, pk=foreign.pk), {"confirm": "1"}).status_code == 404, name
    assert clerk.get(url(world, "proof_detail", pk=2**63 + 5)).status_code == 404
    assert snapshot(foreign) == before
    assert not RepaymentClaim.objects.filter(proof=foreign).exists()


# --- repayment claim --------------------------------------------------------------------------


def test_the_repayment_claim_is_created_once(world, clerk):
    proof = world.wesel.objects["proof"]
    year = proof.period_start.year
    # 60,000.00 received in the period; settled grant min(60,000.00, 55,000.00) = 55,000.00
    # → Minderausgaben 60,000.00 − 55,000.00 = 5,000.00, due 31.12. + 1 month = 31.01. next year
    PaymentCall.objects.filter(pk=world.wesel.objects["payment"].pk).update(
        received_on=datetime.date(year, 5, 2), received_amount=D("60000.00")
    )
    page = clerk.get(url(world, "proof_detail", pk=proof.pk)).content.decode()
    assert "Create repayment claim" in page
    # without the confirmation nothing is created
    response = clerk.post(url(world, "proof_claim", pk=proof.pk), follow=True)
    assert "Tick the box to confirm the repayment claim" in response.content.decode()
    assert not RepaymentClaim.objects.filter(proof=proof).exists()
    response = clerk.post(url(world, "proof_claim", pk=proof.pk), {"confirm": "1"})
    assert response.status_code == 302
    claim = RepaymentClaim.objects.get(proof=proof)
    assert response["Location"] == url(world, "claim_detail", pk=claim.pk)
    assert claim.amount == D("5000.00")
    assert claim.due_on == datetime.date(year + 1, 1, 31)
    assert claim.interest_from == datetime.date(year + 1, 2, 1)
    assert (claim.programme_id, claim.provider_id, claim.tenant_id) == (
        proof.programme_id,
        proof.provider_id,
        proof.tenant_id,
    )
    assert AuditEvent.objects.filter(action="funding.claim_saved", object_id=str(claim.pk)).exists()
    # a second claim for the same proof is refused
    response = clerk.post(url(world, "proof_claim", pk=proof.pk), {"confirm": "1"}, follow=True)
    assert "already created" in response.content.decode()
    assert RepaymentClaim.objects.filter(proof=proof).count() == 1
    page = clerk.get(url(world, "proof_detail", pk=proof.pk)).content.decode()
    assert "Create repayment claim" not in page


def test_no_claim_without_underspending(world, clerk):
    proof = world.wesel.objects["proof"]  # nothing received: Mehrausgaben, nothing to reclaim
    response = clerk.post(url(world, "proof_claim", pk=proof.pk), {"confirm": "1"}, follow=True)
    assert "nothing to reclaim" in response.content.decode()
    assert not RepaymentClaim.objects.filter(proof=proof).exists()


# --- delete -----------------------------------------------------------------------------------


def test_delete_needs_the_confirmation(world, clerk):
    proof = world.wesel.objects["proof"]
    assert clerk.get(url(world, "proof_delete", pk=proof.pk)).status_code == 200
    response = clerk.post(url(world, "proof_delete", pk=proof.pk))
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert ProofOfUse.objects.filter(pk=proof.pk).exists()
    response = clerk.post(url(world, "proof_delete", pk=proof.pk), {"confirm": "1"})
    assert response.status_code == 302
    assert not ProofOfUse.objects.filter(pk=proof.pk).exists()
    assert not StaffCostLine.objects.filter(proof_id=proof.pk).exists()
    assert AuditEvent.objects.filter(action="funding.proof_deleted", object_id=str(proof.pk)).exists()


# --- lists, consolidated, query counts ---------------------------------------------------------


def test_list_and_consolidated_pages(world, clerk):
    proof = world.wesel.objects["proof"]
    page = clerk.get(url(world, "proof_list")).content.decode()
    assert "Kreis Wesel Träger A" in page
    assert "Kreis Coesfeld" not in page
    assert clerk.get(url(world, "proof_consolidated")).status_code == 200
    query = {
        "programme": proof.programme_id,
        "period_start": proof.period_start.isoformat(),
        "period_end": proof.period_end.isoformat(),
    }
    response = clerk.get(url(world, "proof_consolidated"), query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "60,000.00" in page  # the actual staff costs of the one provider
    assert url(world, "proof_consolidated_pdf") in page
    # a foreign programme or nonsense: the form says so, never a 500
    for bad in ({"programme": world.coesfeld.objects["programme"].pk}, {"programme": "x", "period_start": "y"}):
        assert clerk.get(url(world, "proof_consolidated"), bad).status_code == 200


def detail_queries(client: Client, world: Any, proof: ProofOfUse) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(world, "proof_detail", pk=proof.pk))
    assert response.status_code == 200
    return len(queries)


def test_detail_query_count_does_not_grow_with_the_positions(world, clerk):
    w = world.wesel
    proof = w.objects["proof"]
    detail_queries(clerk, world, proof)  # the first request of a session does a little more
    one = detail_queries(clerk, world, proof)
    for index in range(9):
        position = Position.objects.create(
            tenant=w.tenant,
            provider=w.provider,
            programme=proof.programme,
            position_type=("case_manager", "coordinator", "admin_assistant")[index % 3],
            fte=D("0.50"),
            starts_on=proof.period_start,
            person=f"Person {index}",
        )
        StaffCostLine.objects.create(proof=proof, position=position, planned_total=D("1000.00"))
    assert StaffCostLine.objects.filter(proof=proof).count() == 10
    ten = detail_queries(clerk, world, proof)
    assert ten == one
    assert one <= 25


def test_german_pages_show_amounts_with_the_decimal_comma(world, as_role):
    client = as_role(Role.FUNDING_CLERK, language="de")
    proof = world.wesel.objects["proof"]
    page = client.get(url(world, "proof_edit", pk=proof.pk)).content.decode()
    assert 'value="60000,00"' in page


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1.500", "1500"),
        ("1,500", "1500"),
        ("1.234.567,8", "1234567.8"),
        ("0,5", "0.5"),
        (",5", "0.5"),
        ("12 345,00 €", "12345.00"),
        ("250 EUR", "250"),
    ],
)
def test_amounts_in_german_and_english_notation(text, amount):
    from lotse.funding.forms_proof import parse_money

    assert parse_money(text) == D(amount)


@pytest.mark.parametrize("text", ["abc", "1.234.56", "1,234,56", "0,001", "1.2345", "12.34.567", "1e5", "", "€"])
def test_amounts_that_are_not_amounts(text):
    from lotse.funding.forms_proof import parse_money

    with pytest.raises(ValueError, match="invalid"):
        parse_money(text)
