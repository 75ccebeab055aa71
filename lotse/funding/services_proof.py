"""Writes of the proof of use (Verwendungsnachweis). Every function is keyword-only, atomic and
writes its audit event in the same transaction; a refused change raises ``ValidationError`` and
changes nothing. The figures are computed in :mod:`lotse.funding.proof`."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.core.versioning import save_versioned
from lotse.funding import calc
from lotse.funding.models import (
    MaterialCategory,
    MaterialCostLine,
    Position,
    PositionType,
    ProofOfUse,
    RepaymentClaim,
    StaffCostLine,
)
from lotse.funding.proof import CATEGORY_ORDER, CONFIRMATION_FIELDS, MissingRate, PositionCost, ProofData, Statement
from lotse.funding.proof import rates_of as _rates_of
from lotse.funding.proof import staff_row as _staff_row

ZERO = Decimal("0.00")
# money columns hold at most 10 digits before the point (max_digits 12, 2 places)
MAX_MONEY = Decimal("9999999999.99")

PROOF_FIELDS = frozenset(
    {
        "contract_date",
        "activity_report",
        "third_party_planned",
        "third_party_actual",
        "public_grant_name",
        "public_grant_planned",
        "public_grant_actual",
        *CONFIRMATION_FIELDS,
    }
)
MONEY_FIELDS = ("third_party_planned", "third_party_actual", "public_grant_planned", "public_grant_actual")


@dataclass(frozen=True)
class MaterialEntry:
    planned_total: Decimal = ZERO
    planned_eligible: Decimal = ZERO
    actual_total: Decimal = ZERO
    actual_eligible: Decimal = ZERO


def missing_rate_message(exc: MissingRate) -> str:
    label = dict(PositionType.choices).get(exc.position_type, exc.position_type)
    return _("The programme has no flat rate for “%(type)s” in %(year)s. Enter the rates of the programme first.") % {
        "type": label,
        "year": exc.year,
    }


def check_money(value: Any, field: str) -> Decimal:
    """A money amount: a Decimal of at most two places, not negative, within the column."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError({field: _("Enter an amount in euros.")})
    if value < 0:
        raise ValidationError({field: _("The amount must not be negative.")})
    if value > MAX_MONEY:
        raise ValidationError({field: _("The amount is too large.")})
    if value != calc.cents(value):
        raise ValidationError({field: _("Enter the amount in euros and cents (at most two decimal places).")})
    return value


def check_material(category: str, entry: MaterialEntry) -> MaterialEntry:
    """Material amounts of a category: not negative, the eligible part at most the total."""
    prefix = f"material_{category}"
    for name in ("planned_total", "planned_eligible", "actual_total", "actual_eligible"):
        check_money(getattr(entry, name), f"{prefix}_{name}")
    if entry.planned_eligible > entry.planned_total:
        raise ValidationError(
            {f"{prefix}_planned_eligible": _("The eligible part must not exceed the total (planned).")}
        )
    if entry.actual_eligible > entry.actual_total:
        raise ValidationError(
            {f"{prefix}_actual_eligible": _("The eligible part must not exceed the total (settled).")}
        )
    return entry


def _active_positions(proof: ProofOfUse) -> list[Position]:
    """The positions of the proof's provider and programme active on at least one day of the period."""
    return list(
        Position.objects.filter(
            tenant_id=proof.tenant_id,
            provider_id=proof.provider_id,
            programme_id=proof.programme_id,
            starts_on__lte=proof.period_end,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=proof.period_start))
        .order_by("position_type", "starts_on", "pk")
    )


