from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command

from lotse.accounts.models import LoginFailure, User, UserSession
from lotse.tenants.models import Membership, Role, Tenant

pytestmark = pytest.mark.django_db


def test_tenant_create_with_first_admin():
    out = StringIO()
    call_command(
        "tenant_create",
        name="Kreis Kleve",
        slug="kreis-kleve",
        admin_username="a.admin",
        admin_first_name="Anna",
        admin_last_name="Admin",
        stdout=out,
    )
    password = re.search(r"Temporary password.*: (\S+)", out.getvalue()).group(1)
    user = User.objects.get(username="a.admin")
    assert user.check_password(password) and user.must_change_password
    membership = Membership.objects.get(user=user)
    assert membership.tenant == Tenant.objects.get(slug="kreis-kleve") and membership.role == Role.TENANT_ADMIN
    call_command("audit_verify", stdout=StringIO())


def test_tenant_create_refuses_duplicates_and_reserved_names():
    call_command(
        "tenant_create",
        name="Kreis Kleve",
        slug="kreis-kleve",
        admin_username="a.admin",
        admin_first_name="A",
        admin_last_name="B",
        stdout=StringIO(),
    )
    with pytest.raises(CommandError):
        call_command(
            "tenant_create",
            name="Kreis Kleve 2",
            slug="kreis-kleve",
            admin_username="b.admin",
            admin_first_name="A",
            admin_last_name="B",
        )
    with pytest.raises(CommandError):
        call_command(
            "tenant_create",
            name="Accounts",
            slug="accounts",
            admin_username="c.admin",
            admin_first_name="A",
            admin_last_name="B",
        )
    assert not Tenant.objects.filter(slug="accounts").exists()
    assert not User.objects.filter(username="c.admin").exists()


def test_accounts_cleanup_removes_stale_rows(world):
    user = world.user(Role.COORDINATOR)
    UserSession.objects.create(user=user, session_key="gone" * 8)
    live = SessionStore()
    live.create()
    UserSession.objects.create(user=user, session_key=live.session_key)
    LoginFailure.objects.create(kind="account", key_hash="x" * 64, created_at="2020-01-01T00:00:00Z")
    call_command("accounts_cleanup", stdout=StringIO())
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert not LoginFailure.objects.exists()


def test_reserved_short_names_cover_every_fixed_top_level_path():
    """A tenant called "accounts" would shadow the sign-in pages: every fixed first path
    segment of the URL configuration must be a reserved short name."""
    from django.urls import URLResolver, get_resolver

    from lotse.tenants.models import RESERVED_SLUGS

    def first_segments(patterns, prefix=""):  # type: ignore[no-untyped-def]
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver) and not route:
                yield from first_segments(pattern.url_patterns, route)
                continue
            segment = route.split("/")[0]
            if segment and "<" not in segment:
                yield segment

    assert set(first_segments(get_resolver().url_patterns)) <= RESERVED_SLUGS
