"""Fixtures of the steering tests: access contexts, extra cases and barriers in the world."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lotse.access.context import AccessContext
from lotse.cases.models import Barrier
from lotse.cases.services.cases import case_open
from lotse.tenants.models import Role


def url(name: str, world: Any, **kwargs: Any) -> str:
    return reverse(name, kwargs={"tenant": world.wesel.tenant.slug, **kwargs})


@pytest.fixture
def ctx(world):  # type: ignore[no-untyped-def]
    """The access context of a Kreis Wesel role (as the middleware builds it)."""

    def make(role: str = Role.COORDINATOR, tenant: str = "wesel") -> AccessContext:
        part = getattr(world, tenant)
        return AccessContext(user=part.users[role], tenant=part.tenant, membership=part.memberships[role])

    return make


@pytest.fixture
def as_role(world, signed_in):  # type: ignore[no-untyped-def]
    """A signed-in Kreis Wesel client of the role, with English pages (msgids)."""

    def make(role: str) -> Client:
        client = signed_in(world.user(role))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def make_case(world):  # type: ignore[no-untyped-def]
    def make(provider: Any = None, tenant: str = "wesel") -> Any:
        part = getattr(world, tenant)
        return case_open(
            actor=part.users[Role.CASE_MANAGER],
            tenant=part.tenant,
            case_manager_id=None,
            provider=provider or part.provider,
            pseudonym="Weitere Person",
            intake_channel="walk_in",
        )

    return make


@pytest.fixture
def make_barrier(world):  # type: ignore[no-untyped-def]
    def make(
        case: Any,
        *,
        theme: Any = None,
        municipality: Any = None,
        domain: str = "language",
        description: str = "Kein Kursplatz",
        recorded_on: datetime.date | None = None,
        institution: str = "BAMF",
        agency: Any = None,
    ) -> Barrier:
        return Barrier.objects.create(
            tenant_id=case.tenant_id,
            case=case,
            provider_id=case.provider_id,
            municipality=municipality,
            domain=domain,
            institution=institution,
            agency=agency,
            description=description,
            recorded_on=recorded_on or datetime.date.today(),
            created_by=world.wesel.users[Role.CASE_MANAGER],
            theme=theme,
        )

    return make
