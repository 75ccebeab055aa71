"""Acceptance of case management in the browser: a case manager takes one client from the
anonymous first contact to the approved closure through the real pages and forms – search
before create, intake, identity, information sheet in Arabic, consent and release, assessment,
goal agreement with the bilingual plan, referral with identity, contact, follow-up in the due
list, re-assessment side by side, closure approved by the coordinator. Every page passes axe-core
with zero violations and no Content Security Policy violation reaches the console.

Only the world (tenant, users, agency, the tenant's approval rule) is set up through the ORM;
everything the case manager and the coordinator do goes through forms. Selectors use field
names and URLs, not texts, so the test holds whatever the catalogue says."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from lotse.cases.domains import LifeDomain, NeedLevel
from lotse.cases.goal_plan_texts import GOAL_PLAN_LABELS
from lotse.cases.models import Case, CaseStatus, ClosureReason, GoalStatus, Referral
from lotse.cases.services.cases import case_settings
from lotse.consent.models import ConsentPurpose
from lotse.consent.sheets import SHEET_HEADINGS
from lotse.consent.tests.test_pdf import as_extracted, reader_text
from lotse.tenants.models import Role
from lotse.ui.tests.browser.conftest import _new_context
from lotse.ui.tests.browser.helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE_NUMBER = re.compile(r"[A-Z]+-\d{4}-\d{5}")


# --- Moving through the pages -----------------------------------------------------------------


def _follow(page: Page, check_axe, selector: str) -> None:
    """Click the link (or button) and check the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).first.click()
    check_axe(page)


def _tab(page: Page, check_axe, path_end: str) -> None:
    """Open a tab of the case page by its link in the case navigation."""
    _follow(page, check_axe, f'nav.lotse-case-tabs a[href$="{path_end}"]')
    expect(page.locator(f'nav.lotse-case-tabs a[href$="{path_end}"]')).to_have_attribute("aria-current", "page")


def _form(page: Page, field: str):
    """The form in the main area that holds the field ``field``."""
    return page.locator("main form").filter(has=page.locator(f'[name="{field}"]')).first


def _send(page: Page, check_axe, field: str) -> None:
    """Send the form holding ``field`` with its submit button; the answer must be a success
    (redirect with a message), never the form again with errors."""
    with page.expect_navigation():
        _form(page, field).locator("button[type=submit]").first.click()
    check_axe(page)
    expect(page.locator(".lotse-error-summary")).to_have_count(0)
    expect(page.locator(".lotse-messages .kern-alert--success")).to_be_visible()


def _refused(page: Page, check_axe, field: str) -> None:
    """Send the form holding ``field``; it must come back (200) with the errors shown."""
    with page.expect_navigation() as navigation:
        _form(page, field).locator("button[type=submit]").first.click()
    assert navigation.value is not None and navigation.value.status == 200
    check_axe(page)
    expect(page.locator("main .lotse-error-summary")).to_be_visible()


def _download(page: Page, form, tmp_path: Path, name: str) -> bytes:
    with page.expect_download() as info:
        form.locator("button[type=submit]").click()
    download = info.value
    assert download.failure() is None
    target = tmp_path / name
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-"), data[:20]
    return data


def _label(choice) -> str:
    with translation.override("de"):
        return str(choice.label)


# --- The journey ------------------------------------------------------------------------------


