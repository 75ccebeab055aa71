"""Fixtures of the report tests: URLs, access contexts and signed-in clients of the test world
(Kreis Wesel roles, and the state analyst in the state tenant)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lotse.access.context import AccessContext
from lotse.tenants.models import Membership, Role


def url(name: str, world: Any, tenant: str = "wesel", **kwargs: Any) -> str:
    """A report URL in a tenant of the world: ``"wesel"``, ``"coesfeld"`` or ``"state"``."""
    slug = world.state.slug if tenant == "state" else getattr(world, tenant).tenant.slug
    return reverse(name, kwargs={"tenant": slug, **kwargs})


@pytest.fixture
def ctx(world):  # type: ignore[no-untyped-def]
    """The access context of a role (as the middleware builds it): a Kreis Wesel (or
    Coesfeld) role, or the state analyst in the state tenant."""

    def make(role: str = Role.COORDINATOR, tenant: str = "wesel") -> AccessContext:
        if role == Role.STATE_ANALYST:
            membership = Membership.objects.get(user=world.analyst, tenant=world.state)
            return AccessContext(user=world.analyst, tenant=world.state, membership=membership)
        part = getattr(world, tenant)
        return AccessContext(user=part.users[role], tenant=part.tenant, membership=part.memberships[role])

    return make


@pytest.fixture
def as_role(world, signed_in):  # type: ignore[no-untyped-def]
    """A signed-in client of the role (Kreis Wesel, or the state analyst), with English pages
    (msgids)."""

    def make(role: str, tenant: str = "wesel") -> Client:
        client = signed_in(world.user(role, tenant))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make
