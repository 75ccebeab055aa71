"""Building case lists for the import tests: CSV in either encoding and delimiter, and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from lotse.transfer.case_import import COLUMNS

HEADER = [c.header for c in COLUMNS]


def row(**values: Any) -> dict[str, Any]:
    """A valid row for Kreis Wesel's test world (case manager ``we-case_manager``)."""
    base = {
        "Pseudonym": "Familie A",
        "Fallverantwortung": "we-case_manager",
        "Träger": "Kreis Wesel Träger A",
        "Zugangsweg": "Persönliche Vorsprache",
        "Eröffnet am": "01.02.2024",
    }
    base.update(values)
    return base


def table(rows: Iterable[dict[str, Any]], header: Sequence[str] = HEADER) -> list[list[Any]]:
    return [list(header), *[[r.get(h, "") for h in header] for r in rows]]


def csv_bytes(
    rows: Iterable[dict[str, Any]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ";",
    bom: bool = False,
    header: Sequence[str] = HEADER,
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for line in table(rows, header):
        writer.writerow(["" if v is None else v for v in line])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: Iterable[dict[str, Any]], header: Sequence[str] = HEADER) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Fälle")
    for line in table(rows, header):
        sheet.append([None if v == "" else v for v in line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
