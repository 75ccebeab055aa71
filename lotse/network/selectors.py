"""Reads of the partner directory. Every function starts from the acting user's tenant."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from lotse.access.context import AccessContext
from lotse.network.models import Agency


def agencies_scope(ctx: AccessContext) -> QuerySet[Agency]:
    """The agencies of the acting user's tenant (none without a tenant)."""
    if ctx.tenant is None:
        return Agency.objects.none()
    return Agency.objects.filter(tenant=ctx.tenant)


def agency_list(ctx: AccessContext, *, kind: str = "", status: str = "active", query: str = "") -> QuerySet[Agency]:
    """The directory, filtered by kind, active state (``active``, ``inactive``, ``all``) and a
    text found in the name or the contact person."""
    qs = agencies_scope(ctx)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    if kind:
        qs = qs.filter(kind=kind)
    for word in query.split()[:4]:
        qs = qs.filter(Q(name__icontains=word) | Q(contact_person__icontains=word))
    return qs.order_by("name", "pk")


def agency_get(ctx: AccessContext, pk: int) -> Agency:
    """One agency of the tenant, or 404 (also for another tenant's agency)."""
    return get_object_or_404(agencies_scope(ctx), pk=pk)


def agencies_for_referral(ctx: AccessContext) -> QuerySet[Agency]:
    """The agencies a referral may go to: the tenant's active ones."""
    return agencies_scope(ctx).filter(is_active=True).order_by("name", "pk")
