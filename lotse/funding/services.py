"""Writes of funding control: programmes and their flat rates, positions, payment calls, base
rates and repayment claims. Every function is keyword-only, atomic, writes its audit event in
the same transaction and refuses records of another tenant. A refused change raises
``ValidationError`` and changes nothing; a stale version raises ``StaleObjectError``.

Audit details name ids, codes and amounts only – never the person holding a position."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.core.versioning import save_versioned
from lotse.funding.base_rates import OFFICIAL_BASE_RATES
from lotse.funding.models import (
    DEFAULT_RATES,
    BaseRate,
    FundingProgramme,
    FundingRate,
    MonthRule,
    PaymentCall,
    Position,
    PositionType,
    RepaymentClaim,
    StaffCostLine,
)
from lotse.tenants.models import Tenant

PROGRAMME_FIELDS = frozenset(
    {"name", "reference", "grantor", "starts_on", "ends_on", "month_rule", "repayment_months", "interest_points"}
)
POSITION_FIELDS = frozenset(
    {"provider", "programme", "position_type", "fte", "starts_on", "ends_on", "person", "additional_staff"}
)
PAYMENT_FIELDS = frozenset({"programme", "provider", "due_on", "planned_amount", "received_on", "received_amount"})
CLAIM_FIELDS = frozenset({"programme", "provider", "reason", "amount", "due_on", "interest_from", "paid_on"})
MAX_PROGRAMME_YEARS = 10
CENT = Decimal("0.01")
MAX_MONEY = Decimal("9999999999.99")  # 12 digits, 2 of them decimals


# --- checks -----------------------------------------------------------------------------------


def _unknown(fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")


def _own(tenant_id: int, **records: Any) -> None:
    """Refuse a provider or programme of another tenant (the forms offer none; this guards the
    service against any other caller)."""
    for field, record in records.items():
        if record is not None and record.tenant_id != tenant_id:
            raise ValidationError({field: _("Choose a record of this district.")})


def _money(field: str, value: Decimal | None, *, minimum: Decimal = Decimal(0), required: bool = True) -> None:
    if value is None:
        if required:
            raise ValidationError({field: _("Enter an amount.")})
        return
    if not value.is_finite() or value < minimum or value > MAX_MONEY or value != value.quantize(CENT):
        raise ValidationError({field: _("Enter an amount in euros and cents, not below %(min)s.") % {"min": minimum}})


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _cents(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


# --- programmes and flat rates ----------------------------------------------------------------


# The years flat rates may be kept for (FundingRate.year); a period outside them is a typo.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _check_programme(fields: Mapping[str, Any]) -> None:
    start, end = fields["starts_on"], fields["ends_on"]
    if not (FIRST_YEAR <= start.year <= LAST_YEAR and FIRST_YEAR <= end.year <= LAST_YEAR):
        raise ValidationError(
            {
                "starts_on": _("The period must lie between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            }
        )
    if end < start:
        raise ValidationError({"ends_on": _("The end of the period lies before its start.")})
    if end.year - start.year >= MAX_PROGRAMME_YEARS:
        raise ValidationError(
            {
                "ends_on": _("A programme period spans at most %(years)s calendar years.")
                % {"years": MAX_PROGRAMME_YEARS}
            }
        )
    if fields["month_rule"] not in MonthRule.values:
        raise ValidationError({"month_rule": _("Choose a rule for counting months.")})
    if not 0 <= fields["repayment_months"] <= 12:
        raise ValidationError({"repayment_months": _("Enter 0 to 12 months.")})
    points = fields["interest_points"]
    if points < 0 or points > 20:
        raise ValidationError({"interest_points": _("Enter 0 to 20 percentage points.")})
    if not (fields["name"] or "").strip():
        raise ValidationError({"name": _("Enter a name.")})


def _seed_rates(programme: FundingProgramme, years: range | list[int]) -> int:
    """The default flat rates (seed 003) for ``years`` that have no rate yet; the immigration
    office has no default and is added by a clerk where it is funded."""
    taken = set(FundingRate.objects.filter(programme=programme, year__in=list(years)).values_list("year", flat=True))
    rows = [
        FundingRate(programme=programme, year=year, position_type=position_type, annual_amount=amount)
        for year in years
        if year not in taken
        for position_type, amount in DEFAULT_RATES.items()
    ]
    FundingRate.objects.bulk_create(rows)
    return len(rows)


def _years(programme: FundingProgramme) -> range:
    return range(programme.starts_on.year, programme.ends_on.year + 1)


def programme_create(
    *,
    actor: Any,
    tenant: Tenant,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reference: str = "",
    grantor: str = "",
    month_rule: str = MonthRule.ANY_DAY,
    repayment_months: int = 1,
    interest_points: Decimal = Decimal("5.00"),
) -> FundingProgramme:
    """A funding programme with the default flat rates for every year of its period."""
    fields = {
        "name": (name or "").strip(),
        "reference": (reference or "").strip(),
        "grantor": (grantor or "").strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "month_rule": month_rule,
        "repayment_months": repayment_months,
        "interest_points": interest_points,
    }
    _check_programme(fields)
    try:
        with transaction.atomic():
            programme = FundingProgramme.objects.create(tenant=tenant, updated_by=actor, **fields)
            seeded = _seed_rates(programme, _years(programme))
            audit_record(
                action="funding.programme_saved",
                actor=actor,
                tenant=tenant,
                obj=programme,
                details={"created": True, "rates_seeded": seeded, "month_rule": month_rule},
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"name": _("A funding programme of this name already exists. Choose another name.")}
        ) from exc
    return programme


def programme_update(
    programme: FundingProgramme, *, actor: Any, expected_version: int, **fields: Any
) -> FundingProgramme:
    """Change a programme. A new year of the period gets the default rates, rates of years that
    left the period are removed. Refused while a position lies outside the new period."""
    _unknown(fields, PROGRAMME_FIELDS)
    merged = {name: getattr(programme, name) for name in PROGRAMME_FIELDS} | fields
    merged["name"] = (merged["name"] or "").strip()
    _check_programme(merged)
    start, end = merged["starts_on"], merged["ends_on"]
    outside = Position.objects.filter(programme=programme).filter(
        Q(starts_on__lt=start) | Q(starts_on__gt=end) | Q(ends_on__gt=end)
    )
    count = outside.count()
    if count:
        raise ValidationError(
            _(
                "%(count)s position(s) of this programme lie outside the period from %(start)s to %(end)s. "
                "Change their dates first."
            )
            % {"count": count, "start": _day(start), "end": _day(end)}
        )
    try:
        with transaction.atomic():
            save_versioned(programme, expected_version=expected_version, changes=merged, actor=actor)
            removed, _detail = (
                FundingRate.objects.filter(programme=programme).exclude(year__in=list(_years(programme))).delete()
            )
            seeded = _seed_rates(programme, _years(programme))
            audit_record(
                action="funding.programme_saved",
                actor=actor,
                tenant_id=programme.tenant_id,
                obj=programme,
                details={"rates_seeded": seeded, "rates_removed": removed, "month_rule": programme.month_rule},
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"name": _("A funding programme of this name already exists. Choose another name.")}
        ) from exc
    return programme


def rates_save(
    programme: FundingProgramme,
    *,
    actor: Any,
    expected_version: int,
    amounts: Mapping[tuple[int, str], Decimal | None],
) -> int:
    """Save the flat rates of a programme all-or-nothing: ``amounts`` maps (year, position
    type) to EUR per FTE and year, ``None`` meaning no rate. Years outside the period and
    unknown types are refused. The programme's version guards against a concurrent save.
    Returns the number of rates changed."""
    years = set(_years(programme))
    for (year, position_type), amount in amounts.items():
        if year not in years or position_type not in PositionType.values:
            raise ValidationError(_("The rates name a year or position type outside this programme."))
        _money(f"rate_{year}_{position_type}", amount, required=False)
    with transaction.atomic():
        # bumps the version: a second editor of the same table is refused
        save_versioned(programme, expected_version=expected_version, changes={}, actor=actor)
        current = {
            (r.year, r.position_type): r for r in FundingRate.objects.select_for_update().filter(programme=programme)
        }
        changed: list[str] = []
        for key, amount in sorted(amounts.items()):
            rate = current.get(key)
            if amount is None:
                if rate is not None:
                    rate.delete()
                    changed.append(f"{key[0]}:{key[1]}")
            elif rate is None:
                FundingRate.objects.create(programme=programme, year=key[0], position_type=key[1], annual_amount=amount)
                changed.append(f"{key[0]}:{key[1]}")
            elif rate.annual_amount != amount:
                rate.annual_amount = amount
                rate.save(update_fields=["annual_amount"])
                changed.append(f"{key[0]}:{key[1]}")
        audit_record(
            action="funding.rates_saved",
            actor=actor,
            tenant_id=programme.tenant_id,
            obj=programme,
            details={"changed": changed[:50], "count": len(changed)},
        )
    return len(changed)


# --- positions --------------------------------------------------------------------------------


def _check_position(tenant_id: int, fields: Mapping[str, Any]) -> None:
    _own(tenant_id, provider=fields["provider"], programme=fields["programme"])
    if fields["position_type"] not in PositionType.values:
        raise ValidationError({"position_type": _("Choose a position type.")})
    fte = fields["fte"]
    if fte is None or not fte.is_finite() or not Decimal("0.01") <= fte <= Decimal("100") or fte != fte.quantize(CENT):
        raise ValidationError({"fte": _("Enter 0.01 to 100 full-time equivalents with at most 2 decimal places.")})
    start, end, programme = fields["starts_on"], fields["ends_on"], fields["programme"]
    if end is not None and end < start:
        raise ValidationError({"ends_on": _("The end lies before the start.")})
    if not programme.starts_on <= start <= programme.ends_on or (end is not None and end > programme.ends_on):
        raise ValidationError(
            {
                "starts_on": _("The dates must lie within the programme period from %(start)s to %(end)s.")
                % {"start": _day(programme.starts_on), "end": _day(programme.ends_on)}
            }
        )


def _position_details(position: Position) -> dict[str, Any]:
    return {
        "programme": position.programme_id,
        "provider": position.provider_id,
        "type": position.position_type,
        "fte": _cents(position.fte),
    }


def position_create(*, actor: Any, tenant: Tenant, **fields: Any) -> Position:
    _unknown(fields, POSITION_FIELDS)
    fields = {"ends_on": None, "person": "", "additional_staff": False, **fields}
    fields["person"] = (fields["person"] or "").strip()
    _check_position(tenant.pk, fields)
    with transaction.atomic():
        position = Position.objects.create(tenant=tenant, updated_by=actor, **fields)
        audit_record(
            action="funding.position_saved",
            actor=actor,
            tenant=tenant,
            obj=position,
            details={"created": True, **_position_details(position)},
        )
    return position


def position_update(position: Position, *, actor: Any, expected_version: int, **fields: Any) -> Position:
    _unknown(fields, POSITION_FIELDS)
    merged = {name: getattr(position, name) for name in POSITION_FIELDS} | fields
    merged["person"] = (merged["person"] or "").strip()
    _check_position(position.tenant_id, merged)
    moved = [
        name
        for name in ("provider", "programme", "position_type")
        if getattr(merged[name], "pk", merged[name]) != getattr(getattr(position, name), "pk", getattr(position, name))
    ]
    if moved and StaffCostLine.objects.filter(position=position).exists():
        # a proof of use lists the position under its provider, programme and type; moving it
        # would count it twice in the consolidated proof
        raise ValidationError(
            {
                moved[0]: _(
                    "The position is listed in a proof of use: its provider, programme and type cannot "
                    "change. End it and create a new position instead."
                )
            }
        )
    with transaction.atomic():
        save_versioned(position, expected_version=expected_version, changes=merged, actor=actor)
        audit_record(
            action="funding.position_saved",
            actor=actor,
            tenant_id=position.tenant_id,
            obj=position,
            details=_position_details(position),
        )
    return position


def position_delete(position: Position, *, actor: Any) -> None:
    """Delete a position; refused while a proof of use lists its staff costs."""
    in_use = _("This position is part of a proof of use and cannot be deleted. Set an end date instead.")
    if StaffCostLine.objects.filter(position=position).exists():
        raise ValidationError(in_use)
    details = _position_details(position)
    pk = position.pk
    try:
        with transaction.atomic():
            position.delete()
            audit_record(
                action="funding.position_deleted",
                actor=actor,
                tenant_id=position.tenant_id,
                object_type="funding.position",
                object_id=pk,
                details=details,
            )
    except ProtectedError as exc:  # a proof of use was saved meanwhile
        raise ValidationError(in_use) from exc


# --- payment calls ----------------------------------------------------------------------------


def _check_payment(tenant_id: int, fields: Mapping[str, Any]) -> None:
    _own(tenant_id, provider=fields["provider"], programme=fields["programme"])
    _money("planned_amount", fields["planned_amount"])
    _money("received_amount", fields["received_amount"], required=False)
    if (fields["received_on"] is None) != (fields["received_amount"] is None):
        raise ValidationError({"received_amount": _("Enter both the date and the amount received, or neither.")})


def _payment_details(payment: PaymentCall) -> dict[str, Any]:
    return {
        "programme": payment.programme_id,
        "provider": payment.provider_id,
        "planned": _cents(payment.planned_amount),
        "received": _cents(payment.received_amount),
    }


def payment_create(*, actor: Any, tenant: Tenant, **fields: Any) -> PaymentCall:
    _unknown(fields, PAYMENT_FIELDS)
    fields = {"received_on": None, "received_amount": None, **fields}
    _check_payment(tenant.pk, fields)
    with transaction.atomic():
        payment = PaymentCall.objects.create(tenant=tenant, updated_by=actor, **fields)
        audit_record(
            action="funding.payment_saved",
            actor=actor,
            tenant=tenant,
            obj=payment,
            details={"created": True, **_payment_details(payment)},
        )
    return payment


def payment_update(payment: PaymentCall, *, actor: Any, expected_version: int, **fields: Any) -> PaymentCall:
    _unknown(fields, PAYMENT_FIELDS)
    merged = {name: getattr(payment, name) for name in PAYMENT_FIELDS} | fields
    _check_payment(payment.tenant_id, merged)
    with transaction.atomic():
        save_versioned(payment, expected_version=expected_version, changes=merged, actor=actor)
        audit_record(
            action="funding.payment_saved",
            actor=actor,
            tenant_id=payment.tenant_id,
            obj=payment,
            details=_payment_details(payment),
        )
    return payment


def payment_delete(payment: PaymentCall, *, actor: Any) -> None:
    details = _payment_details(payment)
    pk = payment.pk
    with transaction.atomic():
        payment.delete()
        audit_record(
            action="funding.payment_deleted",
            actor=actor,
            tenant_id=payment.tenant_id,
            object_type="funding.paymentcall",
            object_id=pk,
            details=details,
        )


# --- base rates -------------------------------------------------------------------------------


def ensure_base_rates(tenant: Tenant) -> int:
    """Seed the tenant's base-rate table with the official values the first time it is needed
    (a tenant with any entry keeps its table as it is). Returns the number of rows added."""
    if BaseRate.objects.filter(tenant=tenant).exists():
        return 0
    with transaction.atomic():
        created = BaseRate.objects.bulk_create(
            [BaseRate(tenant=tenant, valid_from=day, rate=rate) for day, rate in OFFICIAL_BASE_RATES],
            ignore_conflicts=True,  # a concurrent first request seeded them already
        )
        audit_record(
            action="funding.base_rate_saved",
            actor=None,
            tenant=tenant,
            object_type="funding.baserate",
            details={"seeded": len(created), "source": "official"},
        )
    return len(created)


def base_rate_add(*, actor: Any, tenant: Tenant, valid_from: datetime.date, rate: Decimal) -> BaseRate:
    if not rate.is_finite() or not Decimal("-10") <= rate <= Decimal("20") or rate != rate.quantize(CENT):
        raise ValidationError({"rate": _("Enter the base rate in percent with at most 2 decimal places.")})
    duplicate = ValidationError(
        {"valid_from": _("A base rate valid from this date already exists. Delete it first to enter another value.")}
    )
    if BaseRate.objects.filter(tenant=tenant, valid_from=valid_from).exists():
        raise duplicate
    try:
        with transaction.atomic():
            base_rate = BaseRate.objects.create(tenant=tenant, valid_from=valid_from, rate=rate)
            audit_record(
                action="funding.base_rate_saved",
                actor=actor,
                tenant=tenant,
                obj=base_rate,
                details={"valid_from": valid_from.isoformat(), "rate": str(rate)},
            )
    except IntegrityError as exc:
        raise duplicate from exc
    return base_rate


def base_rate_delete(base_rate: BaseRate, *, actor: Any) -> None:
    details = {"valid_from": base_rate.valid_from.isoformat(), "rate": str(base_rate.rate)}
    pk = base_rate.pk
    with transaction.atomic():
        base_rate.delete()
        audit_record(
            action="funding.base_rate_deleted",
            actor=actor,
            tenant_id=base_rate.tenant_id,
            object_type="funding.baserate",
            object_id=pk,
            details=details,
        )


# --- repayment claims -------------------------------------------------------------------------


def _check_claim(tenant_id: int, fields: Mapping[str, Any]) -> None:
    _own(tenant_id, provider=fields["provider"], programme=fields["programme"])
    _money("amount", fields["amount"], minimum=CENT)
    if not (fields["reason"] or "").strip():
        raise ValidationError({"reason": _("Enter the reason of the claim.")})


def _claim_details(claim: RepaymentClaim) -> dict[str, Any]:
    return {
        "programme": claim.programme_id,
        "provider": claim.provider_id,
        "amount": _cents(claim.amount),
        "paid": claim.paid_on is not None,
    }


def claim_create(*, actor: Any, tenant: Tenant, **fields: Any) -> RepaymentClaim:
    _unknown(fields, CLAIM_FIELDS)
    fields = {"paid_on": None, **fields}
    fields["reason"] = (fields["reason"] or "").strip()
    _check_claim(tenant.pk, fields)
    with transaction.atomic():
        claim = RepaymentClaim.objects.create(tenant=tenant, updated_by=actor, **fields)
        audit_record(
            action="funding.claim_saved",
            actor=actor,
            tenant=tenant,
            obj=claim,
            details={"created": True, **_claim_details(claim)},
        )
    return claim


def claim_update(claim: RepaymentClaim, *, actor: Any, expected_version: int, **fields: Any) -> RepaymentClaim:
    _unknown(fields, CLAIM_FIELDS)
    merged = {name: getattr(claim, name) for name in CLAIM_FIELDS} | fields
    merged["reason"] = (merged["reason"] or "").strip()
    _check_claim(claim.tenant_id, merged)
    with transaction.atomic():
        save_versioned(claim, expected_version=expected_version, changes=merged, actor=actor)
        audit_record(
            action="funding.claim_saved",
            actor=actor,
            tenant_id=claim.tenant_id,
            obj=claim,
            details=_claim_details(claim),
        )
    return claim
