"""Frame, navigation by role, tenant switch and dashboards with real counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lotse.access.middleware import SESSION_TENANT
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import LocationFactory, MembershipFactory, ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(signed_in):  # type: ignore[no-untyped-def]
    """These tests read card labels: compare them in English (German is covered elsewhere)."""

    def make(user):  # type: ignore[no-untyped-def]
        client = signed_in(user)
        client.cookies["lotse_language"] = "en"
        return client

    return make


def dashboard(world, tenant="wesel"):
    return reverse("ui:dashboard", kwargs={"tenant": getattr(world, tenant).tenant.slug})


def cards(response):
    return {c.label: c.value for s in response.context["sections"] for c in s.cards}


def nav_labels(response):
    return [item.label for item in response.context["shell"].nav_items]


def test_header_shows_tenant_user_role_and_logout(world, signed_in):
    user = world.user(Role.COORDINATOR)
    body = signed_in(user).get(dashboard(world)).content.decode()
    assert "Kreis Wesel" in body and user.get_full_name() in body
    assert 'action="/accounts/logout/"' in body
    assert 'href="#main"' in body and 'id="main"' in body


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # every role: API tokens (issue 6)
        # overview, my cases, follow-ups, substitution, committees, partner agencies, export lists
        (Role.CASE_MANAGER, 8),
        (Role.COMMITTEE_MEMBER, 4),
        # overview, providers, locations, municipalities, funding
        (Role.FUNDING_CLERK, 6),
        # overview, all cases, caseload, barrier register, themes, committees, supervision, funding,
        # reports, staff, providers, locations, municipalities, partner agencies, import, export
        (Role.COORDINATOR, 17),
        (Role.PROVIDER_LEAD, 8),
        # overview, audit log, privacy operations
        (Role.DATA_PROTECTION_OFFICER, 4),
        # overview, staff, providers, locations, municipalities, case settings
        (Role.TENANT_ADMIN, 7),
    ],
)
def test_navigation_by_role(world, signed_in, role, expected):
    labels = nav_labels(signed_in(world.user(role)).get(dashboard(world)))
    assert len(labels) == expected


def test_tenant_admin_dashboard_counts_are_real(world, signed_in):
    admin = signed_in(world.user(Role.TENANT_ADMIN))
    before = cards(admin.get(dashboard(world)))
    assert before["Active staff accounts"] == 7  # one per tenant role in the world
    assert before["Providers"] == 2 and before["Locations"] == 1 and before["Municipalities"] == 1
    ProviderFactory(tenant=world.wesel.tenant)
    LocationFactory(tenant=world.wesel.tenant, provider=world.wesel.provider)
    MembershipFactory(tenant=world.wesel.tenant, role=Role.CASE_MANAGER, provider=world.wesel.provider)
    ProviderFactory(tenant=world.coesfeld.tenant)  # another tenant: must not count
    after = cards(admin.get(dashboard(world)))
    assert after["Active staff accounts"] == 8
    assert after["Providers"] == 3 and after["Locations"] == 2


def test_case_manager_dashboard_shows_own_workplace(world, signed_in):
    MembershipFactory(tenant=world.wesel.tenant, role=Role.CASE_MANAGER, provider=world.wesel.provider)
    MembershipFactory(tenant=world.wesel.tenant, role=Role.CASE_MANAGER, provider=world.wesel.other_provider)
    figures = cards(signed_in(world.user(Role.CASE_MANAGER)).get(dashboard(world)))
    assert figures["Provider"] == world.wesel.provider.name
    assert figures["Case managers at my provider"] == 2
    assert figures["Locations of my provider"] == 1


def test_committee_member_sees_aggregates_only(world, signed_in):
    response = signed_in(world.user(Role.COMMITTEE_MEMBER)).get(dashboard(world))
    figures = cards(response)
    assert figures["Case managers"] == 1 and figures["Coordinators"] == 1
    body = response.content.decode()
    assert world.user(Role.CASE_MANAGER).last_name not in body


def test_state_analyst_sees_all_district_tenants(world, signed_in):
    response = signed_in(world.analyst).get(reverse("ui:dashboard", kwargs={"tenant": world.state.slug}))
    table = response.context["sections"][0].tables[0]
    assert [row[0] for row in table.rows] == ["Kreis Coesfeld", "Kreis Wesel"]
    assert all(row[4] == 1 for row in table.rows)  # one case manager each


def test_dpo_dashboard_counts_audit_events(world, signed_in):
    from lotse.audit.services import audit_record

    client = signed_in(world.user(Role.DATA_PROTECTION_OFFICER))
    before = cards(client.get(dashboard(world)))["Events in total"]
    audit_record(action="provider.created", tenant=world.wesel.tenant)
    audit_record(action="provider.created", tenant=world.coesfeld.tenant)  # another tenant: not counted
    assert cards(client.get(dashboard(world)))["Events in total"] == before + 1


def test_user_in_two_tenants_chooses_and_switches(world, signed_in):
    user = world.user(Role.COORDINATOR)
    MembershipFactory(user=user, tenant=world.coesfeld.tenant, role=Role.COMMITTEE_MEMBER)
    client = signed_in(user)
    choice = client.get(reverse("ui:home"))
    assert choice.status_code == 200 and len(choice.context["memberships"]) == 2
    assert client.get(dashboard(world, "coesfeld")).context["shell"].role_label == "Committee member"
    assert client.session[SESSION_TENANT] == "kreis-coesfeld"
    assert client.get(reverse("ui:home"))["Location"] == dashboard(world, "coesfeld")
    response = client.get(dashboard(world))
    assert response.context["shell"].role_label == "Coordinator"
    assert "Switch tenant" in response.content.decode() or "Mandant wechseln" in response.content.decode()


def test_user_without_membership_sees_a_helpful_page(signed_in):
    from lotse.accounts.tests.factories import UserFactory

    response = signed_in(UserFactory()).get(reverse("ui:home"))
    assert response.status_code == 200 and response.context["memberships"] == []


def test_demo_banner_only_in_demo_mode(world, signed_in, settings):
    client = signed_in(world.user(Role.COORDINATOR))
    assert "lotse-demo-banner" not in client.get(dashboard(world)).content.decode()
    settings.DEMO_MODE = True
    assert "lotse-demo-banner" in client.get(dashboard(world)).content.decode()


def test_dashboard_query_count_is_bounded(world, signed_in, django_assert_max_num_queries):
    client = signed_in(world.user(Role.TENANT_ADMIN))
    for _ in range(20):
        MembershipFactory(tenant=world.wesel.tenant, role=Role.CASE_MANAGER, provider=world.wesel.provider)
    with django_assert_max_num_queries(20):
        client.get(dashboard(world))
