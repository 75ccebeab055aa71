"""Acceptance: German by default; the header button switches to English and back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGE_BUTTON = "header form button[name=language]"


def _expect_language(page, lang, offered):
    expect(page.locator("html")).to_have_attribute("lang", lang)
    button = page.locator(LANGUAGE_BUTTON)
    expect(button).to_have_count(1)
    expect(button).to_have_attribute("value", offered)
    # The button names the other language in that language, marked up for screen readers.
    expect(button).to_have_attribute("lang", offered)


def test_language_switch(page, live_world, check_axe):
    user = live_world.user("coordinator")
    sign_in(page, user, confirmed_device(user))
    page.goto("/kreis-wesel/staff/?q=we")
    _expect_language(page, "de", "en")
    german_heading = page.locator("main h1").inner_text()

    with page.expect_navigation():
        page.locator(LANGUAGE_BUTTON).click()
    # Back on the same page (with its query), now in English.
    expect(page).to_have_url(re.compile(r"/kreis-wesel/staff/\?q=we$"))
    _expect_language(page, "en", "de")
    assert page.locator("main h1").inner_text() == "Staff"
    check_axe(page)

    with page.expect_navigation():
        page.locator(LANGUAGE_BUTTON).click()
    expect(page).to_have_url(re.compile(r"/kreis-wesel/staff/\?q=we$"))
    _expect_language(page, "de", "en")
    assert page.locator("main h1").inner_text() == german_heading


def test_language_switch_before_sign_in(page, live_server):
    page.goto("/accounts/login/")
    _expect_language(page, "de", "en")
    with page.expect_navigation():
        page.locator(LANGUAGE_BUTTON).click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    _expect_language(page, "en", "de")
