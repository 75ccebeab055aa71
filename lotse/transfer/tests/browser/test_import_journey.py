"""The coordinator's import journey in the browser: the import page, a CSV with one bad row
(an unknown case manager) → the row-by-row report names row 3 → the corrected file → the
import of all rows. Then the export page. Every page passes axe-core with zero violations and
no Content Security Policy violation reaches the console."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lotse.cases.models import Case
from lotse.tenants.models import Role
from lotse.transfer.tests.helpers import csv_bytes, row
from lotse.ui.tests.browser.helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_uploads_sees_the_report_fixes_and_imports(
    page, console, live_world, check_axe, live_server, tmp_path: Path
):
    wesel = live_world.wesel
    slug = wesel.tenant.slug
    coordinator = wesel.users[Role.COORDINATOR]
    before = Case.objects.filter(tenant=wesel.tenant).count()

    def go(name: str) -> None:
        response = page.goto(live_server.url + reverse(f"transfer:{name}", kwargs={"tenant": slug}))
        assert response is not None and response.status == 200, name
        check_axe(page)

    sign_in(page, coordinator, confirmed_device(coordinator))
    go("import_start")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(
        page.locator(f'main a[href$="{reverse("transfer:import_template", kwargs={"tenant": slug})}?format=xlsx"]')
    ).to_be_visible()

    rows = [
        row(Pseudonym="Familie Eins"),
        row(Pseudonym="Familie Zwei", Fallverantwortung="niemand"),
        row(Pseudonym="Familie Drei"),
    ]
    bad = tmp_path / "liste.csv"
    bad.write_bytes(csv_bytes(rows, encoding="cp1252"))
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.locator("main form.lotse-form button[type=submit]").first.click()
    check_axe(page)
    report = page.locator("#report-caption").locator("xpath=..")
    expect(report.locator("tbody tr")).to_have_count(1)
    expect(report.locator("tbody tr th")).to_have_text("3")
    expect(report.locator("tbody tr")).to_contain_text("Fallverantwortung")
    expect(report.locator("tbody tr")).to_contain_text("niemand")
    expect(page.locator('input[name="confirm"]')).to_have_count(0)
    assert Case.objects.filter(tenant=wesel.tenant).count() == before

    # corrected and uploaded again: all rows are correct, the import is confirmed
    go("import_start")
    rows[1]["Fallverantwortung"] = "we-case_manager"
    good = tmp_path / "liste-korrigiert.csv"
    good.write_bytes(csv_bytes(rows))
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.locator("main form.lotse-form button[type=submit]").first.click()
    check_axe(page)
    expect(page.locator("#report-caption")).to_have_count(0)
    confirm = page.locator('main form:has(input[name="confirm"]) button[type=submit]')
    confirm.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_axe(page)
    expect(page.locator(".lotse-messages .kern-alert--success")).to_be_visible()
    assert Case.objects.filter(tenant=wesel.tenant).count() == before + 3
    assert Case.objects.filter(tenant=wesel.tenant, pseudonym="Familie Zwei").exists()

    go("export_index")
    with page.expect_download() as download:
        page.locator(f'main a[href$="{reverse("transfer:export_cases", kwargs={"tenant": slug})}?format=csv"]').click()
    content = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    assert "Familie Zwei" in content and "Amina" not in content
    console.assert_no_csp_violations()
