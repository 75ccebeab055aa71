"""Main navigation by role. Later modules append their entries to ``NAV_ITEMS``."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.access.context import AccessContext
from lotse.access.permissions import Perm


@dataclass(frozen=True)
class NavEntry:
    label: Promise
    url_name: str
    perm: Perm
    # URL names that also mark this entry as current (sub-pages).
    section: str


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


NAV_ITEMS: list[NavEntry] = [
    NavEntry(_("Overview"), "ui:dashboard", Perm.DASHBOARD_VIEW, "ui:dashboard"),
    NavEntry(_("Staff"), "tenants:staff_list", Perm.STAFF_VIEW, "tenants:staff"),
    NavEntry(_("Providers"), "tenants:provider_list", Perm.STRUCTURE_VIEW, "tenants:provider"),
    NavEntry(_("Locations"), "tenants:location_list", Perm.STRUCTURE_VIEW, "tenants:location"),
    NavEntry(_("Municipalities"), "tenants:municipality_list", Perm.STRUCTURE_VIEW, "tenants:municipality"),
    NavEntry(_("Audit log"), "audit:event_list", Perm.AUDIT_VIEW, "audit:"),
]


def items_for(ctx: AccessContext, current_view: str | None) -> list[NavItem]:
    if ctx.tenant is None:
        return []
    result = []
    for entry in NAV_ITEMS:
        if not ctx.has(entry.perm):
            continue
        current = bool(current_view and current_view.startswith(entry.section))
        result.append(NavItem(str(entry.label), reverse(entry.url_name, kwargs={"tenant": ctx.tenant.slug}), current))
    return result
