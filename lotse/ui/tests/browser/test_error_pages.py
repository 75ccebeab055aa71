"""Acceptance: error pages keep the Lotse frame and pass axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lotse.tenants.models import Role

from .helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _expect_error_page(page, response, status, check_axe):
    assert response is not None
    assert response.status == status
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("header .lotse-header .lotse-brand")).to_be_visible()
    expect(page.locator("main#main h1")).to_be_visible()
    expect(page.locator("main#main a[href='/']")).to_be_visible()
    check_axe(page)


def test_not_found_page(page, live_world, check_axe):
    user = live_world.user(Role.TENANT_ADMIN)
    sign_in(page, user, confirmed_device(user))
    response = page.goto("/kreis-wesel/staff/999999/")
    _expect_error_page(page, response, 404, check_axe)


def test_not_found_page_signed_out(page, live_server, check_axe):
    response = page.goto("/accounts/no-such-page/")
    _expect_error_page(page, response, 404, check_axe)


def test_forbidden_pages(page, live_world, check_axe):
    user = live_world.user(Role.CASE_MANAGER)
    sign_in(page, user, confirmed_device(user))

    # The role lacks the permission …
    response = page.goto("/kreis-wesel/staff/")
    _expect_error_page(page, response, 403, check_axe)
    # … and another district's pages are closed to a Wesel user.
    response = page.goto("/kreis-coesfeld/")
    _expect_error_page(page, response, 403, check_axe)
    expect(page.locator(".lotse-header__tenant")).to_have_count(0)


def test_demo_banner(page, settings, live_server, check_axe):
    """The banner of a demo installation is part of every page; it must pass axe too."""
    settings.DEMO_MODE = True
    page.goto("/accounts/login/")
    expect(page.locator(".lotse-demo-banner")).to_be_visible()
    check_axe(page)
