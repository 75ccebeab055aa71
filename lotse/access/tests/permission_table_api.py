"""Permission table entries of the REST API and the API token pages (merged into
:data:`lotse.access.tests.permission_table.TABLE`).

API entries (kind ``api``) are called with an API token of the role; their ``kwargs`` name the
objects of the tenant's part of the test world, so the other-tenant check requests every
Coesfeld object with a Wesel token."""

from __future__ import annotations

from typing import Any

from lotse.access.tests.permission_table import (
    ALL_ROLES,
    CM,
    CMB,
    CO,
    FC,
    SA,
    Entry,
    Kwargs,
    api,
    tenant,
)

CM_ONLY = frozenset({CM})
CASE_READERS = frozenset({CM, CO})
THEME_READERS = frozenset({CO, CMB})
FUNDING_READERS = frozenset({CO, FC})
REPORTERS = frozenset({CO, SA})


def pk_of(key: str) -> Kwargs:
    def build(world: Any) -> dict[str, Any]:
        return {"pk": world.objects[key].pk}

    return build


def case_pk(world: Any) -> dict[str, Any]:
    return {"pk": world.case.pk}


def agency_pk(world: Any) -> dict[str, Any]:
    return {"pk": world.agency.pk}


def own_token(world: Any) -> dict[str, Any]:
    """A token of the tenant's case manager (made on first use)."""
    from lotse.api.models import ApiToken
    from lotse.api.tokens import token_create
    from lotse.tenants.models import Role

    membership = world.memberships[Role.CASE_MANAGER]
    token = ApiToken.objects.filter(membership=membership, name="permission table").first()
    if token is None:
        token = token_create(actor=membership.user, membership=membership, name="permission table").token
    return {"pk": token.pk}


PART: dict[str, Entry] = {
    "api:schema": Entry("public", {"GET": ALL_ROLES}),
    "api:docs": Entry("account", {"GET": ALL_ROLES}),
    "api:me": api(get=ALL_ROLES),
    "api:case-list": api(get=CASE_READERS, post=CASE_READERS),
    "api:case-detail": api(case_pk, get=CASE_READERS, put=CM_ONLY, patch=CM_ONLY),
    "api:case-identity": api(case_pk, get=CM_ONLY),
    "api:contact-list": api(get=CASE_READERS, post=CM_ONLY),
    "api:contact-detail": api(pk_of("contact"), get=CASE_READERS),
    "api:goal-list": api(get=CASE_READERS, post=CM_ONLY),
    "api:goal-detail": api(pk_of("goal"), get=CASE_READERS),
    "api:referral-list": api(get=CASE_READERS),
    "api:referral-detail": api(pk_of("referral"), get=CASE_READERS),
    "api:barrier-list": api(get=CASE_READERS),
    "api:barrier-detail": api(pk_of("barrier"), get=CASE_READERS),
    "api:theme-list": api(get=THEME_READERS),
    "api:theme-detail": api(pk_of("theme"), get=THEME_READERS),
    "api:agency-list": api(get=CASE_READERS),
    "api:agency-detail": api(agency_pk, get=CASE_READERS),
    "api:position-list": api(get=FUNDING_READERS),
    "api:position-detail": api(pk_of("position"), get=FUNDING_READERS),
    "api:report-controlling": api(get=REPORTERS),
    # token pages: every staff role, own tokens only
    "api_tokens:list": tenant(get=ALL_ROLES),
    "api_tokens:create": tenant(get=ALL_ROLES, post=ALL_ROLES),
    "api_tokens:revoke": tenant(own_token, get=CM_ONLY, post=CM_ONLY),
}
