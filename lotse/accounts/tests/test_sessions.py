"""Session lifetime (idle, absolute), and deactivation ending every session."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from lotse.accounts import services, totp
from lotse.accounts.models import UserSession
from lotse.accounts.services import SESSION_AUTH_AT, SESSION_SEEN_AT
from lotse.accounts.tests.factories import PASSWORD
from lotse.accounts.tests.test_lockout import attempt
from lotse.accounts.tests.test_login_flow import confirmed_device
from lotse.audit.models import AuditEvent
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("ui:tenant_select")
LOGIN = reverse("accounts:login")


def real_login(user, address="10.9.0.1", offset=0):
    device = user.totp_device if hasattr(user, "totp_device") else confirmed_device(user)
    client = Client()
    attempt(client, user.username, PASSWORD, address)
    response = client.post(reverse("accounts:totp_verify"), {"code": totp.code_for(device, now=time.time() + offset)})
    assert response.status_code == 302
    return client


def shift(client, key, seconds):
    session = client.session
    session[key] = session[key] - seconds
    session.save()


@pytest.fixture
def user():
    return MembershipFactory(role=Role.COORDINATOR).user


def test_idle_timeout_after_30_minutes(signed_in, user):
    client = signed_in(user)
    assert client.get(PAGE).status_code == 200
    shift(client, SESSION_SEEN_AT, 29 * 60)
    assert client.get(PAGE).status_code == 200  # activity within 30 minutes keeps it alive
    shift(client, SESSION_SEEN_AT, 31 * 60)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?expired=idle")
    assert SESSION_KEY not in client.session
    assert client.get(PAGE)["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="auth.session_expired", actor=user).exists()


def test_activity_refreshes_the_idle_clock(signed_in, user):
    client = signed_in(user)
    shift(client, SESSION_SEEN_AT, 20 * 60)
    assert client.get(PAGE).status_code == 200
    shift(client, SESSION_SEEN_AT, 20 * 60)  # 40 minutes since login, 20 since last activity
    assert client.get(PAGE).status_code == 200


def test_absolute_timeout_after_12_hours(signed_in, user):
    client = signed_in(user)
    shift(client, SESSION_AUTH_AT, 12 * 3600 + 1)
    response = client.get(PAGE)
    assert response["Location"].startswith(LOGIN + "?expired=absolute")
    assert SESSION_KEY not in client.session


def test_htmx_request_after_timeout_gets_hx_redirect(signed_in, user):
    client = signed_in(user)
    shift(client, SESSION_SEEN_AT, 31 * 60)
    response = client.get(PAGE, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(LOGIN)


def test_deactivated_user_loses_all_sessions(user):
    first = real_login(user, "10.9.0.1")
    second = real_login(user, "10.9.0.2", offset=30)
    assert first.get(PAGE).status_code == 200 and second.get(PAGE).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 2
    admin = MembershipFactory(role=Role.TENANT_ADMIN, tenant=user.memberships.get().tenant).user
    services.account_set_active(actor=admin, user=user, active=False)
    for client in (first, second):
        response = client.get(PAGE)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert UserSession.objects.filter(user=user).count() == 0
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key__in=[first.session.session_key, second.session.session_key]).exists()


def test_inactive_flag_alone_already_blocks_requests(signed_in, user):
    client = signed_in(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(PAGE)["Location"].startswith(LOGIN)
