"""The committee status report (Sachstandsbericht): the figures of a hand-built district
(``status_data``) by value, the tables with small-cell suppression, the charts, and the council
documents – DOCX read back with python-docx, PDF with ``pdftotext`` – with no client, case or
staff name anywhere.

The documents are German; expected texts are the German translations of the msgids (``de``), so
the tests hold before and after the translation pass."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import tempfile
import time
from decimal import Decimal
from typing import Any

import docx
import pytest
from django.utils import translation
from django.utils.translation import gettext

from lotse.access.funding import report_figure_scope
from lotse.reports import status
from lotse.reports.indicators import Period, figures
from lotse.reports.status_charts import render_png
from lotse.reports.status_docx import status_docx
from lotse.reports.suppression import HIDDEN, SMALL
from lotse.reports.tests import status_data
from lotse.steering.models import DEFAULT_LEVEL_NAMES
from lotse.tenants.models import Role
from lotse.ui.charts import Chart, Series

pytestmark = pytest.mark.django_db

PERIOD = Period(*status_data.PERIOD)
A, B = "Kreis Wesel Träger A", "Kreis Wesel Träger B"
JOBCENTER, OFFICE = "Jobcenter Kreis Wesel", "Ausländerbehörde Kreis Wesel"
PNG = b"\x89PNG\r\n\x1a\n"


def de(msgid: str) -> str:
    with translation.override("de"):
        return gettext(msgid)


def pdftotext(pdf: bytes) -> str:
    """The text of a PDF (poppler-utils). Waits for a pending installation; never skips."""
    for _attempt in range(60):
        if shutil.which("pdftotext"):
            break
        time.sleep(5)
    binary = shutil.which("pdftotext")
    assert binary, "pdftotext (poppler-utils) is needed for this test"
    return subprocess.run([binary, "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def pdf_images(pdf: bytes) -> int:
    binary = shutil.which("pdfimages")
    assert binary, "pdfimages (poppler-utils) is needed for this test"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        listing = subprocess.run([binary, "-list", handle.name], capture_output=True, check=True).stdout.decode()
    return sum(1 for line in listing.splitlines()[2:] if line.split()[2] == "image")


@pytest.fixture
def built(world):  # type: ignore[no-untyped-def]
    return status_data.build(world)


@pytest.fixture
def german(ctx, built):  # type: ignore[no-untyped-def]
    """The report of the hand-built district as the council gets it: German, with charts."""
    with translation.override(status.LANGUAGE):
        document = status.render_charts(status.status_report(ctx(Role.COORDINATOR), PERIOD))
        return document, status.status_pdf(document), status_docx(document)


def table(document: status.StatusDocument, table_id: str) -> status.Table:
    found = [t for s in document.sections for t in s.tables if t.id == table_id]
    assert len(found) == 1
    return found[0]


# --- figures -----------------------------------------------------------------------------------


def test_figures_of_the_hand_built_district(ctx, built):
    data = status.status_figures(ctx(Role.COORDINATOR), PERIOD)

    assert data.tenant_name == "Kreis Wesel"
    assert (data.cases.opened, data.cases.active, data.cases.closed) == (9, 10, 4)
    assert (data.cases.contacts, data.cases.referrals) == (4, 8)
    assert {k: v for k, v in data.cases.by_domain.items() if v} == {"language": 2, "work": 2, "housing": 5}
    rows = {name: (f.opened, f.active, f.closed) for name, f in data.by_provider}
    assert rows == {A: (3, 3, 1), B: (6, 7, 3)}

    by_month = {m.month.month: (m.opened, m.closed) for m in data.monthly}
    assert [m.month for m in data.monthly] == [datetime.date(2024, month, 1) for month in range(1, 13)]
    assert by_month == {
        1: (2, 0),
        2: (5, 1),
        3: (1, 1),
        4: (0, 0),
        5: (0, 0),
        6: (1, 1),
        7: (0, 0),
        8: (0, 0),
        9: (0, 0),
        10: (0, 0),
        11: (0, 0),
        12: (0, 1),
    }
    # the months add up to the period's figures of the indicators
    assert sum(m.opened for m in data.monthly) == data.cases.opened
    assert sum(m.closed for m in data.monthly) == data.cases.closed

    assert data.referrals_by_agency == [(JOBCENTER, 6), (OFFICE, 2)]

    assert data.themes_by_level == {1: 0, 2: 1, 3: 0, 4: 2, 5: 0}
    assert data.themes == [("Anerkennung ausländischer Abschlüsse", 4), ("Wartezeiten Integrationskurs", 2)]
    assert data.level_names[4] == "AG Querschnitt"
    assert data.level_names[2] == str(DEFAULT_LEVEL_NAMES[2])

    assert data.staff == [
        status.StaffLine(A, "case_manager", 2, Decimal("1.50")),
        status.StaffLine(A, "coordinator", 1, Decimal("1.00")),
        status.StaffLine(B, "case_manager", 1, Decimal("1.00")),
    ]
    assert (data.positions_total, data.fte_total) == (4, Decimal("3.50"))
    assert data.staff_by_type() == [
        ("case_manager", 3, Decimal("2.50")),
        ("coordinator", 1, Decimal("1.00")),
        ("admin_assistant", 0, Decimal("0.00")),
        ("immigration_office", 0, Decimal("0.00")),
    ]


def test_staff_matches_the_indicators(ctx, built):
    coordinator = ctx(Role.COORDINATOR)
    data = status.status_figures(coordinator, PERIOD)
    indicator = figures(report_figure_scope(coordinator), PERIOD).tenant_total(coordinator.tenant.pk)
    assert {code: fte for code, _count, fte in data.staff_by_type()} == indicator.fte_by_type


def test_an_empty_period_has_zero_figures(ctx, built):
    data = status.status_figures(ctx(Role.COORDINATOR), Period(datetime.date(2010, 3, 1), datetime.date(2010, 4, 15)))
    assert (data.cases.opened, data.cases.active, data.cases.closed, data.cases.referrals) == (0, 0, 0, 0)
    assert [(m.month, m.opened, m.closed) for m in data.monthly] == [
        (datetime.date(2010, 3, 1), 0, 0),
        (datetime.date(2010, 4, 1), 0, 0),
    ]
    assert data.staff == [] and data.referrals_by_agency == [] and data.themes == []
    with translation.override("de"):
        document = status.render_charts(status.status_document(data))
        assert status_docx(document)[:2] == b"PK"
    assert all(block.png.startswith(PNG) for block in document.charts)


# --- tables and suppression --------------------------------------------------------------------


def test_tables_show_the_figures_with_small_cells_suppressed(german):
    document, _pdf, _docx = german
    assert table(document, "staff-provider").rows == [
        [A, de("Case management"), "2", "1,50"],
        [A, de("Coordination"), "1", "1,00"],
        [B, de("Case management"), "1", "1,00"],
    ]
    assert table(document, "staff-provider").total == [de("Total"), "", "4", "3,50"]
    assert table(document, "staff-type").rows[:2] == [
        [de("Case management"), "3", "2,50"],
        [de("Coordination"), "1", "1,00"],
    ]

    # Provider A's opened (3) would follow from 9 − 6: B's opened is withheld too ("x"); active
    # likewise (10 − 7). Closed: 1 and 3 are both "< 5", and 1 + 3 = 4 leaves each open.
    cases = table(document, "cases-provider")
    assert cases.rows == [[A, SMALL, SMALL, SMALL], [B, HIDDEN, HIDDEN, SMALL]]
    assert cases.total == [de("District"), "9", "10", "4"]
    assert table(document, "cases-key").rows == [
        [de("Cases opened in the period"), "9"],
        [de("Cases active in the period"), "10"],
        [de("Cases closed in the period"), "4"],
        [de("Contacts in the period"), "4"],
        [de("Referrals sent in the period"), "8"],
    ]
    domains = {row[0]: row[1] for row in table(document, "cases-domain").rows}
    assert domains[de("Housing")] == "5"
    assert domains[de("Language")] == SMALL
    assert domains[de("Training and work")] == SMALL
    assert domains[de("Health")] == "0"

    # Ausländerbehörde (2) would follow from 8 − 6: the Jobcenter is withheld too.
    referrals = table(document, "referrals-agency")
    assert referrals.rows == [[JOBCENTER, HIDDEN], [OFFICE, SMALL]]
    assert referrals.total == [de("Total"), "8"]

    themes = table(document, "themes-level")
    assert [row[1] for row in themes.rows] == ["0", "1", "0", "2", "0"]
    assert themes.rows[3][0].endswith("AG Querschnitt")
    section = next(s for s in document.sections if s.id == "themes")
    assert len(section.items) == 2
    assert section.items[0].startswith("Anerkennung ausländischer Abschlüsse (")
    assert "AG Querschnitt" in section.items[0]


@pytest.mark.parametrize(
    ("rows", "totals", "expected"),
    [
        # nothing small: shown as it is
        ([[7], [5]], [12], [["7"], ["5"]]),
        # one small cell: the smallest other cell is withheld as well
        ([[7], [6], [2]], [15], [["7"], ["x"], ["< 5"]]),
        # two small cells protect each other
        ([[3], [2], [9]], [14], [["< 5"], ["< 5"], ["9"]]),
        # the district total itself is small and only one provider has cases: withheld
        ([[4], [0]], [4], [["x"], ["x"]]),
    ],
)
def test_protect_leaves_no_hidden_count_recoverable(rows, totals, expected):
    assert status.protect(rows, totals) == expected


def test_chart_values_are_tables_too(german):
    document, _pdf, _docx = german
    charts = {block.chart.id: block for block in document.charts}
    assert set(charts) == {"status-cases-month", "status-themes-level", "status-fte-type"}
    monthly = charts["status-cases-month"].table
    assert monthly.columns[1:] == [de("Opened"), de("Closed")]
    assert [row[1:] for row in monthly.rows[:3]] == [["2", "0"], ["5", "1"], ["1", "1"]]
    assert [row[1] for row in charts["status-themes-level"].table.rows] == ["0", "1", "0", "2", "0"]
    assert [row[1] for row in charts["status-fte-type"].table.rows] == ["2,50", "1,00", "0,00", "0,00"]
    for block in document.charts:
        assert block.png.startswith(PNG)
        assert block.alt


def test_chart_png_is_drawn_without_pyplot_state():
    import matplotlib

    backend = matplotlib.get_backend()
    chart = Chart("c", "bar", "Test", ["a", "b"], [Series("n", [1, 2])])
    png = render_png(chart)
    assert png.startswith(PNG)
    assert matplotlib.get_backend() == backend
    import sys

    if "matplotlib.pyplot" in sys.modules:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == []


# --- documents ---------------------------------------------------------------------------------


def docx_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for t in document.tables:
        for row in t.rows:
            parts.extend(cell.text for cell in row.cells)
    parts.extend(p.text for s in document.sections for p in s.footer.paragraphs)
    return "\n".join(parts)


def test_docx_has_headings_tables_and_chart_pictures(german):
    _document, _pdf, data = german
    result = docx.Document(io.BytesIO(data))
    headings = [p.text for p in result.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == de("Status report %(programme)s") % {"programme": "Kommunales Integrationsmanagement"}
    for heading in ("1. Staff", "2. Case figures", "3. Generative themes and staircase levels"):
        assert de(heading) in headings
    assert de("4. Referrals by agency") in headings and de("5. Charts") in headings

    assert len(result.inline_shapes) >= 3
    for shape in result.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        part = result.part.related_parts[blip.embed]
        assert part.content_type == "image/png"
        assert part.blob.startswith(PNG)
        assert shape._inline.docPr.get("descr")

    text = docx_text(result)
    assert "Kreis Wesel – " in text
    assert "01.01.2024" in text and "31.12.2024" in text
    assert JOBCENTER in text and "Anerkennung ausländischer Abschlüsse" in text
    assert result.core_properties.language == "de-DE"
    # the tables: staff by provider is the first one
    first = result.tables[0]
    assert [c.text for c in first.rows[0].cells] == [de("Provider"), de("Position type"), de("Positions"), de("FTE")]
    assert [c.text for c in first.rows[1].cells] == [A, de("Case management"), "2", "1,50"]


def test_pdf_renders_title_headings_and_charts(german):
    _document, pdf, _docx = german
    assert pdf.startswith(b"%PDF")
    text = pdftotext(pdf)
    assert "Kommunales Integrationsmanagement" in text
    assert de("1. Staff") in text
    assert de("4. Referrals by agency") in text
    assert "Kreis Wesel" in text
    assert pdf_images(pdf) >= 3


def test_no_client_case_or_staff_name_in_the_documents(german, built):
    _document, pdf, data = german
    texts = [docx_text(docx.Document(io.BytesIO(data))), pdftotext(pdf)]
    forbidden = [*status_data.SECRETS, *built.pseudonyms_and_numbers()]
    for text in texts:
        for secret in forbidden:
            assert secret not in text, secret
    assert "Coesfeld" not in texts[0] and "Coesfeld" not in texts[1]
