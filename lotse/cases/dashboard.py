"""Dashboard tile of case managers: what is due in their own and substituted open cases.

Registered on import (``lotse.ui.dashboards.register``); imported from ``CasesConfig.ready``.
Counts come from the denormalised ``Case.next_follow_up_on`` / ``next_reassessment_on`` in one
aggregate query, so the tile stays cheap whatever the number of follow-ups."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.cases import cases_scope
from lotse.access.context import AccessContext
from lotse.cases.models import CaseStatus
from lotse.cases.views.monitoring import REASSESSMENT_HORIZON_DAYS
from lotse.tenants.models import Role
from lotse.ui.dashboards import Card, Section, register


def due_counts(ctx: AccessContext, today: datetime.date | None = None) -> dict[str, int]:
    """Number of open cases (own and substituted) with an overdue follow-up, a follow-up due
    today, and a re-assessment due within a week."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REASSESSMENT_HORIZON_DAYS)
    return (
        cases_scope(ctx)
        .filter(status=CaseStatus.OPEN)
        .aggregate(
            overdue=Count("pk", filter=Q(next_follow_up_on__lt=today)),
            today=Count("pk", filter=Q(next_follow_up_on=today)),
            reassessment=Count("pk", filter=Q(next_reassessment_on__lte=horizon)),
        )
    )


@register(Role.CASE_MANAGER)
def _my_due_work(ctx: AccessContext) -> Section | None:
    if ctx.tenant is None:
        return None
    counts = due_counts(ctx)
    url = reverse("cases:due_list", kwargs={"tenant": ctx.tenant.slug})
    return Section(
        _("My follow-ups"),
        cards=[
            Card(_("Cases with overdue follow-ups"), counts["overdue"], url),
            Card(_("Cases with follow-ups due today"), counts["today"], url),
            Card(_("Re-assessments due within a week"), counts["reassessment"], url),
        ],
    )
