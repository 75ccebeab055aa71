"""Permission classes of the REST API: a valid token (its access context), then per view the
coarse permission of :mod:`lotse.access.permissions`; object rules stay in the scopes."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from lotse.access.context import TenantAccessContext


def access_of(request: Request) -> TenantAccessContext:
    return request._request.access  # type: ignore[attr-defined,no-any-return]


class HasTenantAccess(BasePermission):
    """A token was accepted; the view's ``required_perms`` (any of them) are held by the role."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.auth is None:
            return False
        ctx = getattr(request._request, "access", None)
        if not isinstance(ctx, TenantAccessContext):
            return False
        perms = getattr(view, "required_perms", ())
        return not perms or any(ctx.has(perm) for perm in perms)
