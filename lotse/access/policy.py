"""Object-level access rules: which records of a tenant an access context may see or change.

Selectors in the domain apps start from these scopes and never from ``Model.objects``
directly, so tenant, role and provider rules are applied in exactly one place."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast

from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.tenants.models import Location, Membership, Municipality, Provider, Role, Tenant, TenantKind


def memberships_scope(ctx: AccessContext) -> QuerySet[Membership]:
    """Staff of the tenant: all for admins and coordinators, own provider for provider leads."""
    if ctx.tenant is None or not ctx.has(Perm.STAFF_VIEW):
        return Membership.objects.none()
    qs = Membership.objects.filter(tenant=ctx.tenant)
    if ctx.role == Role.PROVIDER_LEAD:
        return qs.filter(provider_id=ctx.provider_id) if ctx.provider_id else qs.none()
    return qs


def providers_scope(ctx: AccessContext) -> QuerySet[Provider]:
    if ctx.tenant is None or not ctx.has(Perm.STRUCTURE_VIEW):
        return Provider.objects.none()
    return Provider.objects.filter(tenant=ctx.tenant)


def locations_scope(ctx: AccessContext) -> QuerySet[Location]:
    if ctx.tenant is None or not ctx.has(Perm.STRUCTURE_VIEW):
        return Location.objects.none()
    return Location.objects.filter(tenant=ctx.tenant)


def municipalities_scope(ctx: AccessContext) -> QuerySet[Municipality]:
    if ctx.tenant is None or not ctx.has(Perm.STRUCTURE_VIEW):
        return Municipality.objects.none()
    return Municipality.objects.filter(tenant=ctx.tenant)


def own_provider_memberships(ctx: AccessContext) -> QuerySet[Membership]:
    """Colleagues at the acting user's own provider (case managers see their workplace)."""
    if ctx.tenant is None or ctx.provider_id is None:
        return Membership.objects.none()
    return Membership.objects.filter(tenant=ctx.tenant, provider_id=ctx.provider_id)


def own_provider_locations(ctx: AccessContext) -> QuerySet[Location]:
    if ctx.tenant is None or ctx.provider_id is None:
        return Location.objects.none()
    return Location.objects.filter(tenant=ctx.tenant, provider_id=ctx.provider_id)


def tenant_aggregates_allowed(ctx: AccessContext) -> bool:
    """Counts (never records) of the own tenant: every role with a dashboard."""
    return ctx.tenant is not None and ctx.has(Perm.DASHBOARD_VIEW)


def aggregate_tenants_scope(ctx: AccessContext) -> QuerySet[Tenant]:
    """Tenants whose aggregate figures a state analyst may read (never their records)."""
    if not ctx.has(Perm.CROSS_TENANT_AGGREGATES):
        return Tenant.objects.none()
    return Tenant.objects.filter(is_active=True).exclude(kind=TenantKind.STATE)


def audit_events_scope(ctx: AccessContext) -> QuerySet[Any]:
    """The data-protection officer sees the tenant's chain, and those sign-in events of the
    platform chain that concern a person *while* they worked in this tenant: from accepting the
    membership until it ended. Sign-ins of the same account before, after, or for another
    tenant stay with that tenant."""
    from lotse.audit.models import AuditEvent

    if ctx.tenant is None or not ctx.has(Perm.AUDIT_VIEW):
        return AuditEvent.objects.none()
    in_window = Q(accepted_at__isnull=False, accepted_at__lte=OuterRef("created_at")) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=OuterRef("created_at"))
    )
    members = Membership.objects.filter(in_window, tenant=ctx.tenant)
    acted = Exists(members.filter(user_id=OuterRef("actor_id")))
    concerned = Exists(members.annotate(user_ref=Cast("user_id", CharField())).filter(user_ref=OuterRef("object_id")))
    return AuditEvent.objects.filter(
        Q(tenant=ctx.tenant)
        | Q(tenant__isnull=True, actor__isnull=False) & Q(acted)
        | Q(tenant__isnull=True, actor__isnull=True, object_type="accounts.user") & Q(concerned)
    )


def can_manage_membership(ctx: AccessContext, membership: Membership) -> bool:
    """Tenant admins manage memberships of their tenant, except their own (no self-lockout)."""
    return (
        ctx.tenant is not None
        and ctx.has(Perm.STAFF_MANAGE)
        and membership.tenant_id == ctx.tenant.pk
        and membership.user_id != ctx.user.pk
    )


def can_manage_account(ctx: AccessContext, user: Any) -> bool:
    """Password reset, authenticator reset and deactivation act on the whole account, which
    may open other tenants too. Allowed only when every active membership of that user lies
    in a tenant where the actor is an active tenant admin."""
    if ctx.tenant is None or not ctx.has(Perm.STAFF_MANAGE) or user.pk == ctx.user.pk:
        return False
    admin_tenants = set(
        Membership.objects.filter(
            user=ctx.user, role=Role.TENANT_ADMIN, is_active=True, accepted_at__isnull=False
        ).values_list("tenant_id", flat=True)
    )
    # ended and pending memberships count too: they can be restored or accepted later
    user_tenants = set(Membership.objects.filter(user=user).values_list("tenant_id", flat=True))
    if not Membership.objects.filter(user=user, tenant=ctx.tenant).exists():
        return False
    return user_tenants <= admin_tenants
