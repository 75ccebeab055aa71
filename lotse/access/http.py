"""The request type views see after AccessMiddleware: a signed-in user and an access context."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from lotse.access.context import AccessContext, TenantAccessContext
    from lotse.accounts.models import User


class LotseRequest(HttpRequest):
    """For type checking only: views behind ``authenticated``/``tenant_view`` get this."""

    user: User  # type: ignore[assignment]
    access: AccessContext
    htmx: HtmxDetails


class TenantRequest(LotseRequest):
    """For type checking only: views behind ``tenant_view`` get this."""

    access: TenantAccessContext
