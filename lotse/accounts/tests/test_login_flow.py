"""Sign-in: password, then authenticator code (or its setup); lockout; session rules."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from lotse.accounts import totp
from lotse.accounts.models import TotpDevice, User
from lotse.accounts.services import SESSION_AUTH_AT, SESSION_SEEN_AT
from lotse.accounts.tests.factories import PASSWORD, UserFactory
from lotse.audit.models import AuditEvent
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:totp_verify")
SETUP = reverse("accounts:totp_setup")
HOME = reverse("ui:home")

pytestmark = pytest.mark.django_db


def confirmed_device(user: User) -> TotpDevice:
    device = totp.new_device(user)
    device.confirmed_at = timezone.now()
    device.save()
    return device


@pytest.fixture
def member() -> User:
    membership = MembershipFactory(role=Role.COORDINATOR)
    return membership.user


def password_step(client: Client, username: str, password: str = PASSWORD, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_password_only_session_reaches_nothing_but_the_second_factor(member):
    confirmed_device(member)
    client = Client()
    response = password_step(client, member.username)
    assert response.status_code == 302 and response["Location"] == VERIFY
    assert SESSION_KEY not in client.session  # not signed in yet
    dashboard = reverse("ui:dashboard", kwargs={"tenant": member.memberships.get().tenant.slug})
    for url in (HOME, dashboard, reverse("ui:tenant_select"), reverse("accounts:password_change")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    assert client.get(VERIFY).status_code == 200


def test_full_login_with_code_changes_the_session_key(member):
    device = confirmed_device(member)
    client = Client()
    client.get(LOGIN)
    password_step(client, member.username)
    key_before_second_factor = client.session.session_key
    response = client.post(VERIFY, {"code": totp.code_for(device)})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)
    assert client.session.session_key != key_before_second_factor
    assert client.get(HOME).status_code == 302  # redirect to the tenant dashboard
    assert AuditEvent.objects.filter(action="auth.login", actor=member).exists()


@override_settings(TOTP_REQUIRED=False)
def test_session_key_changes_at_password_login_in_demo_mode(member):
    client = Client()
    client.get(LOGIN)
    anonymous_key = client.session.session_key
    response = password_step(client, member.username)
    assert response.status_code == 302
    assert client.session.session_key is not None
    assert client.session.session_key != anonymous_key


def test_totp_code_is_accepted_once_only(member):
    device = confirmed_device(member)
    code = totp.code_for(device)
    first = Client()
    password_step(first, member.username)
    assert first.post(VERIFY, {"code": code}).status_code == 302
    second = Client()
    password_step(second, member.username, address="10.0.0.2")
    replay = second.post(VERIFY, {"code": code})
    assert replay.status_code == 200
    assert "already used" in replay.content.decode() or "bereits verwendet" in replay.content.decode()
    assert SESSION_KEY not in second.session


def test_totp_verify_and_consume_refuses_replay_and_older_codes(member):
    device = confirmed_device(member)
    now = time.time()
    assert totp.verify_and_consume(device, totp.code_for(device, now=now), now=now)
    assert not totp.verify_and_consume(device, totp.code_for(device, now=now), now=now)
    assert not totp.verify_and_consume(device, totp.code_for(device, now=now - 30), now=now)
    assert totp.verify_and_consume(device, totp.code_for(device, now=now + 30), now=now)
    assert not totp.verify_and_consume(device, "12345", now=now)
    assert not totp.verify_and_consume(device, "abcdef", now=now)


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_a_code_typed_in_arabic_indic_digits_signs_in_and_odd_digits_are_refused(member):
    """The form's \\d takes every decimal digit, e.g. from an Arabic keyboard; the comparison
    took only ASCII and answered 500. Digits of any script now count as what they are."""
    device = confirmed_device(member)
    client = Client()
    password_step(client, member.username)
    refused = client.post(VERIFY, {"code": "١٢٣ ٤٥²"})
    assert refused.status_code == 200 and SESSION_KEY not in client.session
    assert not totp.verify_and_consume(device, "12345²")
    code = totp.code_for(device).translate(ARABIC_INDIC)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    assert SESSION_KEY in client.session


def test_enrolment_then_login(member):
    client = Client()
    response = password_step(client, member.username)
    assert response["Location"] == SETUP
    page = client.get(SETUP)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "lotse-secret" in body
    device = TotpDevice.objects.get(user=member)
    assert not device.is_confirmed
    assert client.post(SETUP, {"code": "000000"}).status_code == 200
    response = client.post(SETUP, {"code": totp.code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.is_confirmed
    assert client.session[SESSION_KEY] == str(member.pk)
    assert AuditEvent.objects.filter(action="auth.totp_enrolled", actor=member).exists()


def test_secret_is_stored_encrypted(member):
    device = totp.new_device(member)
    secret = totp.secret_of(device)
    assert secret.encode() not in bytes(device.secret_encrypted)
    assert len(secret) >= 32


def test_wrong_password_gives_one_message_for_unknown_and_known_users(member):
    known = password_step(Client(), member.username, password="falsch-falsch-falsch")
    unknown = password_step(Client(), "niemand", password="falsch-falsch-falsch")
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_empty_login_form_shows_field_errors():
    response = Client().post(LOGIN, {})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"username", "password"}


def test_preauth_expires(member, monkeypatch):
    confirmed_device(member)
    client = Client()
    password_step(client, member.username)
    session = client.session
    session["lotse_preauth"]["at"] = time.time() - 301
    session.save()
    assert client.get(VERIFY)["Location"] == LOGIN


def test_inactive_user_cannot_sign_in(member):
    member.is_active = False
    member.save()
    response = password_step(Client(), member.username)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_open_redirect_after_login_is_ignored(member):
    device = confirmed_device(member)
    client = Client()
    client.get(LOGIN + "?next=https://evil.example/")
    password_step(client, member.username)
    response = client.post(VERIFY, {"code": totp.code_for(device)})
    assert response["Location"] == HOME


def test_next_parameter_is_followed_after_login(member):
    device = confirmed_device(member)
    client = Client()
    target = reverse("ui:tenant_select")
    client.get(f"{LOGIN}?next={target}")
    password_step(client, member.username)
    response = client.post(VERIFY, {"code": totp.code_for(device)})
    assert response["Location"] == target


def test_logout_needs_post_and_ends_session(signed_in, member):
    client = signed_in(member)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert SESSION_KEY not in client.session
    assert client.get(HOME)["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="auth.logout", actor=member).exists()


def test_new_staff_must_replace_temporary_password(member, signed_in):
    member.must_change_password = True
    member.save()
    client = signed_in(member)
    response = client.get(HOME)
    assert response["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Neues-Passwort-2026!",
            "new_password2": "Neues-Passwort-2026!",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.must_change_password
    assert member.check_password("Neues-Passwort-2026!")
    assert client.get(HOME).status_code == 302
    assert client.get(HOME)["Location"] != reverse("accounts:password_change")


def test_password_change_rejects_weak_password(member, signed_in):
    client = signed_in(member)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "passwort", "new_password2": "passwort"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_password_change_ends_other_sessions(member):
    device = confirmed_device(member)
    first, second = Client(), Client()
    password_step(first, member.username, address="10.0.0.3")
    first.post(VERIFY, {"code": totp.code_for(device)})
    password_step(second, member.username, address="10.0.0.4")
    second.post(VERIFY, {"code": totp.code_for(device, now=time.time() + 30)})
    assert SESSION_KEY in second.session
    response = first.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Neues-Passwort-2026!",
            "new_password2": "Neues-Passwort-2026!",
        },
    )
    assert response.status_code == 302
    assert first.get(reverse("ui:tenant_select")).status_code == 200  # this session continues
    assert second.get(reverse("ui:tenant_select"))["Location"].startswith(LOGIN)


def test_argon2_is_the_production_hasher():
    from lotse.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    user = UserFactory()
    assert user.password.startswith("argon2")


def test_common_password_is_refused_by_validators():
    from django.conf import settings
    from django.contrib.auth.password_validation import get_password_validators, validate_password
    from django.core.exceptions import ValidationError

    from lotse.settings import base

    validators = get_password_validators(base.AUTH_PASSWORD_VALIDATORS)
    assert settings.AUTH_PASSWORD_VALIDATORS == base.AUTH_PASSWORD_VALIDATORS
    with pytest.raises(ValidationError):
        validate_password("password1234", password_validators=validators)
    validate_password("Lotse-Demo-2026", password_validators=validators)


def test_session_rules_are_set():
    from django.conf import settings

    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_MAX_SECONDS == 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_session_timestamps_present_after_login(member):
    device = confirmed_device(member)
    client = Client()
    password_step(client, member.username)
    client.post(VERIFY, {"code": totp.code_for(device)})
    assert client.session[SESSION_AUTH_AT] == pytest.approx(time.time(), abs=5)
    assert client.session[SESSION_SEEN_AT] == pytest.approx(time.time(), abs=5)


def test_session_key_changes_after_the_password_step(member):
    """Found in review: a session planted before sign-in survived the password step, so whoever
    planted it could finish an authenticator setup in the victim's name."""
    client = Client()
    client.get(LOGIN + "?next=/select-tenant/")  # creates an anonymous session
    planted = client.session.session_key
    assert planted
    assert password_step(client, member.username).status_code == 302
    assert client.session.session_key != planted
    attacker = Client()
    attacker.cookies["lotse_session"] = planted
    assert attacker.get(SETUP)["Location"] == LOGIN  # the planted key holds no pre-authentication
