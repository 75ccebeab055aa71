"""Client feedback in the browser: the case manager prints the sheet of a closed case, the client
opens its link, switches the language, answers and is thanked; the link then refuses a second
use. Every page passes axe-core, no CSP violation reaches the console, and the form works
without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from lotse.cases.models import Case, CaseStatus
from lotse.consent.tests.test_pdf import reader_text
from lotse.feedback.models import FeedbackResponse
from lotse.feedback.texts import TEXTS
from lotse.feedback.tokens import token_issue
from lotse.tenants.models import Role
from lotse.ui.tests.browser.helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://[^/\s]+(/feedback/[A-Za-z0-9_-]+/)")


def test_sheet_link_questionnaire_and_thanks(
    live_world, page: Page, browser, live_server, console, check_axe, tmp_path: Path
):
    we = live_world.wesel
    case = we.case
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=timezone.localdate())
    manager = we.users[Role.CASE_MANAGER]
    sign_in(page, manager, confirmed_device(manager))
    page.goto(reverse("cases:detail", kwargs={"tenant": we.tenant.slug, "pk": case.pk}))
    check_axe(page)
    form = page.locator('main form[action$="/feedback-sheet/"]')
    form.locator("[name=language]").select_option("fa")
    with page.expect_download() as info:
        form.locator("button[type=submit]").click()
    target = tmp_path / "feedback-fa.pdf"
    info.value.save_as(target)
    sheet = reader_text(target.read_bytes())
    link = LINK.search(sheet)
    assert link, sheet

    # the client, in a browser of their own
    client_context = browser.new_context(base_url=live_server.url, locale="fa-IR")
    client_context.on("console", console.record)
    client = client_context.new_page()
    client.goto(link.group(1))
    expect(client.locator("html")).to_have_attribute("dir", "rtl")
    expect(client.locator("h1")).to_have_text(TEXTS["fa"].title)
    check_axe(client)
    with client.expect_navigation():
        client.locator('header nav a[hreflang="ar"]').click()
    expect(client.locator("html")).to_have_attribute("lang", "ar")
    check_axe(client)
    client.check("main [name=understood][value='5']")
    client.check("main [name=respected][value='4']")
    with client.expect_navigation():
        client.locator("main form button[type=submit]").click()
    expect(client.locator("h1")).to_have_text(TEXTS["ar"].thanks_title)
    check_axe(client)
    stored = FeedbackResponse.objects.get()
    assert (stored.language, stored.understood, stored.respected, stored.helped) == ("ar", 5, 4, None)

    client.goto(link.group(1))
    expect(client.locator("main [role=alert]")).to_contain_text(TEXTS["fa"].errors["used"])
    check_axe(client)
    console.assert_no_csp_violations()
    client_context.close()


def test_the_questionnaire_works_without_javascript(live_world, no_js_page: Page, console):
    we = live_world.wesel
    raw = token_issue(tenant_id=we.tenant.pk, provider_id=we.provider.pk, language="de")
    no_js_page.goto(reverse("feedback:form", kwargs={"token": raw}) + "?lang=tr")
    no_js_page.locator("main form button[type=submit]").click()
    expect(no_js_page.locator("main [role=alert]")).to_contain_text(TEXTS["tr"].errors["empty"])
    no_js_page.check("main [name=helped][value='3']")
    no_js_page.locator("main form button[type=submit]").click()
    expect(no_js_page.locator("h1")).to_have_text(TEXTS["tr"].thanks_title)
    assert FeedbackResponse.objects.get().helped == 3
    console.assert_no_csp_violations()
