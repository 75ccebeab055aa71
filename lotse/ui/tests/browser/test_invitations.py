"""An invited person sees the invitation after signing in, checks it with the keyboard and
accepts it; the page passes axe with the invitation on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

from .helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invitation_accepted_with_the_keyboard(page, live_world, check_axe, console):
    person = live_world.user(Role.COORDINATOR, "coesfeld")
    MembershipFactory(user=person, tenant=live_world.wesel.tenant, role=Role.COMMITTEE_MEMBER, accepted_at=None)
    sign_in(page, person, confirmed_device(person))
    expect(page.locator("#invitations-heading")).to_be_visible()  # the choice page, not a dashboard
    check_axe(page)
    accept = page.locator("form[action*='/accept/'] button")
    accept.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(f"{page.url.split('/kreis-wesel/')[0]}/kreis-wesel/")
    expect(page.locator("main h1")).to_be_visible()
    check_axe(page)
    console.assert_no_csp_violations()
