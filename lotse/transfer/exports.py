"""Lists of cases, contacts and barriers as CSV and XLSX, streamed with constant memory.

Rows come from the access layer only (``cases_scope`` and the selectors built on it, and for
coordinators the barrier register's selector on ``barriers_scope``) through
``QuerySet.iterator(chunk_size=…)``: on PostgreSQL a server-side cursor, so whatever the
list's length only one chunk is in memory. CSV goes out as a
:class:`~django.http.StreamingHttpResponse` (UTF-8 with BOM, ``;``, for German Excel); XLSX is
written by openpyxl in write-only mode into an unnamed temporary file (deleted when closed)
and sent as a :class:`~django.http.FileResponse`.

No export carries an identity column: the lists are pseudonymised for everyone. Text that a
spreadsheet could run as a formula is defused: in CSV with a leading apostrophe (OWASP CSV
injection), in XLSX by storing the cell as text."""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import translation

from lotse.access.cases import cases_scope
from lotse.access.context import AccessContext
from lotse.cases.domains import LifeDomain
from lotse.cases.models import Barrier, CaseStatus, ClosureReason, Contact, ContactKind, IntakeChannel

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Field:
    header: str
    value: Callable[[Any], Any]


def _labels(choices: Any) -> dict[str, str]:
    with translation.override("de"):
        return {member.value: str(member.label) for member in choices}


def _yes_no(value: bool) -> str:
    return "ja" if value else "nein"


def _user(user: Any) -> str:
    return user.username if user is not None else ""


def case_fields() -> list[Field]:
    status, channel, reason = _labels(CaseStatus), _labels(IntakeChannel), _labels(ClosureReason)
    return [
        Field("Fallnummer", lambda c: c.number),
        Field("Pseudonym", lambda c: c.pseudonym),
        Field("Status", lambda c: status.get(c.status, c.status)),
        Field("Fallverantwortung", lambda c: _user(c.case_manager)),
        Field("Träger", lambda c: c.provider.name),
        Field("Anlaufstelle", lambda c: c.location.name if c.location else ""),
        Field("Zugangsweg", lambda c: channel.get(c.intake_channel, c.intake_channel)),
        Field("Sprachen", lambda c: c.languages),
        Field("Dolmetschbedarf", lambda c: _yes_no(c.interpreter_needed)),
        Field("Dolmetschsprache", lambda c: c.interpreter_language),
        Field("Eröffnet am", lambda c: c.opened_on),
        Field("Geschlossen am", lambda c: c.closed_on),
        Field("Abschlussgrund", lambda c: reason.get(c.closure_reason, "")),
        Field("Nächste Wiedervorlage", lambda c: c.next_follow_up_on),
        Field("Nächste Neueinschätzung", lambda c: c.next_reassessment_on),
    ]


def contact_fields(*, with_note: bool) -> list[Field]:
    kind, domain = _labels(ContactKind), _labels(LifeDomain)
    fields = [
        Field("Fallnummer", lambda k: k.case.number),
        Field("Pseudonym", lambda k: k.case.pseudonym),
        Field("Datum", lambda k: k.occurred_on),
        Field("Art", lambda k: kind.get(k.kind, k.kind)),
        Field("Dauer (Minuten)", lambda k: k.duration_minutes),
        Field("Aufwand (Minuten)", lambda k: k.effort_minutes),
        Field("Dolmetschung", lambda k: _yes_no(k.interpreter_used)),
        Field("Themen", lambda k: ", ".join(domain.get(t, t) for t in (k.topics or []))),
    ]
    if with_note:
        fields.append(Field("Notiz", lambda k: k.note))
    return fields


