"""Reads of the audit log for the data-protection officer, always through the access scope."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lotse.access import policy
from lotse.access.context import AccessContext
from lotse.audit.models import AuditEvent


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def event_list(
    ctx: AccessContext,
    *,
    action: str = "",
    actor_query: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    qs = policy.audit_events_scope(ctx).select_related("actor")
    if action:
        qs = qs.filter(action=action) if "." in action else qs.filter(action__startswith=f"{action}.")
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    for word in actor_query.split()[:3]:
        qs = qs.filter(
            Q(actor__username__icontains=word)
            | Q(actor__last_name__icontains=word)
            | Q(actor__first_name__icontains=word)
        )
    if date_from:
        qs = qs.filter(created_at__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(created_at__lt=_day_start(date_to + timedelta(days=1)))
    return qs.order_by("-created_at", "-id")


def event_statistics(ctx: AccessContext) -> dict[str, int]:
    week = timezone.now() - timedelta(days=7)
    return policy.audit_events_scope(ctx).aggregate(
        total=Count("id"),
        week=Count("id", filter=Q(created_at__gte=week)),
        failed_logins=Count("id", filter=Q(created_at__gte=week, action="auth.login_failed")),
        lockouts=Count("id", filter=Q(created_at__gte=week, action="auth.lockout")),
    )


def object_types(ctx: AccessContext) -> list[str]:
    return list(
        policy.audit_events_scope(ctx)
        .exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
