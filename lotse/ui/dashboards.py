"""Role dashboards: each role sees figures it may see, computed from the database through the
selectors (and thus the access layer). Later modules add sections with ``register``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.audit import selectors as audit_selectors
from lotse.tenants import selectors as tenant_selectors
from lotse.tenants.models import Role


@dataclass
class Card:
    label: str
    value: int | str
    url: str | None = None


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Any]]
    numeric_from: int = 1


@dataclass
class Section:
    title: str
    cards: list[Card] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


SectionBuilder = Callable[[AccessContext], Section | None]
_SECTIONS: dict[str, list[SectionBuilder]] = {role.value: [] for role in Role}


def register(*roles: str) -> Callable[[SectionBuilder], SectionBuilder]:
    def wrap(builder: SectionBuilder) -> SectionBuilder:
        for role in roles:
            _SECTIONS[role].append(builder)
        return builder

    return wrap


def sections_for(ctx: AccessContext) -> list[Section]:
    if ctx.role is None:
        return []
    return [s for builder in _SECTIONS[ctx.role] if (s := builder(ctx)) is not None]


def _url(ctx: AccessContext, name: str) -> str:
    assert ctx.tenant is not None
    return reverse(name, kwargs={"tenant": ctx.tenant.slug})


@register(Role.TENANT_ADMIN)
def _admin_accounts(ctx: AccessContext) -> Section:
    by_role = tenant_selectors.staff_counts_by_role(ctx)
    without_2fa = tenant_selectors.staff_without_authenticator(ctx)
    staff_url = _url(ctx, "tenants:staff_list")
    return Section(
        _("Accounts"),
        cards=[
            Card(_("Active staff accounts"), sum(by_role.values()), staff_url),
            Card(_("Without authenticator app"), without_2fa, staff_url),
        ],
        tables=[
            Table(
                _("Active staff by role"),
                [_("Role"), _("Number")],
                [[label, by_role.get(value, 0)] for value, label in Role.choices if value in by_role],
            )
        ],
    )


@register(Role.TENANT_ADMIN, Role.COORDINATOR, Role.FUNDING_CLERK, Role.PROVIDER_LEAD)
def _structure(ctx: AccessContext) -> Section:
    counts = tenant_selectors.structure_counts(ctx)
    return Section(
        _("Organisation"),
        cards=[
            Card(_("Providers"), counts["providers"], _url(ctx, "tenants:provider_list")),
            Card(_("Locations"), counts["locations"], _url(ctx, "tenants:location_list")),
            Card(_("Municipalities"), counts["municipalities"], _url(ctx, "tenants:municipality_list")),
        ],
    )


@register(Role.COORDINATOR, Role.PROVIDER_LEAD)
def _case_management_staff(ctx: AccessContext) -> Section:
    rows = tenant_selectors.case_managers_by_provider(ctx)
    return Section(
        _("Case management"),
        cards=[Card(_("Case managers"), sum(n for _name, n in rows), _url(ctx, "tenants:staff_list"))],
        tables=[Table(_("Case managers by provider"), [_("Provider"), _("Case managers")], [list(r) for r in rows])],
    )


@register(Role.CASE_MANAGER)
def _my_workplace(ctx: AccessContext) -> Section:
    info = tenant_selectors.own_workplace(ctx)
    return Section(
        _("My workplace"),
        cards=[
            Card(_("Provider"), info["provider"]),
            Card(_("Case managers at my provider"), info["colleagues"]),
            Card(_("Locations of my provider"), info["locations"]),
        ],
    )


@register(Role.COMMITTEE_MEMBER)
def _tenant_figures(ctx: AccessContext) -> Section:
    figures = tenant_selectors.public_figures(ctx)
    return Section(
        _("The district in figures"),
        cards=[
            Card(_("Municipalities"), figures["municipalities"]),
            Card(_("Providers"), figures["providers"]),
            Card(_("Case managers"), figures["case_managers"]),
            Card(_("Coordinators"), figures["coordinators"]),
        ],
    )


@register(Role.DATA_PROTECTION_OFFICER)
def _audit(ctx: AccessContext) -> Section:
    stats = audit_selectors.event_statistics(ctx)
    url = _url(ctx, "audit:event_list")
    return Section(
        _("Audit log"),
        cards=[
            Card(_("Events in the last 7 days"), stats["week"], url),
            Card(_("Failed sign-ins in the last 7 days"), stats["failed_logins"], url),
            Card(_("Lockouts in the last 7 days"), stats["lockouts"], url),
            Card(_("Events in total"), stats["total"], url),
        ],
    )


@register(Role.STATE_ANALYST)
def _state(ctx: AccessContext) -> Section:
    rows = tenant_selectors.state_overview(ctx)
    return Section(
        _("Tenants of the state"),
        cards=[
            Card(_("Districts and cities"), len(rows)),
            Card(_("Case managers"), sum(int(r["case_managers"]) for r in rows)),  # type: ignore[call-overload]
        ],
        tables=[
            Table(
                _("Structure and staffing per tenant"),
                [_("Tenant"), _("Municipalities"), _("Providers"), _("Coordinators"), _("Case managers")],
                [[r["name"], r["municipalities"], r["providers"], r["coordinators"], r["case_managers"]] for r in rows],
            )
        ],
    )
