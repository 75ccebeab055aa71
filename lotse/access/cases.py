"""Object rules for case data: tenant → role → assignment / substitution → (consent, in the
services). Every read of a case goes through :func:`cases_scope` or :func:`case_access`.

* Case managers see and work their own cases, and the cases of a colleague who named them
  substitute while an absence period of that colleague runs (today within it).
* Coordinators see every case of the tenant, pseudonymised: never the identity.
* All other roles see no case at all (they get aggregates elsewhere).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, QuerySet
from django.http import Http404
from django.utils import timezone

from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.cases.models import Absence, Case, SubstituteNomination
from lotse.tenants.models import Membership


def substituted_principal_ids(ctx: AccessContext, day: datetime.date | None = None) -> QuerySet[Absence]:
    """Ids of the case managers whose cases the acting user works as substitute on ``day``."""
    day = day or timezone.localdate()
    if ctx.tenant is None or not ctx.has(Perm.CASE_WORK):
        return Absence.objects.none().values_list("principal_id", flat=True)  # type: ignore[return-value]
    nominated = SubstituteNomination.objects.filter(tenant=ctx.tenant, substitute=ctx.user).values("principal_id")
    # only while the substitute works for a provider bound by the cooperation contract (§3(3))
    contracted = Exists(
        Membership.objects.filter(tenant=ctx.tenant, user=ctx.user, is_active=True, provider__is_contracted=True)
    )
    return Absence.objects.filter(  # type: ignore[return-value]
        contracted, tenant=ctx.tenant, principal_id__in=nominated, starts_on__lte=day, ends_on__gte=day
    ).values_list("principal_id", flat=True)


def cases_scope(ctx: AccessContext) -> QuerySet[Case]:
    """All cases the context may see at all (content for case managers, pseudonymised for
    coordinators)."""
    if ctx.tenant is None:
        return Case.objects.none()
    qs = Case.objects.filter(tenant=ctx.tenant)
    if ctx.has(Perm.CASE_WORK):
        # The principals are looked up first: "case_manager IN (me, …)" lets PostgreSQL use the
        # work-list index, which "= me OR IN (subquery)" does not (bench/cases.py, 1M cases).
        managers = [ctx.user.pk, *substituted_principal_ids(ctx)]
        return qs.filter(case_manager_id__in=managers)
    if ctx.has(Perm.CASE_OVERSIGHT):
        return qs
    return Case.objects.none()


def own_cases_scope(ctx: AccessContext) -> QuerySet[Case]:
    """Only the acting case manager's own cases (work lists, caseload)."""
    if ctx.tenant is None or not ctx.has(Perm.CASE_WORK):
        return Case.objects.none()
    return Case.objects.filter(tenant=ctx.tenant, case_manager=ctx.user)


@dataclass(frozen=True)
class CaseAccess:
    """What the acting user may do with one case; computed once per request."""

    case: Case
    identity: bool  # may see and record the client's identity
    work: bool  # may add contacts, goals, referrals … (case open)
    oversight: bool  # coordinator: assign, approve closure, override releases
    as_substitute: bool

    @property
    def read_only(self) -> bool:
        return not self.work


def case_access(ctx: AccessContext, pk: int, *, select_related: tuple[str, ...] = ()) -> CaseAccess:
    """Load one case through the scope, or 404 (no difference between "missing" and "not
    yours", so case numbers of other teams cannot be probed)."""
    related = ("case_manager", "provider", "location", *select_related)
    case = cases_scope(ctx).select_related(*related).filter(pk=pk).first()
    if case is None:
        raise Http404
    return access_for(ctx, case)


def access_for(ctx: AccessContext, case: Case) -> CaseAccess:
    """The rights on a case already loaded through :func:`cases_scope`."""
    if ctx.has(Perm.CASE_WORK):
        own = case.case_manager_id == ctx.user.pk
        return CaseAccess(case=case, identity=True, work=case.is_editable, oversight=False, as_substitute=not own)
    if ctx.has(Perm.CASE_OVERSIGHT):
        return CaseAccess(case=case, identity=False, work=False, oversight=True, as_substitute=False)
    raise Http404
