"""Acceptance: the frame and the sign-in work with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lotse.accounts import totp
from lotse.accounts.tests.factories import PASSWORD

from .helpers import confirmed_device, focused, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_skip_link_and_navigation_by_keyboard(page, live_world):
    user = live_world.user("tenant_admin")
    sign_in(page, user, confirmed_device(user))
    page.goto("/kreis-wesel/")

    # The first Tab reaches the skip link, which then becomes visible.
    page.keyboard.press("Tab")
    assert focused(page, "a.lotse-skip-link")
    box = page.locator("a.lotse-skip-link").bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["height"] > 0
    # Enter jumps to the main content.
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'main'")

    # Without the skip link, Tab leads through the header into the main navigation, in order.
    page.goto("/kreis-wesel/")
    nav_links = page.locator("nav.lotse-nav a")
    hrefs = [nav_links.nth(i).get_attribute("href") for i in range(nav_links.count())]
    assert len(hrefs) > 1
    tab_to(page, f'nav.lotse-nav a[href="{hrefs[0]}"]')
    for href in hrefs[1:]:
        page.keyboard.press("Tab")
        assert focused(page, f'nav.lotse-nav a[href="{href}"]')
    # Enter follows the focused link.
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{hrefs[-1]}")


def test_sign_in_with_keyboard_only(page, live_world):
    user = live_world.user("coordinator")
    device = confirmed_device(user)
    page.goto("/accounts/login/")

    tab_to(page, "#id_username")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    assert focused(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")

    page.wait_for_url("**/accounts/login/code/")
    tab_to(page, "#id_code")
    page.keyboard.type(totp.code_for(device))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/kreis-wesel/$"))
    expect(page.locator("nav.lotse-nav")).to_be_visible()
