from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from lotse.tenants.models import Membership, Role
from lotse.ui.navigation import NavItem, items_for


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, as the switch shows it


@dataclass
class Shell:
    demo_mode: bool
    other_language: Language
    tenant: Any = None
    role_label: str = ""
    tenant_count: int = 0
    nav_items: list[NavItem] = field(default_factory=list)


def shell(request: HttpRequest) -> dict[str, Shell]:
    """What the page frame shows: tenant, role, navigation, demo banner."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    other = next((code, name) for code, name in settings.LANGUAGES if code != current[:2])
    result = Shell(demo_mode=settings.DEMO_MODE, other_language=Language(*other))
    ctx = getattr(request, "access", None)
    user = getattr(request, "user", None)
    if ctx is None or user is None or not user.is_authenticated:
        return {"shell": result}
    result.tenant = ctx.tenant
    if ctx.membership is not None:
        result.role_label = str(Role(ctx.membership.role).label)
    result.tenant_count = Membership.objects.filter(
        user=user, is_active=True, tenant__is_active=True
    ).count()  # pending invitations included: the tenant page is where they are answered
    match = getattr(request, "resolver_match", None)
    result.nav_items = items_for(ctx, match.view_name if match else None)
    return {"shell": result}
