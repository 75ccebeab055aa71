"""The writes and reads of funding control: programmes seed their flat rates, rates are saved
all-or-nothing with a version, positions and claims refuse bad input and other tenants' records,
the base-rate table is seeded once, and the selectors combine the records into hand-checked sums."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lotse.audit.models import AuditEvent
from lotse.core.versioning import StaleObjectError
from lotse.funding import selectors, services
from lotse.funding.base_rates import OFFICIAL_BASE_RATES
from lotse.funding.models import BaseRate, FundingProgramme, FundingRate, PaymentCall, Position, RepaymentClaim
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = datetime.date.today()
YEAR = TODAY.year


def clerk(world):  # type: ignore[no-untyped-def]
    return world.wesel.users[Role.FUNDING_CLERK]


def new_programme(world, **fields):  # type: ignore[no-untyped-def]
    data = {
        "name": "KIM Baustein 1 – Koordination",
        "starts_on": datetime.date(2024, 7, 1),
        "ends_on": datetime.date(2026, 6, 30),
    } | fields
    return services.programme_create(actor=clerk(world), tenant=world.wesel.tenant, **data)


def rates(programme: FundingProgramme) -> dict[tuple[int, str], Decimal]:
    return {(r.year, r.position_type): r.annual_amount for r in FundingRate.objects.filter(programme=programme)}


# --- programmes and rates ---------------------------------------------------------------------


def test_a_new_programme_gets_the_default_rates_for_every_year(world):
    programme = new_programme(world)
    assert rates(programme) == {
        (year, kind): amount
        for year in (2024, 2025, 2026)
        for kind, amount in (
            ("case_manager", D("55000.00")),
            ("coordinator", D("55000.00")),
            ("admin_assistant", D("22500.00")),
        )
    }  # no default for the immigration office
    event = AuditEvent.objects.filter(action="funding.programme_saved", object_id=str(programme.pk)).get()
    assert event.details["rates_seeded"] == 9 and event.actor == clerk(world)


def test_programme_name_is_unique_per_tenant_and_the_period_is_checked(world):
    with pytest.raises(ValidationError) as exc:
        new_programme(world, name="KIM Baustein 2 – Case Management")  # the world's programme
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        new_programme(world, starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2024, 12, 31))
    assert "ends_on" in exc.value.message_dict
    # the same name in another district is fine
    services.programme_create(
        actor=world.coesfeld.users[Role.FUNDING_CLERK],
        tenant=world.coesfeld.tenant,
        name="KIM Baustein 1 – Koordination",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    new_programme(world)
    assert FundingProgramme.objects.filter(name="KIM Baustein 1 – Koordination").count() == 2


def test_changing_the_period_seeds_new_years_and_drops_old_ones(world):
    programme = new_programme(world)
    services.rates_save(
        programme, actor=clerk(world), expected_version=1, amounts={(2025, "case_manager"): D("56000.00")}
    )
    programme.refresh_from_db()
    services.programme_update(
        programme,
        actor=clerk(world),
        expected_version=programme.version,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    found = rates(programme)
    assert {year for year, _kind in found} == {2025, 2026, 2027}
    assert found[(2025, "case_manager")] == D("56000.00")  # kept as edited
    assert found[(2027, "admin_assistant")] == D("22500.00")  # seeded


def test_the_period_cannot_leave_out_a_position(world):
    programme = world.wesel.objects["programme"]  # its position starts on 01.01. of this year
    with pytest.raises(ValidationError) as exc, translation.override("en"):
        services.programme_update(
            programme,
            actor=clerk(world),
            expected_version=programme.version,
            starts_on=datetime.date(YEAR, 2, 1),
        )
    assert "1 position(s)" in exc.value.messages[0]
    programme.refresh_from_db()
    assert programme.starts_on == datetime.date(YEAR, 1, 1) and programme.version == 1


def test_rates_are_saved_all_or_nothing(world):
    programme = world.wesel.objects["programme"]
    before = rates(programme)
    amounts = {(YEAR, "case_manager"): D("60000.00"), (YEAR, "coordinator"): D("-1.00")}
    with pytest.raises(ValidationError):
        services.rates_save(programme, actor=clerk(world), expected_version=1, amounts=amounts)
    with pytest.raises(ValidationError):  # a year outside the period
        services.rates_save(
            programme, actor=clerk(world), expected_version=1, amounts={(YEAR + 1, "case_manager"): D("1.00")}
        )
    assert rates(programme) == before
    changed = services.rates_save(
        programme,
        actor=clerk(world),
        expected_version=1,
        amounts={
            (YEAR, "case_manager"): D("60000.00"),  # changed
            (YEAR, "coordinator"): D("55000.00"),  # as before
            (YEAR, "admin_assistant"): None,  # removed
            (YEAR, "immigration_office"): D("30000.00"),  # added
        },
    )
    assert changed == 3
    assert rates(programme) == {
        (YEAR, "case_manager"): D("60000.00"),
        (YEAR, "coordinator"): D("55000.00"),
        (YEAR, "immigration_office"): D("30000.00"),
    }
    programme.refresh_from_db()
    assert programme.version == 2
    event = AuditEvent.objects.filter(action="funding.rates_saved").get()
    assert event.details["count"] == 3


def test_a_stale_rates_save_changes_nothing(world):
    programme = world.wesel.objects["programme"]
    services.rates_save(programme, actor=clerk(world), expected_version=1, amounts={(YEAR, "case_manager"): D("1.00")})
    with pytest.raises(StaleObjectError):
        services.rates_save(
            programme, actor=clerk(world), expected_version=1, amounts={(YEAR, "case_manager"): D("2.00")}
        )
    assert rates(programme)[(YEAR, "case_manager")] == D("1.00")


# --- positions --------------------------------------------------------------------------------


def position_data(world, **fields):  # type: ignore[no-untyped-def]
    return {
        "provider": world.wesel.other_provider,
        "programme": world.wesel.objects["programme"],
        "position_type": "coordinator",
        "fte": D("0.50"),
        "starts_on": datetime.date(YEAR, 3, 1),
        "ends_on": datetime.date(YEAR, 8, 31),
        "person": "  Erika Muster ",
        "additional_staff": True,
    } | fields


def test_position_create_writes_an_audit_event_without_the_person(world):
    position = services.position_create(actor=clerk(world), tenant=world.wesel.tenant, **position_data(world))
    assert position.person == "Erika Muster"
    event = AuditEvent.objects.filter(action="funding.position_saved", object_id=str(position.pk)).get()
    assert event.details == {
        "created": True,
        "programme": position.programme_id,
        "provider": world.wesel.other_provider.pk,
        "type": "coordinator",
        "fte": "0.50",
    }
    assert "Muster" not in str(event.details)


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"fte": D("0")}, "fte"),
        ({"fte": D("100.01")}, "fte"),
        ({"fte": D("0.125")}, "fte"),
        ({"ends_on": datetime.date(YEAR, 2, 1)}, "ends_on"),  # before the start
        ({"starts_on": datetime.date(YEAR - 1, 12, 1)}, "starts_on"),  # before the programme
        ({"ends_on": datetime.date(YEAR + 1, 1, 31)}, "starts_on"),  # after the programme
        ({"position_type": "janitor"}, "position_type"),
    ],
)
def test_position_create_refuses_bad_input(world, fields, error_field):
    with pytest.raises(ValidationError) as exc:
        services.position_create(actor=clerk(world), tenant=world.wesel.tenant, **position_data(world, **fields))
    assert error_field in exc.value.message_dict
    assert Position.objects.filter(tenant=world.wesel.tenant).count() == 1


def test_position_create_refuses_another_tenants_provider_and_programme(world):
    for fields in ({"provider": world.coesfeld.provider}, {"programme": world.coesfeld.objects["programme"]}):
        with pytest.raises(ValidationError):
            services.position_create(actor=clerk(world), tenant=world.wesel.tenant, **position_data(world, **fields))
    assert Position.objects.filter(tenant=world.wesel.tenant).count() == 1


def test_position_update_is_versioned(world):
    position = world.wesel.objects["position"]
    services.position_update(position, actor=clerk(world), expected_version=1, fte=D("0.80"))
    with pytest.raises(StaleObjectError) as exc:
        services.position_update(position, actor=clerk(world), expected_version=1, fte=D("0.60"))
    assert exc.value.changed["fte"] == (D("0.60"), D("0.80"))
    position.refresh_from_db()
    assert position.fte == D("0.80") and position.version == 2


def test_a_position_in_a_proof_of_use_is_not_deleted(world):
    position = world.wesel.objects["position"]  # has a staff cost line in the world's proof
    with pytest.raises(ValidationError):
        services.position_delete(position, actor=clerk(world))
    assert Position.objects.filter(pk=position.pk).exists()
    other = services.position_create(actor=clerk(world), tenant=world.wesel.tenant, **position_data(world))
    pk = other.pk
    services.position_delete(other, actor=clerk(world))
    assert not Position.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="funding.position_deleted", object_id=str(pk)).exists()


# --- payment calls ----------------------------------------------------------------------------


def test_payment_received_needs_date_and_amount(world):
    data = {
        "programme": world.wesel.objects["programme"],
        "provider": world.wesel.provider,
        "due_on": datetime.date(YEAR, 10, 1),
        "planned_amount": D("27500.00"),
        "received_on": datetime.date(YEAR, 10, 5),
    }
    with pytest.raises(ValidationError):
        services.payment_create(actor=clerk(world), tenant=world.wesel.tenant, **data)
    payment = services.payment_create(
        actor=clerk(world), tenant=world.wesel.tenant, **data, received_amount=D("27500.00")
    )
    assert payment.received_amount == D("27500.00")
    with pytest.raises(ValidationError):
        services.payment_create(
            actor=clerk(world), tenant=world.wesel.tenant, **(data | {"provider": world.coesfeld.provider})
        )
    assert PaymentCall.objects.filter(tenant=world.wesel.tenant).count() == 2


def test_payment_summary_per_programme_and_provider(world, ctx):
    w = world.wesel
    programme = w.objects["programme"]
    # provider A: the world's position, 1.00 FTE case management all year: 1 × 55,000 × 12 / 12 = 55,000.00
    # provider B: 0.5 FTE coordination 01.03.–31.08. = 6 months: 0.5 × 55,000 × 6 / 12 = 13,750.00
    services.position_create(actor=clerk(world), tenant=w.tenant, **position_data(world))
    # provider A: called 27,500 (world, open) + 27,500 received on 05.10.
    services.payment_create(
        actor=clerk(world),
        tenant=w.tenant,
        programme=programme,
        provider=w.provider,
        due_on=datetime.date(YEAR, 10, 1),
        planned_amount=D("27500.00"),
        received_on=datetime.date(YEAR, 10, 5),
        received_amount=D("27500.00"),
    )
    listing = selectors.payment_list(ctx())
    summary = [(r.provider.name, r.granted, r.called, r.received, r.open) for r in listing.summary]
    assert summary == [
        (w.provider.name, D("55000.00"), D("55000.00"), D("27500.00"), D("27500.00")),
        (w.other_provider.name, D("13750.00"), D("0.00"), D("0.00"), D("13750.00")),
    ]
    assert listing.totals is not None
    assert (listing.totals.granted, listing.totals.called, listing.totals.received, listing.totals.open) == (
        D("68750.00"),
        D("55000.00"),
        D("27500.00"),
        D("41250.00"),
    )
    # only Kreis Wesel's calls
    assert {c.tenant_id for c in listing.calls} == {w.tenant.pk}


# --- base rates and claims --------------------------------------------------------------------


def test_base_rates_are_seeded_once_from_the_official_values(world):
    tenant = world.wesel.tenant
    BaseRate.objects.filter(tenant=tenant).delete()
    assert services.ensure_base_rates(tenant) == len(OFFICIAL_BASE_RATES)
    assert BaseRate.objects.get(tenant=tenant, valid_from=datetime.date(2023, 7, 1)).rate == D("3.12")
    assert services.ensure_base_rates(tenant) == 0  # a table with entries is left alone
    assert BaseRate.objects.filter(tenant=tenant).count() == len(OFFICIAL_BASE_RATES)
    # Coesfeld's table is its own
    assert BaseRate.objects.filter(tenant=world.coesfeld.tenant).count() == 1


def test_a_base_rate_date_is_unique_per_tenant(world):
    tenant = world.wesel.tenant
    with pytest.raises(ValidationError) as exc:
        services.base_rate_add(actor=clerk(world), tenant=tenant, valid_from=datetime.date(2026, 1, 1), rate=D("2.00"))
    assert "valid_from" in exc.value.message_dict
    assert BaseRate.objects.get(tenant=tenant, valid_from=datetime.date(2026, 1, 1)).rate == D("1.27")
    added = services.base_rate_add(
        actor=clerk(world), tenant=tenant, valid_from=datetime.date(2026, 7, 1), rate=D("1.27")
    )
    services.base_rate_delete(added, actor=clerk(world))
    assert not BaseRate.objects.filter(pk=added.pk).exists()


def test_claim_interest_uses_the_tenants_base_rates_and_the_programmes_points(world, ctx):
    tenant = world.wesel.tenant
    BaseRate.objects.filter(tenant=tenant).delete()
    services.ensure_base_rates(tenant)
    claim = services.claim_create(
        actor=clerk(world),
        tenant=tenant,
        programme=world.wesel.objects["programme"],
        provider=world.wesel.provider,
        reason="Nicht verbrauchte Mittel 2022",
        amount=D("10000.00"),
        due_on=datetime.date(2023, 5, 31),
        interest_from=datetime.date(2023, 6, 1),
        paid_on=datetime.date(2023, 8, 1),
    )
    # official: 1.62 from 01.01.2023, 3.12 from 01.07.2023; 30 days at 6.62 % + 31 days at 8.12 %
    # = (662 × 30 + 812 × 31) / 365 = 45,032 / 365 = 123.3753… → 123.38 (until the repayment)
    found = selectors.claim_interest(claim, selectors.base_rate_table(ctx()), TODAY)
    assert found.until == datetime.date(2023, 8, 1)
    assert found.total == D("123.38") and found.with_interest == D("10123.38")
    # another programme with 9 points: 30 × 10.62 % + 31 × 12.12 % = (1,062 × 30 + 1,212 × 31) / 365
    # = (31,860 + 37,572) / 365 = 69,432 / 365 = 190.2246… → 190.22
    FundingProgramme.objects.filter(pk=claim.programme_id).update(interest_points=D("9.00"))
    claim = RepaymentClaim.objects.select_related("programme").get(pk=claim.pk)
    assert selectors.claim_interest(claim, selectors.base_rate_table(ctx()), TODAY).total == D("190.22")


def test_claim_without_a_base_rate_reports_the_day(world, ctx):
    claim = world.wesel.objects["claim"]
    RepaymentClaim.objects.filter(pk=claim.pk).update(interest_from=datetime.date(2025, 12, 1))
    claim.refresh_from_db()
    found = selectors.claim_interest(claim, selectors.base_rate_table(ctx()), datetime.date(2026, 3, 1))
    assert found.interest is None and found.missing_day == datetime.date(2025, 12, 1)


def test_claims_refuse_other_tenants_and_are_versioned(world):
    w = world.wesel
    data = {
        "programme": world.coesfeld.objects["programme"],
        "provider": w.provider,
        "reason": "x",
        "amount": D("1.00"),
        "due_on": TODAY,
        "interest_from": TODAY,
    }
    with pytest.raises(ValidationError):
        services.claim_create(actor=clerk(world), tenant=w.tenant, **data)
    with pytest.raises(ValidationError):
        services.claim_create(
            actor=clerk(world), tenant=w.tenant, **(data | {"programme": w.objects["programme"], "amount": D("0.00")})
        )
    claim = w.objects["claim"]
    services.claim_update(claim, actor=clerk(world), expected_version=1, paid_on=datetime.date(2026, 3, 2))
    with pytest.raises(StaleObjectError):
        services.claim_update(claim, actor=clerk(world), expected_version=1, amount=D("5.00"))
    claim.refresh_from_db()
    assert (claim.amount, claim.paid_on, claim.version) == (D("1000.00"), datetime.date(2026, 3, 2), 2)


# --- overview ---------------------------------------------------------------------------------


def test_overview_sums_per_programme(world, ctx):
    w = world.wesel
    services.position_create(actor=clerk(world), tenant=w.tenant, **position_data(world))
    day = datetime.date(YEAR, 6, 15)
    rows = selectors.overview(ctx(), today=day)
    assert len(rows) == 1
    row = rows[0]
    # on 15.06.: the world's 1.00 FTE case manager and the 0.50 FTE coordinator (01.03.–31.08.)
    assert row.day == day and row.positions == 2
    assert row.fte_columns == [D("1.00"), D("0.50"), D("0.00"), D("0.00")]
    assert row.granted == D("68750.00")  # 55,000.00 + 13,750.00 as above
    assert (row.called, row.received) == (D("27500.00"), D("0.00"))
    # the world's claim: 1,000 from 01.02.2026 at 1.27 + 5 = 6.27 %, until 15.06. of this year
    days = (day - datetime.date(2026, 2, 1)).days
    expected = (D("1000") * D("6.27") / 100 * days / 365).quantize(D("0.01"))
    assert row.open_claims == 1 and row.open_claim_amount == D("1000.00")
    assert row.open_claim_interest == (expected if days > 0 else D("0.00"))
