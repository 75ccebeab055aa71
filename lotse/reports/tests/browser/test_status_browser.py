"""The committee status report page in the browser: the three charts are drawn by Chart.js, the
page passes axe-core with figures and with a bad period, and no CSP violation reaches the
console (the fixtures of the UI browser tests come from this package's conftest)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from lotse.reports.tests import status_data
from lotse.tenants.models import Role
from lotse.ui.tests.browser.helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_status_page_draws_its_charts_and_passes_axe(live_world, page: Page, console, check_axe):
    we = live_world.wesel
    status_data.build(live_world)
    coordinator = we.users[Role.COORDINATOR]
    sign_in(page, coordinator, confirmed_device(coordinator))
    address = reverse("reports:status", kwargs={"tenant": we.tenant.slug})
    page.goto(f"{address}?date_from=2024-01-01&date_to=2024-12-31")
    expect(page.locator("canvas[data-chart]")).to_have_count(3)
    expect(page.locator("canvas[data-drawn]")).to_have_count(3)
    check_axe(page)
    page.goto(f"{address}?date_from=2024-12-31&date_to=2024-01-01")
    expect(page.locator(".lotse-error-summary")).to_be_visible()
    check_axe(page)
    console.assert_no_csp_violations()
