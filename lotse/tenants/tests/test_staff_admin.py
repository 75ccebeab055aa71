"""Tenant admins manage staff in the Lotse UI: create, edit (with version check), reset,
deactivate, end memberships — within the limits of their tenant."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from lotse.accounts.models import User
from lotse.audit.models import AuditEvent
from lotse.tenants.models import Membership, Role
from lotse.tenants.tests.factories import MembershipFactory
from lotse.tenants.tests.helpers import url

pytestmark = pytest.mark.django_db


def test_create_account_shows_temporary_password_once(world, admin):
    response = admin.post(
        url("tenants:staff_create", world),
        {
            "username": "k.yilmaz",
            "first_name": "Kübra",
            "last_name": "Yılmaz",
            "email": "K.Yilmaz@Kreis-Wesel.example.org",
            "role": Role.CASE_MANAGER,
            "provider": world.wesel.provider.pk,
        },
    )
    assert response.status_code == 200
    password = re.search(r'data-testid="temporary-password">([^<]+)<', response.content.decode()).group(1)
    user = User.objects.get(username="k.yilmaz")
    assert user.check_password(password) and user.must_change_password
    assert user.email == "k.yilmaz@kreis-wesel.example.org"
    membership = Membership.objects.get(user=user)
    assert (membership.tenant, membership.role, membership.provider) == (
        world.wesel.tenant,
        Role.CASE_MANAGER,
        world.wesel.provider,
    )
    actions = set(AuditEvent.objects.filter(tenant=world.wesel.tenant).values_list("action", flat=True))
    assert {"account.created", "membership.created"} <= actions
    assert password not in str(list(AuditEvent.objects.values_list("details", flat=True)))


def test_create_refuses_bad_input_and_writes_nothing(world, admin):
    before = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    cases = [
        {"username": "ä ö", "first_name": "A", "last_name": "B", "role": Role.COORDINATOR},
        {"username": "x.y", "first_name": "", "last_name": "B", "role": Role.COORDINATOR},
        {"username": "x.y", "first_name": "A", "last_name": "B", "role": Role.CASE_MANAGER},  # no provider
        {"username": "x.y", "first_name": "A", "last_name": "B", "role": Role.STATE_ANALYST},
        {"username": "x.y", "first_name": "A", "last_name": "B", "role": "superuser"},
        {
            "username": world.user(Role.COORDINATOR).username.upper(),
            "first_name": "A",
            "last_name": "B",
            "role": Role.COORDINATOR,
        },
        {
            "username": "x.y",
            "first_name": "A",
            "last_name": "B",
            "role": Role.CASE_MANAGER,
            "provider": world.coesfeld.provider.pk,
        },  # provider of another tenant
    ]
    for data in cases:
        response = admin.post(url("tenants:staff_create", world), data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def staff_form(membership, **changes):
    user = membership.user
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": membership.role,
        "provider": membership.provider_id or "",
        "version": membership.version,
        "user_version": user.version,
    }
    data.update(changes)
    return data


def test_edit_saves_and_audits_field_names_only(world, admin):
    membership = world.wesel.memberships[Role.CASE_MANAGER]
    response = admin.post(
        url("tenants:staff_edit", world, pk=membership.pk),
        staff_form(membership, last_name="Schmidt-Özdemir", provider=world.wesel.other_provider.pk),
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.user.last_name == "Schmidt-Özdemir" and membership.provider == world.wesel.other_provider
    event = AuditEvent.objects.get(action="account.updated")
    assert event.details == {"fields": ["last_name"]}
    assert "Özdemir" not in str(AuditEvent.objects.values_list("details", flat=True))


def test_stale_edit_is_refused_and_shows_the_other_change(world, signed_in):
    membership = world.wesel.memberships[Role.CASE_MANAGER]
    first = signed_in(world.user(Role.TENANT_ADMIN))
    other_admin = MembershipFactory(tenant=world.wesel.tenant, role=Role.TENANT_ADMIN).user
    second = signed_in(other_admin)
    loaded = staff_form(membership)  # both admins opened the form
    assert (
        first.post(url("tenants:staff_edit", world, pk=membership.pk), {**loaded, "last_name": "Erste"}).status_code
        == 302
    )
    response = second.post(url("tenants:staff_edit", world, pk=membership.pk), {**loaded, "last_name": "Zweite"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Erste" in body and "Zweite" in body  # both values shown side by side
    membership.user.refresh_from_db()
    assert membership.user.last_name == "Erste"  # never silently overwritten
    # saving again from the refreshed form is a conscious decision and works
    refreshed = response.context["form"].data
    again = second.post(url("tenants:staff_edit", world, pk=membership.pk), refreshed)
    assert again.status_code == 302
    membership.user.refresh_from_db()
    assert membership.user.last_name == "Zweite"


def test_admin_cannot_edit_or_end_own_membership(world, admin):
    own = world.wesel.memberships[Role.TENANT_ADMIN]
    assert admin.get(url("tenants:staff_edit", world, pk=own.pk)).status_code == 403
    assert admin.post(url("tenants:staff_membership_end", world, pk=own.pk)).status_code == 403
    assert admin.post(url("tenants:staff_deactivate", world, pk=own.pk)).status_code == 403


def test_account_actions_need_sole_administration(world, admin):
    """A person who also works in Coesfeld keeps password, authenticator and activation
    under the control of Coesfeld's admins too: Wesel may only end the Wesel membership."""
    shared = world.wesel.memberships[Role.COORDINATOR]
    MembershipFactory(user=shared.user, tenant=world.coesfeld.tenant, role=Role.COORDINATOR)
    for name in ("tenants:staff_password_reset", "tenants:staff_totp_reset", "tenants:staff_deactivate"):
        assert admin.post(url(name, world, pk=shared.pk)).status_code == 403
    assert admin.post(url("tenants:staff_membership_end", world, pk=shared.pk)).status_code == 302
    shared.refresh_from_db()
    shared.user.refresh_from_db()
    assert not shared.is_active and shared.user.is_active


