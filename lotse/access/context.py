"""The access context: who is acting, in which tenant, with which membership. Built once per
request by :class:`lotse.access.middleware.AccessMiddleware` and passed to every selector."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lotse.access.permissions import Perm, role_has

if TYPE_CHECKING:
    from lotse.tenants.models import Membership, Tenant


@dataclass(frozen=True, kw_only=True)
class AccessContext:
    user: Any
    tenant: Tenant | None = None
    membership: Membership | None = None

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def provider_id(self) -> int | None:
        return self.membership.provider_id if self.membership else None

    def has(self, perm: Perm) -> bool:
        return self.membership is not None and role_has(self.membership.role, perm)


@dataclass(frozen=True, kw_only=True)
class TenantAccessContext(AccessContext):
    """The context of a tenant page: tenant and membership are always present."""

    tenant: Tenant
    membership: Membership
