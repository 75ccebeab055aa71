"""Acceptance: the staff filter updates the result list in place with htmx, and works as a
plain form when JavaScript is off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lotse.tenants.models import Role

from .helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULT_ROWS = "#staff-results tbody tr"


def test_filter_updates_results_in_place(page, console, live_world, check_axe):
    admin = live_world.user(Role.TENANT_ADMIN)
    target = live_world.user(Role.FUNDING_CLERK)
    sign_in(page, admin, confirmed_device(admin))
    page.goto("/kreis-wesel/staff/")
    rows_before = page.locator(RESULT_ROWS).count()
    assert rows_before == len(live_world.wesel.users)

    # A marker on the window survives only if the page is not loaded again.
    page.evaluate("() => { window.lotseNoReload = true; }")
    partial_requests = []
    page.on(
        "request",
        lambda request: partial_requests.append(request.url) if request.headers.get("hx-request") else None,
    )
    page.locator("#id_q").press_sequentially(target.username)

    expect(page).to_have_url(re.compile(rf"/kreis-wesel/staff/\?.*q={re.escape(target.username)}"))
    expect(page.locator(RESULT_ROWS)).to_have_count(1)
    expect(page.locator(RESULT_ROWS)).to_contain_text(target.username)
    assert page.evaluate("() => window.lotseNoReload") is True
    assert partial_requests, "the filter sent no htmx request"
    # The partial is the result list only, not a second page frame.
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("#staff-results h1")).to_have_count(0)
    check_axe(page)
    console.assert_no_csp_violations()


def test_filter_without_javascript(no_js_page, live_world):
    page = no_js_page
    admin = live_world.user(Role.TENANT_ADMIN)
    target = live_world.user(Role.FUNDING_CLERK)
    sign_in(page, admin, confirmed_device(admin))
    page.goto("/kreis-wesel/staff/")
    assert page.locator(RESULT_ROWS).count() == len(live_world.wesel.users)

    page.fill("#id_q", target.username)
    with page.expect_navigation():
        page.locator("form.lotse-filter button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/kreis-wesel/staff/\?.*q={re.escape(target.username)}"))
    expect(page.locator(RESULT_ROWS)).to_have_count(1)
    expect(page.locator(RESULT_ROWS)).to_contain_text(target.username)
