"""Acceptance of funding control in the browser (issue 5), as the funding clerk of Kreis Wesel,
on the default German pages (the browser asks for English; Lotse answers in German).

The clerk creates a funding programme for 2021 with the keyboard only (Tab, typing, arrow keys,
Enter), counting every month a position is active in; the programme's rates page shows the
default flat rates. A position of 7.00 FTE coordination from 16.02.2021 to 31.12.2021 then counts
11 months and 352.916,67 EUR (7 × 55,000 × 11 ÷ 12 = 352,916.666… → 352,916.67). A payment call of
that amount is added and recorded as received; the base-rate table is seeded with the official
values on the first visit and the clerk adds the half-year still missing. A proof of use for the
provider and 2021 gets the actual staff costs 340.000,50 (typed with a decimal comma) and all six
confirmations; its detail shows the sections I–IV and underspending (Minderausgaben) of
352,916.67 − 340,000.50 = 12,916.17 EUR; the PDF (``pdftotext``) and the XLSX (openpyxl) are
downloaded. The repayment claim created from the proof is due on 31.01.2022 (one month after the
period) with interest from 01.02.2022; computed until 01.03.2023 it shows three stretches with the
base rates of the seeded table and the day count "act/365", all computed by hand below.

The funding clerk reaches no case page and no identity: the case list, the world's case and its
identity are refused, the navigation has no case entry, and no funding page shows case data.

Every page passes axe-core with zero violations, and no error or Content Security Policy violation
reaches the browser console. Selectors use field names and URLs, not texts, so the test holds
whatever the German catalogue says; numbers and dates are asserted in the German format."""

from __future__ import annotations

import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from lotse.access.permissions import role_has
from lotse.funding.base_rates import OFFICIAL_BASE_RATES
from lotse.funding.models import BaseRate, FundingProgramme, PaymentCall, Position, ProofOfUse, RepaymentClaim
from lotse.funding.proof import CONFIRMATION_FIELDS
from lotse.funding.proof_xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from lotse.tenants.models import Role
from lotse.ui.navigation import NAV_ITEMS
from lotse.ui.tests.browser.helpers import confirmed_device, focused, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE_NUMBER = re.compile(r"\b[A-Z]+-\d{4}-\d{5}\b")
PROGRAMME = "KIM Baustein 1 – Koordinierung 2021"
REFERENCE = "KIM-2021-017"
GRANTOR = "Bezirksregierung Arnsberg"
REPORT = "Koordinierung der Netzwerkarbeit im Kreisgebiet; sieben Stellen ab Februar besetzt."


# --- Moving through the pages -----------------------------------------------------------------


def _url(slug: str, name: str, **kwargs: Any) -> str:
    return reverse(f"funding:{name}", kwargs={"tenant": slug, **kwargs})


def _press(page: Page, check_axe, selector: str) -> None:
    """Follow the link (or press the button) with the keyboard: focus it, press Enter."""
    target = page.locator(selector).first
    target.focus()
    assert focused(page, selector), selector
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_axe(page)


def _send(page: Page, check_axe) -> None:
    """Send the form of the main area; the answer must be a success (redirect with a message),
    never the form again with errors."""
    with page.expect_navigation():
        page.locator("main form.lotse-form button[type=submit]").first.click()
    check_axe(page)
    expect(page.locator(".lotse-error-summary")).to_have_count(0)
    expect(page.locator(".lotse-messages .kern-alert--success")).to_be_visible()


def _row(page: Page, table: str, text: str):
    """The one body row of ``table`` (a CSS selector) that contains ``text``."""
    rows = page.locator(f"{table} tbody tr").filter(has_text=text)
    expect(rows).to_have_count(1)
    return rows.first


def _cells(row) -> list[str]:
    """The texts of the row's header and data cells, white space collapsed."""
    cells = row.locator("th, td")
    return [" ".join(cells.nth(i).inner_text().split()) for i in range(cells.count())]


