"""Audit actions of funding control (Fördercontrolling)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "funding.programme_saved": _("Funding programme saved"),
    "funding.rates_saved": _("Flat rates saved"),
    "funding.position_saved": _("Position saved"),
    "funding.position_deleted": _("Position deleted"),
    "funding.payment_saved": _("Payment call saved"),
    "funding.payment_deleted": _("Payment call deleted"),
    "funding.base_rate_saved": _("Base rate saved"),
    "funding.base_rate_deleted": _("Base rate deleted"),
    "funding.claim_saved": _("Repayment claim saved"),
    "funding.claim_deleted": _("Repayment claim deleted"),
    "funding.proof_saved": _("Proof of use saved"),
    "funding.proof_deleted": _("Proof of use deleted"),
    "funding.proof_exported": _("Proof of use exported"),
}
