"""Client documents as PDF: a Django template rendered to HTML, and that HTML to an A4 PDF with
WeasyPrint.

Fonts. The PDFs must show German, English, Turkish (Latin), Ukrainian, Russian (Cyrillic), Arabic
and Persian (Arabic script, right to left). Noto Sans (Latin, Cyrillic) and Vazirmatn (Arabic and
Persian) come from npm (``@expo-google-fonts/noto-sans``, ``@expo-google-fonts/vazirmatn``, SIL Open
Font License); ``make assets`` copies the TTF files to ``static/vendor/fonts/``. They are embedded
through ``@font-face`` rules with ``file://`` URLs, so the result does not depend on the fonts of the
machine. Without them (``make assets`` not run) the PDF still renders with the system's fonts, and a
warning is logged.

Why Vazirmatn and not Noto Sans Arabic: Noto's Arabic fonts draw dotted letters as a dotless base
glyph plus dot marks shared by several letters (ب ت ث ن ي share one base). A PDF maps each glyph to
one text, so copying, searching and screen readers would get wrong letters. Vazirmatn has one glyph
per letter form, and text extracted from the PDF is the text printed.

Speed: about 1 s for the three-page information sheet, 0.5 s for a goal plan (2 cores). WeasyPrint
subsets the embedded fonts with HarfBuzz when Debian's ``libharfbuzz-subset0`` is installed (a few
hundredths of a second), else with fontTools (about 0.5 s more per PDF, and a warning per font).

No network access while rendering: the URL fetcher serves only local files below the font
directory and the project's static PDF directory and refuses everything else.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import get_language_info
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# WeasyPrint logs every layout step and fontTools every subsetting step at INFO: quiet them unless
# the logging settings name these loggers.
for _name in ("weasyprint.progress", "fontTools"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.WARNING)

# Static paths (relative to the static root) of the fonts and of the print stylesheet.
FONT_DIR = "vendor/fonts"
STYLESHEET = "lotse/pdf.css"

# (CSS family, weight, file in FONT_DIR). The family names are our own, so that a system font
# called "Noto Sans" can never stand in for the embedded files.
FONT_FACES: tuple[tuple[str, int, str], ...] = (
    ("Lotse Sans", 400, "NotoSans-Regular.ttf"),
    ("Lotse Sans", 700, "NotoSans-Bold.ttf"),
    ("Lotse Arabic", 400, "Vazirmatn-Regular.ttf"),
    ("Lotse Arabic", 700, "Vazirmatn-Bold.ttf"),
)


def _static_file(relative: str) -> Path | None:
    """The file of a static path: in an app's static directory, else in STATIC_ROOT."""
    found = finders.find(relative)
    if isinstance(found, list):
        found = found[0] if found else None
    if found:
        return Path(found).resolve()
    collected = Path(settings.STATIC_ROOT) / relative
    return collected.resolve() if collected.is_file() else None


@lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """Font file name → absolute path, for the fonts that are present."""
    present: dict[str, Path] = {}
    for _family, _weight, name in FONT_FACES:
        path = _static_file(f"{FONT_DIR}/{name}")
        if path is not None:
            present[name] = path
    missing = [name for _family, _weight, name in FONT_FACES if name not in present]
    if missing:
        logger.warning(
            "PDF fonts missing (%s): run `make assets`; PDFs fall back to the system's fonts and may "
            "show boxes instead of Arabic or Persian letters.",
            ", ".join(missing),
        )
    return present


def font_face_css() -> str:
    """``@font-face`` rules for the embedded fonts that are present."""
    files = font_files()
    rules = [
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
        f'src: url("{files[name].as_uri()}") format("truetype"); }}'
        for family, weight, name in FONT_FACES
        if name in files
    ]
    return "\n".join(rules)


PNG_DATA_PREFIX = "data:image/png;base64,"


def png_data_uri(png: bytes) -> str:
    """An inline PNG for a PDF template (``<img src="{{ uri }}" alt="…">``)."""
    return PNG_DATA_PREFIX + base64.b64encode(png).decode("ascii")


