"""Coordinator's dashboard section: what waits for the KIM coordination (closures to approve,
cases to assign) and the tenant's case figures – counts only, never a client."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from lotse.access.cases import cases_scope
from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.cases.models import CaseStatus
from lotse.tenants.models import Role
from lotse.ui.dashboards import Card, Section, register


@register(Role.COORDINATOR)
def coordination_section(ctx: AccessContext) -> Section | None:
    if ctx.tenant is None or not ctx.has(Perm.CASE_OVERSIGHT):
        return None
    figures = cases_scope(ctx).aggregate(
        open=Count("pk", filter=Q(status=CaseStatus.OPEN)),
        unassigned=Count("pk", filter=Q(status=CaseStatus.OPEN, case_manager__isnull=True)),
        waiting=Count("pk", filter=Q(status=CaseStatus.CLOSURE_REQUESTED)),
        anonymous=Count("pk", filter=Q(status=CaseStatus.OPEN, is_anonymous=True)),
    )
    cases_url = reverse("cases:list", kwargs={"tenant": ctx.tenant.slug})
    return Section(
        _("Cases of the tenant"),
        cards=[
            Card(_("Open cases"), figures["open"], cases_url),
            Card(_("Waiting for assignment"), figures["unassigned"], f"{cases_url}?case_manager=none"),
            Card(_("Closures to approve"), figures["waiting"], f"{cases_url}?status=closure_requested"),
            Card(_("Open cases in anonymous counselling"), figures["anonymous"]),
        ],
    )
