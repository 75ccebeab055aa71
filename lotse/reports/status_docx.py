"""The committee status report as a Word document (DOCX, python-docx) for the council
information system: A4, German, title, headings, the tables with a repeated header row, and the
charts as pictures with alternative text, each followed by its values as a table.

Built from a :class:`lotse.reports.status.StatusDocument` whose charts carry their PNG
(:func:`lotse.reports.status.render_charts`); call it under ``translation.override("de")``."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell

from lotse.reports.status import LANGUAGE, StatusDocument, Table

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PICTURE_WIDTH = Cm(16)


def _language(document: DocxDocument) -> None:
    """German as the language of the text (spelling, hyphenation, screen readers)."""
    r_pr = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), f"{LANGUAGE}-DE")
    lang.set(qn("w:eastAsia"), f"{LANGUAGE}-DE")
    r_pr.append(lang)


def _a4(document: DocxDocument) -> None:
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)


def _repeat_header(table: DocxTable) -> None:
    """The first row is the header row, repeated on every page and announced as such."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _cell(cell: _Cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(9.5)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def add_table(document: DocxDocument, table: Table) -> None:
    document.add_paragraph(table.caption, style="Caption")
    rows = [*table.rows, table.total] if table.total else table.rows
    result = document.add_table(rows=1 + len(rows), cols=len(table.columns))
    result.style = "Table Grid"
    result.alignment = WD_TABLE_ALIGNMENT.LEFT
    for index, heading in enumerate(table.columns):
        _cell(result.rows[0].cells[index], heading, bold=True, right=index >= table.numeric)
    for row_index, row in enumerate(rows, start=1):
        is_total = table.total is not None and row_index == len(rows)
        for index, value in enumerate(row):
            _cell(result.rows[row_index].cells[index], value, bold=is_total, right=index >= table.numeric)
    _repeat_header(result)
    document.add_paragraph()


def status_docx(report: StatusDocument) -> bytes:
    """The report as DOCX bytes; charts without a PNG are left out (their tables stay)."""
    document = Document()
    _a4(document)
    _language(document)
    properties = document.core_properties
    properties.title = report.title
    properties.subject = report.subtitle
    properties.language = f"{LANGUAGE}-DE"
    properties.author = "Lotse"

    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle, style="Subtitle")
    for text in report.intro:
        document.add_paragraph(text)
    for section in report.sections:
        document.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            document.add_paragraph(text)
        for table in section.tables:
            add_table(document, table)
        if section.list_heading:
            document.add_heading(section.list_heading, level=2)
            for item in section.items:
                document.add_paragraph(item, style="List Bullet")
            if not section.items:
                document.add_paragraph(section.empty_list)
        for block in section.charts:
            document.add_heading(block.chart.title, level=2)
            if block.png:
                shape = document.add_picture(io.BytesIO(block.png), width=PICTURE_WIDTH)
                shape._inline.docPr.set("descr", block.alt)
                shape._inline.docPr.set("title", block.chart.title)
            add_table(document, block.table)
    document.add_heading(report.notes_heading, level=1)
    for text in report.notes:
        document.add_paragraph(text, style="List Bullet")
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = report.footer
    for run in footer.runs:
        run.font.size = Pt(8)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
