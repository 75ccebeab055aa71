"""Acceptance of the reports in the browser (issue 5), on the default German pages, with the
hand-built district of :mod:`lotse.reports.tests.status_data` (Kreis Wesel in 2024: provider A
opened 3 cases, provider B 6; 9 in the district; noise outside the period and in Kreis Coesfeld).

* The coordinator opens the reports from the main navigation, chooses 2024 on the controlling
  page and sees the indicators per provider with the small counts shown as "< 5"; the XLSX, CSV
  and JSON links deliver the same suppressed figures.
* The coordinator opens the committee status report for 2024: the three charts are drawn, the
  tables show "< 5" and "x", and the German PDF (``pdftotext``) and DOCX (python-docx, with its
  charts as images) are downloaded.
* The state analyst (state tenant) sees the controlling figures across the districts, with the
  districts' provider tables suppressed together with the state table, and narrows them to one
  district without changing a cell.

Every page passes axe-core with zero violations; no error or CSP violation reaches the console.
Selectors use field names, ids and URLs; numbers are asserted, German labels only in the German
documents."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from lotse.reports.controlling_export import CSV_HEADER
from lotse.reports.controlling_export import FORMATS as EXPORT_FORMATS
from lotse.reports.status_docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from lotse.reports.tests import status_data
from lotse.tenants.models import Role
from lotse.ui.tests.browser.helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL, HIDDEN = "< 5", "x"
XLSX_CONTENT_TYPE = EXPORT_FORMATS["xlsx"].content_type


# --- Moving through the pages -----------------------------------------------------------------


def _url(slug: str, name: str, **kwargs: Any) -> str:
    return reverse(f"reports:{name}", kwargs={"tenant": slug, **kwargs})


def _follow(page: Page, check_axe, selector: str) -> None:
    """Follow the link with the keyboard (focus, Enter) and check the page it leads to."""
    page.locator(selector).first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_axe(page)


def _choose_period(page: Page, check_axe, start: str, end: str) -> None:
    """Fill the period of the report form (GET) and show the report."""
    form = page.locator("main form[role=search]")
    form.locator("[name=date_from]").fill(start)
    form.locator("[name=date_to]").fill(end)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    check_axe(page)
    assert f"date_from={start}" in page.url and f"date_to={end}" in page.url
    expect(page.locator("main .lotse-error-summary")).to_have_count(0)


def _cells(row) -> list[str]:
    cells = row.locator("th, td")
    return [" ".join(cells.nth(i).inner_text().split()) for i in range(cells.count())]


def _table(page: Page, table_id: str) -> list[list[str]]:
    """The cell texts of the body rows of the table with this id."""
    rows = page.locator(f"main table#{table_id} tbody tr")
    return [_cells(rows.nth(i)) for i in range(rows.count())]


def _download(page: Page, selector: str, target: Path) -> tuple[bytes, dict[str, str]]:
    """Download the file the link leads to: its bytes and the headers of the response."""
    link = page.locator(selector).first
    href = link.get_attribute("href") or ""
    with page.expect_response(lambda r: r.url.endswith(href)) as answer, page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    download.save_as(target)
    assert answer.value.status == 200
    return target.read_bytes(), {**answer.value.headers, "filename": download.suggested_filename}


def _assert_console_clean(console: Any) -> None:
    console.assert_no_csp_violations()
    errors = [m for m in console.messages if m.startswith(("[error]", "[pageerror]"))]
    assert not errors, "Errors in the browser console:\n" + "\n".join(errors)


# --- State controlling export: the coordinator's district ---------------------------------------


# The cases of Kreis Wesel in 2024 as the coordinator's export shows them (rows: provider A,
# provider B, district). Opened: A 3, B 6, district 9; active: A 3, B 7, district 10; closed:
# A 1, B 3, district 4. A's counts are small ("< 5"); B's opened and active would follow from the
# district total, so they are withheld ("x"); the closed column is small throughout, the
# district's 4 included.
WESEL_CASES = [[SMALL, SMALL, SMALL], [HIDDEN, HIDDEN, SMALL], ["9", "10", SMALL]]


# Full-time equivalents of the positions active in 2024 (never suppressed): A case management
# 1.00 + 0.50 and coordination 1.00; B case management 1.00 (started 16.02.2024).
WESEL_STAFF = [["1,50", "1,00", "0,00", "0,00", "2,50"], ["1,00", "0,00", "0,00", "0,00", "1,00"]]
WESEL_STAFF_TOTAL = ["2,50", "1,00", "0,00", "0,00", "3,50"]


def _by_caption(page: Page, anchor: str) -> list[list[str]]:
    """The body rows of the controlling table whose caption has the id ``anchor``."""
    rows = page.locator(f"main table:has(caption#{anchor}) tbody tr")
    return [_cells(rows.nth(i)) for i in range(rows.count())]


def test_coordinator_controlling_preview_and_downloads(page, console, live_world, check_axe, tmp_path):
    wesel = live_world.wesel
    slug = wesel.tenant.slug
    coordinator = wesel.users[Role.COORDINATOR]
    status_data.build(live_world)
    a, b = wesel.provider.name, wesel.other_provider.name
    t = wesel.tenant.pk

    sign_in(page, coordinator, confirmed_device(coordinator))
    check_axe(page)
    _follow(page, check_axe, f'nav.lotse-nav a[href="{_url(slug, "index")}"]')
    expect(page.locator(f'main a[href="{_url(slug, "status")}"]')).to_have_count(1)
    _follow(page, check_axe, f'main a[href="{_url(slug, "controlling")}"]')
    # the default period: the previous calendar year
    last_year = datetime.date.today().year - 1
    expect(page.locator("main [name=date_from]")).to_have_value(f"{last_year}-01-01")
    expect(page.locator("main [name=date_to]")).to_have_value(f"{last_year}-12-31")
    expect(page.locator("main [name=tenant]")).to_have_count(0)  # one district only
    _choose_period(page, check_axe, "2024-01-01", "2024-12-31")

    cases = _by_caption(page, f"t{t}-cases")
    assert [row[0] for row in cases[:2]] == [a, b]
    assert [row[1:] for row in cases] == WESEL_CASES
    staff = _by_caption(page, f"t{t}-staff")
    assert [row[1:] for row in staff] == [*WESEL_STAFF, WESEL_STAFF_TOTAL]
    assert [row[0] for row in staff[:2]] == [a, b]
    # themes of the district: level 2: 1, level 4: 2 (one resolved) – all small
    assert _by_caption(page, f"t{t}-themes") == [[wesel.tenant.name, "0", SMALL, "0", SMALL, "0", SMALL]]
    expect(page.locator("main table:has(caption[id^=state-])")).to_have_count(0)
    expect(page.locator(f"main table:has(caption#t{live_world.coesfeld.tenant.pk}-cases)")).to_have_count(0)
    content = page.content()
    for secret in status_data.SECRETS:
        assert secret not in content

    # The downloads hold the same suppressed figures.
    export = _url(slug, "controlling_export")
    data, headers = _download(page, f'main a[href^="{export}?format=xlsx"]', tmp_path / "c.xlsx")
    assert headers["content-type"] == XLSX_CONTENT_TYPE
    assert headers["content-disposition"].startswith("attachment")
    assert headers["filename"] == "Landescontrolling-2024-01-01-2024-12-31.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[wesel.tenant.name]
    lines = [[cell.value for cell in row] for row in sheet.iter_rows()]
    first = next(i for i, line in enumerate(lines) if line[0] == a)  # the cases table comes first
    assert [lines[first][0], lines[first + 1][0]] == [a, b]
    # the same cells as on the page; counts are numbers in the workbook, not texts
    assert [line[1:4] for line in lines[first : first + 3]] == [
        [SMALL, SMALL, SMALL],
        [HIDDEN, HIDDEN, SMALL],
        [9, 10, SMALL],
    ]

    data, headers = _download(page, f'main a[href^="{export}?format=csv"]', tmp_path / "c.csv")
    assert headers["content-type"] == "text/csv; charset=utf-8"
    assert headers["filename"] == "Landescontrolling-2024-01-01-2024-12-31.csv"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == CSV_HEADER
    values = {(r[3], r[4], r[6], r[8]): r[9] for r in rows[1:]}  # level, row, group, column -> value
    assert values[("Träger", a, "cases", "opened")] == SMALL
    assert values[("Träger", b, "cases", "opened")] == HIDDEN
    assert values[("Träger", b, "cases", "closed")] == SMALL
    assert values[("Träger", a, "staff", "case_manager")] == "1,50"
    totals = {key[2:]: value for key, value in values.items() if key[0] == "Kreis"}
    assert (totals[("cases", "opened")], totals[("cases", "active")], totals[("cases", "closed")]) == ("9", "10", SMALL)
    assert all(r[0] == "2024-01-01" and r[1] == "2024-12-31" for r in rows[1:])

    data, headers = _download(page, f'main a[href^="{export}?format=json"]', tmp_path / "c.json")
    assert headers["content-type"] == "application/json"
    assert headers["filename"] == "Landescontrolling-2024-01-01-2024-12-31.json"
    document = json.loads(data)
    assert document["period"] == {"start": "2024-01-01", "end": "2024-12-31"}
    [section] = document["sections"]
    table = next(table for table in section["tables"] if table["group"] == "cases")
    assert [row["label"] for row in table["rows"][:2]] == [a, b]
    assert [row["cells"] for row in table["rows"]] == [[SMALL, SMALL, SMALL], [HIDDEN, HIDDEN, SMALL], [9, 10, SMALL]]
    for content in (data.decode("utf-8"), (tmp_path / "c.csv").read_text("utf-8-sig")):
        for secret in status_data.SECRETS:
            assert secret not in content

    _assert_console_clean(console)


# --- State controlling export: the state analyst ----------------------------------------------


def test_state_analyst_controlling_across_districts(page, console, live_world, check_axe):
    wesel, coesfeld = live_world.wesel, live_world.coesfeld
    slug = live_world.state.slug
    status_data.build(live_world)  # Kreis Wesel as above; Kreis Coesfeld: one case opened in 2024
    a, b = wesel.provider.name, wesel.other_provider.name

    sign_in(page, live_world.analyst, confirmed_device(live_world.analyst))
    check_axe(page)
    _follow(page, check_axe, f'nav.lotse-nav a[href="{_url(slug, "index")}"]')
    expect(page.locator(f'main a[href="{_url(slug, "status")}"]')).to_have_count(0)  # no status report
    _follow(page, check_axe, f'main a[href="{_url(slug, "controlling")}"]')
    _choose_period(page, check_axe, "2024-01-01", "2024-12-31")

    # Across the districts: Coesfeld opened 1 and active 1 (small); Wesel 9 and 10 would follow
    # from the state's 10 and 11, so they are withheld; closed: 0 and 4 (small), the state's 4 too.
    state = _by_caption(page, "state-cases")
    assert [row[0] for row in state[:2]] == [coesfeld.tenant.name, wesel.tenant.name]
    assert [row[1:] for row in state] == [[SMALL, SMALL, "0"], [HIDDEN, HIDDEN, SMALL], ["10", "11", SMALL]]
    staff = _by_caption(page, "state-staff")  # Coesfeld: 2.00 FTE administrative assistance
    assert [row[1:] for row in staff] == [
        ["0,00", "0,00", "2,00", "0,00", "2,00"],
        WESEL_STAFF_TOTAL,
        ["2,50", "1,00", "2,00", "0,00", "5,50"],
    ]
    # Each district's providers: Wesel's total is the withheld cell of the state table; B's 6
    # and 7 are hidden as well, which also keeps A's 3 safe against the district's total that
    # its own status report publishes (9 = A + B with B at least 5 leaves A anywhere in 1..4).
    wesel_cases = _by_caption(page, f"t{wesel.tenant.pk}-cases")
    assert wesel_cases == [
        [a, SMALL, SMALL, SMALL],
        [b, HIDDEN, HIDDEN, SMALL],
        [wesel_cases[2][0], HIDDEN, HIDDEN, SMALL],
    ]
    coesfeld_cases = _by_caption(page, f"t{coesfeld.tenant.pk}-cases")
    assert [row[1:] for row in coesfeld_cases] == [[SMALL, SMALL, "0"], ["0", "0", "0"], [SMALL, SMALL, "0"]]
    content = page.content()
    for secret in status_data.SECRETS:
        assert secret not in content

    # Narrowed to Kreis Wesel: the same cells, the other tables left out.
    page.select_option("main form[role=search] [name=tenant]", str(wesel.tenant.pk))
    _choose_period(page, check_axe, "2024-01-01", "2024-12-31")
    assert f"tenant={wesel.tenant.pk}" in page.url
    assert _by_caption(page, f"t{wesel.tenant.pk}-cases") == wesel_cases
    expect(page.locator("main table:has(caption[id^=state-])")).to_have_count(0)
    expect(page.locator(f"main table:has(caption#t{coesfeld.tenant.pk}-cases)")).to_have_count(0)

    _assert_console_clean(console)


# --- Committee status report ------------------------------------------------------------------


def test_coordinator_status_report_preview_pdf_and_docx(page, console, live_world, check_axe, tmp_path):
    wesel = live_world.wesel
    slug = wesel.tenant.slug
    coordinator = wesel.users[Role.COORDINATOR]
    status_data.build(live_world)
    a, b = wesel.provider.name, wesel.other_provider.name

    sign_in(page, coordinator, confirmed_device(coordinator))
    check_axe(page)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    _follow(page, check_axe, f'nav.lotse-nav a[href="{_url(slug, "index")}"]')
    _follow(page, check_axe, f'main a[href^="{_url(slug, "status")}"]')
    _choose_period(page, check_axe, "2024-01-01", "2024-12-31")

    # The charts are drawn (Chart.js, loaded without inline script) and the tables are there.
    expect(page.locator("main canvas[data-chart]")).to_have_count(3)
    expect(page.locator("main canvas[data-drawn]")).to_have_count(3)
    # Cases by provider: A opened 3, active 3, closed 1; B opened 6, active 7, closed 3. A's
    # small counts are "< 5"; B's opened and active would follow from the district total: "x".
    rows = _table(page, "cases-provider")
    assert rows[:2] == [[a, SMALL, SMALL, SMALL], [b, HIDDEN, HIDDEN, SMALL]]
    assert rows[2][1:] == ["9", "10", "4"]  # the district (published exactly)
    assert len(rows) == 3
    content = page.content()
    for secret in status_data.SECRETS:
        assert secret not in content

    # The German council documents.
    pdf, headers = _download(page, f'main a[href^="{_url(slug, "status_pdf")}"]', tmp_path / "s.pdf")
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("attachment")
    assert headers["filename"] == "sachstandsbericht-2024-01-01-2024-12-31.pdf"
    assert pdf.startswith(b"%PDF-")
    result = subprocess.run(["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True, text=True, check=True)
    text = " ".join(result.stdout.split())
    # German dates (the labels come from the catalogue, so they are not asserted here)
    assert "01.01.2024" in text and "31.12.2024" in text and wesel.tenant.name in text
    assert a in text and SMALL in text
    for secret in status_data.SECRETS:
        assert secret not in text

    data, headers = _download(page, f'main a[href^="{_url(slug, "status_docx")}"]', tmp_path / "s.docx")
    assert headers["content-type"] == DOCX_CONTENT_TYPE
    assert headers["content-disposition"].startswith("attachment")
    assert headers["filename"] == "sachstandsbericht-2024-01-01-2024-12-31.docx"
    document = docx.Document(io.BytesIO(data))
    assert len(document.inline_shapes) >= 3  # the charts, as images
    words = " ".join(
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    assert "01.01.2024" in words and "31.12.2024" in words and a in words and SMALL in words
    for secret in status_data.SECRETS:
        assert secret not in words

    _assert_console_clean(console)
