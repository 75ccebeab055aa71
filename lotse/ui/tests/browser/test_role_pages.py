"""Acceptance: every role signs in through the real pages, lands on its dashboard, and every
page it can reach from the main navigation (plus the forms behind them) passes axe – with no
Content Security Policy violation in the browser console."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import TENANT_ROLES
from lotse.access.permissions import Perm, role_has
from lotse.tenants.models import Role
from lotse.ui.navigation import NAV_ITEMS

from .helpers import confirmed_device, sign_in, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [*(str(role) for role in TENANT_ROLES), str(Role.STATE_ANALYST)]


def _tenant_of(world, role):
    return world.state if role == Role.STATE_ANALYST else world.wesel.tenant


def _visit(page, check_axe, url):
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url} answered {response.status}"
    check_axe(page)


def _sub_pages(world, role, slug):
    """Pages behind the navigation that this role may open (the lists link to them); the
    navigation itself (with the audit log for the data protection officer) is followed above."""
    wesel = world.wesel

    def url(name, **kwargs):
        return reverse(name, kwargs={"tenant": slug, **kwargs})

    pages = []
    if role_has(role, Perm.STAFF_VIEW):
        pages.append(url("tenants:staff_detail", pk=wesel.memberships[Role.CASE_MANAGER].pk))
    if role_has(role, Perm.STAFF_MANAGE):
        member = wesel.memberships[Role.CASE_MANAGER].pk
        pages += [
            url("tenants:staff_edit", pk=member),
            url("tenants:staff_add_existing"),
            url("tenants:staff_password_reset", pk=member),  # confirmation page
            url("tenants:staff_deactivate", pk=member),  # confirmation page
        ]
    if role_has(role, Perm.STRUCTURE_MANAGE):
        pages += [
            url("tenants:provider_create"),
            url("tenants:provider_edit", pk=wesel.provider.pk),
            url("tenants:location_create"),
            url("tenants:location_edit", pk=wesel.location.pk),
            url("tenants:municipality_create"),
            url("tenants:municipality_edit", pk=wesel.municipality.pk),
        ]
    # Case management: the world's case of the case manager, with one object of every kind.
    case, objects = wesel.case.pk, wesel.objects
    if role_has(role, Perm.CASE_WORK) or role_has(role, Perm.CASE_OVERSIGHT):
        pages += [
            url("cases:list") + "?status=all",  # the list itself is in the navigation
            url("cases:create"),
            url("cases:detail", pk=case),
            url("consent:case_overview", pk=case),
            url("cases:assessment_list", pk=case),
            url("cases:goal_list", pk=case),
            url("cases:contact_list", pk=case),
            url("cases:referral_list", pk=case),
            url("cases:barrier_list", pk=case),
            url("cases:referral_create", pk=case),
        ]
    if role_has(role, Perm.CASE_WORK):
        pages += [
            url("cases:identity", pk=case),
            url("cases:document_list", pk=case),
            url("cases:duplicate_check"),
            url("cases:substitution"),
            url("cases:edit", pk=case),
            url("cases:household", pk=case),
            url("cases:handover", pk=case),
            url("cases:close", pk=case),
            url("cases:identity_edit", pk=case),
            url("cases:identity_erase", pk=case),  # confirmation page
            url("consent:consent_record", pk=case),
            url("consent:release_record", pk=case),
            url("consent:consent_revoke", pk=case, consent=objects["consent"].pk),  # confirmation page
            url("consent:release_revoke", pk=case, release=objects["release"].pk),  # confirmation page
            url("cases:assessment_create", pk=case),
            url("cases:goal_create", pk=case),
            url("cases:goal_edit", pk=case, goal=objects["goal"].pk),
            url("cases:step_add", pk=case, goal=objects["goal"].pk),
            url("cases:contact_create", pk=case),
            url("cases:followup_create", pk=case),
            url("cases:barrier_create", pk=case),
            url("cases:referral_update", pk=case, referral=objects["referral"].pk),
            url("cases:document_delete", pk=case, document=objects["document"].pk),  # confirmation page
        ]
    if role_has(role, Perm.CASE_OVERSIGHT):
        pages += [
            url("cases:list") + "?case_manager=none",
            url("cases:assign", pk=case),
            # no closure is waiting: back to the case with a notice (the decision page itself is
            # in lotse/cases/tests/browser/test_case_journey.py)
            url("cases:closure_decision", pk=case),
        ]
    if role_has(role, Perm.CASE_SETTINGS_MANAGE):
        pages.append(url("cases:case_settings"))
    if role_has(role, Perm.AGENCY_MANAGE):
        pages += [url("network:agency_create"), url("network:agency_edit", pk=wesel.agency.pk)]
    # Strategic steering (conftest._steering_world): the world's theme, the steering group with
    # the committee member's seat, its meeting, agenda item and task; a quality circle in which
    # the case manager reviews the world's case.
    theme, body, meeting = objects["theme"].pk, objects["body"].pk, objects["meeting"].pk
    item, qc_meeting = objects["item"].pk, objects["qc_meeting"].pk
    if role_has(role, Perm.STEERING_MANAGE):
        pages += [
            url("steering:barrier_register") + "?domain=language&theme=none",  # an empty result
            url("steering:theme_list") + "?status=all",
            url("steering:theme_create"),
            url("steering:theme_detail", pk=theme),
            url("steering:theme_edit", pk=theme),
            url("steering:theme_move", pk=theme),
            url("steering:theme_merge", pk=theme),
            url("steering:theme_split", pk=theme),
            url("steering:staircase_settings"),
            url("committees:body_create"),
            url("committees:body_detail", pk=body),
            url("committees:body_edit", pk=body),
            url("committees:member_create", pk=body),
            url("committees:member_edit", pk=body, member=objects["member"].pk),
            url("committees:meeting_create", pk=body),
            url("committees:meeting_detail", pk=meeting),
            url("committees:meeting_edit", pk=meeting),
            url("committees:attendance", pk=meeting),
            url("committees:item_create", pk=meeting) + "?part=non_public",
            url("committees:item_edit", pk=meeting, item=item),
            url("committees:item_delete", pk=meeting, item=item),  # confirmation page
            url("committees:task_create", pk=meeting, item=item),
            url("committees:meeting_detail", pk=qc_meeting),
        ]
    elif role_has(role, Perm.THEME_VIEW):  # the committee member: the body of their seat
        pages += [
            url("steering:theme_list") + "?status=all",
            url("steering:theme_detail", pk=theme),
            url("committees:body_detail", pk=body),
            url("committees:meeting_detail", pk=meeting),
        ]
    if role_has(role, Perm.COMMITTEE_VIEW):
        pages.append(url("committees:task_list"))
    if role in (Role.COORDINATOR, Role.CASE_MANAGER):  # the quality circle's seats
        pages += [
            url("committees:review_list", pk=qc_meeting),
            url("committees:review_case", pk=qc_meeting, review=objects["review"].pk),
        ]
    if role_has(role, Perm.SUPERVISION_VIEW):
        pages += [
            # the navigation shows the default period (twelve months); here two years
            url("supervision:dashboard") + f"?date_from={datetime.date.today() - datetime.timedelta(days=730)}",
            url("supervision:feedback"),
        ]
    # Funding control (conftest._funding_world): the world's programme with its rates, position,
    # payment call, repayment claim and proof of use. Coordinators read, funding clerks edit.
    programme, proof = objects["programme"], objects["proof"]
    consolidated = (
        f"?programme={programme.pk}&period_start={proof.period_start.isoformat()}"
        f"&period_end={proof.period_end.isoformat()}"
    )
    if role_has(role, Perm.FUNDING_VIEW):
        pages += [
            url("funding:programme_list"),
            url("funding:programme_rates", pk=programme.pk),
            url("funding:position_list"),
            url("funding:position_list") + f"?programme={programme.pk}&year=2099",  # no months in that year
            url("funding:payment_list"),
            url("funding:base_rate_list"),
            url("funding:claim_list"),
            url("funding:claim_detail", pk=objects["claim"].pk),
            url("funding:claim_detail", pk=objects["claim"].pk) + "?until=2026-06-30",
            url("funding:proof_list"),
            url("funding:proof_detail", pk=proof.pk),
            url("funding:proof_consolidated"),
            url("funding:proof_consolidated") + consolidated,
        ]
    if role_has(role, Perm.FUNDING_MANAGE):
        pages += [
            url("funding:programme_create"),
            url("funding:programme_edit", pk=programme.pk),
            url("funding:position_create"),
            url("funding:position_edit", pk=objects["position"].pk),
            url("funding:position_delete", pk=objects["position"].pk),  # confirmation page (blocked: in a proof)
            url("funding:payment_create"),
            url("funding:payment_edit", pk=objects["payment"].pk),
            url("funding:payment_delete", pk=objects["payment"].pk),  # confirmation page
            url("funding:claim_create"),
            url("funding:claim_edit", pk=objects["claim"].pk),
            url("funding:proof_create"),
            url("funding:proof_edit", pk=proof.pk),
            url("funding:proof_delete", pk=proof.pk),  # confirmation page
        ]
    # Reports (the index is in the navigation): the controlling export (coordinator: the own
    # district; state analyst: all districts, and one) and the status report, each for the
    # default period and for the current year (the world's case: counts shown as "< 5").
    if role_has(role, Perm.REPORTS_VIEW) or role_has(role, Perm.CROSS_TENANT_AGGREGATES):
        year = datetime.date.today().year
        pages += [
            url("reports:controlling"),
            url("reports:controlling") + f"?date_from={year}-01-01&date_to={year}-12-31",
        ]
    if role_has(role, Perm.CROSS_TENANT_AGGREGATES):
        pages.append(url("reports:controlling") + f"?tenant={wesel.tenant.pk}")
    if role_has(role, Perm.REPORTS_VIEW):
        year = datetime.date.today().year
        pages += [
            url("reports:status"),
            url("reports:status") + f"?date_from={year}-01-01&date_to={year}-12-31",
        ]
    pages.append(reverse("ui:tenant_select"))
    return pages


def _form_with_errors(page, check_axe, url, invalid_field):
    """The empty form, then the same form sent empty: error summary and marked fields."""
    _visit(page, check_axe, url)
    submit(page)
    expect(page.locator(".lotse-error-summary")).to_be_focused()
    expect(page.locator(invalid_field)).to_have_attribute("aria-invalid", "true")
    check_axe(page)


@pytest.mark.parametrize("role", ROLES)
def test_role_pages_are_accessible(role, page, console, live_world, check_axe):
    user = live_world.user(role)
    tenant = _tenant_of(live_world, role)
    sign_in(page, user, confirmed_device(user))

    # The dashboard of the role's tenant.
    dashboard = reverse("ui:dashboard", kwargs={"tenant": tenant.slug})
    expect(page).to_have_url(re.compile(rf"{dashboard}$"))
    expect(page.locator("main h1")).to_be_visible()
    check_axe(page)

    # The main navigation offers exactly what the role may see; follow every link.
    slug = {"tenant": tenant.slug}
    expected = [reverse(e.url_name, kwargs=slug) for e in NAV_ITEMS if role_has(role, e.perm)]
    links = page.locator("nav.lotse-nav a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == expected
    for href in hrefs:
        with page.expect_navigation():
            page.locator(f'nav.lotse-nav a[href="{href}"]').click()
        assert page.url.endswith(href)
        expect(page.locator(f'nav.lotse-nav a[href="{href}"]')).to_have_attribute("aria-current", "page")
        if href != dashboard:  # checked above
            check_axe(page)

    for url in _sub_pages(live_world, role, tenant.slug):
        _visit(page, check_axe, url)

    # Forms sent with errors pass axe too.
    if role_has(role, Perm.STAFF_MANAGE):
        _form_with_errors(
            page, check_axe, reverse("tenants:staff_create", kwargs={"tenant": tenant.slug}), "#id_username"
        )
    _form_with_errors(page, check_axe, reverse("accounts:password_change"), "#id_old_password")

    console.assert_no_csp_violations()
    errors = [m for m in console.messages if m.startswith(("[error]", "[pageerror]"))]
    assert not errors, "Errors in the browser console:\n" + "\n".join(errors)


def test_console_collector_sees_csp_violations_and_errors(page, console, live_server):
    """Control for the checks above: a CSP violation and a script error do reach the log."""
    page.goto("/accounts/login/")
    page.evaluate(
        """() => {
            const style = document.createElement('style');
            style.textContent = 'body { color: red; }';
            document.head.appendChild(style);
            setTimeout(() => { throw new Error('lotse-test-error'); }, 0);
        }"""
    )
    page.wait_for_timeout(200)
    assert console.csp_violations(), console.messages
    errors = [m for m in console.messages if m.startswith("[pageerror]")]
    assert any("lotse-test-error" in m for m in errors), console.messages
