"""Fixtures of the funding tests (shared with the proof-of-use tests): URLs of the Kreis Wesel
tenant, signed-in clients per role with English pages, and access contexts."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lotse.access.context import AccessContext
from lotse.tenants.models import Role


def url(name: str, world: Any, tenant: str = "wesel", **kwargs: Any) -> str:
    """``reverse`` under the tenant of ``world.<tenant>`` (Kreis Wesel unless told)."""
    return reverse(name, kwargs={"tenant": getattr(world, tenant).tenant.slug, **kwargs})


@pytest.fixture
def ctx(world):  # type: ignore[no-untyped-def]
    """The access context of a role of a tenant (Kreis Wesel's funding clerk unless told), as
    the middleware builds it."""

    def make(role: str = Role.FUNDING_CLERK, tenant: str = "wesel") -> AccessContext:
        part = getattr(world, tenant)
        return AccessContext(user=part.users[role], tenant=part.tenant, membership=part.memberships[role])

    return make


@pytest.fixture
def as_role(world, signed_in):  # type: ignore[no-untyped-def]
    """A signed-in Kreis Wesel client of the role; English pages (msgids) unless ``language``."""

    def make(role: str, language: str = "en") -> Client:
        client = signed_in(world.user(role))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make
