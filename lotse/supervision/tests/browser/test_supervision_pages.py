"""The supervision pages in the browser, with figures: every chart is drawn by Chart.js, every
page (also the filter with an error) passes axe-core, no CSP violation reaches the console, and
without JavaScript the tables carry every value."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from lotse.supervision.tests import data
from lotse.tenants.models import Role
from lotse.ui.tests.browser.helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_charts_are_drawn_and_pages_pass_axe(live_world, page: Page, console, check_axe):
    we = live_world.wesel
    data.build(we)
    coordinator = we.users[Role.COORDINATOR]
    sign_in(page, coordinator, confirmed_device(coordinator))
    for name, charts in (("supervision:dashboard", 8), ("supervision:feedback", 3)):
        page.goto(reverse(name, kwargs={"tenant": we.tenant.slug}))
        expect(page.locator("canvas[data-chart]")).to_have_count(charts)
        expect(page.locator("canvas[data-drawn]")).to_have_count(charts)
        check_axe(page)
    url = reverse("supervision:dashboard", kwargs={"tenant": we.tenant.slug})
    page.goto(f"{url}?date_from=2025-06-01&date_to=2025-01-01")
    expect(page.locator(".lotse-error-summary")).to_be_visible()
    check_axe(page)
    console.assert_no_csp_violations()


def test_tables_without_javascript(live_world, no_js_page: Page):
    we = live_world.wesel
    data.build(we)
    lead = we.users[Role.PROVIDER_LEAD]
    sign_in(no_js_page, lead, confirmed_device(lead))
    no_js_page.goto(reverse("supervision:dashboard", kwargs={"tenant": we.tenant.slug}))
    table = no_js_page.locator("figure[aria-labelledby=caseload-case-manager-title] table")
    expect(table.locator("th[scope=row]", has_text="Bert Zweit")).to_have_count(1)
    expect(no_js_page.locator("body")).not_to_contain_text("Clara Dritt")
