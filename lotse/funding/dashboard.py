"""Role dashboard section of funding control: the funding clerk's and the coordinator's
programmes running today, the funded full-time equivalents, and received against granted.
Figures only; computed by :func:`lotse.funding.selectors.overview` through the funding scopes.

Registered when this module is imported (``FundingConfig.ready``)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.funding import selectors
from lotse.tenants.models import Role
from lotse.ui.dashboards import Card, Section, Table, register


def _money(value: Decimal) -> str:
    return number_format(value, 2, use_l10n=True, force_grouping=True)


def _fte(value: Decimal) -> str:
    return number_format(value, 2, use_l10n=True)


@register(Role.FUNDING_CLERK, Role.COORDINATOR)
def funding_section(ctx: AccessContext) -> Section | None:
    if ctx.tenant is None or not ctx.has(Perm.FUNDING_VIEW):
        return None
    rows = [row for row in selectors.overview(ctx, with_claims=False) if row.running]
    url = reverse("funding:overview", kwargs={"tenant": ctx.tenant.slug})
    granted = sum((row.granted for row in rows), Decimal("0.00"))
    received = sum((row.received for row in rows), Decimal("0.00"))
    return Section(
        _("Funding"),
        cards=[
            Card(_("Funding programmes running"), len(rows), url),
            Card(_("Funded full-time equivalents today"), _fte(sum((row.fte for row in rows), Decimal(0))), url),
            Card(
                _("Received of granted (EUR)"),
                _("%(received)s of %(granted)s") % {"received": _money(received), "granted": _money(granted)},
                reverse("funding:payment_list", kwargs={"tenant": ctx.tenant.slug}),
            ),
        ],
        tables=[
            Table(
                _("Funding programmes running"),
                [_("Programme"), _("FTE"), _("Granted (EUR)"), _("Received (EUR)")],
                [[row.programme.name, _fte(row.fte), _money(row.granted), _money(row.received)] for row in rows],
            )
        ],
    )
