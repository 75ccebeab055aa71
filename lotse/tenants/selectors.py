"""Reads of tenant structure and staff. Every function starts from an access scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from lotse.access import policy
from lotse.access.context import AccessContext
from lotse.accounts.models import sort_key
from lotse.tenants.models import Location, Membership, Municipality, Provider, Role


def staff_list(
    ctx: AccessContext,
    *,
    query: str = "",
    role: str = "",
    provider_id: int | None = None,
    status: str = "active",
) -> QuerySet[Membership]:
    qs = policy.memberships_scope(ctx).select_related("user", "provider")
    if status == "active":
        qs = qs.filter(is_active=True, accepted_at__isnull=False, user__is_active=True)
    elif status == "invited":
        qs = qs.filter(is_active=True, accepted_at__isnull=True, user__is_active=True)
    elif status == "inactive":
        qs = qs.filter(Q(is_active=False) | Q(user__is_active=False))
    if role:
        qs = qs.filter(role=role)
    if provider_id:
        qs = qs.filter(provider_id=provider_id)
    for word in query.split()[:4]:
        qs = qs.filter(Q(user__sort_name__contains=sort_key(word)) | Q(user__username__icontains=word))
    return qs.order_by("user__sort_name", "pk")


def membership_get(ctx: AccessContext, pk: int) -> Membership:
    return get_object_or_404(policy.memberships_scope(ctx).select_related("user", "provider"), pk=pk)


def staff_counts_by_role(ctx: AccessContext) -> dict[str, int]:
    rows = (
        policy.memberships_scope(ctx)
        .filter(is_active=True, accepted_at__isnull=False, user__is_active=True)
        .values("role")
        .annotate(n=Count("id"))
    )
    return {row["role"]: row["n"] for row in rows}


def provider_list(ctx: AccessContext, *, include_inactive: bool = True) -> QuerySet[Provider]:
    qs = policy.providers_scope(ctx).select_related("municipality")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.annotate(
        staff_count=Count("memberships", filter=Q(memberships__is_active=True), distinct=True),
        location_count=Count("locations", distinct=True),
    ).order_by("name")


def provider_get(ctx: AccessContext, pk: int) -> Provider:
    return get_object_or_404(policy.providers_scope(ctx), pk=pk)


def location_list(ctx: AccessContext) -> QuerySet[Location]:
    return policy.locations_scope(ctx).select_related("provider", "municipality").order_by("name")


def location_get(ctx: AccessContext, pk: int) -> Location:
    return get_object_or_404(policy.locations_scope(ctx), pk=pk)


def municipality_list(ctx: AccessContext) -> QuerySet[Municipality]:
    return policy.municipalities_scope(ctx).order_by("name")


def municipality_get(ctx: AccessContext, pk: int) -> Municipality:
    return get_object_or_404(policy.municipalities_scope(ctx), pk=pk)


def structure_counts(ctx: AccessContext) -> dict[str, int]:
    return {
        "providers": policy.providers_scope(ctx).filter(is_active=True).count(),
        "locations": policy.locations_scope(ctx).filter(is_active=True).count(),
        "municipalities": policy.municipalities_scope(ctx).filter(is_active=True).count(),
    }


def case_managers_by_provider(ctx: AccessContext) -> list[tuple[str, int]]:
    rows = (
        policy.memberships_scope(ctx)
        .filter(role=Role.CASE_MANAGER, is_active=True, accepted_at__isnull=False, user__is_active=True)
        .values("provider__name")
        .annotate(n=Count("id"))
        .order_by("provider__name")
    )
    return [(row["provider__name"], row["n"]) for row in rows]


def user_tenants(user) -> QuerySet[Membership]:  # type: ignore[no-untyped-def]
    """The user's own active memberships (for the tenant choice after sign-in)."""
    return (
        Membership.objects.filter(user=user, is_active=True, accepted_at__isnull=False, tenant__is_active=True)
        .select_related("tenant", "provider")
        .order_by("tenant__name")
    )


def open_invitations(user) -> QuerySet[Membership]:  # type: ignore[no-untyped-def]
    """Memberships other tenants offered this user and the user has not answered yet."""
    return (
        Membership.objects.filter(user=user, is_active=True, accepted_at__isnull=True, tenant__is_active=True)
        .select_related("tenant", "provider")
        .order_by("tenant__name")
    )


def invitation_get(user, pk: int) -> Membership:  # type: ignore[no-untyped-def]
    return get_object_or_404(open_invitations(user), pk=pk)


def state_overview(ctx: AccessContext) -> list[dict[str, object]]:
    """Cross-tenant aggregates for state analysts: structure and staffing per tenant."""
    rows = (
        policy.aggregate_tenants_scope(ctx)
        .annotate(
            municipality_count=Count("municipalities", filter=Q(municipalities__is_active=True), distinct=True),
            provider_count=Count("providers", filter=Q(providers__is_active=True), distinct=True),
            case_manager_count=Count(
                "memberships",
                filter=Q(
                    memberships__role=Role.CASE_MANAGER,
                    memberships__is_active=True,
                    memberships__accepted_at__isnull=False,
                ),
                distinct=True,
            ),
            coordinator_count=Count(
                "memberships",
                filter=Q(
                    memberships__role=Role.COORDINATOR,
                    memberships__is_active=True,
                    memberships__accepted_at__isnull=False,
                ),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    return [
        {
            "name": t.name,
            "municipalities": t.municipality_count,
            "providers": t.provider_count,
            "case_managers": t.case_manager_count,
            "coordinators": t.coordinator_count,
        }
        for t in rows
    ]


def staff_without_authenticator(ctx: AccessContext) -> int:
    return (
        policy.memberships_scope(ctx)
        .filter(is_active=True, accepted_at__isnull=False, user__is_active=True)
        .exclude(user__totp_device__confirmed_at__isnull=False)
        .count()
    )


def own_workplace(ctx: AccessContext) -> dict[str, Any]:
    colleagues = policy.own_provider_memberships(ctx).filter(
        role=Role.CASE_MANAGER, is_active=True, accepted_at__isnull=False, user__is_active=True
    )
    return {
        "provider": ctx.membership.provider.name if ctx.membership and ctx.membership.provider else "–",
        "colleagues": colleagues.count(),
        "locations": policy.own_provider_locations(ctx).filter(is_active=True).count(),
    }


def public_figures(ctx: AccessContext) -> dict[str, int]:
    """Aggregate counts of the own tenant, for roles that see no records (committee members)."""
    if not policy.tenant_aggregates_allowed(ctx):
        return {"municipalities": 0, "providers": 0, "case_managers": 0, "coordinators": 0}
    tenant = ctx.tenant
    staff = Membership.objects.filter(tenant=tenant, is_active=True, accepted_at__isnull=False, user__is_active=True)
    return {
        "municipalities": Municipality.objects.filter(tenant=tenant, is_active=True).count(),
        "providers": Provider.objects.filter(tenant=tenant, is_active=True).count(),
        "case_managers": staff.filter(role=Role.CASE_MANAGER).count(),
        "coordinators": staff.filter(role=Role.COORDINATOR).count(),
    }