def _download(page: Page, selector: str, target: Path) -> tuple[bytes, dict[str, str]]:
    """Download the file the link leads to: its bytes and the headers of the response."""
    link = page.locator(selector).first
    href = link.get_attribute("href") or ""
    with page.expect_response(lambda r: r.url.endswith(href)) as answer, page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    download.save_as(target)
    response = answer.value
    assert response.status == 200
    return target.read_bytes(), {**response.headers, "filename": download.suggested_filename}


def _pdftotext(path: Path) -> str:
    """The text of the PDF as ``pdftotext`` extracts it, every run of white space one blank."""
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(result.stdout.split())


def _assert_console_clean(console: Any, *, refused_loads: bool = False) -> None:
    console.assert_no_csp_violations()
    errors = [m for m in console.messages if m.startswith(("[error]", "[pageerror]"))]
    if refused_loads:  # the browser logs the 403/404 answers the test asks for
        errors = [m for m in errors if not re.search(r"status of 40[34]", m)]
    assert not errors, "Errors in the browser console:\n" + "\n".join(errors)


# --- The journey ------------------------------------------------------------------------------


def test_funding_clerk_programme_position_payment_proof_and_claim(page, console, live_world, check_axe, tmp_path):
    wesel = live_world.wesel
    slug = wesel.tenant.slug
    clerk = wesel.users[Role.FUNDING_CLERK]
    provider = wesel.provider
    # A district that never opened the base rates has no table yet; the first funding page seeds
    # it with the official values. (The world holds one hand-made entry for the other tests.)
    BaseRate.objects.filter(tenant=wesel.tenant).delete()

    sign_in(page, clerk, confirmed_device(clerk))
    check_axe(page)
    expect(page.locator("html")).to_have_attribute("lang", "de")

    # 1. Förderung: the overview, from the main navigation.
    _press(page, check_axe, f'nav.lotse-nav a[href="{_url(slug, "overview")}"]')
    expect(page.locator("nav.lotse-nav a[aria-current=page]")).to_have_attribute("href", _url(slug, "overview"))
    expect(page.locator("#overview-caption")).to_be_visible()
    expect(page.locator("main")).to_contain_text(wesel.objects["programme"].name)

    # 2. A new programme, with the keyboard only: Tab to each field, type, choose the month rule
    #    with the arrow keys, send with Enter.
    _press(page, check_axe, f'main a[href="{_url(slug, "programme_create")}"]')
    tab_to(page, "#id_name", limit=80)
    page.keyboard.type(PROGRAMME)
    tab_to(page, "#id_reference")
    page.keyboard.type(REFERENCE)
    tab_to(page, "#id_grantor")
    page.keyboard.type(GRANTOR)
    tab_to(page, "#id_starts_on")
    page.keyboard.type("01012021")  # the date field of an English browser: mm/dd/yyyy
    tab_to(page, "#id_ends_on")
    page.keyboard.type("12312021")
    tab_to(page, "input[name=month_rule]")  # the group is entered at its checked button
    assert focused(page, "input[name=month_rule][value=any_day]")
    page.keyboard.press("ArrowDown")  # only complete months …
    expect(page.locator("input[name=month_rule][value=full_month]")).to_be_checked()
    page.keyboard.press("ArrowUp")  # … no: every month with at least one day
    expect(page.locator("input[name=month_rule][value=any_day]")).to_be_checked()
    tab_to(page, "#id_repayment_months")
    expect(page.locator("#id_repayment_months")).to_have_value("1")
    tab_to(page, "#id_interest_points")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_axe(page)
    expect(page.locator(".lotse-error-summary")).to_have_count(0)
    expect(page.locator(".lotse-messages .kern-alert--success")).to_be_visible()
    programme = FundingProgramme.objects.get(tenant=wesel.tenant, name=PROGRAMME)
    assert (programme.starts_on.isoformat(), programme.ends_on.isoformat()) == ("2021-01-01", "2021-12-31")
    assert programme.month_rule == "any_day" and programme.reference == REFERENCE and programme.grantor == GRANTOR
    assert programme.repayment_months == 1 and programme.interest_points == Decimal("5.00")

    # 3. Its rates page: the default flat rates of 2021, typed the German way.
    assert page.url.endswith(_url(slug, "programme_rates", pk=programme.pk))
    expect(page.locator("#id_rate_2021_case_manager")).to_have_value("55000,00")
    expect(page.locator("#id_rate_2021_coordinator")).to_have_value("55000,00")
    expect(page.locator("#id_rate_2021_admin_assistant")).to_have_value("22500,00")
    expect(page.locator("#id_rate_2021_immigration_office")).to_have_value("")
    expect(page.locator("main form.lotse-form input[name^=rate_]")).to_have_count(4)  # one year

    # 4. A position: 7.00 FTE coordination from 16.02.2021 to 31.12.2021.
    _press(page, check_axe, f'main nav a[href="{_url(slug, "position_list")}"]')
    _press(page, check_axe, f'main a[href="{_url(slug, "position_create")}"]')
    page.select_option("main [name=provider]", str(provider.pk))
    page.select_option("main [name=programme]", str(programme.pk))
    page.select_option("main [name=position_type]", "coordinator")
    page.fill("main [name=fte]", "7,00")
    page.fill("main [name=starts_on]", "2020-12-01")  # before the programme: refused
    page.fill("main [name=ends_on]", "2021-12-31")
    page.check("main [name=additional_staff]")
    with page.expect_navigation() as navigation:
        page.locator("main form.lotse-form button[type=submit]").first.click()
    assert navigation.value is not None and navigation.value.status == 200
    check_axe(page)  # the form with its errors
    expect(page.locator("main .lotse-error-summary")).to_be_visible()
    expect(page.locator("main [name=starts_on]")).to_have_attribute("aria-invalid", "true")
    assert not Position.objects.filter(programme=programme).exists()
    expect(page.locator("main [name=fte]")).to_have_value("7,00")  # the input is kept
    page.fill("main [name=starts_on]", "2021-02-16")
    _send(page, check_axe)
    assert page.url.endswith(_url(slug, "position_list"))
    position = Position.objects.get(programme=programme)
    assert position.fte == Decimal("7.00") and position.position_type == "coordinator"
    row = _row(page, "main table:has(#positions-caption)", PROGRAMME)
    # provider, type, programme, FTE, from, until, additional staff, year, months, grant in the
    # year, grant for the programme period (7 × 55,000 × 11 ÷ 12 = 352,916.67), actions
    cells = _cells(row)
    assert cells[0] == provider.name
    assert cells[2] == PROGRAMME
    assert cells[3:6] == ["7,00", "16.02.2021", "31.12.2021"]
    assert cells[7:11] == ["2021", "11", "352.916,67", "352.916,67"]

    # 5. A payment call of the grant, then recorded as received.
    _press(page, check_axe, f'main nav a[href="{_url(slug, "payment_list")}"]')
    _press(page, check_axe, f'main a[href="{_url(slug, "payment_create")}"]')
    page.select_option("main [name=programme]", str(programme.pk))
    page.select_option("main [name=provider]", str(provider.pk))
    page.fill("main [name=due_on]", "2021-05-01")
    page.fill("main [name=planned_amount]", "352916,67")
    _send(page, check_axe)
    payment = PaymentCall.objects.get(programme=programme)
    assert payment.planned_amount == Decimal("352916.67") and payment.received_on is None
    _press(page, check_axe, f'main a[href="{_url(slug, "payment_edit", pk=payment.pk)}"]')
    page.fill("main [name=received_on]", "2021-05-03")
    page.fill("main [name=received_amount]", "352.916,67")
    _send(page, check_axe)
    payment.refresh_from_db()
    assert payment.received_amount == Decimal("352916.67") and payment.received_on.isoformat() == "2021-05-03"
    calls = _cells(_row(page, "main table:has(#calls-caption)", PROGRAMME))
    assert calls[0] == "01.05.2021" and calls[3:6] == ["352.916,67", "03.05.2021", "352.916,67"]
    summary = _cells(_row(page, "main table:has(#summary-caption)", PROGRAMME))
    assert summary[2:6] == ["352.916,67", "352.916,67", "352.916,67", "0,00"]  # granted, called, received, open
    _press(page, check_axe, f'main nav a[href="{_url(slug, "overview")}"]')
    overview = _cells(_row(page, "main table:has(#overview-caption)", PROGRAMME))
    # period, positions on 31.12.2021 (the programme has ended), count, FTE, granted, called, received
    assert overview[1:8] == [
        "01.01.2021 – 31.12.2021",
        "31.12.2021",
        "1",
        "7,00",
        "352.916,67",
        "352.916,67",
        "352.916,67",
    ]

    # 6. Base rates: seeded with the official half-yearly values; the clerk adds 01.07.2026.
    _press(page, check_axe, f'main nav a[href="{_url(slug, "base_rate_list")}"]')
    rates = page.locator("main table:has(#rates-caption) tbody tr")
    expect(rates).to_have_count(len(OFFICIAL_BASE_RATES))
    assert _cells(_row(page, "main table:has(#rates-caption)", "01.01.2023"))[:2] == ["01.01.2023", "1,62"]
    assert _cells(_row(page, "main table:has(#rates-caption)", "01.07.2022"))[:2] == ["01.07.2022", "-0,88"]
    expect(page.locator("main [role=alert]")).to_be_visible()  # the half-year from 01.07.2026 is missing
    page.fill("main [name=valid_from]", "2026-07-01")
    page.fill("main [name=rate]", "1,27")
    _send(page, check_axe)
    expect(rates).to_have_count(len(OFFICIAL_BASE_RATES) + 1)
    assert _cells(_row(page, "main table:has(#rates-caption)", "01.07.2026"))[:2] == ["01.07.2026", "1,27"]
    assert BaseRate.objects.get(tenant=wesel.tenant, valid_from="2026-07-01").rate == Decimal("1.27")

    # 7. The proof of use of the provider for 2021.
    _press(page, check_axe, f'main nav a[href="{_url(slug, "proof_list")}"]')
    _press(page, check_axe, f'main a[href="{_url(slug, "proof_create")}"]')
    page.select_option("main [name=programme]", str(programme.pk))
    page.select_option("main [name=provider]", str(provider.pk))
    page.fill("main [name=period_start]", "2021-01-01")
    page.fill("main [name=period_end]", "2021-12-31")
    _send(page, check_axe)
    proof = ProofOfUse.objects.get(programme=programme, provider=provider)
    line = proof.staff_lines.get()
    assert line.position_id == position.pk and line.planned_total == Decimal("352916.67")
    assert page.url.endswith(_url(slug, "proof_edit", pk=proof.pk))
    page.fill("main [name=activity_report]", REPORT)
    page.fill(f"main [name=staff_{line.pk}]", "340000,50")  # a decimal comma
    for name in CONFIRMATION_FIELDS:
        page.check(f"main [name={name}]")
    _send(page, check_axe)
    assert page.url.endswith(_url(slug, "proof_detail", pk=proof.pk))
    line.refresh_from_db()
    proof.refresh_from_db()
    assert line.actual_total == Decimal("340000.50")
    assert all(getattr(proof, name) for name in CONFIRMATION_FIELDS)

    # 8. The detail: the sections I–IV of the form, the figures by hand.
    headings = [
        page.locator(f"main h2#{anchor}").inner_text().strip()
        for anchor in ("proof-report-heading", "proof-figures-heading", "proof-result-heading", "proof-confirm-heading")
    ]
    assert [h.split(" ", 1)[0] for h in headings] == ["I.", "II.", "III.", "IV."], headings
    expect(page.locator("main")).to_contain_text(REPORT)
    staff = page.locator("main section[aria-labelledby=proof-figures-heading] table").nth(1)
    # position: FTE, months, planned, planned eligible (the grant), settled, settled eligible
    position_row = _cells(staff.locator("tbody tr").first)
    assert position_row[1:] == ["7,00", "11", "352.916,67", "352.916,67", "340.000,50", "340.000,50"]
    result = page.locator("main section[aria-labelledby=proof-result-heading] table tbody tr")
    # expenses 340,000.50; income: own share 0 + the grant paid out 352,916.67
    assert _cells(result.nth(0))[1:] == ["352.916,67", "340.000,50"]
    assert _cells(result.nth(1))[1:] == ["352.916,67", "352.916,67"]
    assert _cells(result.nth(2))[1:] == ["0,00", "0,00"]  # overspending
    assert _cells(result.nth(3))[1:] == ["0,00", "12.916,17"]  # underspending: 352,916.67 − 340,000.50
    confirmations = page.locator("main section[aria-labelledby=proof-confirm-heading] li")
    expect(confirmations).to_have_count(len(CONFIRMATION_FIELDS))
    expect(page.locator("main section[aria-labelledby=proof-confirm-heading] .kern-badge--success")).to_have_count(
        len(CONFIRMATION_FIELDS)
    )

    # 9. PDF and XLSX.
    pdf, headers = _download(page, f'main a[href="{_url(slug, "proof_pdf", pk=proof.pk)}"]', tmp_path / "p.pdf")
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("attachment")
    assert headers["filename"] == "verwendungsnachweis-kreis-wesel-trager-a-2021-01-01-2021-12-31.pdf"
    assert pdf.startswith(b"%PDF-")
    text = _pdftotext(tmp_path / "p.pdf")
    positions = [
        text.find(h) for h in ("I. Sachbericht", "II. Zahlenmäßiger Nachweis", "III. Ist-Ergebnis", "IV. Bestätigung")
    ]
    assert -1 not in positions and positions == sorted(positions), positions
    for figure in ("352.916,67", "340.000,50", "12.916,17", provider.name, PROGRAMME):
        assert figure in text, figure
    xlsx, headers = _download(page, f'main a[href="{_url(slug, "proof_xlsx", pk=proof.pk)}"]', tmp_path / "p.xlsx")
    assert headers["content-type"] == XLSX_CONTENT_TYPE
    assert headers["content-disposition"].startswith("attachment")
    assert headers["filename"].endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert 340000.5 in values or Decimal("340000.50") in values  # a number, not a text
    assert any(isinstance(v, str) and v.startswith("=") for v in values)  # totals are formulas

    # 10. Underspending: the repayment claim, confirmed with the keyboard.
    page.locator("#id_claim_confirm").focus()
    page.keyboard.press("Space")
    expect(page.locator("#id_claim_confirm")).to_be_checked()
    page.keyboard.press("Tab")
    assert focused(page, "main form[action$='/claim/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_axe(page)
    claim = RepaymentClaim.objects.get(proof=proof)
    assert claim.amount == Decimal("12916.17")
    assert (claim.due_on.isoformat(), claim.interest_from.isoformat()) == ("2022-01-31", "2022-02-01")
    assert page.url.endswith(_url(slug, "claim_detail", pk=claim.pk))
    details = page.locator("main dl .kern-description-list-item__value")
    assert [" ".join(details.nth(i).inner_text().split()) for i in range(2, 5)] == [
        "12.916,17",
        "31.01.2022",
        "01.02.2022",
    ]

    # 11. Interest until 01.03.2023 (not counted), 5 points above the seeded base rates:
    #     01.02.2022–01.07.2022: 150 days at −0.88 + 5 = 4.12 %: 12,916.17 × 4.12 % × 150/365 = 218.6902…
    #     01.07.2022–01.01.2023: 184 days at 4.12 %:             12,916.17 × 4.12 % × 184/365 = 268.2600…
    #     01.01.2023–01.03.2023:  59 days at 1.62 + 5 = 6.62 %:  12,916.17 × 6.62 % ×  59/365 = 138.2136…
    #     together 393 days, 625.1638… → 625.16 EUR; with the claim 13,541.33 EUR.
    page.fill("#id_until", "2023-03-01")
    _press(page, check_axe, "main form[aria-label] button[type=submit]")
    assert "until=2023-03-01" in page.url
    stretches = page.locator("main table:has(#stretches-caption) tbody tr")
    expect(stretches).to_have_count(3)
    assert [_cells(stretches.nth(i)) for i in range(3)] == [
        ["01.02.2022", "01.07.2022", "150", "-0,88", "4,12", "218,6902"],
        ["01.07.2022", "01.01.2023", "184", "-0,88", "4,12", "268,2600"],
        ["01.01.2023", "01.03.2023", "59", "1,62", "6,62", "138,2136"],
    ]
    totals = page.locator("main table:has(#stretches-caption) tfoot tr")
    assert _cells(totals.nth(0))[1:] == ["393", "", "625,16"]
    assert _cells(totals.nth(1))[1:] == ["13.541,33"]
    day_count = page.locator("main p").filter(has_text="act/365")
    expect(day_count).to_have_count(1)
    expect(day_count).to_contain_text("365")

    _assert_console_clean(console)


# --- No case data for the funding clerk -------------------------------------------------------


def test_funding_clerk_reaches_no_case_page_and_no_identity(page, console, live_world, check_axe):
    wesel = live_world.wesel
    slug = wesel.tenant.slug
    clerk = wesel.users[Role.FUNDING_CLERK]
    case = wesel.case
    case_data = [case.number, case.pseudonym, "Amina", "Testfall"]
    assert CASE_NUMBER.fullmatch(case.number)  # the control below works

    def url(name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"tenant": slug, **kwargs})

    sign_in(page, clerk, confirmed_device(clerk))
    check_axe(page)
    seen = [page.content()]

    # The navigation: what the role may use (funding among it), no case entry.
    links = page.locator("nav.lotse-nav a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs == [url(e.url_name) for e in NAV_ITEMS if role_has(Role.FUNDING_CLERK, e.perm)]
    assert url("funding:overview") in hrefs
    case_entries = {url(e.url_name) for e in NAV_ITEMS if e.url_name.startswith("cases:")}
    assert not case_entries & set(hrefs) and not any("/cases/" in href for href in hrefs)

    # Every funding page of the world's records: no case data on any of them.
    o = wesel.objects
    for address in (
        url("funding:overview"),
        url("funding:position_list"),
        url("funding:proof_list"),
        url("funding:proof_detail", pk=o["proof"].pk),
        url("funding:claim_detail", pk=o["claim"].pk),
    ):
        response = page.goto(address)
        assert response is not None and response.status == 200, address
        check_axe(page)
        expect(page.locator("nav.lotse-nav a[href*='/cases/']")).to_have_count(0)
        seen.append(page.content())

    # Case pages, the identity, and the reports with case figures are refused.
    for refused in (
        url("cases:list"),
        url("cases:list") + "?status=all",
        url("cases:detail", pk=case.pk),
        url("cases:identity", pk=case.pk),
        url("cases:contact_list", pk=case.pk),
        url("cases:due_list"),
        url("steering:barrier_register"),
        url("supervision:dashboard"),
        url("reports:index"),
        url("reports:status"),
    ):
        response = page.goto(refused)
        assert response is not None and response.status in (403, 404), f"{refused} answered {response.status}"
        check_axe(page)
        seen.append(page.content())

    for content in seen:
        for value in case_data:
            assert value not in content, f"case data {value!r} shown to the funding clerk"
        assert not CASE_NUMBER.search(content), CASE_NUMBER.search(content)

    _assert_console_clean(console, refused_loads=True)
