"""Lockout after 5 failures per account and per address (HTTP 429), others unaffected."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from lotse.accounts import totp
from lotse.accounts.models import LoginFailure
from lotse.accounts.tests.factories import PASSWORD, UserFactory
from lotse.accounts.tests.test_login_flow import confirmed_device
from lotse.audit.models import AuditEvent

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:totp_verify")
pytestmark = pytest.mark.django_db


def attempt(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_sixth_attempt_is_refused_even_with_the_right_password():
    victim = UserFactory()
    client = Client()
    for n in range(5):  # five failures, each from another address: the account counter locks
        response = attempt(client, victim.username, "falsches-passwort", f"10.1.0.{n}")
        assert response.status_code == 200
    response = attempt(client, victim.username, PASSWORD, "10.1.0.99")
    assert response.status_code == 429
    body = response.content.decode()
    assert "15" in body  # tells how long to wait
    assert SESSION_KEY not in client.session
    assert "lotse_preauth" not in client.session
    assert AuditEvent.objects.filter(action="auth.lockout", object_id=str(victim.pk)).exists()


def test_other_users_are_unaffected_by_an_account_lockout():
    victim, bystander = UserFactory(), UserFactory()
    for n in range(5):
        attempt(Client(), victim.username, "falsch-falsch", f"10.2.0.{n}")
    assert attempt(Client(), victim.username, PASSWORD, "10.2.1.1").status_code == 429
    response = attempt(Client(), bystander.username, PASSWORD, "10.2.1.1")
    assert response.status_code == 302


def test_address_lockout_after_five_failures_from_one_address():
    users = [UserFactory() for _ in range(6)]
    for user in users[:5]:
        attempt(Client(), user.username, "falsch-falsch", "10.3.0.1")
    # the sixth user has never failed, but this address has: refused
    assert attempt(Client(), users[5].username, PASSWORD, "10.3.0.1").status_code == 429
    # from another address the same user signs in
    assert attempt(Client(), users[5].username, PASSWORD, "10.3.0.2").status_code == 302


def test_unknown_usernames_count_for_the_address_and_are_stored_hashed():
    for n in range(5):
        attempt(Client(), f"gibtsnicht{n}", "x", "10.4.0.1")
    assert attempt(Client(), "gibtsnicht9", "x", "10.4.0.1").status_code == 429
    stored = list(LoginFailure.objects.values_list("key_hash", flat=True))
    assert all("gibtsnicht" not in key and "10.4.0.1" not in key for key in stored)


def test_lock_lifts_after_the_window():
    victim = UserFactory()
    for n in range(5):
        attempt(Client(), victim.username, "falsch-falsch", f"10.5.0.{n}")
    assert attempt(Client(), victim.username, PASSWORD, "10.5.1.1").status_code == 429
    LoginFailure.objects.update(created_at=LoginFailure.objects.first().created_at - timedelta(minutes=16))
    assert attempt(Client(), victim.username, PASSWORD, "10.5.1.1").status_code == 302


def full_sign_in(user, device, address, offset=0):
    client = Client()
    assert attempt(client, user.username, PASSWORD, address).status_code == 302
    response = client.post(VERIFY, {"code": totp.code_for(device, now=time.time() + offset)}, REMOTE_ADDR=address)
    assert response.status_code == 302
    assert SESSION_KEY in client.session


def test_only_a_complete_sign_in_resets_the_account_counter():
    user = UserFactory()
    device = confirmed_device(user)
    for n in range(4):
        attempt(Client(), user.username, "falsch-falsch", f"10.6.0.{n}")
    full_sign_in(user, device, "10.6.1.1")
    for n in range(4):
        attempt(Client(), user.username, "falsch-falsch", f"10.6.2.{n}")
    full_sign_in(user, device, "10.6.3.1", offset=30)


def test_reentering_the_password_does_not_reset_the_code_counter():
    """Found in review: a right password used to clear the counter that also counts wrong
    codes, so alternating password and four guessed codes brute-forced the second factor."""
    user = UserFactory()
    device = confirmed_device(user)
    refused = 0
    for round_ in range(3):
        client = Client()
        response = attempt(client, user.username, PASSWORD, f"10.8.{round_}.1")
        if response.status_code == 429:
            refused += 1
            continue
        for n in range(4):
            client.post(VERIFY, {"code": "000000"}, REMOTE_ADDR=f"10.8.{round_}.{n + 2}")
    client = Client()
    response = attempt(client, user.username, PASSWORD, "10.8.9.1")
    if response.status_code == 302:
        response = client.post(VERIFY, {"code": totp.code_for(device)}, REMOTE_ADDR="10.8.9.2")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_spelling_variants_count_against_the_same_account():
    UserFactory(username="s.sommer")
    for n, variant in enumerate(["s.sommer", "S.SOMMER", "ſ.sommer", "s.ſommer", "Ｓ.sommer"]):
        attempt(Client(), variant, "falsch-falsch", f"10.10.{n}.1")
    assert attempt(Client(), "s.sommer", PASSWORD, "10.10.9.1").status_code == 429


def test_ipv6_addresses_count_per_64_network():
    users = [UserFactory() for _ in range(6)]
    for n, user in enumerate(users[:5]):
        attempt(Client(), user.username, "falsch-falsch", f"2001:db8:1:2::{n + 1}")
    assert attempt(Client(), users[5].username, PASSWORD, "2001:db8:1:2::ff").status_code == 429
    assert attempt(Client(), users[5].username, PASSWORD, "2001:db8:1:3::1").status_code == 302


def test_old_password_guesses_on_the_change_form_count_too(signed_in):
    user = UserFactory()
    client = signed_in(user)
    url = reverse("accounts:password_change")
    data = {"new_password1": "Neues-Passwort-2026!", "new_password2": "Neues-Passwort-2026!"}
    for n in range(5):
        assert client.post(url, {**data, "old_password": f"rate-{n}-xxxx"}).status_code == 200
    assert client.post(url, {**data, "old_password": PASSWORD}).status_code == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_wrong_codes_lock_the_second_factor_too():
    user = UserFactory()
    device = confirmed_device(user)
    client = Client()
    attempt(client, user.username, PASSWORD, "10.7.0.1")
    for _ in range(5):
        assert client.post(VERIFY, {"code": "000000"}, REMOTE_ADDR="10.7.0.1").status_code == 200
    response = client.post(VERIFY, {"code": totp.code_for(device)}, REMOTE_ADDR="10.7.0.1")
    assert response.status_code == 429
    assert SESSION_KEY not in client.session