def proof_create(
    *,
    actor: Any,
    tenant: Any,
    programme: Any,
    provider: Any,
    period_start: datetime.date,
    period_end: datetime.date,
    contract_date: datetime.date | None = None,
) -> ProofOfUse:
    """A new proof with one staff line per active position (planned = the flat-rate grant for
    the period, actual = 0) and the three material lines with zeros."""
    if programme.tenant_id != tenant.pk:
        raise ValidationError({"programme": _("Choose a funding programme of this district.")})
    if provider.tenant_id != tenant.pk:
        raise ValidationError({"provider": _("Choose a provider of this district.")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period lies before its start.")})
    if period_start < programme.starts_on or period_end > programme.ends_on:
        raise ValidationError(
            {
                "period_start": _(
                    "The period must lie within the funding period of the programme (%(start)s – %(end)s)."
                )
                % {"start": programme.starts_on.strftime("%d.%m.%Y"), "end": programme.ends_on.strftime("%d.%m.%Y")}
            }
        )
    with transaction.atomic():
        if ProofOfUse.objects.filter(
            programme=programme, provider=provider, period_start=period_start, period_end=period_end
        ).exists():
            raise ValidationError(_("A proof of use of this provider for this programme and period exists already."))
        proof = ProofOfUse(
            tenant=tenant,
            programme=programme,
            provider=provider,
            period_start=period_start,
            period_end=period_end,
            contract_date=contract_date,
            created_by=actor,
            updated_by=actor,
        )
        data = ProofData(
            period_start, period_end, programme.month_rule, _rates_of(programme), programme.repayment_months
        )
        lines = []
        for position in _active_positions(proof):
            cost = PositionCost(
                position.pk,
                position.position_type,
                position.fte,
                position.starts_on,
                position.ends_on,
                position.person,
                ZERO,
                ZERO,
            )
            try:
                grant = _staff_row(cost, data).grant
            except MissingRate as exc:
                raise ValidationError(missing_rate_message(exc)) from exc
            if grant > MAX_MONEY:
                raise ValidationError(
                    _("The flat-rate grant of a position exceeds the largest amount Lotse keeps. Check the rates.")
                )
            lines.append(StaffCostLine(position=position, planned_total=grant, actual_total=ZERO))
        try:
            with transaction.atomic():
                proof.save()
        except IntegrityError as exc:  # created concurrently
            raise ValidationError(
                _("A proof of use of this provider for this programme and period exists already.")
            ) from exc
        for line in lines:
            line.proof = proof
        StaffCostLine.objects.bulk_create(lines)
        MaterialCostLine.objects.bulk_create(MaterialCostLine(proof=proof, category=c) for c in CATEGORY_ORDER)
        audit_record(
            action="funding.proof_saved",
            actor=actor,
            tenant=tenant,
            obj=proof,
            details={"created": True, "staff_lines": len(lines)},
        )
    return proof


def proof_update(
    proof: ProofOfUse,
    *,
    actor: Any,
    expected_version: int,
    fields: Mapping[str, Any],
    staff: Mapping[int, Decimal],
    material: Mapping[str, MaterialEntry],
) -> ProofOfUse:
    """Save the proof with its lines, all or nothing: ``fields`` of :data:`PROOF_FIELDS`,
    ``staff`` = actual costs per staff line id, ``material`` per category. A stale
    ``expected_version`` raises :class:`~lotse.core.versioning.StaleObjectError`."""
    unknown = set(fields) - PROOF_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    changes = dict(fields)
    for name in MONEY_FIELDS:
        if name in changes:
            check_money(changes[name], name)
    for key in ("activity_report", "public_grant_name"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    for category, entry in material.items():
        if category not in MaterialCategory.values:
            raise ValidationError(_("Unknown material category."))
        check_material(category, entry)
    for line_id, amount in staff.items():
        check_money(amount, f"staff_{line_id}")
    with transaction.atomic():
        lines = {line.pk: line for line in StaffCostLine.objects.select_for_update().filter(proof=proof)}
        if set(staff) - set(lines):
            raise ValidationError(_("The staff lines of this proof have changed. Reload the page."))
        proof = save_versioned(proof, expected_version=expected_version, changes=changes, actor=actor)
        changed_lines = 0
        for line_id, amount in staff.items():
            if lines[line_id].actual_total != amount:
                StaffCostLine.objects.filter(pk=line_id).update(actual_total=amount)
                changed_lines += 1
        for category, entry in material.items():
            MaterialCostLine.objects.update_or_create(
                proof=proof,
                category=category,
                defaults={
                    "planned_total": entry.planned_total,
                    "planned_eligible": entry.planned_eligible,
                    "actual_total": entry.actual_total,
                    "actual_eligible": entry.actual_eligible,
                },
            )
        audit_record(
            action="funding.proof_saved",
            actor=actor,
            tenant_id=proof.tenant_id,
            obj=proof,
            details={"version": proof.version, "staff_lines_changed": changed_lines},
        )
    return proof


def proof_delete(proof: ProofOfUse, *, actor: Any) -> None:
    """Delete the proof with its lines; a repayment claim made from it stays (without the link)."""
    with transaction.atomic():
        pk, tenant_id = proof.pk, proof.tenant_id
        audit_record(action="funding.proof_deleted", actor=actor, tenant_id=tenant_id, obj=proof)
        proof.delete()
    proof.pk = pk


def claim_reason(proof: ProofOfUse) -> str:
    """The reason stored with the claim, in the language of the district's records."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Unspent funds (proof of use %(start)s – %(end)s)") % {
            "start": proof.period_start.strftime("%d.%m.%Y"),
            "end": proof.period_end.strftime("%d.%m.%Y"),
        }


def proof_claim_create(proof: ProofOfUse, *, actor: Any, statement: Statement) -> RepaymentClaim:
    """A repayment claim for the settled Minderausgaben of the proof: due at the repayment date,
    interest from the day after. At most one claim per proof."""
    amount = statement.to_repay
    if amount <= 0:
        raise ValidationError(_("The proof shows no unspent funds: there is nothing to reclaim."))
    if amount > MAX_MONEY:
        raise ValidationError(
            _("The unspent funds exceed the largest amount Lotse keeps. Check the payments of the period.")
        )
    with transaction.atomic():
        locked = ProofOfUse.objects.select_for_update().get(pk=proof.pk)
        if RepaymentClaim.objects.filter(proof=locked).exists():
            raise ValidationError(_("A repayment claim was already created from this proof of use."))
        due_on = statement.repayment_due_on
        claim = RepaymentClaim.objects.create(
            tenant_id=locked.tenant_id,
            programme_id=locked.programme_id,
            provider_id=locked.provider_id,
            reason=claim_reason(locked),
            amount=amount,
            due_on=due_on,
            interest_from=due_on + datetime.timedelta(days=1),
            proof=locked,
            updated_by=actor,
        )
        audit_record(
            action="funding.claim_saved",
            actor=actor,
            tenant_id=locked.tenant_id,
            obj=claim,
            details={"created": True, "proof": locked.pk},
        )
    return claim