def test_password_reset_ends_sessions_and_forces_change(world, admin, signed_in):
    target = world.wesel.memberships[Role.CASE_MANAGER]
    victim_client = signed_in(target.user)
    victim_client.get(reverse("ui:tenant_select"))
    from lotse.accounts import sessions

    sessions.register(target.user, victim_client.session.session_key)
    response = admin.post(url("tenants:staff_password_reset", world, pk=target.pk))
    assert response.status_code == 200
    password = re.search(r'data-testid="temporary-password">([^<]+)<', response.content.decode()).group(1)
    target.user.refresh_from_db()
    assert target.user.check_password(password) and target.user.must_change_password
    assert SESSION_KEY not in victim_client.session


def test_deactivate_and_reactivate(world, admin):
    target = world.wesel.memberships[Role.CASE_MANAGER]
    assert admin.get(url("tenants:staff_deactivate", world, pk=target.pk)).status_code == 200  # confirm page
    target.user.refresh_from_db()
    assert target.user.is_active
    admin.post(url("tenants:staff_deactivate", world, pk=target.pk))
    target.user.refresh_from_db()
    assert not target.user.is_active
    admin.post(url("tenants:staff_reactivate", world, pk=target.pk))
    target.user.refresh_from_db()
    assert target.user.is_active
    actions = list(AuditEvent.objects.filter(object_id=str(target.user.pk)).values_list("action", flat=True))
    assert "account.deactivated" in actions and "account.reactivated" in actions


def test_provider_lead_sees_only_own_provider(world, signed_in):
    lead = signed_in(world.user(Role.PROVIDER_LEAD))
    other = MembershipFactory(tenant=world.wesel.tenant, role=Role.CASE_MANAGER, provider=world.wesel.other_provider)
    listing = lead.get(url("tenants:staff_list", world))
    names = {m.user.username for m in listing.context["page"]}
    assert world.user(Role.CASE_MANAGER).username in names
    assert other.user.username not in names
    assert lead.get(url("tenants:staff_detail", world, pk=other.pk)).status_code == 404


