"""Object rules of the privacy operations (the data-protection officer, ``PRIVACY_MANAGE``).

* The data-protection officer sees no case in the case pages (``cases_scope`` is empty for the
  role). A case of the own tenant is reached only by its exact case number, and only to open a
  *logged* privacy request (:func:`case_for_request`); afterwards only through that request
  (:func:`requests_scope`, :func:`request_case`).
* Every other role, and every other tenant, gets nothing here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from lotse.access.context import AccessContext
from lotse.access.permissions import Perm

if TYPE_CHECKING:
    from lotse.cases.models import Case


def may_manage_privacy(ctx: AccessContext) -> bool:
    return ctx.tenant is not None and ctx.has(Perm.PRIVACY_MANAGE)


def case_for_request(ctx: AccessContext, number: str) -> Case | None:
    """The case of the own tenant with exactly this number, for opening a request (which the
    caller logs); ``None`` when there is none. Nothing is searched by similarity."""
    from lotse.cases.models import Case

    if not may_manage_privacy(ctx):
        return None
    number = number.strip()
    if not number:
        return None
    return Case.objects.filter(tenant=ctx.tenant, number=number).first()


def requests_scope(ctx: AccessContext) -> QuerySet[Any]:
    from lotse.privacy.models import PrivacyRequest

    if not may_manage_privacy(ctx):
        return PrivacyRequest.objects.none()
    return PrivacyRequest.objects.filter(tenant=ctx.tenant)


def request_get(ctx: AccessContext, pk: int) -> Any:
    """One request of the own tenant with its case, or 404."""
    found = requests_scope(ctx).select_related("case", "case__case_manager", "opened_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def restricted_cases_scope(ctx: AccessContext) -> QuerySet[Case]:
    """Case numbers of restricted cases for the overview (numbers and dates only)."""
    from lotse.cases.models import Case

    if not may_manage_privacy(ctx):
        return Case.objects.none()
    return Case.objects.filter(tenant=ctx.tenant, restricted_at__isnull=False)


def retention_candidates_scope(ctx: AccessContext) -> QuerySet[Case]:
    """The own tenant's cases for the retention preview (numbers and closure dates only)."""
    from lotse.cases.models import Case

    if not may_manage_privacy(ctx):
        return Case.objects.none()
    return Case.objects.filter(tenant=ctx.tenant)
