"""Role dashboard sections of Module 2: the supervisors' way to the supervision page, and the
committee members' aggregate figures — counts only, never a case list or a case number."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.supervision import selectors
from lotse.tenants.models import Role
from lotse.ui.dashboards import Card, Section, Table, register


@register(Role.COORDINATOR, Role.PROVIDER_LEAD)
def supervision_section(ctx: AccessContext) -> Section | None:
    if ctx.tenant is None or not ctx.has(Perm.SUPERVISION_VIEW):
        return None
    scope = selectors.supervision_scope(ctx)
    totals = selectors.overdue_totals(scope)
    url = reverse("supervision:dashboard", kwargs={"tenant": ctx.tenant.slug})
    cards = [
        Card(_("Open cases with an overdue follow-up"), totals["follow_ups"], f"{url}#overdue"),
        Card(_("Open cases with an overdue re-assessment"), totals["reassessments"], f"{url}#overdue"),
    ]
    if scope.provider_ids is not None:  # provider leads: coordinators see the tenant's open cases above
        cards.insert(0, Card(_("Open cases of my provider"), totals["open"], url))
    return Section(_("Supervision"), cards=cards)


@register(Role.COMMITTEE_MEMBER)
def aggregate_section(ctx: AccessContext) -> Section | None:
    figures = selectors.committee_figures(ctx)
    if figures is None:
        return None
    return Section(
        _("Aggregate figures"),
        cards=[
            Card(_("Open cases in the district"), figures["open"]),
            Card(_("Cases opened this year"), figures["opened_this_year"]),
            Card(_("Client feedback answers this year"), figures["feedback_this_year"]),
        ],
        tables=[
            Table(
                _("Active generative themes per level of the staircase"),
                [_("Level"), _("Themes")],
                [[f"{level} – {name}", count] for level, name, count in figures["levels"]],
            )
        ],
    )
