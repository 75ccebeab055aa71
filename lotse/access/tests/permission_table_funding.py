"""Permission table entries of funding control and reporting (merged into
:data:`lotse.access.tests.permission_table.TABLE`).

Funding clerks keep the funding records; coordinators read them and produce the reports; state
analysts export the suppressed controlling figures of every district from their state tenant.
The test world (``conftest._funding_world``) gives each tenant a programme, a position, a payment
call, a base rate, a repayment claim and a proof of use. Destructive POSTs need ``confirm=1``."""

from __future__ import annotations

from typing import Any

from lotse.access.tests.permission_table import CO, FC, SA, Entry, Kwargs, tenant

FUNDING_READERS = frozenset({CO, FC})
CLERK = frozenset({FC})
REPORTERS = frozenset({CO, SA})
CO_ONLY = frozenset({CO})


def obj(key: str) -> Kwargs:
    def build(world: Any) -> dict[str, Any]:
        return {"pk": world.objects[key].pk}

    return build


PART: dict[str, Entry] = {
    "funding:overview": tenant(get=FUNDING_READERS),
    "funding:programme_list": tenant(get=FUNDING_READERS),
    "funding:programme_create": tenant(get=CLERK, post=CLERK),
    "funding:programme_edit": tenant(obj("programme"), get=CLERK, post=CLERK),
    "funding:programme_rates": tenant(obj("programme"), get=FUNDING_READERS, post=CLERK),
    "funding:position_list": tenant(get=FUNDING_READERS),
    "funding:position_create": tenant(get=CLERK, post=CLERK),
    "funding:position_edit": tenant(obj("position"), get=CLERK, post=CLERK),
    "funding:position_delete": tenant(obj("position"), get=CLERK, post=CLERK),
    "funding:payment_list": tenant(get=FUNDING_READERS),
    "funding:payment_create": tenant(get=CLERK, post=CLERK),
    "funding:payment_edit": tenant(obj("payment"), get=CLERK, post=CLERK),
    "funding:payment_delete": tenant(obj("payment"), get=CLERK, post=CLERK),
    "funding:base_rate_list": tenant(get=FUNDING_READERS, post=CLERK),
    "funding:base_rate_delete": tenant(obj("base_rate"), post=CLERK),
    "funding:claim_list": tenant(get=FUNDING_READERS),
    "funding:claim_create": tenant(get=CLERK, post=CLERK),
    "funding:claim_detail": tenant(obj("claim"), get=FUNDING_READERS),
    "funding:claim_edit": tenant(obj("claim"), get=CLERK, post=CLERK),
    "funding:proof_list": tenant(get=FUNDING_READERS),
    "funding:proof_create": tenant(get=CLERK, post=CLERK),
    "funding:proof_consolidated": tenant(get=FUNDING_READERS),
    "funding:proof_consolidated_pdf": tenant(get=FUNDING_READERS),
    "funding:proof_consolidated_xlsx": tenant(get=FUNDING_READERS),
    "funding:proof_detail": tenant(obj("proof"), get=FUNDING_READERS),
    "funding:proof_edit": tenant(obj("proof"), get=CLERK, post=CLERK),
    "funding:proof_claim": tenant(obj("proof"), post=CLERK),
    "funding:proof_delete": tenant(obj("proof"), get=CLERK, post=CLERK),
    "funding:proof_pdf": tenant(obj("proof"), get=FUNDING_READERS),
    "funding:proof_xlsx": tenant(obj("proof"), get=FUNDING_READERS),
    # reports: coordinators for their district, state analysts from the state tenant
    "reports:index": tenant(get=REPORTERS),
    "reports:controlling": tenant(get=REPORTERS),
    "reports:controlling_export": tenant(get=REPORTERS),
    "reports:status": tenant(get=CO_ONLY),
    "reports:status_pdf": tenant(get=CO_ONLY),
    "reports:status_docx": tenant(get=CO_ONLY),
}
