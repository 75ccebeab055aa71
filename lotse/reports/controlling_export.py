"""The state controlling export as files: XLSX, CSV and JSON, German, with the suppressed tables
of :mod:`lotse.reports.controlling`.

* XLSX: a legend sheet (period, definitions, suppression rules, date of generation), then one
  sheet per district (state analysts: first the state sheet). Numbers are numbers (full-time
  equivalents with two decimals), suppressed cells the strings ``"< 5"`` and ``"x"``.
* CSV: UTF-8 with BOM, semicolons, fixed German column names, one line per district or
  provider, indicator and column, the value as shown (decimal comma for full-time
  equivalents).
* JSON: period, legend, rules, definitions and the tables; cells are numbers or the strings
  ``"< 5"`` and ``"x"``.

Only counts, full-time equivalents and the names of districts and providers leave Lotse.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext

from lotse.access.context import AccessContext
from lotse.reports.controlling import Cell, Controlling, Row, build, is_suppressed, legend, rules
from lotse.reports.indicators import Period

LEVEL_NAMES = {"provider": "Träger", "tenant": "Kreis", "state": "Land"}
CSV_HEADER = [
    "Zeitraum von",
    "Zeitraum bis",
    "Bereich",
    "Ebene",
    "Zeile",
    "Indikatorgruppe",
    "Gruppe (Code)",
    "Merkmal",
    "Merkmal (Code)",
    "Wert",
]


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    content_type: str
    render: Callable[[Controlling], bytes]


def _date(value: Any) -> str:
    return value.strftime("%d.%m.%Y")


def _title(report: Controlling) -> str:
    return gettext("State controlling export %(start)s to %(end)s") % {
        "start": _date(report.period.start),
        "end": _date(report.period.end),
    }


# --- XLSX -------------------------------------------------------------------------------------


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip()[:31] or "Tabelle"
    candidate, number = name, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate, number = name[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


def render_xlsx(report: Controlling) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    right = Alignment(horizontal="right")
    wrap = Alignment(wrap_text=True, vertical="top")
    book = Workbook()
    sheet = book.active
    used: set[str] = set()
    sheet.title = _sheet_name(gettext("Legend"), used)
    sheet.append([_title(report)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([gettext("Period"), f"{_date(report.period.start)} – {_date(report.period.end)}"])
    generated = timezone.localtime(report.generated_at)
    sheet.append([gettext("Generated on"), generated.strftime("%d.%m.%Y %H:%M")])
    sheet.append([])
    sheet.append([gettext("Signs")])
    sheet.cell(sheet.max_row, 1).font = bold
    for sign, meaning in legend():
        sheet.append([sign, meaning])
    sheet.append([])
    sheet.append([gettext("Suppression rules")])
    sheet.cell(sheet.max_row, 1).font = bold
    for rule in rules():
        sheet.append(["", rule])
    sheet.append([])
    sheet.append([gettext("Definitions")])
    sheet.cell(sheet.max_row, 1).font = bold
    for group in report.groups:
        sheet.append([str(group.title), str(group.definition)])
    sheet.column_dimensions["A"].width = 42
    sheet.column_dimensions["B"].width = 100
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap

    for section in report.sections:
        sheet = book.create_sheet(_sheet_name(section.title, used))
        sheet.append([section.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"{_date(report.period.start)} – {_date(report.period.end)}"])
        for table in section.tables:
            sheet.append([])
            sheet.append([table.caption])
            sheet.cell(sheet.max_row, 1).font = bold
            first = gettext("District") if section.level == "state" else gettext("Provider")
            sheet.append([first, *table.group.labels])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
            for row in table.rows:
                sheet.append([row.label, *row.cells])
                line = sheet[sheet.max_row]
                if row.level != "provider" and not (section.level == "state" and row.level == "tenant"):
                    line[0].font = bold
                for cell, value in zip(line[1 : 1 + len(row.cells)], row.cells, strict=True):
                    if isinstance(value, Decimal):
                        cell.number_format = "0.00"
                    elif is_suppressed(value):
                        cell.alignment = right
        sheet.column_dimensions["A"].width = 40
        for letter in "BCDEFGHIJKL":
            sheet.column_dimensions[letter].width = 16
    # The export writes no formula: every text (district, provider and programme names typed by
    # a district) is stored as text, so "=HYPERLINK(…)" cannot run in the state's spreadsheet.
    for worksheet in book.worksheets:
        for cells in worksheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- CSV --------------------------------------------------------------------------------------


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: object) -> str:
    """Text for a CSV cell that a spreadsheet will not run as a formula (OWASP: CSV injection):
    a leading = + - @ tab or carriage return gets an apostrophe in front."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_value(value: Cell) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def render_csv(report: Controlling) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    start, end = report.period.start.isoformat(), report.period.end.isoformat()
    for section in report.sections:
        for table in section.tables:
            group = table.group
            for row in table.rows:
                for code, label, value in zip(group.codes, group.labels, row.cells, strict=True):
                    writer.writerow(
                        [
                            start,
                            end,
                            _csv_text(section.title),
                            LEVEL_NAMES[row.level],
                            _csv_text(row.label),
                            _csv_text(group.title),
                            group.key,
                            _csv_text(label),
                            code,
                            _csv_value(value),
                        ]
                    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- JSON -------------------------------------------------------------------------------------


def _json_cell(value: Cell) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _json_row(row: Row) -> dict[str, Any]:
    return {"label": row.label, "level": row.level, "cells": [_json_cell(value) for value in row.cells]}


def render_json(report: Controlling) -> bytes:
    document = {
        "title": _title(report),
        "period": {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()},
        "generated_at": timezone.localtime(report.generated_at).isoformat(timespec="seconds"),
        "legend": dict(legend()),
        "rules": rules(),
        "definitions": {
            group.key: {"title": str(group.title), "text": str(group.definition)} for group in report.groups
        },
        "sections": [
            {
                "title": section.title,
                "level": section.level,
                "tables": [
                    {
                        "group": table.group.key,
                        "caption": table.caption,
                        "columns": [
                            {"code": code, "label": label}
                            for code, label in zip(table.group.codes, table.group.labels, strict=True)
                        ],
                        "suppressed": table.group.counts,
                        "rows": [_json_row(row) for row in table.rows],
                    }
                    for table in section.tables
                ],
            }
            for section in report.sections
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


FORMATS: dict[str, Format] = {
    "xlsx": Format("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_xlsx),
    "csv": Format("csv", "CSV", "text/csv; charset=utf-8", render_csv),
    "json": Format("json", "JSON", "application/json", render_json),
}


def filename(period: Period, code: str) -> str:
    return f"Landescontrolling-{period.start.isoformat()}-{period.end.isoformat()}.{code}"


def export(ctx: AccessContext, period: Period, tenant_ids: list[int] | None, code: str) -> bytes:
    """The export in one of :data:`FORMATS`, German whatever the user's language."""
    with translation.override("de"):
        return FORMATS[code].render(build(ctx, period, tenant_ids))