class LocalFileFetcher(URLFetcher):
    """Serves ``file://`` URLs below the allowed directories and inline PNG images
    (``data:image/png;base64,…``, the charts of reports) only; anything else (http, https, other
    data, files elsewhere) is refused, so rendering never touches the network."""

    def __init__(self, roots: Iterable[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.roots = tuple(Path(root).resolve() for root in roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith(PNG_DATA_PREFIX):
            try:
                body = base64.b64decode(url[len(PNG_DATA_PREFIX) :], validate=True)
            except ValueError as exc:
                raise ValueError("An inline image of a PDF is not valid base64.") from exc
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/png"})
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            logger.warning("PDF rendering refused a non-local resource: %s", url[:200])
            raise ValueError(f"Only local files may be loaded into a PDF, not {url[:200]!r}.")
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_file() or not any(path.is_relative_to(root) for root in self.roots):
            logger.warning("PDF rendering refused a file outside the font and style directories: %s", path)
            raise ValueError(f"The file {path} may not be loaded into a PDF.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type})


def allowed_roots() -> list[Path]:
    """Directories the URL fetcher may read from: the font directory and the stylesheet's."""
    roots = {path.parent for path in font_files().values()}
    stylesheet = _static_file(STYLESHEET)
    if stylesheet is not None:
        roots.add(stylesheet.parent)
    return sorted(roots)


class _Renderer(threading.local):
    """Per thread: the URL fetcher, the font configuration with the embedded fonts loaded once,
    and the parsed stylesheets (Pango's font maps are not shared between threads)."""

    def __init__(self) -> None:
        self.fetcher: LocalFileFetcher | None = None
        self.font_config: FontConfiguration | None = None
        self.stylesheets: list[CSS] = []

    def prepare(self) -> None:
        if self.font_config is not None:
            return
        self.fetcher = LocalFileFetcher(allowed_roots())
        font_config = FontConfiguration()
        stylesheets = [CSS(string=font_face_css(), font_config=font_config, url_fetcher=self.fetcher)]
        stylesheet = _static_file(STYLESHEET)
        if stylesheet is None:
            raise FileNotFoundError(f"The PDF stylesheet static/{STYLESHEET} is missing.")
        stylesheets.append(CSS(filename=str(stylesheet), font_config=font_config, url_fetcher=self.fetcher))
        self.stylesheets = stylesheets
        self.font_config = font_config


_renderer = _Renderer()


def text_direction(language: str) -> str:
    """``rtl`` for the languages written right to left (Arabic, Persian), else ``ltr``."""
    try:
        return "rtl" if get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "ltr"


def direction_of(text: str) -> str:
    """Direction of a piece of free text by its first strong character (the Unicode bidi rule for
    a paragraph): ``rtl`` for Arabic or Hebrew letters, else ``ltr``. Used for goal and step texts
    that case managers write in German or in the client's language."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def render_pdf_html(template_name: str, context: dict[str, Any], *, language: str) -> str:
    """The HTML that :func:`render_pdf` lays out; ``<html>`` carries ``lang`` and ``dir``, the
    context's ``pdf_title`` becomes the document title."""
    return render_to_string(
        template_name,
        {**context, "pdf_language": language, "pdf_direction": text_direction(language)},
    )


def html_to_pdf(html: str) -> bytes:
    """Lay out the HTML as A4 PDF with the print stylesheet and the embedded fonts."""
    _renderer.prepare()
    document = HTML(string=html, url_fetcher=_renderer.fetcher)
    # Tagged PDF: headings, paragraphs and tables for screen readers, at almost no cost.
    pdf = document.write_pdf(stylesheets=_renderer.stylesheets, font_config=_renderer.font_config, pdf_tags=True)
    assert pdf is not None
    return pdf


def render_pdf(template_name: str, context: dict[str, Any], *, language: str) -> bytes:
    """Render ``template_name`` (extending ``ui/pdf/base.html``: blocks ``content`` and ``footer``,
    the page number is added) with ``context`` (``pdf_title``: the document title) to an A4 PDF
    for a client who reads ``language``."""
    return html_to_pdf(render_pdf_html(template_name, context, language=language))
