"""Object rules of funding control and reporting.

* Funding clerks (``FUNDING_MANAGE``) keep programmes, rates, positions, payments, base rates,
  claims and proofs of use of their tenant; coordinators (``FUNDING_VIEW``) read them.
  None of these records refers to a case: a funding clerk has no case permission at all.
* Reports (``REPORTS_VIEW``, coordinators) are aggregates of the own tenant; the state
  controlling export of a state analyst (``CROSS_TENANT_AGGREGATES``) covers every active
  district, always with small-cell suppression (``lotse.reports.suppression``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from lotse.access import policy
from lotse.access.context import AccessContext
from lotse.access.permissions import Perm

if TYPE_CHECKING:
    from lotse.tenants.models import Tenant


def _tenant_scope(ctx: AccessContext, model: Any) -> QuerySet[Any]:
    if ctx.tenant is None or not ctx.has(Perm.FUNDING_VIEW):
        return model.objects.none()
    return model.objects.filter(tenant=ctx.tenant)


def programmes_scope(ctx: AccessContext) -> QuerySet[Any]:
    from lotse.funding.models import FundingProgramme

    return _tenant_scope(ctx, FundingProgramme)


def positions_scope(ctx: AccessContext) -> QuerySet[Any]:
    from lotse.funding.models import Position

    return _tenant_scope(ctx, Position)


def payments_scope(ctx: AccessContext) -> QuerySet[Any]:
    from lotse.funding.models import PaymentCall

    return _tenant_scope(ctx, PaymentCall)


def base_rates_scope(ctx: AccessContext) -> QuerySet[Any]:
    from lotse.funding.models import BaseRate

    return _tenant_scope(ctx, BaseRate)


def claims_scope(ctx: AccessContext) -> QuerySet[Any]:
    from lotse.funding.models import RepaymentClaim

    return _tenant_scope(ctx, RepaymentClaim)


def proofs_scope(ctx: AccessContext) -> QuerySet[Any]:
    from lotse.funding.models import ProofOfUse

    return _tenant_scope(ctx, ProofOfUse)


def can_manage_funding(ctx: AccessContext) -> bool:
    return ctx.tenant is not None and ctx.has(Perm.FUNDING_MANAGE)


def report_tenants_scope(ctx: AccessContext) -> QuerySet[Tenant]:
    """Tenants whose aggregate report figures the acting user may export: a coordinator their
    own tenant, a state analyst every active district; nobody else any."""
    from lotse.tenants.models import Tenant

    if ctx.has(Perm.CROSS_TENANT_AGGREGATES):
        return policy.aggregate_tenants_scope(ctx)
    if ctx.tenant is not None and ctx.has(Perm.REPORTS_VIEW):
        return Tenant.objects.filter(pk=ctx.tenant.pk)
    return Tenant.objects.none()


@dataclass(frozen=True)
class FigureScope:
    """Which cases aggregate figures may count: the tenants, narrowed to providers unless
    ``None``. Built only here, from what the acting user may see; read by
    :mod:`lotse.reports.indicators`, which hands out counts only."""

    tenant_ids: tuple[int, ...]
    provider_ids: tuple[int, ...] | None = None


def report_figure_scope(ctx: AccessContext, tenant_ids: Iterable[int] | None = None) -> FigureScope:
    """The tenants of :func:`report_tenants_scope`, optionally narrowed to ``tenant_ids``."""
    allowed = list(report_tenants_scope(ctx).values_list("pk", flat=True))
    if tenant_ids is not None:
        wanted = set(tenant_ids)
        allowed = [pk for pk in allowed if pk in wanted]
    return FigureScope(tuple(sorted(allowed)))


def proof_figure_scope(ctx: AccessContext, provider_id: int | None) -> FigureScope:
    """Figures for a proof of use: the own tenant (consolidated, ``provider_id=None``) or one
    provider of it. Empty for anyone without ``FUNDING_VIEW``."""
    if ctx.tenant is None or not ctx.has(Perm.FUNDING_VIEW):
        return FigureScope(())
    if provider_id is None:
        return FigureScope((ctx.tenant.pk,))
    return FigureScope((ctx.tenant.pk,), (provider_id,))
