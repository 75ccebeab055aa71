"""Object rules of strategic steering, committees and supervision.

* Coordinators (``STEERING_MANAGE``) see the whole tenant: barriers, themes, every body.
* Everyone else with ``COMMITTEE_VIEW`` sees only bodies in which their membership holds a
  current seat (``BodyMember.membership``), and those bodies' meetings. Committee members
  (``THEME_VIEW``) see the themes their bodies are responsible for or have on an agenda.
* Quality-circle reviewers see picked cases through :func:`review_cases_scope` only, which
  never hands out the case itself to a template (see ``lotse.committees.review``).
* Supervision figures: coordinators for the whole tenant, provider leads for their provider.

No scope here returns case records to a committee member: barriers and cases are reached only
by coordinators, and by seat holders through the pseudonymised review summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from lotse.access.context import AccessContext
from lotse.access.permissions import Perm

if TYPE_CHECKING:
    from lotse.cases.models import Barrier
    from lotse.committees.models import Body, Meeting, ReviewCase
    from lotse.steering.models import Theme


def barriers_scope(ctx: AccessContext) -> QuerySet[Barrier]:
    from lotse.cases.models import Barrier

    if ctx.tenant is None or not ctx.has(Perm.STEERING_MANAGE):
        return Barrier.objects.none()
    return Barrier.objects.filter(tenant=ctx.tenant)


def seat_body_ids(ctx: AccessContext) -> QuerySet[Any]:
    """Ids of the bodies in which the acting membership holds a current seat."""
    from lotse.committees.models import BodyMember

    if ctx.membership is None:
        return BodyMember.objects.none().values("body_id")
    today = timezone.localdate()
    return (
        BodyMember.objects.filter(membership=ctx.membership, body__tenant=ctx.tenant)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .values("body_id")
    )


def bodies_scope(ctx: AccessContext) -> QuerySet[Body]:
    from lotse.committees.models import Body

    if ctx.tenant is None:
        return Body.objects.none()
    if ctx.has(Perm.STEERING_MANAGE):
        return Body.objects.filter(tenant=ctx.tenant)
    if not ctx.has(Perm.COMMITTEE_VIEW):
        return Body.objects.none()
    return Body.objects.filter(tenant=ctx.tenant, pk__in=seat_body_ids(ctx))


def meetings_scope(ctx: AccessContext) -> QuerySet[Meeting]:
    from lotse.committees.models import Meeting

    if ctx.tenant is None:
        return Meeting.objects.none()
    if ctx.has(Perm.STEERING_MANAGE):
        return Meeting.objects.filter(body__tenant=ctx.tenant)
    if not ctx.has(Perm.COMMITTEE_VIEW):
        return Meeting.objects.none()
    return Meeting.objects.filter(body__tenant=ctx.tenant, body_id__in=seat_body_ids(ctx))


def themes_scope(ctx: AccessContext) -> QuerySet[Theme]:
    from lotse.steering.models import Theme

    if ctx.tenant is None or not ctx.has(Perm.THEME_VIEW):
        return Theme.objects.none()
    qs = Theme.objects.filter(tenant=ctx.tenant)
    if ctx.has(Perm.STEERING_MANAGE):
        return qs
    bodies = seat_body_ids(ctx)
    return qs.filter(Q(responsible_body_id__in=bodies) | Q(agenda_items__meeting__body_id__in=bodies)).distinct()


def review_cases_scope(ctx: AccessContext) -> QuerySet[ReviewCase]:
    """Cases picked for quality-circle meetings the acting person may attend."""
    from lotse.committees.models import BodyKind, ReviewCase

    return ReviewCase.objects.filter(meeting__in=meetings_scope(ctx), meeting__body__kind=BodyKind.QUALITY_CIRCLE)


def supervision_provider_ids(ctx: AccessContext) -> list[int] | None:
    """``None`` = all providers of the tenant (coordinators); a list = only these (provider
    leads: their own). Raises ``PermissionError`` for everyone else."""
    if ctx.tenant is None or not ctx.has(Perm.SUPERVISION_VIEW):
        raise PermissionError("no supervision figures for this role")
    if ctx.has(Perm.STEERING_MANAGE):
        return None
    return [ctx.provider_id] if ctx.provider_id else []
