"""Fixtures of the tenant-administration tests."""

from __future__ import annotations

import pytest

from lotse.tenants.models import Role


@pytest.fixture
def admin(world, signed_in):  # type: ignore[no-untyped-def]
    """A signed-in client of Kreis Wesel's tenant admin."""
    return signed_in(world.user(Role.TENANT_ADMIN))
