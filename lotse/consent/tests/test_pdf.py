"""The information sheet and consent form as PDF in every client language: the text a reader sees
(checked with poppler's pdftotext), right-to-left layout for Arabic and Persian, embedded fonts
that cover the script (pdffonts, fontTools)."""

from __future__ import annotations

import html
import logging
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from lotse.cases.domains import RTL_LANGUAGES, ClientLanguage
from lotse.consent.pdf import TEMPLATE, information_sheet_context, information_sheet_pdf
from lotse.consent.services import FORM_VERSION
from lotse.consent.sheets import CONSENT_HEADINGS, SHEET_HEADINGS, SHEETS
from lotse.core.pdf import LocalFileFetcher, font_files, render_pdf_html
from lotse.tenants.tests.factories import TenantFactory

LANGUAGES = list(ClientLanguage.values)
CASE_NUMBER = "WES-2026-00042"


# --- Reading a PDF as a person would (shared with the goal plan tests) --------------------------


def poppler(tool: str) -> str:
    """Path of a poppler tool; the test fails (never skips) when poppler-utils is missing."""
    path = shutil.which(tool) or f"/usr/bin/{tool}"
    assert Path(path).is_file(), f"{tool} is missing: apt-get install poppler-utils"
    return path


def normalise(text: str) -> str:
    """Compare texts as a reader sees them: Arabic presentation forms folded to letters (NFKC),
    bidi controls and zero-width joiners dropped (Cf), whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return " ".join(text.split())


def as_extracted(text: str, language: str) -> str:
    """``text`` as pdftotext returns it. One quirk of poppler with right-to-left text: a ligature
    glyph that stands for two letters comes back with the two letters swapped; in Arabic script
    that is lam-alef (لا, لأ, لإ, لآ), drawn as one glyph. The PDF itself is right."""
    text = normalise(text)
    if language in RTL_LANGUAGES:
        text = re.sub("ل([اأإآ])", r"\1ل", text)
    return text


def reader_text(pdf: bytes) -> str:
    result = subprocess.run(
        [poppler("pdftotext"), "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return normalise(result.stdout.decode())


def word_boxes(pdf: bytes, *, page: int = 1) -> list[tuple[str, float, float, float]]:
    """Words of a page as drawn: (text, x_min, x_max, y_min). Poppler gives the glyphs of each word
    from left to right, so a right-to-left word comes back reversed."""
    result = subprocess.run(
        [poppler("pdftotext"), "-bbox", "-f", str(page), "-l", str(page), "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>'
    return [
        (html.unescape(text), float(x_min), float(x_max), float(y_min))
        for x_min, y_min, x_max, text in re.findall(pattern, result.stdout.decode())
    ]


def assert_reading_order(pdf: bytes, line: str, language: str) -> None:
    """The words of ``line`` (near the top of page 1) stand in reading order: right to left for
    Arabic and Persian, left to right else; a right-to-left line starts at the right margin."""
    rtl = language in RTL_LANGUAGES
    boxes = [box for box in word_boxes(pdf) if box[3] < 200]
    positions = []
    for word in as_extracted(line, language).split():
        found = [box for box in boxes if normalise(box[0][::-1] if rtl else box[0]) == word]
        assert found, f"word {word!r} of {line!r} not found on page 1"
        positions.append(found[0])
    x_min = [box[1] for box in positions]
    assert x_min == sorted(x_min, reverse=rtl), (
        f"{line!r} is not laid out {'right to left' if rtl else 'left to right'}"
    )
    page_width = 595.3
    if rtl:
        assert positions[0][2] > page_width * 0.85, "a right-to-left heading starts at the right margin"
    else:
        assert positions[0][1] < page_width * 0.15, "a left-to-right heading starts at the left margin"


def embedded_fonts(pdf: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, emb, sub, uni per font."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    output = subprocess.run([poppler("pdffonts"), str(path)], capture_output=True, check=True, text=True).stdout
    fonts = []
    for row in output.splitlines()[2:]:
        parts = row.split()
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def assert_fonts_for(pdf: bytes, language: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Every font embedded (subset, with a ToUnicode map), the Arabic face used for Arabic script,
    and no glyph missing (WeasyPrint logs each .notdef it has to draw)."""
    fonts = embedded_fonts(pdf, tmp_path)
    assert fonts
    assert all(font["emb"] == "yes" and font["uni"] == "yes" for font in fonts), fonts
    names = {font["name"].split("+", 1)[-1] for font in fonts}
    assert "Lotse-Sans" in names or "Lotse-Arabic" in names, names
    if language in RTL_LANGUAGES:
        assert "Lotse-Arabic" in names, names
    assert not [record for record in caplog.records if ".notdef" in record.getMessage()]


# --- The sheets --------------------------------------------------------------------------------


def test_every_client_language_has_a_sheet_with_the_same_structure():
    assert set(SHEETS) == set(LANGUAGES)
    german = SHEETS["de"]
    for language, sheet in SHEETS.items():
        assert sheet.language == language
        assert SHEET_HEADINGS[language] == sheet.heading
        assert [section.contact for section in sheet.sections] == [section.contact for section in german.sections]
        assert [(len(s.paragraphs), len(s.items), len(s.after)) for s in sheet.sections] == [
            (len(s.paragraphs), len(s.items), len(s.after)) for s in german.sections
        ], language
        assert [purpose.code for purpose in sheet.purposes] == ["processing", "health", "contact"]
        assert "{controller}" in sheet.sections[0].paragraphs[0]
    assert len(set(SHEET_HEADINGS.values())) == len(LANGUAGES)


