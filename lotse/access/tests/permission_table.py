"""The permission table: for every URL name of the project, which roles may use which method.

It drives ``test_permission_table.py``: each role is tried on each URL and method, anonymous
visitors too, and every tenant URL is also tried against the *other* tenant. A URL pattern
missing from this table fails the suite, so every new page must be added here.

Kinds of URL:
* ``public``  – reachable without sign-in;
* ``account`` – needs a full sign-in, no tenant;
* ``tenant``  – under ``/<tenant>/``; needs a membership in that tenant and the role listed.
* ``api``     – REST API under ``/api/v1/``: an API token (``Authorization: Bearer``) of the role
  acts in its tenant; without a token the answer is 401.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from lotse.tenants.models import Role

CM = Role.CASE_MANAGER.value
CO = Role.COORDINATOR.value
PL = Role.PROVIDER_LEAD.value
FC = Role.FUNDING_CLERK.value
CMB = Role.COMMITTEE_MEMBER.value
DPO = Role.DATA_PROTECTION_OFFICER.value
TA = Role.TENANT_ADMIN.value
SA = Role.STATE_ANALYST.value

ALL_ROLES = frozenset({CM, CO, PL, FC, CMB, DPO, TA, SA})
NOBODY: frozenset[str] = frozenset()

# Builds the URL kwargs (other than ``tenant``) from a tenant's part of the test world.
Kwargs = Callable[[Any], dict[str, Any]]


def no_kwargs(_: Any) -> dict[str, Any]:
    return {}


def staff_member(world: Any) -> dict[str, Any]:
    """The membership of the tenant's case manager (at provider A)."""
    return {"pk": world.memberships[CM].pk}


def provider(world: Any) -> dict[str, Any]:
    return {"pk": world.provider.pk}


def location(world: Any) -> dict[str, Any]:
    return {"pk": world.location.pk}


def municipality(world: Any) -> dict[str, Any]:
    return {"pk": world.municipality.pk}


def invitation(world: Any) -> dict[str, Any]:
    """An open invitation of Kreis Wesel to the Coesfeld coordinator (no role of the table)."""
    return {"pk": world.invitation.pk}


def invitee(world: Any) -> Any:
    return world.invitation.user


@dataclass(frozen=True)
class Entry:
    kind: Literal["public", "account", "tenant", "api"]
    # method -> roles allowed; methods not listed must answer 405
    methods: dict[str, frozenset[str]]
    kwargs: Kwargs = no_kwargs
    # POST data that makes an allowed request succeed (otherwise an empty form is posted)
    data: dict[str, Any] = field(default_factory=dict)
    # the one person (beyond the roles listed) who may use the URL, e.g. the invited person
    owner: Callable[[Any], Any] | None = None


def tenant(kwargs: Kwargs = no_kwargs, **methods: frozenset[str]) -> Entry:
    return Entry("tenant", {m.upper(): roles for m, roles in methods.items()}, kwargs)


def api(kwargs: Kwargs = no_kwargs, **methods: frozenset[str]) -> Entry:
    return Entry("api", {m.upper(): roles for m, roles in methods.items()}, kwargs)


STAFF_VIEWERS = frozenset({TA, CO, PL})
STRUCTURE_VIEWERS = frozenset({TA, CO, PL, FC})
ADMIN = frozenset({TA})