def test_staff_list_filters_and_htmx_partial(world, admin):
    response = admin.get(url("tenants:staff_list", world), {"role": Role.CASE_MANAGER})
    assert {m.role for m in response.context["page"]} == {Role.CASE_MANAGER}
    partial = admin.get(
        url("tenants:staff_list", world),
        {"q": world.user(Role.COORDINATOR).last_name},
        HTTP_HX_REQUEST="true",
    )
    assert "<html" not in partial.content.decode()
    assert world.user(Role.COORDINATOR).username in partial.content.decode()
    bad = admin.get(url("tenants:staff_list", world), {"role": "nonsense", "page": "x"})
    assert bad.status_code == 200


def test_staff_sorted_and_found_the_german_way(world, admin):
    from lotse.accounts.tests.factories import UserFactory

    for last in ["Öztürk", "Brinkmann", "Çelik", "Bäumer", "Ortmann", "Weiß"]:
        MembershipFactory(
            user=UserFactory(last_name=last, first_name="Test"),
            tenant=world.wesel.tenant,
            role=Role.COORDINATOR,
        )
    listing = admin.get(url("tenants:staff_list", world), {"q": "Test"})
    order = [m.user.last_name for m in listing.context["page"] if m.user.first_name == "Test"]
    assert order == ["Bäumer", "Brinkmann", "Çelik", "Ortmann", "Öztürk", "Weiß"]

    # The world's other accounts carry random German surnames (Faker), which may
    # include "Weiß" or "Öztürk" too: only the accounts made here are compared.
    def found(query):
        page = admin.get(url("tenants:staff_list", world), {"q": query}).context["page"]
        return [m.user.last_name for m in page if m.user.first_name == "Test"]

    assert found("ozturk") == ["Öztürk"]
    assert found("WEISS") == ["Weiß"]


def test_add_existing_account_is_an_invitation_the_person_must_accept(world, admin, signed_in):
    person = world.user(Role.COORDINATOR, "coesfeld")
    response = admin.post(
        url("tenants:staff_add_existing", world),
        {"username": person.username.upper(), "email": person.email.upper(), "role": Role.COMMITTEE_MEMBER},
    )
    assert response.status_code == 302
    invitation = Membership.objects.get(user=person, tenant=world.wesel.tenant)
    assert invitation.role == Role.COMMITTEE_MEMBER and invitation.is_pending
    assert AuditEvent.objects.filter(action="membership.invited", object_id=str(invitation.pk)).exists()
    person_client = signed_in(person)
    wesel = reverse("ui:dashboard", kwargs={"tenant": "kreis-wesel"})
    assert person_client.get(wesel).status_code == 403  # closed until accepted
    choice = person_client.get(reverse("ui:home"))
    assert choice.status_code == 200 and [i.pk for i in choice.context["invitations"]] == [invitation.pk]
    # nobody else can answer it
    other = signed_in(world.user(Role.CASE_MANAGER, "coesfeld"))
    assert other.post(reverse("invitations:accept", kwargs={"pk": invitation.pk})).status_code == 404
    response = person_client.post(reverse("invitations:accept", kwargs={"pk": invitation.pk}))
    assert response["Location"] == wesel
    assert person_client.get(wesel).status_code == 200
    person.refresh_from_db()
    assert person.check_password("Sicheres-Testpasswort-2026")  # account untouched
    assert AuditEvent.objects.filter(action="membership.accepted", actor=person).exists()
    # answered once only
    assert person_client.post(reverse("invitations:decline", kwargs={"pk": invitation.pk})).status_code == 404


def test_declined_invitation_ends_the_membership(world, admin, signed_in):
    person = world.user(Role.COORDINATOR, "coesfeld")
    admin.post(
        url("tenants:staff_add_existing", world),
        {"username": person.username, "email": person.email, "role": Role.COMMITTEE_MEMBER},
    )
    invitation = Membership.objects.get(user=person, tenant=world.wesel.tenant)
    client = signed_in(person)
    assert client.post(reverse("invitations:decline", kwargs={"pk": invitation.pk})).status_code == 302
    invitation.refresh_from_db()
    assert not invitation.is_active and invitation.is_pending
    assert client.get(reverse("ui:dashboard", kwargs={"tenant": "kreis-wesel"})).status_code == 403


