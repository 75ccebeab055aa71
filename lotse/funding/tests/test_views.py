"""The funding clerk's pages: programmes with seeded flat rates, rates typed the German or the
English way, positions refused with clear messages when the input is bad (nothing written), stale
edits answered with the conflict table, coordinators reading but not writing, other tenants' ids
unknown, no case page for the funding clerk, and a bounded number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import override

from lotse.audit.models import AuditEvent
from lotse.cases.urls import urlpatterns as case_urlpatterns
from lotse.funding import services
from lotse.funding.base_rates import half_year_start
from lotse.funding.models import BaseRate, FundingProgramme, FundingRate, PaymentCall, Position, RepaymentClaim
from lotse.funding.tests.conftest import url
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db

D = Decimal
FC, CO = Role.FUNDING_CLERK, Role.COORDINATOR
TODAY = datetime.date.today()
YEAR = TODAY.year


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


def form_errors(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {name: [str(e) for e in errors] for name, errors in response.context["form"].errors.items()}


def rate(programme: FundingProgramme, year: int, kind: str) -> Decimal | None:
    found = FundingRate.objects.filter(programme=programme, year=year, position_type=kind).first()
    return found.annual_amount if found else None


# --- programmes and rates ---------------------------------------------------------------------


def test_clerk_creates_a_programme_and_its_rates_are_seeded(world, as_role):
    client = as_role(FC)
    assert client.get(url("funding:programme_create", world)).status_code == 200
    response = client.post(
        url("funding:programme_create", world),
        {
            "name": "KIM Baustein 1",
            "starts_on": "2025-01-01",
            "ends_on": "2026-12-31",
            "month_rule": "full_month",
            "repayment_months": "2",
            "interest_points": "5",
        },
    )
    programme = FundingProgramme.objects.get(tenant=world.wesel.tenant, name="KIM Baustein 1")
    assert response.status_code == 302 and response["Location"] == url(
        "funding:programme_rates", world, pk=programme.pk
    )
    assert programme.month_rule == "full_month" and programme.interest_points == D("5.00")
    assert rate(programme, 2025, "case_manager") == D("55000.00")
    assert rate(programme, 2026, "admin_assistant") == D("22500.00")
    assert rate(programme, 2026, "immigration_office") is None
    # the rates page shows the table year × type
    html = client.get(response["Location"]).content.decode()
    assert 'name="rate_2025_case_manager"' in html and 'name="rate_2026_immigration_office"' in html
    assert "55000.00" in html  # English page: decimal point


def test_programme_form_refuses_a_reversed_period_and_a_duplicate_name(world, as_role):
    response = as_role(FC).post(
        url("funding:programme_create", world),
        {
            "name": "KIM Baustein 2 – Case Management",
            "starts_on": "2025-12-31",
            "ends_on": "2025-01-01",
            "month_rule": "any_day",
            "repayment_months": "1",
            "interest_points": "5",
        },
    )
    assert response.status_code == 200
    errors = form_errors(response)
    assert errors["name"] == ["A funding programme of this name already exists. Choose another name."]
    assert errors["ends_on"] == ["The end of the period lies before its start."]
    assert FundingProgramme.objects.filter(tenant=world.wesel.tenant).count() == 1


def rates_post(programme: FundingProgramme, language: str = "de", **amounts: str) -> dict[str, str]:
    """The rates form as the page sends it: every year × type, amounts as the language writes them."""
    data = {"version": str(programme.version)}
    comma = "," if language == "de" else "."
    for year in range(programme.starts_on.year, programme.ends_on.year + 1):
        data |= {
            f"rate_{year}_case_manager": f"55000{comma}00",
            f"rate_{year}_coordinator": f"55000{comma}00",
            f"rate_{year}_admin_assistant": f"22500{comma}00",
            f"rate_{year}_immigration_office": "",
        }
    return data | amounts


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("55.000,00", D("55000.00")),
        ("60000,50", D("60000.50")),
        ("61.234,5", D("61234.50")),
        ("62000.25", D("62000.25")),
    ],
)
def test_rates_accept_german_input(world, as_role, text, amount):
    programme = world.wesel.objects["programme"]
    data = rates_post(programme, **{f"rate_{YEAR}_coordinator": text, f"rate_{YEAR}_case_manager": "58.000,00"})
    data[f"rate_{YEAR}_immigration_office"] = "30.000"
    response = as_role(FC, language="de").post(url("funding:programme_rates", world, pk=programme.pk), data)
    assert response.status_code == 302
    assert rate(programme, YEAR, "coordinator") == amount
    assert rate(programme, YEAR, "case_manager") == D("58000.00")
    assert rate(programme, YEAR, "immigration_office") == D("30000.00")
    assert rate(programme, YEAR, "admin_assistant") == D("22500.00")
    event = AuditEvent.objects.filter(action="funding.rates_saved", object_id=str(programme.pk)).get()
    assert event.actor == world.wesel.users[FC]


def test_rates_page_in_german_shows_decimal_commas(world, as_role):
    programme = world.wesel.objects["programme"]
    html = as_role(FC, language="de").get(url("funding:programme_rates", world, pk=programme.pk)).content.decode()
    assert 'value="55000,00"' in html and 'value="22500,00"' in html


@pytest.mark.parametrize(("text", "amount"), [("55,000.00", D("55000.00")), ("61000.25", D("61000.25"))])
def test_rates_accept_english_input(world, as_role, text, amount):
    programme = world.wesel.objects["programme"]
    data = rates_post(
        programme,
        "en",
        **{
            f"rate_{YEAR}_case_manager": text,
            f"rate_{YEAR}_coordinator": "55000.00",
            f"rate_{YEAR}_admin_assistant": "22,500",
        },
    )
    response = as_role(FC).post(url("funding:programme_rates", world, pk=programme.pk), data)
    assert response.status_code == 302
    assert rate(programme, YEAR, "case_manager") == amount
    assert rate(programme, YEAR, "admin_assistant") == D("22500.00")


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        ("en", "55000,00", "Enter an amount in euros, e.g. 55000.00."),  # a comma groups thousands in English
        ("en", "-1", "The amount cannot be lower than 0."),
        ("en", "12.345", "Enter the amount in euros and cents (at most 2 decimal places)."),
        ("en", "zwanzig", "Enter an amount in euros, e.g. 55000.00."),
        ("de", "55,000.00", None),  # English style on a German page: not readable
        ("de", "5.50,00", None),  # a point that groups no thousands
    ],
)
def test_rates_refuse_bad_input_and_save_nothing(world, as_role, language, text, message):
    programme = world.wesel.objects["programme"]
    one = "1,00" if language == "de" else "1.00"
    data = rates_post(programme, language, **{f"rate_{YEAR}_coordinator": one, f"rate_{YEAR}_case_manager": text})
    response = as_role(FC, language=language).post(url("funding:programme_rates", world, pk=programme.pk), data)
    assert response.status_code == 200
    errors = form_errors(response)
    assert list(errors) == [f"rate_{YEAR}_case_manager"]
    if message:
        assert errors[f"rate_{YEAR}_case_manager"] == [message]
    # all or nothing: the valid coordinator rate was not saved either
    assert rate(programme, YEAR, "coordinator") == D("55000.00")
    assert rate(programme, YEAR, "case_manager") == D("55000.00")
    programme.refresh_from_db()
    assert programme.version == 1


def test_an_empty_rates_post_changes_nothing(world, as_role):
    programme = world.wesel.objects["programme"]
    response = as_role(FC).post(url("funding:programme_rates", world, pk=programme.pk), {})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The form is out of date. Reload the page and enter the rates again."
    ]
    assert FundingRate.objects.filter(programme=programme).count() == 3


def test_a_stale_rates_form_shows_the_conflict(world, as_role):
    programme = world.wesel.objects["programme"]
    data = rates_post(programme, "en", **{f"rate_{YEAR}_case_manager": "50000.00"})
    client = as_role(FC)
    assert client.post(url("funding:programme_rates", world, pk=programme.pk), data).status_code == 302
    stale = data | {f"rate_{YEAR}_case_manager": "40000.00"}  # still version 1
    response = client.post(url("funding:programme_rates", world, pk=programme.pk), stale)
    assert response.status_code == 200
    assert any("saved this record while you were editing" in m for m in messages_of(response))
    assert rate(programme, YEAR, "case_manager") == D("50000.00")


def test_coordinator_reads_rates_but_cannot_save_them(world, as_role):
    programme = world.wesel.objects["programme"]
    client = as_role(CO)
    response = client.get(url("funding:programme_rates", world, pk=programme.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<input" not in html.split('id="rates-caption"')[1].split("</table>")[0]  # read-only table
    assert "55,000.00" in html
    data = rates_post(programme, "en", **{f"rate_{YEAR}_case_manager": "1.00"})
    assert client.post(url("funding:programme_rates", world, pk=programme.pk), data).status_code == 403
    assert rate(programme, YEAR, "case_manager") == D("55000.00")


# --- positions --------------------------------------------------------------------------------


def position_post(world, **fields: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "provider": str(world.wesel.other_provider.pk),
        "programme": str(world.wesel.objects["programme"].pk),
        "position_type": "coordinator",
        "fte": "0.5",
        "starts_on": f"{YEAR}-03-01",
        "ends_on": f"{YEAR}-08-31",
        "person": "",
    } | fields


def test_clerk_creates_a_position_and_the_list_shows_months_and_grant(world, as_role):
    client = as_role(FC)
    response = client.post(url("funding:position_create", world), position_post(world, additional_staff="on"))
    assert response.status_code == 302
    position = Position.objects.get(tenant=world.wesel.tenant, provider=world.wesel.other_provider)
    assert (position.fte, position.additional_staff) == (D("0.50"), True)
    response = client.get(url("funding:position_list", world), {"provider": world.wesel.other_provider.pk})
    [row] = response.context["listing"].rows
    # 01.03.–31.08.: 6 months; 0.5 × 55,000 × 6 / 12 = 13,750.00 (year and period are the same)
    assert (row.year, row.months, row.year_grant.amount, row.period_grant.amount) == (
        YEAR,
        6,
        D("13750.00"),
        D("13750.00"),
    )
    assert "13,750.00" in response.content.decode()


def test_position_list_filters(world, as_role):
    w = world.wesel
    services.position_create(
        actor=w.users[FC],
        tenant=w.tenant,
        provider=w.other_provider,
        programme=w.objects["programme"],
        position_type="admin_assistant",
        fte=D("1.00"),
        starts_on=datetime.date(YEAR, 7, 1),
    )
    client = as_role(CO)

    def found(**query) -> set[str]:  # type: ignore[no-untyped-def]
        response = client.get(url("funding:position_list", world), query)
        assert response.status_code == 200
        return {r.position.position_type for r in response.context["listing"].rows}

    assert found() == {"case_manager", "admin_assistant"}
    assert found(position_type="admin_assistant") == {"admin_assistant"}
    assert found(provider=w.provider.pk) == {"case_manager"}
    assert found(programme=w.objects["programme"].pk) == {"case_manager", "admin_assistant"}
    # a Coesfeld programme is no choice: the filter is refused and all positions are shown
    response = client.get(url("funding:position_list", world), {"programme": world.coesfeld.objects["programme"].pk})
    assert "programme" in response.context["form"].errors
    # year: admin assistant from 01.07.: 6 months × 1.0 × 22,500 / 12 = 11,250.00
    response = client.get(url("funding:position_list", world), {"position_type": "admin_assistant", "year": YEAR})
    assert response.context["listing"].year_grant == D("11250.00")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"fte": "0"}, "fte", "Enter at least 0.01 full-time equivalents."),
        ({"fte": "100.5"}, "fte", "Enter at most 100 full-time equivalents."),
        ({"fte": "0.125"}, "fte", "Enter the full-time equivalents with at most 2 decimal places."),
        ({"fte": "half"}, "fte", "Enter the full-time equivalents as a number, e.g. 0.75."),
        ({"ends_on": f"{YEAR}-02-28"}, "ends_on", "The end lies before the start."),
        ({"starts_on": "not a date"}, "starts_on", "Enter a valid date."),
        ({"position_type": ""}, "position_type", "This field is required."),
    ],
)
def test_position_form_refuses_bad_input(world, as_role, fields, field, message):
    response = as_role(FC).post(url("funding:position_create", world), position_post(world, **fields))
    assert response.status_code == 200
    assert form_errors(response)[field] == [message]
    assert Position.objects.filter(tenant=world.wesel.tenant).count() == 1
    assert message in response.content.decode()


def test_position_dates_outside_the_programme_are_refused(world, as_role):
    client = as_role(FC)
    with override("en"):
        first, last = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
        period = f"{date_format(first, 'SHORT_DATE_FORMAT')} to {date_format(last, 'SHORT_DATE_FORMAT')}"
    message = f"The dates must lie within the programme period from {period}."
    response = client.post(url("funding:position_create", world), position_post(world, starts_on=f"{YEAR - 1}-12-01"))
    assert form_errors(response) == {"starts_on": [message]}
    response = client.post(url("funding:position_create", world), position_post(world, ends_on=f"{YEAR + 1}-01-31"))
    assert form_errors(response) == {"ends_on": [message]}
    assert Position.objects.filter(tenant=world.wesel.tenant).count() == 1


def test_another_tenants_provider_or_programme_is_no_choice(world, as_role):
    client = as_role(FC)
    for fields in (
        {"provider": str(world.coesfeld.provider.pk)},
        {"programme": str(world.coesfeld.objects["programme"].pk)},
        {"provider": "99999999999999999999"},
    ):
        response = client.post(url("funding:position_create", world), position_post(world, **fields))
        assert response.status_code == 200
        assert list(form_errors(response)) == list(fields)
    assert Position.objects.filter(tenant=world.wesel.tenant).count() == 1


def test_german_fte_input(world, as_role):
    response = as_role(FC, language="de").post(url("funding:position_create", world), position_post(world, fte="0,75"))
    assert response.status_code == 302
    assert Position.objects.get(provider=world.wesel.other_provider).fte == D("0.75")


def test_a_stale_position_edit_is_refused_with_the_conflict(world, as_role):
    position = world.wesel.objects["position"]
    client = as_role(FC)
    page = client.get(url("funding:position_edit", world, pk=position.pk))
    assert page.context["form"].initial["version"] == 1
    data = position_post(
        world,
        provider=str(position.provider_id),
        position_type="case_manager",
        fte="1.00",
        starts_on=f"{YEAR}-01-01",
        ends_on="",
        additional_staff="on",
        version="1",
    )
    # someone else saves first
    services.position_update(position, actor=world.wesel.users[FC], expected_version=1, fte=D("0.80"))
    response = client.post(url("funding:position_edit", world, pk=position.pk), data | {"fte": "0.90"})
    assert response.status_code == 200
    assert any("saved this record while you were editing" in m for m in messages_of(response))
    assert [(r["mine"], r["theirs"]) for r in response.context["conflict"]] == [(D("0.90"), D("0.80"))]
    position.refresh_from_db()
    assert position.fte == D("0.80") and position.version == 2
    # saving again on purpose (the form now carries version 2) goes through
    assert response.context["form"].data["version"] == "2"
    response = client.post(url("funding:position_edit", world, pk=position.pk), data | {"fte": "0.90", "version": "2"})
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.fte == D("0.90")


def test_position_delete_needs_confirmation_and_spares_positions_in_a_proof(world, as_role):
    client = as_role(FC)
    in_proof = world.wesel.objects["position"]
    response = client.post(url("funding:position_delete", world, pk=in_proof.pk), {"confirm": "1"}, follow=True)
    assert "This position is part of a proof of use and cannot be deleted. Set an end date instead." in messages_of(
        response
    )
    assert Position.objects.filter(pk=in_proof.pk).exists()
    client.post(url("funding:position_create", world), position_post(world))
    other = Position.objects.get(provider=world.wesel.other_provider)
    assert client.get(url("funding:position_delete", world, pk=other.pk)).status_code == 200
    assert client.post(url("funding:position_delete", world, pk=other.pk)).status_code == 200  # no confirm
    assert Position.objects.filter(pk=other.pk).exists()
    response = client.post(url("funding:position_delete", world, pk=other.pk), {"confirm": "1"})
    assert response.status_code == 302 and not Position.objects.filter(pk=other.pk).exists()


# --- payment calls ----------------------------------------------------------------------------


def test_payment_calls_create_edit_delete_and_summary(world, as_role):
    w = world.wesel
    client = as_role(FC)
    data = {
        "programme": str(w.objects["programme"].pk),
        "provider": str(w.provider.pk),
        "due_on": f"{YEAR}-10-01",
        "planned_amount": "27,500.00",
        "received_on": f"{YEAR}-10-06",
        "received_amount": "",
    }
    response = client.post(url("funding:payment_create", world), data)
    assert form_errors(response) == {"received_amount": ["Enter both the date and the amount received, or neither."]}
    response = client.post(url("funding:payment_create", world), data | {"received_amount": "27500"})
    assert response.status_code == 302
    call = PaymentCall.objects.get(tenant=w.tenant, due_on=datetime.date(YEAR, 10, 1))
    response = client.get(url("funding:payment_list", world))
    [row] = response.context["listing"].summary
    # granted 55,000.00 (1.00 FTE all year); called 27,500 + 27,500; received 27,500; open 27,500
    assert (row.granted, row.called, row.received, row.open) == (
        D("55000.00"),
        D("55000.00"),
        D("27500.00"),
        D("27500.00"),
    )
    response = client.post(
        url("funding:payment_edit", world, pk=call.pk), data | {"received_amount": "20000", "version": "1"}
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.received_amount, call.version) == (D("20000.00"), 2)
    assert client.post(url("funding:payment_delete", world, pk=call.pk)).status_code == 200
    assert PaymentCall.objects.filter(pk=call.pk).exists()
    assert client.post(url("funding:payment_delete", world, pk=call.pk), {"confirm": "1"}).status_code == 302
    assert not PaymentCall.objects.filter(pk=call.pk).exists()


# --- base rates -------------------------------------------------------------------------------


def test_base_rates_page_seeds_warns_and_refuses_a_duplicate_date(world, as_role):
    w = world.wesel
    BaseRate.objects.filter(tenant=w.tenant).delete()
    client = as_role(FC)
    response = client.get(url("funding:base_rate_list", world))
    assert response.status_code == 200
    assert len(response.context["base_rates"]) == BaseRate.objects.filter(tenant=w.tenant).count() > 40
    start = half_year_start(TODAY)
    if not BaseRate.objects.filter(tenant=w.tenant, valid_from=start).exists():
        with override("en"):
            day = date_format(start, "SHORT_DATE_FORMAT")
        assert f"No base rate for the half-year from {day} has been entered yet." in response.content.decode()
    response = client.post(url("funding:base_rate_list", world), {"valid_from": "2023-07-01", "rate": "9.99"})
    assert form_errors(response) == {
        "valid_from": ["A base rate valid from this date already exists. Delete it first to enter another value."]
    }
    assert BaseRate.objects.get(tenant=w.tenant, valid_from=datetime.date(2023, 7, 1)).rate == D("3.12")
    new_day = datetime.date(2030, 1, 1)
    response = client.post(url("funding:base_rate_list", world), {"valid_from": "2030-01-01", "rate": "-0.5"})
    assert response.status_code == 302
    added = BaseRate.objects.get(tenant=w.tenant, valid_from=new_day)
    assert added.rate == D("-0.50")
    client.post(url("funding:base_rate_delete", world, pk=added.pk))  # no confirm
    assert BaseRate.objects.filter(pk=added.pk).exists()
    client.post(url("funding:base_rate_delete", world, pk=added.pk), {"confirm": "1"})
    assert not BaseRate.objects.filter(pk=added.pk).exists()


def test_base_rate_warning_for_the_current_half_year(world, as_role):
    start = half_year_start(TODAY)
    BaseRate.objects.filter(tenant=world.wesel.tenant, valid_from=start).delete()
    with override("en"):
        text = f"No base rate for the half-year from {date_format(start, 'SHORT_DATE_FORMAT')} has been entered yet."
    assert text in as_role(CO).get(url("funding:base_rate_list", world)).content.decode()
    BaseRate.objects.create(tenant=world.wesel.tenant, valid_from=start, rate=D("1.27"))
    assert text not in as_role(CO).get(url("funding:base_rate_list", world)).content.decode()


# --- repayment claims -------------------------------------------------------------------------


def claim_for(world, **fields):  # type: ignore[no-untyped-def]
    w = world.wesel
    BaseRate.objects.filter(tenant=w.tenant).delete()
    services.ensure_base_rates(w.tenant)
    data = {
        "programme": w.objects["programme"],
        "provider": w.provider,
        "reason": "Nicht verbrauchte Mittel 2022",
        "amount": D("10000.00"),
        "due_on": datetime.date(2023, 5, 31),
        "interest_from": datetime.date(2023, 6, 1),
    } | fields
    return services.claim_create(actor=w.users[FC], tenant=w.tenant, **data)


def test_claim_detail_shows_the_stretches_and_the_day_count(world, as_role):
    claim = claim_for(world)
    response = as_role(CO).get(url("funding:claim_detail", world, pk=claim.pk), {"until": "2023-08-01"})
    assert response.status_code == 200
    result = response.context["result"]
    # 30 days at 6.62 % and 31 days at 8.12 % on 10,000: 45,032 / 365 = 123.375… → 123.38
    assert [(s.days, s.rate) for s in result.interest.stretches] == [(30, D("6.62")), (31, D("8.12"))]
    assert result.total == D("123.38")
    html = response.content.decode()
    assert "act/365: days counted from the first day, not the last; 365 days per year" in html
    assert "123.38" in html and "10,123.38" in html


def test_claim_detail_until_the_repayment_and_a_bad_date(world, as_role):
    claim = claim_for(world, paid_on=datetime.date(2023, 8, 1))
    client = as_role(FC)
    response = client.get(url("funding:claim_detail", world, pk=claim.pk), {"until": "2030-01-01"})
    assert response.context["result"].total == D("123.38")  # repaid: until the repayment, whatever is asked
    response = client.get(url("funding:claim_detail", world, pk=claim.pk), {"until": "31.12.2023"})
    assert response.status_code == 200
    assert "“31.12.2023” is not a date (YYYY-MM-DD). The interest is shown until today." in messages_of(response)
    assert response.context["as_of"] == TODAY


def test_claim_without_a_base_rate_gets_a_message_not_an_error(world, as_role):
    claim = world.wesel.objects["claim"]  # the tenant's table has one entry, from 01.01.2026
    RepaymentClaim.objects.filter(pk=claim.pk).update(interest_from=datetime.date(2025, 12, 1))
    client = as_role(FC)
    response = client.get(url("funding:claim_detail", world, pk=claim.pk), {"until": "2026-02-01"})
    assert response.status_code == 200
    with override("en"):
        day = date_format(datetime.date(2025, 12, 1), "SHORT_DATE_FORMAT")
    assert (
        f"No base rate is known for {day}, so the interest cannot be computed. Enter it under “Base rates”."
        in messages_of(response)
    )
    response = client.get(url("funding:claim_list", world))
    assert response.status_code == 200 and response.context["missing"]
    assert client.get(url("funding:overview", world)).status_code == 200


def test_claim_create_and_stale_edit(world, as_role):
    w = world.wesel
    client = as_role(FC)
    data = {
        "programme": str(w.objects["programme"].pk),
        "provider": str(w.provider.pk),
        "reason": "Rückforderung",
        "amount": "1.500,00",
        "due_on": "2026-03-31",
        "interest_from": "2026-04-01",
        "paid_on": "",
    }
    response = as_role(FC, language="de").post(url("funding:claim_create", world), data)
    assert response.status_code == 302
    claim = RepaymentClaim.objects.get(tenant=w.tenant, reason="Rückforderung")
    assert claim.amount == D("1500.00")
    en = data | {"amount": "1500.00", "version": "1"}
    assert client.post(url("funding:claim_edit", world, pk=claim.pk), en | {"paid_on": "2026-05-01"}).status_code == 302
    response = client.post(url("funding:claim_edit", world, pk=claim.pk), en | {"amount": "2000.00"})
    assert response.status_code == 200 and response.context["conflict"] is not None
    claim.refresh_from_db()
    assert (claim.amount, claim.paid_on, claim.version) == (D("1500.00"), datetime.date(2026, 5, 1), 2)
    response = client.post(url("funding:claim_create", world), data | {"amount": "0"})
    assert form_errors(response) == {"amount": ["The amount cannot be lower than 0.01."]}


# --- access -----------------------------------------------------------------------------------

READ_PAGES = [
    "funding:overview",
    "funding:programme_list",
    "funding:position_list",
    "funding:payment_list",
    "funding:base_rate_list",
    "funding:claim_list",
]
CLERK_FORMS = ["funding:programme_create", "funding:position_create", "funding:payment_create", "funding:claim_create"]


def test_coordinator_reads_every_list_but_posts_are_refused(world, as_role):
    client = as_role(CO)
    for name in READ_PAGES:
        assert client.get(url(name, world)).status_code == 200, name
    for name in CLERK_FORMS:
        assert client.get(url(name, world)).status_code == 403, name
        assert client.post(url(name, world), {}).status_code == 403, name
    o = world.wesel.objects
    assert (
        client.post(url("funding:base_rate_list", world), {"valid_from": "2030-01-01", "rate": "1"}).status_code == 403
    )
    assert (
        client.post(url("funding:base_rate_delete", world, pk=o["base_rate"].pk), {"confirm": "1"}).status_code == 403
    )
    assert client.post(url("funding:position_delete", world, pk=o["position"].pk), {"confirm": "1"}).status_code == 403
    assert client.get(url("funding:claim_detail", world, pk=o["claim"].pk)).status_code == 200
    assert not BaseRate.objects.filter(valid_from=datetime.date(2030, 1, 1)).exists()


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("funding:programme_edit", "programme"),
        ("funding:programme_rates", "programme"),
        ("funding:position_edit", "position"),
        ("funding:position_delete", "position"),
        ("funding:payment_edit", "payment"),
        ("funding:payment_delete", "payment"),
        ("funding:claim_detail", "claim"),
        ("funding:claim_edit", "claim"),
    ],
)
def test_coesfeld_objects_are_unknown_under_kreis_wesel(world, as_role, name, key):
    client = as_role(FC)
    foreign = world.coesfeld.objects[key].pk
    assert client.get(url(name, world, pk=foreign)).status_code == 404
    if name != "funding:claim_detail":  # GET only
        assert client.post(url(name, world, pk=foreign), {"confirm": "1"}).status_code == 404
    assert client.get(url(name, world, pk=2**63 + 5)).status_code == 404  # out of any id range


def test_coesfeld_base_rate_is_not_deleted_through_kreis_wesel(world, as_role):
    foreign = world.coesfeld.objects["base_rate"]
    response = as_role(FC).post(url("funding:base_rate_delete", world, pk=foreign.pk), {"confirm": "1"})
    assert response.status_code == 404 and BaseRate.objects.filter(pk=foreign.pk).exists()


def test_funding_clerk_reaches_no_case_page(world, as_role):
    client = as_role(FC)
    names = {p.name for p in case_urlpatterns}
    assert {"list", "detail", "identity"} <= names
    checked = 0
    for pattern in case_urlpatterns:
        converters = set(pattern.pattern.converters)
        if converters - {"pk"}:
            continue
        kwargs = {"pk": world.wesel.case.pk} if converters else {}
        response = client.get(reverse(f"cases:{pattern.name}", kwargs={"tenant": world.wesel.tenant.slug, **kwargs}))
        assert response.status_code in (403, 404), pattern.name
        checked += 1
    assert checked > 20


def test_funding_pages_show_no_case_data(world, as_role):
    client = as_role(FC)
    case = world.wesel.case
    for name in READ_PAGES:
        html = client.get(url(name, world)).content.decode()
        assert case.number not in html and "Amina" not in html and "Testfall" not in html, name


def test_dashboard_section_for_clerk_and_coordinator(world, as_role):
    import lotse.funding.dashboard  # noqa: F401  (registered in FundingConfig.ready)

    for role in (FC, CO):
        response = as_role(role).get(reverse("ui:dashboard", kwargs={"tenant": world.wesel.tenant.slug}))
        html = response.content.decode()
        assert "Funded full-time equivalents today" in html
        assert "0.00 of 55,000.00" in html  # received of granted: the world's programme runs this year


# --- bounded queries --------------------------------------------------------------------------


def add_positions(world, count: int) -> None:  # type: ignore[no-untyped-def]
    w = world.wesel
    Position.objects.bulk_create(
        [
            Position(
                tenant=w.tenant,
                provider=w.other_provider if i % 2 else w.provider,
                programme=w.objects["programme"],
                position_type=("coordinator", "admin_assistant", "immigration_office")[i % 3],
                fte=D("0.25"),
                starts_on=datetime.date(YEAR, 1 + i % 12, 1),
            )
            for i in range(count)
        ]
    )


@pytest.mark.parametrize(
    "name", ["funding:overview", "funding:position_list", "funding:payment_list", "funding:claim_list"]
)
def test_pages_read_a_bounded_number_of_queries(world, as_role, name):
    client = as_role(FC)
    client.get(url(name, world))  # session and base rates settled

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(name, world)).status_code == 200
        return len(captured)

    few = queries()
    add_positions(world, 30)
    PaymentCall.objects.bulk_create(
        [
            PaymentCall(
                tenant=world.wesel.tenant,
                programme=world.wesel.objects["programme"],
                provider=world.wesel.other_provider,
                due_on=datetime.date(YEAR, 5, 1),
                planned_amount=D("100.00"),
            )
            for _ in range(10)
        ]
    )
    many = queries()
    assert many == few  # 30 more positions and 10 more calls: not one query more
    assert many <= 12  # session, membership, tenant … and the page's own few (overview: 11 at the time of writing)
