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
    NavEntry(_("My cases"), "cases:list", Perm.CASE_WORK, "cases:"),
    NavEntry(_("Follow-ups"), "cases:due_list", Perm.CASE_WORK, "cases:due_list"),
    NavEntry(_("Substitution"), "cases:substitution", Perm.CASE_WORK, "cases:substitution"),
    NavEntry(_("All cases"), "cases:list", Perm.CASE_OVERSIGHT, "cases:"),
    NavEntry(_("Caseload"), "cases:caseload", Perm.CASE_OVERSIGHT, "cases:caseload"),
    NavEntry(_("Barrier register"), "steering:barrier_register", Perm.STEERING_MANAGE, "steering:barrier"),
    NavEntry(_("Themes"), "steering:theme_list", Perm.THEME_VIEW, "steering:theme"),
    NavEntry(_("Committees"), "committees:body_list", Perm.COMMITTEE_VIEW, "committees:"),
    NavEntry(_("Supervision"), "supervision:dashboard", Perm.SUPERVISION_VIEW, "supervision:"),
    NavEntry(_("Funding"), "funding:overview", Perm.FUNDING_VIEW, "funding:"),
    NavEntry(_("Reports"), "reports:index", Perm.REPORTS_VIEW, "reports:"),
    NavEntry(_("Reports"), "reports:index", Perm.CROSS_TENANT_AGGREGATES, "reports:"),
    NavEntry(_("Staff"), "tenants:staff_list", Perm.STAFF_VIEW, "tenants:staff"),
    NavEntry(_("Providers"), "tenants:provider_list", Perm.STRUCTURE_VIEW, "tenants:provider"),
    NavEntry(_("Locations"), "tenants:location_list", Perm.STRUCTURE_VIEW, "tenants:location"),
    NavEntry(_("Municipalities"), "tenants:municipality_list", Perm.STRUCTURE_VIEW, "tenants:municipality"),
    NavEntry(_("Audit log"), "audit:event_list", Perm.AUDIT_VIEW, "audit:"),
    NavEntry(_("Partner agencies"), "network:agency_list", Perm.AGENCY_VIEW, "network:"),
    NavEntry(_("Case settings"), "cases:case_settings", Perm.CASE_SETTINGS_MANAGE, "cases:case_settings"),
    NavEntry(_("Import case lists"), "transfer:import_start", Perm.CASE_IMPORT, "transfer:import"),
    NavEntry(_("Export lists"), "transfer:export_index", Perm.CASE_WORK, "transfer:export"),
    NavEntry(_("Export lists"), "transfer:export_index", Perm.CASE_OVERSIGHT, "transfer:export"),
    NavEntry(_("Privacy operations"), "privacy:overview", Perm.PRIVACY_MANAGE, "privacy:"),
    NavEntry(_("API tokens"), "api_tokens:list", Perm.DASHBOARD_VIEW, "api_tokens:"),
]


def items_for(ctx: AccessContext, current_view: str | None) -> list[NavItem]:
    """The entries the role may use; the one whose section matches the current view most
    specifically is marked current (``cases:`` for a case page, ``cases:due_list`` for the list)."""
    if ctx.tenant is None:
        return []
    entries = [entry for entry in NAV_ITEMS if ctx.has(entry.perm)]
    matching = [e for e in entries if current_view and current_view.startswith(e.section)]
    current = max(matching, key=lambda e: len(e.section), default=None)
    return [
        NavItem(str(e.label), reverse(e.url_name, kwargs={"tenant": ctx.tenant.slug}), e is current) for e in entries
    ]