def test_case_from_anonymous_intake_to_approved_closure(
    page, browser, live_server, console, live_world, check_axe, tmp_path
):
    wesel = live_world.wesel
    slug = wesel.tenant.slug
    manager = wesel.users[Role.CASE_MANAGER]
    coordinator = wesel.users[Role.COORDINATOR]
    agency = wesel.agency
    rules = case_settings(wesel.tenant)
    rules.closure_requires_approval = True
    rules.save()
    today = timezone.localdate()
    first_contact = today - datetime.timedelta(days=60)

    sign_in(page, manager, confirmed_device(manager))
    check_axe(page)

    # 1. Search before create, then the anonymous intake ("Neuer Fall").
    _follow(page, check_axe, f'nav.lotse-nav a[href="{reverse("cases:list", kwargs={"tenant": slug})}"]')
    _follow(page, check_axe, 'main a[href$="/cases/search/"]')
    page.fill("main [name=given_name]", "Layla")
    page.fill("main [name=family_name]", "Haddad")
    page.fill("main [name=birth_date]", "1988-04-12")
    with page.expect_navigation():
        _form(page, "given_name").locator("button[type=submit]").click()
    check_axe(page)
    expect(page.locator("#result-heading")).to_be_visible()
    _follow(page, check_axe, 'main section a[href$="/cases/new/"]')
    page.fill("main [name=pseudonym]", "Familie aus Aleppo 7")
    page.select_option("main [name=intake_channel]", "walk_in")
    page.select_option("main [name=location]", label=wesel.location.name)
    page.fill("main [name=languages]", "Arabisch")
    page.fill("main [name=opened_on]", first_contact.isoformat())
    _send(page, check_axe, "pseudonym")
    match = re.search(r"/cases/(\d+)/$", page.url)
    assert match, page.url
    case = Case.objects.get(pk=int(match[1]))
    assert case.is_anonymous and case.case_manager_id == manager.pk and case.opened_on == first_contact
    assert CASE_NUMBER.fullmatch(case.number), case.number
    expect(page.locator("main h1")).to_contain_text(case.number)
    expect(page.locator(".lotse-messages")).to_contain_text(case.number)

    # 2. Identity on the client's wish.
    _tab(page, check_axe, f"/cases/{case.pk}/identity/")
    _follow(page, check_axe, f'main a[href$="/cases/{case.pk}/identity/edit/"]')
    page.fill("main [name=given_name]", "Layla")
    page.fill("main [name=family_name]", "Haddad")
    page.fill("main [name=birth_date]", "1988-04-12")
    page.fill("main [name=phone]", "+49 281 123456")
    _send(page, check_axe, "given_name")
    assert page.url.endswith(f"/cases/{case.pk}/identity/")
    expect(page.locator("main")).to_contain_text("Haddad")
    expect(page.locator("main")).to_contain_text("+49 281 123456")
    case.refresh_from_db()
    assert not case.is_anonymous

    # 3. The information sheet in Arabic, as a reader of the PDF sees it.
    _tab(page, check_axe, f"/cases/{case.pk}/consent/")
    sheet_form = page.locator('main form[action$="/consent/information-sheet.pdf"]')
    sheet_form.locator("[name=language]").select_option("ar")
    sheet = _download(page, sheet_form, tmp_path, "sheet-ar.pdf")
    assert as_extracted(SHEET_HEADINGS["ar"], "ar") in reader_text(sheet)

    # 4. Consent to processing (signed in Arabic) and a release for the agency, topic work.
    _follow(page, check_axe, f'main a[href$="/cases/{case.pk}/consent/new/"]')
    page.check(f"main [name=purpose][value={ConsentPurpose.PROCESSING}]")
    page.select_option("main [name=language]", "ar")
    _send(page, check_axe, "purpose")
    _follow(page, check_axe, f'main a[href$="/cases/{case.pk}/consent/releases/new/"]')
    page.select_option("main [name=agency]", label=agency.name)
    page.check(f"main [name=topics][value={LifeDomain.WORK}]")
    page.select_option("main [name=language]", "ar")
    _send(page, check_axe, "agency")
    expect(page.locator("main table").last).to_contain_text(agency.name)

    # 5. First assessment, dated at the first contact.
    _tab(page, check_axe, f"/cases/{case.pk}/assessments/")
    _follow(page, check_axe, f'main a[href$="/cases/{case.pk}/assessments/new/"]')
    page.fill("main [name=assessed_on]", first_contact.isoformat())
    page.select_option("main [name=work_need]", str(NeedLevel.HIGH.value))
    page.select_option("main [name=language_need]", str(NeedLevel.MEDIUM.value))
    page.select_option("main [name=housing_need]", str(NeedLevel.LOW.value))
    page.fill("main [name=work_situation]", "Sucht Arbeit als Elektriker")
    _send(page, check_axe, "assessed_on")
    assert page.url.endswith(f"/cases/{case.pk}/assessments/")

    # 6. Goal agreement: a goal in work with one step, and the plan in German and Arabic.
    _tab(page, check_axe, f"/cases/{case.pk}/goals/")
    _follow(page, check_axe, f'main a[href$="/cases/{case.pk}/goals/new/"]')
    page.select_option("main [name=domain]", LifeDomain.WORK.value)
    page.fill("main [name=text]", "Anerkennung des Berufsabschlusses")
    _send(page, check_axe, "domain")
    _follow(page, check_axe, 'main a[href*="/goals/"][href$="/steps/"]')
    page.fill("main [name=text]", "Unterlagen übersetzen lassen")
    page.select_option("main [name=actor_kind]", "client")
    page.fill("main [name=due_on]", (today + datetime.timedelta(days=14)).isoformat())
    _send(page, check_axe, "actor_kind")
    expect(page.locator("main")).to_contain_text("Unterlagen übersetzen lassen")
    plan_form = page.locator('main form[action$="/goals/plan.pdf"]')
    plan_form.locator("[name=language]").select_option("ar")
    plan = reader_text(_download(page, plan_form, tmp_path, "plan-ar.pdf"))
    assert as_extracted(GOAL_PLAN_LABELS["de"]["heading"], "de") in plan
    assert as_extracted(GOAL_PLAN_LABELS["ar"]["heading"], "ar") in plan

    # 7. Referral with identity to the agency on topic work: the release allows it.
    _tab(page, check_axe, f"/cases/{case.pk}/referrals/")
    _follow(page, check_axe, f'main a[href$="/cases/{case.pk}/referrals/new/"]')
    page.select_option("main [name=agency]", label=agency.name)
    page.select_option("main [name=topic]", LifeDomain.HOUSING.value)  # not covered by the release
    page.check("main [name=with_identity]")
    page.fill("main [name=note]", "Bitte Beratung zur Anerkennung")
    _refused(page, check_axe, "agency")
    assert not Referral.objects.filter(case=case).exists()
    page.select_option("main [name=topic]", LifeDomain.WORK.value)
    page.check("main [name=with_identity]")
    _send(page, check_axe, "agency")
    referral = Referral.objects.get(case=case)
    assert referral.with_identity and referral.release is not None and referral.override_by_id is None
    assert referral.release.agency_id == agency.pk
    expect(page.locator("main")).to_contain_text(agency.name)

    # 8. A contact.
    _tab(page, check_axe, f"/cases/{case.pk}/contacts/")
    _follow(page, check_axe, f'main a[href$="/cases/{case.pk}/contacts/new/"]')
    page.select_option("main [name=kind]", "in_person")
    page.fill("main [name=duration_minutes]", "45")
    page.fill("main [name=effort_minutes]", "30")  # shorter than the contact itself
    page.check(f"main [name=topics][value={LifeDomain.WORK}]")
    page.fill("main [name=note]", "Zeugnisse besprochen")
    _refused(page, check_axe, "duration_minutes")
    expect(page.locator("main [name=effort_minutes]")).to_have_attribute("aria-invalid", "true")
    page.fill("main [name=effort_minutes]", "60")
    _send(page, check_axe, "duration_minutes")
    assert page.url.endswith(f"/cases/{case.pk}/contacts/")
    assert case.contacts.count() == 1

    # 9. A follow-up for today, seen in the due list ("Wiedervorlagen").
    note = "Rückmeldung Jobcenter abfragen"
    page.fill("main [name=due_on]", today.isoformat())
    page.fill("main [name=note]", note)
    with page.expect_navigation():
        page.press("main [name=note]", "Enter")  # sent from the keyboard
    check_axe(page)
    expect(page.locator(".lotse-messages .kern-alert--success")).to_be_visible()
    _follow(page, check_axe, f'nav.lotse-nav a[href="{reverse("cases:due_list", kwargs={"tenant": slug})}"]')
    row = page.locator("main tr").filter(has_text=note)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(case.number)

    # 10. Re-assessment today with changed need levels, side by side with the first.
    _follow(page, check_axe, f'main a[href$="/cases/{case.pk}/"]')
    _tab(page, check_axe, f"/cases/{case.pk}/assessments/")
    _follow(page, check_axe, f'main a[href$="/cases/{case.pk}/assessments/new/"]')
    expect(page.locator("main [name=work_need]")).to_have_value(str(NeedLevel.HIGH.value))  # prefilled
    page.select_option("main [name=work_need]", str(NeedLevel.LOW.value))
    page.select_option("main [name=language_need]", str(NeedLevel.HIGH.value))
    _send(page, check_axe, "assessed_on")
    table = page.locator("main table.lotse-compare")
    headers = table.locator("thead th")
    expect(headers).to_have_count(4)  # domain, two assessments, change overall
    expect(headers.nth(1)).to_contain_text(first_contact.strftime("%d.%m.%Y"))
    expect(headers.nth(2)).to_contain_text(today.strftime("%d.%m.%Y"))
    work_row = table.locator("tbody tr").filter(has=page.locator("th", has_text=_label(LifeDomain.WORK)))
    expect(work_row.locator("td").nth(0)).to_contain_text(_label(NeedLevel.HIGH))
    expect(work_row.locator("td").nth(1)).to_contain_text(_label(NeedLevel.LOW))
    expect(work_row.locator(".lotse-change-down")).to_have_text("(-2)")
    language_row = table.locator("tbody tr").filter(has=page.locator("th", has_text=_label(LifeDomain.LANGUAGE)))
    expect(language_row.locator(".lotse-change-up")).to_have_text("(+1)")

    # 11. Closure with reason and goal outcome; the coordinator approves.
    _tab(page, check_axe, f"/cases/{case.pk}/")
    _follow(page, check_axe, f'main a[href$="/cases/{case.pk}/close/"]')
    page.select_option("main [name=reason]", ClosureReason.GOALS_REACHED.value)
    goal = case.goals.get()
    page.select_option(f"main [name=goal_{goal.pk}]", GoalStatus.ACHIEVED.value)
    page.fill("main [name=note]", "Anerkennung erhalten, Arbeit gefunden")
    _send(page, check_axe, "reason")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSURE_REQUESTED
    expect(page.locator(f'main a[href$="/cases/{case.pk}/edit/"]')).to_have_count(0)  # read-only meanwhile

    coordinator_context = _new_context(browser, live_server.url, console)
    try:
        other = coordinator_context.new_page()
        sign_in(other, coordinator, confirmed_device(coordinator))
        check_axe(other)
        _follow(other, check_axe, 'main a[href$="?status=closure_requested"]')  # the dashboard's figure
        _follow(other, check_axe, f'main a[href$="/cases/{case.pk}/"]')
        _follow(other, check_axe, f'main a[href$="/cases/{case.pk}/closure-decision/"]')
        other.check("main [name=decision][value=approve]")
        _send(other, check_axe, "decision")
        assert other.url.endswith(f"/cases/{case.pk}/")
    finally:
        coordinator_context.close()

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.GOALS_REACHED
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED

    # Read-only for the case manager: no work links, and a work page sends back with a message.
    page.reload()
    check_axe(page)
    expect(page.locator(f'main a[href$="/cases/{case.pk}/edit/"]')).to_have_count(0)
    expect(page.locator(f'main a[href$="/cases/{case.pk}/close/"]')).to_have_count(0)
    response = page.goto(reverse("cases:contact_create", kwargs={"tenant": slug, "pk": case.pk}))
    assert response is not None and response.status == 200
    assert page.url.endswith(f"/cases/{case.pk}/")
    check_axe(page)
    expect(page.locator(".lotse-messages")).to_be_visible()
    assert case.contacts.count() == 1

    console.assert_no_csp_violations()
    errors = [m for m in console.messages if m.startswith(("[error]", "[pageerror]"))]
    assert not errors, "Errors in the browser console:\n" + "\n".join(errors)


