"""``manage.py demo_data``: refuses outside demo mode, is idempotent, has the seed figures, and
every demo login signs in through the real login page."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from lotse.accounts.models import User
from lotse.audit.models import AuditEvent
from lotse.demo import data
from lotse.demo.management.commands.demo_data import username_for
from lotse.tenants.models import Location, Membership, Municipality, Provider, Role, Tenant, TenantKind

COUNTED = (User, Membership, Provider, Location, Municipality, Tenant)
PASSWORD = "Lotse-Demo-2026"

DEMO_ROLES = {
    "demo.casemanager": ("kreis-wesel", Role.CASE_MANAGER, "Kreis Wesel"),
    "demo.coordinator": ("kreis-wesel", Role.COORDINATOR, "Kreis Wesel"),
    "demo.providerlead": ("kreis-wesel", Role.PROVIDER_LEAD, "Stadt Moers"),
    "demo.funding": ("kreis-wesel", Role.FUNDING_CLERK, None),
    "demo.committee": ("kreis-wesel", Role.COMMITTEE_MEMBER, None),
    "demo.dpo": ("kreis-wesel", Role.DATA_PROTECTION_OFFICER, None),
    "demo.admin": ("kreis-wesel", Role.TENANT_ADMIN, None),
    "demo.state": ("land-nrw", Role.STATE_ANALYST, None),
}

COESFELD_AGS = {
    "Ascheberg": "05558004",
    "Billerbeck": "05558008",
    "Coesfeld": "05558012",
    "Dülmen": "05558016",
    "Havixbeck": "05558020",
    "Lüdinghausen": "05558024",
    "Nordkirchen": "05558028",
    "Nottuln": "05558032",
    "Olfen": "05558036",
    "Rosendahl": "05558040",
    "Senden": "05558044",
}
WESEL_AGS = {
    "Alpen": "05170004",
    "Dinslaken": "05170008",
    "Hamminkeln": "05170012",
    "Hünxe": "05170016",
    "Kamp-Lintfort": "05170020",
    "Moers": "05170024",
    "Neukirchen-Vluyn": "05170028",
    "Rheinberg": "05170032",
    "Schermbeck": "05170036",
    "Sonsbeck": "05170040",
    "Voerde": "05170044",
    "Wesel": "05170048",
    "Xanten": "05170052",
}


@pytest.fixture(autouse=True)
def _without_demo_cases(monkeypatch):  # type: ignore[no-untyped-def]
    """These tests are about tenants, staff and logins; the 300 demo cases (and their own tests
    in test_demo_cases.py) would only make each run minutes longer."""
    monkeypatch.setattr("lotse.demo.management.commands.demo_data.ensure_cases", lambda: {})
    monkeypatch.setattr("lotse.demo.management.commands.demo_data.ensure_steering", lambda: {})
    monkeypatch.setattr("lotse.demo.management.commands.demo_data.ensure_funding", lambda: {})


def run(**options) -> str:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("demo_data", force=True, stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def active(tenant: Tenant, role: str):  # type: ignore[no-untyped-def]
    return Membership.objects.filter(tenant=tenant, role=role, is_active=True, user__is_active=True)


@pytest.mark.django_db
def test_refuses_without_demo_mode(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="LOTSE_DEMO_MODE"):
        call_command("demo_data", stdout=StringIO())
    assert Tenant.objects.count() == 0
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_runs_in_demo_mode_without_force(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEMO_MODE = True
    call_command("demo_data", stdout=StringIO())
    assert Tenant.objects.filter(slug="kreis-wesel").exists()


@pytest.mark.django_db
def test_second_run_creates_nothing() -> None:
    run()
    first = counts()
    events = AuditEvent.objects.count()
    output = run()
    assert counts() == first
    assert AuditEvent.objects.count() == events
    assert "nothing (up to date)" in output


@pytest.mark.django_db
def test_coesfeld() -> None:
    run()
    tenant = Tenant.objects.get(slug="kreis-coesfeld")
    assert tenant.name == "Kreis Coesfeld"
    assert tenant.kind == TenantKind.DISTRICT
    assert dict(tenant.municipalities.values_list("name", "ags")) == COESFELD_AGS
    assert active(tenant, Role.COORDINATOR).count() == 3
    district = Provider.objects.get(tenant=tenant, name="Kreis Coesfeld – Kommunales Integrationszentrum")
    assert district.kind == "district"
    assert set(active(tenant, Role.COORDINATOR).values_list("provider", flat=True)) == {district.pk}
    case_managers = active(tenant, Role.CASE_MANAGER)
    assert case_managers.count() == 12
    assert case_managers.filter(provider=district).count() == 6
    municipal = case_managers.exclude(provider=district)
    assert municipal.values("provider").distinct().count() == 6
    for membership in municipal:
        assert membership.provider.kind == "municipality"
        assert membership.provider.municipality.tenant == tenant
    assert active(tenant, Role.TENANT_ADMIN).count() == 1
    main = Location.objects.get(tenant=tenant, provider=district)
    assert (main.street, main.postal_code, main.city) == ("Friedrich-Ebert-Straße 7", "48653", "Coesfeld")


@pytest.mark.django_db
def test_wesel() -> None:
    run()
    tenant = Tenant.objects.get(slug="kreis-wesel")
    assert dict(tenant.municipalities.values_list("name", "ags")) == WESEL_AGS
    providers = dict(tenant.providers.values_list("name", "kind"))
    assert providers == {
        "Kreis Wesel": "district",
        "Stadt Dinslaken": "municipality",
        "Stadt Moers": "municipality",
        "Stadt Wesel": "municipality",
        "Stadt Voerde": "municipality",
        "Caritasverband Moers-Xanten e.V.": "welfare",
    }
    assert all(tenant.providers.values_list("is_contracted", flat=True))
    coordinators = active(tenant, Role.COORDINATOR)
    assert coordinators.count() == 7
    assert set(coordinators.values_list("provider__name", flat=True)) == {
        "Kreis Wesel",
        "Stadt Dinslaken",
        "Stadt Moers",
        "Stadt Wesel",
    }
    per_provider = {}
    for name in active(tenant, Role.CASE_MANAGER).values_list("provider__name", flat=True):
        per_provider[name] = per_provider.get(name, 0) + 1
    assert per_provider == {
        "Kreis Wesel": 4,
        "Stadt Voerde": 1,
        "Stadt Moers": 2,
        "Stadt Dinslaken": 2,
        "Stadt Wesel": 1,
        "Caritasverband Moers-Xanten e.V.": 1,
    }


@pytest.mark.django_db
def test_every_provider_has_a_location_in_its_tenant() -> None:
    run()
    for provider in Provider.objects.all():
        locations = Location.objects.filter(provider=provider)
        assert locations.count() == 1, provider
        location = locations.get()
        assert location.tenant_id == provider.tenant_id
        assert re.fullmatch(r"\d{5}", location.postal_code)
        assert location.street and location.city
        assert location.municipality is not None and location.municipality.tenant_id == provider.tenant_id


@pytest.mark.django_db
def test_state_tenant() -> None:
    run()
    state = Tenant.objects.get(slug="land-nrw")
    assert state.kind == TenantKind.STATE
    assert list(state.memberships.values_list("user__username", "role")) == [("demo.state", Role.STATE_ANALYST)]


@pytest.mark.django_db
def test_staff_accounts() -> None:
    run()
    demo_names = set(DEMO_ROLES)
    for user in User.objects.all():
        assert re.fullmatch(r"[a-z0-9.-]+", user.username), user.username
        assert re.fullmatch(r"[a-z0-9.-]+@[a-z0-9.-]+\.example\.org", user.email), user.email
        assert user.first_name and user.last_name
        if user.username not in demo_names:
            assert not user.has_usable_password(), user.username


def test_usernames_are_unique_and_transliterated() -> None:
    names = [username_for(p.first_name, p.last_name) for spec in data.TENANTS for p in spec.staff]
    assert len(names) == len(set(names))
    assert not set(names) & set(DEMO_ROLES)
    assert username_for("Serkan", "Öztürk") == "s.oeztuerk"
    assert username_for("Hatice", "Yıldız") == "h.yildiz"
    assert username_for("Piotr", "Zieliński") == "p.zielinski"
    assert username_for("Andreas", "Janßen") == "a.janssen"


@pytest.mark.django_db
def test_demo_logins_have_their_role_and_password() -> None:
    run()
    for username, (slug, role, provider) in DEMO_ROLES.items():
        user = User.objects.get(username=username)
        assert user.is_active and not user.must_change_password
        assert user.check_password(PASSWORD), username
        membership = Membership.objects.get(user=user, tenant__slug=slug)
        assert membership.role == role and membership.is_active
        assert (membership.provider.name if membership.provider else None) == provider
    # exactly one demo login per role
    assert sorted(role for _, role, _ in DEMO_ROLES.values()) == sorted(Role.values)
    assert {login.username for login in data.DEMO_LOGINS} == set(DEMO_ROLES)
    second = Membership.objects.get(user__username="demo.coordinator", tenant__slug="kreis-coesfeld")
    assert second.role == Role.COORDINATOR and second.provider is not None


@pytest.mark.django_db
def test_demo_logins_sign_in_through_the_login_page() -> None:
    run()
    for username in DEMO_ROLES:
        client = Client()
        response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
        assert response["Location"] == reverse("accounts:totp_setup"), username


@pytest.mark.django_db
def test_rerun_repairs_played_with_demo_logins() -> None:
    run()
    user = User.objects.get(username="demo.admin")
    user.set_password("something-else-entirely-42")
    user.must_change_password = True
    user.is_active = False
    user.save()
    membership = Membership.objects.get(user=user)
    Membership.objects.filter(pk=membership.pk).update(role=Role.FUNDING_CLERK, is_active=False)
    before = counts()
    run()
    assert counts() == before
    user.refresh_from_db()
    assert user.is_active and not user.must_change_password and user.check_password(PASSWORD)
    membership.refresh_from_db()
    assert membership.role == Role.TENANT_ADMIN and membership.is_active
    response = Client().post(reverse("accounts:login"), {"username": "demo.admin", "password": PASSWORD})
    assert response["Location"] == reverse("accounts:totp_setup")


@pytest.mark.django_db
def test_output_lists_the_demo_logins() -> None:
    output = run()
    for username in DEMO_ROLES:
        assert username in output
    assert PASSWORD in output


@pytest.mark.django_db
def test_audit_chain_stays_intact() -> None:
    run()
    run()
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue()
    assert AuditEvent.objects.filter(action="tenant.created").count() == 3