def barrier_fields() -> list[Field]:
    domain = _labels(LifeDomain)
    return [
        Field("Erfasst am", lambda b: b.recorded_on),
        Field("Fallnummer", lambda b: b.case.number if b.case else ""),
        Field("Handlungsfeld", lambda b: domain.get(b.domain, b.domain)),
        Field("Träger", lambda b: b.provider.name),
        Field("Kommune", lambda b: b.municipality.name if b.municipality else ""),
        Field("Stelle", lambda b: b.agency.name if b.agency else b.institution),
        Field("Beschreibung", lambda b: b.description),
        Field("Thema", lambda b: b.theme.title if b.theme else ""),
    ]


# --- what the user may see ------------------------------------------------------------------


def contacts_for(ctx: AccessContext) -> QuerySet[Contact]:
    """Contacts of the cases in the user's scope."""
    return (
        Contact.objects.filter(case__in=cases_scope(ctx).values("pk"))
        .select_related("case")
        .order_by("-occurred_on", "-pk")
    )


def barriers_for(ctx: AccessContext) -> QuerySet[Barrier]:
    """The barriers recorded on the cases in the user's scope (case managers; coordinators
    export the register through its own filters, ``steering.selectors.barrier_register``)."""
    qs = Barrier.objects.filter(tenant=ctx.tenant, case__in=cases_scope(ctx).values("pk"))
    return qs.select_related("case", "provider", "municipality", "agency", "theme").order_by("-recorded_on", "-pk")


# --- writers ----------------------------------------------------------------------------------


def csv_text(value: Any) -> str:
    """A CSV cell a spreadsheet will not run as a formula: dates German, numbers as they are,
    text with a leading ``= + - @`` tab or carriage return behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like sink for ``csv.writer`` that hands back what was written."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()

    def write(self, text: str) -> int:
        return self.buffer.write(text)

    def take(self) -> str:
        value = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return value


def csv_stream(rows: Iterable[Any], fields: list[Field], *, per_chunk: int = 500) -> Iterator[bytes]:
    """UTF-8 with BOM, ``;``-separated, CRLF; yields a few hundred lines at a time."""
    sink = _Line()
    writer = csv.writer(sink, delimiter=";", lineterminator="\r\n")
    writer.writerow([f.header for f in fields])
    yield ("\ufeff" + sink.take()).encode("utf-8")
    for count, obj in enumerate(rows, start=1):
        writer.writerow([csv_text(f.value(obj)) for f in fields])
        if count % per_chunk == 0:
            yield sink.take().encode("utf-8")
    rest = sink.take()
    if rest:
        yield rest.encode("utf-8")


def xlsx_cells(sheet: Any, values: list[Any]) -> list[Any]:
    """Write-only cells: dates with a German date format, text always as text (a value
    starting with ``=`` would otherwise become a formula)."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for value in values:
        if isinstance(value, datetime.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "DD.MM.YYYY"
        elif value is None or isinstance(value, int | float):
            cell = WriteOnlyCell(sheet, value=value)
        else:
            cell = WriteOnlyCell(sheet, value=_xml_safe(str(value)))
            cell.data_type = "s"
        out.append(cell)
    return out


def _xml_safe(text: str) -> str:
    """Control characters other than tab and line breaks cannot be stored in XLSX."""
    return "".join(ch for ch in text if ch >= " " or ch in "\t\n\r")


def xlsx_file(rows: Iterable[Any], fields: list[Field], *, title: str) -> Any:
    """The list as an XLSX in an unnamed temporary file (rewound), written row by row."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(xlsx_cells(sheet, [f.header for f in fields]))
    for obj in rows:
        sheet.append(xlsx_cells(sheet, [f.value(obj) for f in fields]))
    # unnamed and deleted on close; FileResponse closes it after sending
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle


def table_csv(rows: Iterable[Iterable[Any]]) -> bytes:
    """A small table (template, report) as CSV bytes for German Excel."""
    sink = _Line()
    writer = csv.writer(sink, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_text(v) for v in row])
    return ("\ufeff" + sink.take()).encode("utf-8")


def table_xlsx(rows: Iterable[list[Any]], *, title: str) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append(xlsx_cells(sheet, row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
