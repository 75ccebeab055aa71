"""Role × URL × method, driven by ``permission_table.TABLE``."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import World, build_world, sign_in
from lotse.access.tests.permission_table import ALL_ROLES, SA, TABLE, Entry
from lotse.tenants.tests.factories import MembershipFactory

LOGIN = reverse("accounts:login")
pytestmark = pytest.mark.django_db


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, prefix: str) -> None:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"URL pattern {pattern.pattern} has no name; every URL needs one."
                names.add(prefix + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_pattern_is_in_the_permission_table():
    missing = all_url_names() - TABLE.keys()
    assert not missing, f"Add these URL names to lotse/access/tests/permission_table.py: {sorted(missing)}"


def test_the_permission_table_has_no_stale_entries():
    stale = TABLE.keys() - all_url_names()
    assert not stale, f"These table entries name no URL: {sorted(stale)}"


def test_every_view_declares_an_access_rule():
    undeclared = []

    def walk(patterns) -> None:  # type: ignore[no-untyped-def]
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif not hasattr(pattern.callback, "lotse_access"):
                undeclared.append(pattern.name)

    walk(get_resolver().url_patterns)
    assert not undeclared


def url_for(name: str, entry: Entry, world: World, tenant_key: str, role: str) -> str:
    if entry.kind == "api":
        return reverse(name, kwargs=entry.kwargs(getattr(world, tenant_key)) or None)
    if entry.kind != "tenant":
        return reverse(name, kwargs=entry.kwargs(world) or None)
    part = getattr(world, tenant_key)
    slug = world.state.slug if role == SA and tenant_key == "wesel" else part.tenant.slug
    return reverse(name, kwargs={"tenant": slug, **entry.kwargs(part)})


def request(client: Client, method: str, url: str, entry: Entry):  # type: ignore[no-untyped-def]
    """One request whose effects (a reset password, an ended membership, a new session) are
    rolled back afterwards, so that every check starts from the same world."""
    with transaction.atomic():
        if entry.kind == "api":
            response = client.generic(method, url, json.dumps(entry.data), content_type="application/json")
        else:
            response = client.get(url) if method == "GET" else client.post(url, entry.data)
        transaction.set_rollback(True)
    return response


def api_client(world: World, role: str) -> Client:
    """A client sending an API token of the role (the state analyst's acts in the state tenant)."""
    from lotse.api.tokens import token_create
    from lotse.tenants.models import Membership

    user = world.user(role)
    membership = Membership.objects.get(user=user, tenant=world.state if role == SA else world.wesel.tenant)
    with transaction.atomic():
        secret = token_create(actor=user, membership=membership, name=f"table {role}").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def as_role(world: World, role: str) -> Client:
    with transaction.atomic():
        client = sign_in(Client(), world.user(role))
    return client


def is_login_redirect(response) -> bool:  # type: ignore[no-untyped-def]
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


class PermissionTableTests(TestCase):
    """One world for all checks (built once in ``setUpTestData``); each check walks the whole
    table and reports every deviation at once."""

    world: World

    @classmethod
    def setUpTestData(cls) -> None:
        cls.world = build_world()
        cls.world.invitation = MembershipFactory(
            user=cls.world.coesfeld.users["coordinator"],
            tenant=cls.world.wesel.tenant,
            role="committee_member",
            accepted_at=None,
        )

    def client_for(self, role: str) -> Client:
        return as_role(self.world, role)

    def api_clients(self) -> dict[str, Client]:
        return {role: api_client(self.world, role) for role in ALL_ROLES}

    def test_roles_get_exactly_what_the_table_allows(self) -> None:
        failures = []
        clients = {role: self.client_for(role) for role in ALL_ROLES}
        tokens = self.api_clients()
        for name, entry in sorted(TABLE.items()):
            for method, allowed in entry.methods.items():
                for role in sorted(ALL_ROLES):
                    url = url_for(name, entry, self.world, "wesel", role)
                    # a POST may sign out or re-key the session: give it a client of its own
                    if entry.kind == "api":
                        client = tokens[role]
                    else:
                        client = clients[role] if method == "GET" else self.client_for(role)
                    response = request(client, method, url, entry)
                    if response.status_code >= 500:
                        failures.append(f"{method} {url} as {role}: server error {response.status_code}")
                        continue
                    denied = response.status_code in (403, 404)
                    if entry.kind == "public":
                        if denied:
                            failures.append(f"{method} {url} as {role}: public page refused")
                        continue
                    if role in allowed and (denied or response.status_code == 405 or is_login_redirect(response)):
                        failures.append(f"{method} {url} as {role}: expected access, got {response.status_code}")
                    if role not in allowed and not denied:
                        failures.append(f"{method} {url} as {role}: expected 403/404, got {response.status_code}")
                if entry.owner is not None:
                    url = url_for(name, entry, self.world, "wesel", "-")
                    owner_client = sign_in(Client(), entry.owner(self.world))
                    response = request(owner_client, method, url, entry)
                    if (
                        response.status_code in (403, 404, 405)
                        or response.status_code >= 500
                        or is_login_redirect(response)
                    ):
                        failures.append(f"{method} {url} as its owner: expected access, got {response.status_code}")
        assert not failures, "\n".join(failures)

    def test_methods_outside_the_table_are_refused(self) -> None:
        failures = []
        for name, entry in sorted(TABLE.items()):
            allowed = next(iter(entry.methods.values()))
            assert allowed or entry.owner, f"{name}: at least one role (or an owner) must be allowed"
            role = sorted(allowed)[0] if allowed else "-"
            for other in sorted({"GET", "POST", "PUT", "DELETE"} - entry.methods.keys()):
                url = url_for(name, entry, self.world, "wesel", role)
                if entry.kind == "api":
                    client = api_client(self.world, role)
                else:
                    client = self.client_for(role) if allowed else sign_in(Client(), entry.owner(self.world))
                response = client.generic(other, url)
                if response.status_code != 405:
                    failures.append(f"{other} {name}: expected 405, got {response.status_code}")
        assert not failures, "\n".join(failures)

    def test_anonymous_visitors_are_sent_to_login(self) -> None:
        failures = []
        for name, entry in sorted(TABLE.items()):
            for method in entry.methods:
                response = request(Client(), method, url_for(name, entry, self.world, "wesel", "-"), entry)
                if entry.kind == "public":
                    if response.status_code >= 400:
                        failures.append(f"{method} {name}: public page answered {response.status_code}")
                elif entry.kind == "api":
                    if response.status_code != 401:
                        failures.append(f"{method} {name}: expected 401 without a token, got {response.status_code}")
                elif not is_login_redirect(response):
                    failures.append(f"{method} {name}: expected redirect to login, got {response.status_code}")
        assert not failures, "\n".join(failures)

    def test_password_only_sessions_reach_nothing_but_public_pages(self) -> None:
        """A session that passed the password but not the second factor is not signed in."""
        from lotse.accounts.tests.factories import PASSWORD

        failures = []
        for role in sorted(ALL_ROLES):
            client = Client()
            response = client.post(LOGIN, {"username": self.world.user(role).username, "password": PASSWORD})
            assert response.status_code == 302 and "lotse_preauth" in client.session
            for name, entry in sorted(TABLE.items()):
                if entry.kind == "public":
                    continue
                for method in entry.methods:
                    url = url_for(name, entry, self.world, "wesel", role)
                    response = request(client, method, url, entry)
                    refused = response.status_code == 401 if entry.kind == "api" else is_login_redirect(response)
                    if not refused:
                        failures.append(f"{method} {url} with only a password as {role}: {response.status_code}")
        assert not failures, "\n".join(failures)

    def test_other_tenant_gets_nothing(self) -> None:
        """A Wesel user of every role gets 403/404 on every Coesfeld URL, and on Coesfeld
        objects addressed through the Wesel tenant."""
        failures = []
        world = self.world
        clients = {role: self.client_for(role) for role in ALL_ROLES}
        tokens = self.api_clients()
        for name, entry in sorted(TABLE.items()):
            if entry.kind == "api":
                # Wesel tokens on every Coesfeld object (lists are checked in lotse/api/tests)
                kwargs = entry.kwargs(world.coesfeld)
                for method in entry.methods if kwargs else ():
                    for role in sorted(ALL_ROLES):
                        url = reverse(name, kwargs=kwargs)
                        response = request(tokens[role], method, url, entry)
                        if response.status_code not in (403, 404):
                            failures.append(f"{method} {url} (Coesfeld object) as Wesel {role}: {response.status_code}")
                continue
            if entry.kind != "tenant":
                continue
            for method in entry.methods:
                for role in sorted(ALL_ROLES):
                    client = clients[role]
                    kwargs = entry.kwargs(world.coesfeld)
                    foreign = reverse(name, kwargs={"tenant": world.coesfeld.tenant.slug, **kwargs})
                    response = request(client, method, foreign, entry)
                    if response.status_code not in (403, 404):
                        failures.append(f"{method} {foreign} as Wesel {role}: {response.status_code}")
                    if kwargs:
                        home = world.state.slug if role == SA else world.wesel.tenant.slug
                        crossed = reverse(name, kwargs={"tenant": home, **kwargs})
                        response = request(client, method, crossed, entry)
                        if response.status_code not in (403, 404):
                            failures.append(
                                f"{method} {crossed} (Coesfeld object) as Wesel {role}: {response.status_code}"
                            )
        assert not failures, "\n".join(failures)


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


def test_ended_membership_loses_the_tenant_at_once(world: World):
    from lotse.tenants.models import Role

    membership = world.wesel.memberships[Role.COORDINATOR]
    client = sign_in(Client(), membership.user)
    url = reverse("ui:dashboard", kwargs={"tenant": "kreis-wesel"})
    assert client.get(url).status_code == 200
    membership.is_active = False
    membership.save()
    assert client.get(url).status_code == 403


def test_unknown_tenant_is_refused_like_a_foreign_one(world: World):
    client = sign_in(Client(), world.user("coordinator"))
    assert client.get("/gibt-es-nicht/").status_code == 403