def test_name_and_email_of_a_shared_account_are_not_editable_here(world, admin):
    """Found in review: an admin could rewrite the account of a person who also works in
    another tenant (and after inviting anyone, anyone's)."""
    shared = world.wesel.memberships[Role.COORDINATOR]
    MembershipFactory(user=shared.user, tenant=world.coesfeld.tenant, role=Role.COORDINATOR)
    form = admin.get(url("tenants:staff_edit", world, pk=shared.pk)).context["form"]
    assert form.fields["last_name"].disabled and form.fields["email"].disabled
    data = staff_form(shared, last_name="Evil", email="attacker@example.net", role=Role.COMMITTEE_MEMBER)
    assert admin.post(url("tenants:staff_edit", world, pk=shared.pk), data).status_code == 302
    shared.refresh_from_db()
    shared.user.refresh_from_db()
    assert shared.role == Role.COMMITTEE_MEMBER  # the role in this tenant may change
    assert shared.user.last_name != "Evil" and shared.user.email != "attacker@example.net"


def test_account_events_reach_every_tenant_of_the_person(world, admin):
    person = world.wesel.memberships[Role.COORDINATOR]
    ended = MembershipFactory(user=person.user, tenant=world.coesfeld.tenant, role=Role.COORDINATOR)
    ended.is_active = False
    ended.save()
    # Wesel may not manage the account while a Coesfeld membership could be restored
    assert admin.post(url("tenants:staff_password_reset", world, pk=person.pk)).status_code == 403
    coesfeld_admin = world.user(Role.TENANT_ADMIN, "coesfeld")
    MembershipFactory(user=coesfeld_admin, tenant=world.wesel.tenant, role=Role.TENANT_ADMIN)
    from lotse.accounts import services as account_services

    account_services.account_set_active(actor=coesfeld_admin, user=person.user, active=False)
    tenants = set(AuditEvent.objects.filter(action="account.deactivated").values_list("tenant__slug", flat=True))
    assert tenants == {"kreis-wesel", "kreis-coesfeld"}


def test_authenticator_reset_also_issues_a_temporary_password(world, admin):
    target = world.wesel.memberships[Role.CASE_MANAGER]
    from lotse.accounts.tests.test_login_flow import confirmed_device

    confirmed_device(target.user)
    response = admin.post(url("tenants:staff_totp_reset", world, pk=target.pk))
    password = re.search(r'data-testid="temporary-password">([^<]+)<', response.content.decode()).group(1)
    target.user.refresh_from_db()
    assert target.user.check_password(password) and target.user.must_change_password
    assert not target.user.totp_device_confirmed()


def test_add_existing_reveals_nothing_about_other_accounts(world, admin):
    person = world.user(Role.COORDINATOR, "coesfeld")
    wrong_mail = admin.post(
        url("tenants:staff_add_existing", world),
        {"username": person.username, "email": "falsch@example.org", "role": Role.COORDINATOR},
    )
    unknown = admin.post(
        url("tenants:staff_add_existing", world),
        {"username": "gibt.es.nicht", "email": "falsch@example.org", "role": Role.COORDINATOR},
    )
    assert wrong_mail.status_code == unknown.status_code == 200
    assert wrong_mail.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    assert not Membership.objects.filter(user=person, tenant=world.wesel.tenant).exists()


def test_add_existing_refuses_a_second_membership_and_missing_provider(world, admin):
    member = world.user(Role.COORDINATOR)
    again = admin.post(
        url("tenants:staff_add_existing", world),
        {"username": member.username, "email": member.email, "role": Role.COMMITTEE_MEMBER},
    )
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    person = world.user(Role.COORDINATOR, "coesfeld")
    no_provider = admin.post(
        url("tenants:staff_add_existing", world),
        {"username": person.username, "email": person.email, "role": Role.CASE_MANAGER},
    )
    assert "provider" in no_provider.context["form"].errors
    assert Membership.objects.filter(user=person).count() == 1
