"""Resolves the access context once per request and enforces each view's declared rule."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from lotse.access.context import AccessContext, TenantAccessContext
from lotse.access.decorators import AccessRule
from lotse.core.http import redirect_to
from lotse.tenants.models import Membership

logger = logging.getLogger(__name__)

SESSION_TENANT = "lotse_tenant"


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.access = AccessContext(user=getattr(request, "user", None))  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        rule: AccessRule | None = getattr(view_func, "lotse_access", None)
        if rule is None:
            logger.error("view without access rule refused", extra={"route": request.path_info})
            raise PermissionDenied("This view declares no access rule.")
        if rule.kind in ("public", "api"):
            return None
        user = request.user
        if not user.is_authenticated:
            if getattr(request, "htmx", False):
                return redirect_to(request, reverse("accounts:login"))
            return redirect_to_login(request.get_full_path())
        if user.must_change_password and not rule.allow_pending_password:  # type: ignore[union-attr]
            return redirect_to(request, reverse("accounts:password_change"))
        if rule.kind == "authenticated":
            return None
        slug = view_kwargs.get("tenant")
        membership = (
            Membership.objects.select_related("tenant", "provider")
            .filter(user=user, tenant__slug=slug, is_active=True, accepted_at__isnull=False, tenant__is_active=True)
            .first()
        )
        if membership is None:
            raise PermissionDenied("No membership in this tenant.")
        context = TenantAccessContext(user=user, tenant=membership.tenant, membership=membership)
        request.access = context  # type: ignore[attr-defined]
        missing = [perm for perm in rule.perms if not context.has(perm)]
        if missing:
            raise PermissionDenied("The role lacks a permission.")
        if request.session.get(SESSION_TENANT) != slug:
            request.session[SESSION_TENANT] = slug
        return None