# --- Forms sent empty -------------------------------------------------------------------------

# Empties a form as a user could: text cleared, boxes unticked, no option chosen. Hidden fields
# (CSRF token, version) stay.
CLEAR_FORM = """(form) => {
    for (const el of form.elements) {
        if (el.type === "hidden" || el.type === "submit" || el.tagName === "BUTTON") continue;
        if (el.type === "checkbox" || el.type === "radio") el.checked = false;
        else if (el.tagName === "SELECT") el.selectedIndex = -1;
        else el.value = "";
    }
}"""


def _sent_empty(page: Page, check_axe, url: str, field: str, *, summary: bool = True) -> None:
    """The form sent empty comes back with its errors (marked fields, and the error summary
    unless ``summary`` is false) and passes axe. The empty form pages themselves are checked
    per role in lotse/ui/tests/browser/test_role_pages.py."""
    response = page.goto(url)
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    form = _form(page, field)
    form.evaluate(CLEAR_FORM)
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").first.click()
    assert navigation.value is not None and navigation.value.status == 200, url
    check_axe(page)
    expect(page.locator("main [aria-invalid=true]").first).to_be_attached()
    if summary:
        expect(page.locator("main .lotse-error-summary").first).to_be_focused()


def test_case_forms_with_errors_are_accessible(browser, live_server, console, live_world, check_axe):
    """Every form of case management, sent empty by the role that uses it, shows its errors
    accessibly – and changes nothing."""
    wesel = live_world.wesel
    case, objects = wesel.case, wesel.objects
    version = case.version

    def url(name, **kwargs):
        return reverse(name, kwargs={"tenant": wesel.tenant.slug, **kwargs})

    forms = {
        Role.CASE_MANAGER: [
            (url("cases:create"), "pseudonym"),
            (url("cases:duplicate_check"), "given_name"),
            (url("cases:edit", pk=case.pk), "pseudonym"),
            (url("cases:household", pk=case.pk), "relation"),
            (url("cases:handover", pk=case.pk), "reason"),
            (url("cases:close", pk=case.pk), "reason"),
            (url("cases:identity_edit", pk=case.pk), "given_name"),
            (url("consent:consent_record", pk=case.pk), "purpose"),
            (url("consent:release_record", pk=case.pk), "agency"),
            (url("cases:assessment_create", pk=case.pk), "assessed_on"),
            (url("cases:goal_create", pk=case.pk), "domain"),
            (url("cases:goal_edit", pk=case.pk, goal=objects["goal"].pk), "status"),
            (url("cases:step_add", pk=case.pk, goal=objects["goal"].pk), "actor_kind"),
            (url("cases:contact_create", pk=case.pk), "duration_minutes"),
            (url("cases:followup_create", pk=case.pk), "due_on"),
            (url("cases:barrier_create", pk=case.pk), "description"),
            (url("cases:referral_create", pk=case.pk), "agency"),
            (url("cases:referral_update", pk=case.pk, referral=objects["referral"].pk), "status"),
            # the nomination form shows only when another case manager may be named: none here
            (url("cases:substitution"), "absence-starts_on"),
        ],
        Role.COORDINATOR: [
            (url("cases:create"), "pseudonym"),
            (url("cases:assign", pk=case.pk), "case_manager"),
            (url("cases:referral_create", pk=case.pk), "agency"),
            (url("network:agency_create"), "name"),
            (url("network:agency_edit", pk=wesel.agency.pk), "name"),
        ],
        Role.TENANT_ADMIN: [(url("cases:case_settings"), "number_prefix")],
    }
    for role, pages in forms.items():
        context = _new_context(browser, live_server.url, console)
        try:
            page = context.new_page()
            user = wesel.users[role]
            sign_in(page, user, confirmed_device(user))
            for page_url, field, *summary in pages:
                _sent_empty(page, check_axe, page_url, field, summary=all(summary))
        finally:
            context.close()

    case.refresh_from_db()
    assert case.version == version and case.status == CaseStatus.OPEN
    assert Case.objects.filter(tenant=wesel.tenant).count() == 1
    console.assert_no_csp_violations()
    errors = [m for m in console.messages if m.startswith(("[error]", "[pageerror]"))]
    assert not errors, "Errors in the browser console:\n" + "\n".join(errors)