TABLE: dict[str, Entry] = {
    # Public and account pages
    "healthz": Entry("public", {"GET": ALL_ROLES}),
    "set_language": Entry("public", {"POST": ALL_ROLES}, data={"language": "en", "next": "/"}),
    "accounts:login": Entry("public", {"GET": ALL_ROLES, "POST": ALL_ROLES}),
    "accounts:totp_verify": Entry("public", {"GET": ALL_ROLES, "POST": ALL_ROLES}),
    "accounts:totp_setup": Entry("public", {"GET": ALL_ROLES, "POST": ALL_ROLES}),
    "accounts:logout": Entry("public", {"POST": ALL_ROLES}),
    "accounts:password_change": Entry("account", {"GET": ALL_ROLES, "POST": ALL_ROLES}),
    "ui:home": Entry("account", {"GET": ALL_ROLES}),
    # answered by the invited person only; for anyone else the invitation does not exist (404)
    "invitations:accept": Entry("account", {"POST": NOBODY}, invitation, owner=invitee),
    "invitations:decline": Entry("account", {"POST": NOBODY}, invitation, owner=invitee),
    "ui:tenant_select": Entry("account", {"GET": ALL_ROLES}),
    # Tenant pages
    "ui:dashboard": tenant(get=ALL_ROLES),
    "tenants:staff_list": tenant(get=STAFF_VIEWERS),
    "tenants:staff_create": tenant(get=ADMIN, post=ADMIN),
    "tenants:staff_add_existing": tenant(get=ADMIN, post=ADMIN),
    "tenants:staff_detail": tenant(staff_member, get=STAFF_VIEWERS),
    "tenants:staff_edit": tenant(staff_member, get=ADMIN, post=ADMIN),
    "tenants:staff_password_reset": tenant(staff_member, get=ADMIN, post=ADMIN),
    "tenants:staff_totp_reset": tenant(staff_member, get=ADMIN, post=ADMIN),
    "tenants:staff_deactivate": tenant(staff_member, get=ADMIN, post=ADMIN),
    "tenants:staff_reactivate": tenant(staff_member, get=ADMIN, post=ADMIN),
    "tenants:staff_membership_end": tenant(staff_member, get=ADMIN, post=ADMIN),
    "tenants:staff_membership_restore": tenant(staff_member, get=ADMIN, post=ADMIN),
    "tenants:provider_list": tenant(get=STRUCTURE_VIEWERS),
    "tenants:provider_create": tenant(get=ADMIN, post=ADMIN),
    "tenants:provider_edit": tenant(provider, get=ADMIN, post=ADMIN),
    "tenants:location_list": tenant(get=STRUCTURE_VIEWERS),
    "tenants:location_create": tenant(get=ADMIN, post=ADMIN),
    "tenants:location_edit": tenant(location, get=ADMIN, post=ADMIN),
    "tenants:municipality_list": tenant(get=STRUCTURE_VIEWERS),
    "tenants:municipality_create": tenant(get=ADMIN, post=ADMIN),
    "tenants:municipality_edit": tenant(municipality, get=ADMIN, post=ADMIN),
    "audit:event_list": tenant(get=frozenset({DPO})),
    "audit:verify": tenant(post=frozenset({DPO})),
}

# Case management keeps its entries beside each other, one module per part of the case.
CM_ONLY = frozenset({CM})
CASE_READERS = frozenset({CM, CO})
CASE_SETTINGS = frozenset({TA})


def case(world: Any) -> dict[str, Any]:
    """The tenant's named open case (of its case manager)."""
    return {"pk": world.case.pk}


def case_object(key: str, kwarg: str) -> Kwargs:
    """URL kwargs for an object hanging off the world's case, e.g. ``case_object("goal", "goal")``."""

    def build(world: Any) -> dict[str, Any]:
        return {"pk": world.case.pk, kwarg: world.objects[key].pk}

    return build


def _merge() -> None:
    from lotse.access.tests import (
        permission_table_api,
        permission_table_cases,
        permission_table_consent,
        permission_table_documents,
        permission_table_funding,
        permission_table_monitoring,
        permission_table_privacy,
        permission_table_referrals,
        permission_table_steering,
        permission_table_substitution,
        permission_table_transfer,
    )

    for module in (
        permission_table_api,
        permission_table_cases,
        permission_table_consent,
        permission_table_documents,
        permission_table_funding,
        permission_table_monitoring,
        permission_table_privacy,
        permission_table_referrals,
        permission_table_steering,
        permission_table_substitution,
        permission_table_transfer,
    ):
        overlap = TABLE.keys() & module.PART.keys()
        assert not overlap, f"URL names listed twice in the permission table: {sorted(overlap)}"
        TABLE.update(module.PART)


_merge()
