"""Reads of case data, always starting from :mod:`lotse.access.cases`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, QuerySet

from lotse.access.cases import cases_scope
from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.cases.forms import case_managers
from lotse.cases.models import Case, CaseStatus


def case_list(
    ctx: AccessContext,
    *,
    query: str = "",
    status: str = "active",
    provider_id: int | None = None,
    case_manager: str = "",
) -> QuerySet[Case]:
    """The work list: due dates first (next follow-up, then next re-assessment), then newest."""
    qs = cases_scope(ctx).select_related("case_manager", "provider")
    if status == "active":
        qs = qs.filter(status__in=[CaseStatus.OPEN, CaseStatus.CLOSURE_REQUESTED])
    elif status and status != "all":
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(number__icontains=query) | Q(pseudonym__icontains=query))
    if provider_id:
        qs = qs.filter(provider_id=provider_id)
    if case_manager == "none":
        qs = qs.filter(case_manager__isnull=True)
    elif case_manager.isdigit():
        qs = qs.filter(case_manager_id=int(case_manager))
    return qs.order_by(
        F("next_follow_up_on").asc(nulls_last=True),
        F("next_reassessment_on").asc(nulls_last=True),
        "-opened_on",
        "-pk",
    )


def caseload(ctx: AccessContext) -> list[dict[str, Any]]:
    """Cases per case manager (Einsatzmanagement): open, awaiting closure, closed this year,
    overdue follow-ups. Coordinators only; one grouped query plus the list of case managers."""
    if ctx.tenant is None or not ctx.has(Perm.CASE_OVERSIGHT):
        return []
    from django.utils import timezone

    today = timezone.localdate()
    rows = (
        Case.objects.filter(tenant=ctx.tenant)
        .values("case_manager_id")
        .annotate(
            open=Count("pk", filter=Q(status=CaseStatus.OPEN)),
            waiting=Count("pk", filter=Q(status=CaseStatus.CLOSURE_REQUESTED)),
            closed_this_year=Count("pk", filter=Q(status=CaseStatus.CLOSED, closed_on__year=today.year)),
            overdue=Count("pk", filter=Q(status=CaseStatus.OPEN, next_follow_up_on__lt=today)),
        )
    )
    by_user: dict[int | None, dict[str, Any]] = {row["case_manager_id"]: dict(row) for row in rows}
    result = []
    empty = {"open": 0, "waiting": 0, "closed_this_year": 0, "overdue": 0}
    for user in case_managers(ctx.tenant).prefetch_related("memberships__provider"):
        membership = next((m for m in user.memberships.all() if m.tenant_id == ctx.tenant.pk), None)
        result.append(
            {
                "user": user,
                "provider": membership.provider if membership else None,
                **{k: by_user.get(user.pk, empty)[k] for k in empty},
            }
        )
    unassigned = by_user.get(None)
    if unassigned:
        result.append({"user": None, "provider": None, **{k: unassigned[k] for k in empty}})
    return result