def test_sheets_name_the_legal_bases_and_the_rights():
    for language, sheet in SHEETS.items():
        text = " ".join(
            " ".join((section.title, *section.paragraphs, *section.items, *section.after)) for section in sheet.sections
        )
        digits = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
        text = text.translate(digits)
        for article in ("6", "9", "7", "15", "16", "17", "18", "20", "77"):
            assert re.search(rf"\b{article}\b", text), (language, article)
        assert "Schweigepflicht" in text, language  # the German word, for the agencies


def test_arabic_script_fonts_cover_every_letter_of_the_sheets():
    files = font_files()
    assert {"Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf", "NotoSans-Regular.ttf"} <= set(files), (
        "PDF fonts missing: run `make assets`"
    )
    for name in ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf"):
        cmap = TTFont(files[name]).getBestCmap()
        for language in RTL_LANGUAGES:
            sheet = SHEETS[language]
            text = repr(sheet)
            missing = {char for char in text if unicodedata.bidirectional(char) == "AL" and ord(char) not in cmap}
            assert not missing, (name, language, missing)
    latin = TTFont(files["NotoSans-Regular.ttf"]).getBestCmap()
    for language in ("de", "en", "tr", "uk", "ru"):
        missing = {char for char in repr(SHEETS[language]) if char.isalpha() and ord(char) not in latin}
        assert not missing, (language, missing)


# --- The PDF -----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_information_sheet_pdf_in_every_language(language, tmp_path, caplog):
    tenant = TenantFactory(name="Kreis Wesel")
    caplog.set_level(logging.WARNING, logger="weasyprint")
    pdf = information_sheet_pdf(tenant=tenant, case_number=CASE_NUMBER, language=language)

    assert pdf.startswith(b"%PDF-")
    text = reader_text(pdf)
    assert as_extracted(SHEET_HEADINGS[language], language) in text
    assert as_extracted(CONSENT_HEADINGS[language], language) in text
    assert CASE_NUMBER in text
    assert FORM_VERSION in text
    assert "Kreis Wesel" in text
    assert "poststelle@ldi.nrw.de" in text
    if language != "de":
        # the German headings for the case manager, small beneath
        assert "Einwilligungserklärung zur Datenverarbeitung" in text
    assert_reading_order(pdf, SHEET_HEADINGS[language], language)
    assert_fonts_for(pdf, language, tmp_path, caplog)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_html_carries_language_and_direction(language):
    tenant = TenantFactory(name="Kreis Wesel")
    context = information_sheet_context(tenant=tenant, case_number=CASE_NUMBER, language=language)
    page = render_pdf_html(TEMPLATE, context, language=language)
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page


@pytest.mark.django_db
def test_arabic_sheet_reads_right_to_left_in_the_right_order(tmp_path):
    tenant = TenantFactory(name="Kreis Wesel")
    pdf = information_sheet_pdf(tenant=tenant, case_number=CASE_NUMBER, language="ar")
    text = reader_text(pdf)
    # whole lines come back in logical order, e.g. the first section title and the purposes
    for line in ("من المسؤول عن بياناتك؟", "معلومات عن صحتي", "إقرار بالموافقة على معالجة البيانات"):
        assert as_extracted(line, "ar") in text
    # the heading's first word stands right of its last word
    assert_reading_order(pdf, SHEET_HEADINGS["ar"], "ar")
    # a tagged PDF (for screen readers) with the heading as title
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    info = subprocess.run([poppler("pdfinfo"), str(path)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(rf"^Title:\s+{SHEET_HEADINGS['ar']}$", info, re.M)


@pytest.mark.django_db
def test_no_client_name_on_the_sheet_only_a_line_to_fill_in():
    tenant = TenantFactory(name="Kreis Wesel")
    context = information_sheet_context(tenant=tenant, case_number=CASE_NUMBER, language="de")
    page = render_pdf_html(TEMPLATE, context, language="de")
    assert "Name, Vorname (bitte von Hand eintragen)" in page
    assert page.count('class="checkbox"') == 3 + 10  # three purposes, ten release topics


@pytest.mark.django_db
def test_controller_contact_can_be_given():
    tenant = TenantFactory(name="Kreis Wesel")
    pdf = information_sheet_pdf(
        tenant=tenant,
        case_number=CASE_NUMBER,
        language="en",
        controller={"address": "Reeser Landstraße 31, 46483 Wesel", "email": "post@kreis-wesel.de"},
    )
    text = reader_text(pdf)
    assert "Reeser Landstraße 31, 46483 Wesel" in text
    assert "post@kreis-wesel.de" in text


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        information_sheet_context(tenant=TenantFactory.build(name="Kreis Wesel"), case_number="X", language="xx")


def test_url_fetcher_serves_only_local_font_and_style_files(tmp_path):
    fonts = font_files()
    fetcher = LocalFileFetcher([next(iter(fonts.values())).parent])
    response = fetcher.fetch(next(iter(fonts.values())).as_uri())
    assert response.read()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    outside = tmp_path / "secret.txt"
    outside.write_text("no")
    for url in (
        "https://example.org/font.ttf",
        "http://127.0.0.1/x.css",
        "data:text/css,body{}",
        outside.as_uri(),
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_url_fetcher_serves_inline_png_images_only(tmp_path):
    """Report charts are embedded as ``data:image/png;base64`` URIs: those are served from the
    URI itself, other inline data (CSS, SVG, broken base64) is refused."""
    from lotse.core.pdf import png_data_uri

    fetcher = LocalFileFetcher([tmp_path])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
    response = fetcher.fetch(png_data_uri(png))
    assert response.read() == png
    for url in ("data:image/svg+xml;base64,PHN2Zy8+", "data:image/png;base64,***", "data:text/html,<p>"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
