"""Acceptance: a new member of staff signs in for the first time – password, set-up of the
authenticator app, dashboard – and every page on the way passes axe."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import expect

from lotse.accounts.models import TotpDevice
from lotse.accounts.tests.factories import PASSWORD

from .helpers import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_with_authenticator_enrolment(page, console, live_world, check_axe):
    user = live_world.user("coordinator")
    assert not TotpDevice.objects.filter(user=user).exists()

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    check_axe(page)

    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    submit(page)

    expect(page).to_have_url(re.compile(r"/accounts/login/setup/$"))
    expect(page.locator(".lotse-qr svg")).to_be_visible()
    check_axe(page)
    key = " ".join(page.locator(".lotse-qr figcaption .lotse-secret").inner_text().split())
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), key
    page.fill("#id_code", pyotp.TOTP(key.replace(" ", "")).now())
    submit(page)

    expect(page).to_have_url(re.compile(r"/kreis-wesel/$"))
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(".lotse-header__tenant")).to_contain_text("Kreis Wesel")
    expect(page.locator(".lotse-messages .kern-alert--success")).to_be_visible()
    check_axe(page)
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    # The QR code is inline SVG: it must not need inline styles.
    console.assert_no_csp_violations()


def test_wrong_password_shows_an_accessible_error(page, live_world, check_axe):
    user = live_world.user("case_manager")
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "not-the-password")
    submit(page)

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator(".lotse-error-summary")).to_be_visible()
    expect(page.locator(".lotse-error-summary")).to_be_focused()
    check_axe(page)
