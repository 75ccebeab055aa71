"""The data-protection officer's journey in the browser (issue 6): open an access request for
the world's case by its number, download the JSON file and the PDF; open a restriction request
and restrict the case; the case manager then sees the restriction banner on the case pages;
the officer lifts the restriction and the banner is gone. Every page passes axe-core with zero
violations, and no error or CSP violation reaches the console."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from lotse.cases.models import Case
from lotse.privacy.models import PrivacyRequest
from lotse.tenants.models import Role
from lotse.ui.tests.browser.helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _assert_console_clean(console: Any) -> None:
    console.assert_no_csp_violations()
    errors = [m for m in console.messages if m.startswith(("[error]", "[pageerror]"))]
    assert not errors, "Errors in the browser console:\n" + "\n".join(errors)


def _open_request(page: Page, check_axe: Any, slug: str, number: str, kind: str) -> PrivacyRequest:
    page.goto(reverse("privacy:overview", kwargs={"tenant": slug}))
    check_axe(page)
    with page.expect_navigation():
        page.locator(f'main a[href="{reverse("privacy:request_create", kwargs={"tenant": slug})}"]').click()
    check_axe(page)
    page.fill("#id_number", number)
    page.select_option("#id_kind", kind)
    page.fill("#id_reference", "Az. 2026/5")
    page.fill("#id_reason", "Schreiben der Klientin")
    with page.expect_navigation():
        page.locator("main form.lotse-form button[type=submit]").click()
    check_axe(page)
    expect(page.locator(".lotse-messages .kern-alert--success")).to_be_visible()
    return PrivacyRequest.objects.filter(kind=kind).latest("pk")


def test_dpo_access_request_and_restriction(page, console, live_world, check_axe, tmp_path) -> None:  # type: ignore[no-untyped-def]
    wesel = live_world.wesel
    slug = wesel.tenant.slug
    case = wesel.case
    dpo = wesel.users[Role.DATA_PROTECTION_OFFICER]
    dpo_device = confirmed_device(dpo)
    sign_in(page, dpo, dpo_device)

    # access request: JSON and PDF
    access = _open_request(page, check_axe, slug, case.number, "access")
    with page.expect_download() as info:
        page.locator(f'a[href="{reverse("privacy:request_json", kwargs={"tenant": slug, "pk": access.pk})}"]').click()
    path = Path(tmp_path) / "export.json"
    info.value.save_as(path)
    data = json.loads(path.read_text("utf-8"))
    assert data["case"]["number"] == case.number and data["identity"]["family_name"] == "Testfall"
    with page.expect_download() as info:
        page.locator(f'a[href="{reverse("privacy:request_pdf", kwargs={"tenant": slug, "pk": access.pk})}"]').click()
    pdf = Path(tmp_path) / "export.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # restriction
    restriction = _open_request(page, check_axe, slug, case.number, "restriction")
    with page.expect_navigation():
        page.locator(f'a[href="{reverse("privacy:restrict", kwargs={"tenant": slug, "pk": restriction.pk})}"]').click()
    check_axe(page)
    page.fill("#id_reason", "Richtigkeit bestritten")
    with page.expect_navigation():
        page.locator("main form.lotse-form button[type=submit]").click()
    check_axe(page)
    assert Case.objects.get(pk=case.pk).is_restricted

    # the case manager sees the banner on the case pages
    page.context.clear_cookies()
    cm = wesel.users[Role.CASE_MANAGER]
    sign_in(page, cm, confirmed_device(cm))
    for name in ("cases:detail", "cases:contact_list"):
        page.goto(reverse(name, kwargs={"tenant": slug, "pk": case.pk}))
        check_axe(page)
        expect(page.locator("main .kern-alert--warning[role=alert]")).to_be_visible()

    # the officer lifts it
    page.context.clear_cookies()
    sign_in(page, dpo, dpo_device, now=__import__("time").time() + 30)
    page.goto(reverse("privacy:restriction_lift", kwargs={"tenant": slug, "pk": restriction.pk}))
    check_axe(page)
    with page.expect_navigation():
        page.locator("main form.lotse-form button[type=submit]").click()
    check_axe(page)
    assert not Case.objects.get(pk=case.pk).is_restricted
    _assert_console_clean(console)
