"""Reading uploaded tables: XLSX (openpyxl in read-only mode, row by row) and CSV (UTF-8 with or
without BOM, or Windows-1252; ``;`` or ``,`` as delimiter). The type is told by the content,
never by the file name. Cells come back as they are (text, numbers, dates); the import turns
them into values column by column (:mod:`lotse.transfer.cells`)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

XLSX = "xlsx"
CSV = "csv"


class TableError(Exception):
    """The file as a whole cannot be read (wrong type, broken file, unknown encoding)."""


@dataclass(frozen=True)
class Table:
    kind: str
    header: list[str]
    # (row number as in the spreadsheet, cells)
    rows: Iterator[tuple[int, tuple[Any, ...]]]


def sniff_kind(data: bytes) -> str:
    """``xlsx`` for a ZIP container with a workbook, ``csv`` for text; anything else is refused."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return XLSX
        except zipfile.BadZipFile:
            pass
        raise TableError(_("The file is not an Excel workbook (XLSX). Save it as XLSX or CSV and try again."))
    if b"\x00" in data[:4096]:
        raise TableError(_("The file is neither XLSX nor CSV. Save it as XLSX or CSV and try again."))
    return CSV


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is dropped) or else Windows-1252, the encoding of CSV files saved by German
    Excel."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TableError(_("The CSV file is neither UTF-8 nor Windows-1252 encoded. Save it as “CSV UTF-8”.")) from exc


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def _header(cells: tuple[Any, ...] | list[Any]) -> list[str]:
    return ["" if c is None else str(c).strip() for c in cells]


def read_csv(data: bytes) -> Table:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = _header(next(reader))
    except StopIteration as exc:
        raise TableError(_("The file is empty.")) from exc
    except csv.Error as exc:
        raise TableError(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc

    def rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            for cells in reader:
                # a quoted cell may span lines: the spreadsheet row is the reader's line number
                yield reader.line_num, tuple(cells)
        except csv.Error as exc:
            raise TableError(
                _("The CSV file cannot be read near line %(line)s: %(error)s") % {"line": reader.line_num, "error": exc}
            ) from exc

    return Table(CSV, header, rows())


_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAX_UNPACKED = 2 * 1024**3  # refuse ZIP bombs
_MAX_COLUMNS = 16384  # A … XFD, the columns an Excel sheet can have


def _xml_parser() -> Any:
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _text_of(element: Any) -> str:
    """The text of a shared or inline string (rich-text runs joined, phonetic runs left out)."""
    parts = []
    for child in element:
        if child.tag == f"{_M}t":
            parts.append(child.text or "")
        elif child.tag == f"{_M}r":
            parts.extend(t.text or "" for t in child.iter(f"{_M}t"))
    return "".join(parts)


def _column(ref: str) -> int:
    index = 0
    for char in ref:
        if char.isalpha():
            index = index * 26 + (ord(char.upper()) - 64)
        else:
            break
    return index - 1


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    from lxml import etree
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if "xl/styles.xml" not in archive.namelist():
        return set()
    root = etree.fromstring(archive.read("xl/styles.xml"), _xml_parser())
    custom = {int(f.get("numFmtId")): f.get("formatCode", "") for f in root.iter(f"{_M}numFmt")}
    xfs = root.find(f"{_M}cellXfs")
    styles = set()
    for index, xf in enumerate(xfs if xfs is not None else []):
        fmt = int(xf.get("numFmtId", "0"))
        code = custom.get(fmt, BUILTIN_FORMATS.get(fmt, ""))
        if code and is_date_format(code):
            styles.add(index)
    return styles


def read_xlsx(data: bytes) -> Table:
    """The first worksheet, streamed with lxml: shared and inline strings, numbers, booleans,
    dates (by the cell's number format) and formulas — a formula comes back as its text
    (``=…``), never computed. Row numbers are those of the spreadsheet."""
    from lxml import etree
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if sum(i.file_size for i in archive.infolist()) > _MAX_UNPACKED:
            raise TableError(_("The Excel file is too large when unpacked."))
        parser = _xml_parser()
        workbook = etree.fromstring(archive.read("xl/workbook.xml"), parser)
        sheet = workbook.find(f"{_M}sheets/{_M}sheet")
        pr = workbook.find(f"{_M}workbookPr")
        epoch = CALENDAR_MAC_1904 if pr is not None and pr.get("date1904") in ("1", "true") else CALENDAR_WINDOWS_1900
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), parser)
        target = next(r.get("Target") for r in rels.iter(f"{_PR}Relationship") if r.get("Id") == sheet.get(f"{_R}id"))
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            for _event, si in etree.iterparse(
                archive.open("xl/sharedStrings.xml"), tag=f"{_M}si", resolve_entities=False, no_network=True
            ):
                shared.append(_text_of(si))
                si.clear()
        dates = _date_styles(archive)
        stream = archive.open(path)
    except TableError:
        raise
    except Exception as exc:  # broken or foreign ZIP/XML content
        raise TableError(_("The Excel file cannot be read. Save it again as XLSX and try again.")) from exc

    def value(cell: Any) -> Any:
        kind = cell.get("t", "n")
        formula = cell.find(f"{_M}f")
        if formula is not None and formula.text:
            return "=" + formula.text
        if kind == "inlineStr":
            inline = cell.find(f"{_M}is")
            return _text_of(inline) if inline is not None else ""
        raw = cell.findtext(f"{_M}v")
        if raw is None:
            return None
        if kind == "s":
            return shared[int(raw)]
        if kind == "b":
            return raw == "1"
        if kind in ("str", "e", "d"):
            return raw
        number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        if int(cell.get("s", "0")) in dates:
            return from_excel(number, epoch)
        return number

    def all_rows() -> Iterator[tuple[int, tuple[Any, ...]]]:
        number = 0
        try:
            for _event, row in etree.iterparse(stream, tag=f"{_M}row", resolve_entities=False, no_network=True):
                cells: list[Any] = []
                for cell in row.iter(f"{_M}c"):
                    ref = cell.get("r")
                    index = _column(ref) if ref else len(cells)
                    if index >= _MAX_COLUMNS:
                        # beyond column XFD, Excel's last: refused before a row that wide is built
                        raise TableError(_("The Excel file has a cell beyond the last Excel column (XFD)."))
                    if index >= len(cells):
                        cells.extend([None] * (index - len(cells) + 1))
                    cells[index] = value(cell)
                number = int(row.get("r") or number + 1)
                yield number, tuple(cells)
                row.clear()
                while row.getprevious() is not None:
                    del row.getparent()[0]
        except (etree.XMLSyntaxError, ValueError, IndexError, OverflowError, TypeError) as exc:
            # broken XML, a shared-string index that does not exist, a number or style that is
            # not one, a date out of range: the file is refused as a whole, with a message
            raise TableError(_("The Excel file cannot be read. Save it again as XLSX and try again.")) from exc
        finally:
            stream.close()

    iterator = all_rows()
    first = next(iterator, None)
    if first is None:
        raise TableError(_("The file is empty."))
    return Table(XLSX, _header(first[1]), iterator)


def read_table(data: bytes) -> Table:
    if not data:
        raise TableError(_("The file is empty."))
    return read_xlsx(data) if sniff_kind(data) == XLSX else read_csv(data)
