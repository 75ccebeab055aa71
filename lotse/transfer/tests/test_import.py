"""The case-list import: formats, German values, the row-by-row report and all-or-nothing."""

from __future__ import annotations

import datetime

import pytest

from lotse.audit.models import AuditEvent
from lotse.cases.identity import duplicate_key, unseal
from lotse.cases.models import Case, CaseNumberCounter, CaseStatus, Identity
from lotse.transfer import cells
from lotse.transfer.services import cases_import
from lotse.transfer.tests.helpers import HEADER, csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


def run(world, data: bytes, *, dry_run: bool = False, tenant: str = "wesel"):  # type: ignore[no-untyped-def]
    part = getattr(world, tenant)
    return cases_import(data, tenant=part.tenant, actor=part.users["coordinator"], dry_run=dry_run)


def imported(world) -> list[Case]:  # type: ignore[no-untyped-def]
    return list(Case.objects.filter(tenant=world.wesel.tenant).exclude(pk=world.wesel.case.pk).order_by("pk"))


def test_utf8_csv_with_german_values_is_imported(world):
    data = csv_bytes(
        [
            row(
                Pseudonym="Familie Öztürk",
                Fallnummer="ALT-2019-7",
                Anlaufstelle="Kreis Wesel Anlaufstelle",
                Sprachen="Türkisch, Kurmancî",
                Dolmetschbedarf="ja",
                Dolmetschsprache="Kurmancî",
                Status="abgeschlossen",
                **{"Eröffnet am": "1.2.2024", "Geschlossen am": "15.03.2024", "Abschlussgrund": "Ziele erreicht"},
            ),
            row(Pseudonym="Familie B", Zugangsweg="Walk-in", Dolmetschbedarf="nein"),
        ],
        bom=True,
    )
    report, written = run(world, data)
    assert report.problems == [] and written == 2
    first, second = imported(world)
    assert (first.number, first.pseudonym, first.opened_on) == (
        "ALT-2019-7",
        "Familie Öztürk",
        datetime.date(2024, 2, 1),
    )
    assert (first.status, first.closed_on, first.closure_reason) == (
        "closed",
        datetime.date(2024, 3, 15),
        "goals_reached",
    )
    assert first.location == world.wesel.location and first.interpreter_language == "Kurmancî"
    assert first.case_manager == world.wesel.users["case_manager"] and first.provider == world.wesel.provider
    assert second.intake_channel == "walk_in" and second.status == CaseStatus.OPEN and not second.interpreter_needed
    # drawn like case_open: prefix, year of the first contact, the counter moved on
    assert second.number.startswith("KIM-2024-")
    assert CaseNumberCounter.objects.get(tenant=world.wesel.tenant, year=2024).last == int(second.number[-5:])
    events = AuditEvent.objects.filter(action="transfer.cases_imported")
    assert [(e.details["count"], e.details["with_identity"]) for e in events] == [(2, 0)]


def test_windows_1252_csv_with_commas_is_imported(world):
    data = csv_bytes(
        [row(Pseudonym="Familie Müller-Weiß", Ort="Düsseldorf", Vorname="Jürgen", Nachname="Weiß")],
        encoding="cp1252",
        delimiter=",",
    )
    assert data.decode("cp1252") and b"\xfc" in data  # really Windows-1252, not UTF-8
    report, written = run(world, data)
    assert report.problems == [] and written == 1
    case = imported(world)[0]
    assert case.pseudonym == "Familie Müller-Weiß" and not case.is_anonymous
    assert unseal(case.identity.ciphertext, case_id=case.pk).city == "Düsseldorf"


def test_xlsx_with_date_cells_numbers_and_identity(world):
    data = xlsx_bytes(
        [
            row(
                **{"Eröffnet am": datetime.datetime(2024, 2, 1), "Geburtsdatum": datetime.date(1990, 5, 17)},
                Vorname="Amina",
                Nachname="Haddad",
                PLZ=46483,
                Telefon=281123456,
            )
        ]
    )
    report, written = run(world, data)
    assert report.problems == [] and written == 1
    case = imported(world)[0]
    identity = Identity.objects.get(case=case)
    data_ = unseal(identity.ciphertext, case_id=case.pk)
    assert (data_.given_name, data_.family_name, data_.birth_date) == ("Amina", "Haddad", datetime.date(1990, 5, 17))
    assert (data_.postal_code, data_.phone) == ("46483", "281123456")
    assert identity.duplicate_key == duplicate_key(
        given_name="Amina", family_name="Haddad", birth_date=datetime.date(1990, 5, 17)
    )
    assert case.opened_on == datetime.date(2024, 2, 1) and not case.is_anonymous


def test_decimal_commas_and_german_dates_are_read():
    assert cells.decimal("1.234,5") == cells.decimal("1234,5") == cells.decimal(1234.5)
    assert str(cells.decimal("12,50")) == "12.50"
    with pytest.raises(cells.CellError):
        cells.decimal("12.5.3")
    # a fraction typed into a text column of an XLSX is shown the German way
    assert cells.text(12.5) == "12,5" and cells.text(46483.0) == "46483"
    assert cells.date("01.02.2024") == cells.date("2024-02-01") == cells.date(45323) == datetime.date(2024, 2, 1)
    for bad in ("2024/02/01", "31.02.2024", "01.02.24"):
        with pytest.raises(cells.CellError):
            cells.date(bad)


def test_one_bad_row_among_10000_imports_nothing_and_is_named(world):
    rows = [row(Pseudonym=f"Fall {i}") for i in range(10_000)]
    rows[6_789]["Eröffnet am"] = "31.13.2024"
    report, written = run(world, csv_bytes(rows))
    assert written == 0 and imported(world) == []
    assert [(p.row, p.column, p.value) for p in report.problems] == [(6_791, "Eröffnet am", "31.13.2024")]
    assert report.rows == 10_000
    assert not AuditEvent.objects.filter(action="transfer.cases_imported").exists()


def test_duplicate_case_numbers_in_the_file_and_in_the_database(world):
    taken = world.wesel.case.number
    data = csv_bytes([row(Fallnummer="A-1"), row(Fallnummer="A-2"), row(Fallnummer="A-1"), row(Fallnummer=taken)])
    report, written = run(world, data)
    assert written == 0
    assert [(p.row, p.column, p.value) for p in report.problems] == [
        (4, "Fallnummer", "A-1"),
        (5, "Fallnummer", taken),
    ]
    assert "row 2" in report.problems[0].problem or "Zeile 2" in report.problems[0].problem


def test_unknown_case_manager_and_wrong_values_are_reported(world):
    data = csv_bytes(
        [
            row(Fallverantwortung="niemand"),
            row(Dolmetschbedarf="vielleicht"),
            row(Zugangsweg="Brieftaube"),
            row(Status="abgeschlossen"),  # no date, no reason
            row(Vorname="Nur Vorname"),
            row(Fallverantwortung="we-case_manager@example.org", Träger="Kreis Wesel Träger B"),
        ]
    )
    report, written = run(world, data)
    assert written == 0
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "Fallverantwortung"),
        (3, "Dolmetschbedarf"),
        (4, "Zugangsweg"),
        (5, "Geschlossen am"),
        (5, "Abschlussgrund"),
        (6, "Nachname"),
        (7, "Fallverantwortung"),  # found by e-mail, but works for provider A
    ]


def test_dry_run_writes_nothing(world):
    report, written = run(world, csv_bytes([row()]), dry_run=True)
    assert report.ok and written == 0 and imported(world) == []


def test_wesel_cannot_assign_to_coesfeld_staff_or_providers(world):
    data = csv_bytes(
        [
            row(Fallverantwortung="coe-case_manager", Träger="Kreis Wesel Träger A"),
            row(Fallverantwortung="", Träger="Kreis Coesfeld Träger A"),
            row(Fallverantwortung="we-case_manager", Anlaufstelle="Kreis Coesfeld Anlaufstelle"),
        ]
    )
    report, written = run(world, data)
    assert written == 0
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "Fallverantwortung"),
        (3, "Träger"),
        (4, "Anlaufstelle"),
    ]
    assert not Case.objects.filter(tenant=world.coesfeld.tenant).exclude(pk=world.coesfeld.case.pk).exists()


def test_formula_like_cells_are_stored_as_text(world):
    formula = '=HYPERLINK("http://evil.example","klick")'
    data = xlsx_bytes([row(Pseudonym=formula, Sprachen="=1+1", Vorname="@SUM(A1)", Nachname="-2+3")])
    report, written = run(world, data)
    assert report.problems == [] and written == 1
    case = imported(world)[0]
    assert (case.pseudonym, case.languages) == (formula, "=1+1")
    assert unseal(case.identity.ciphertext, case_id=case.pk).given_name == "@SUM(A1)"


def test_header_problems_stop_before_the_rows(world):
    header = [h for h in HEADER if h != "Pseudonym"] + ["Pseudonyn"]
    report, written = run(world, csv_bytes([row()], header=header))
    assert written == 0
    assert {(p.row, p.column) for p in report.problems} == {(1, "Pseudonyn"), (1, "Pseudonym")}


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x01\x02binary", b"PK\x03\x04broken zip", b"Pseudonym\n"],
    ids=["empty", "binary", "broken-xlsx", "header-only"],
)
def test_unreadable_files_give_one_clear_problem(world, data):
    report, written = run(world, data)
    assert written == 0 and len(report.problems) >= 1 and report.problems[0].problem


def _excel_like_xlsx(rows: list[list[tuple[str, str, str]]]) -> bytes:
    """An XLSX as Excel writes it: strings in the shared-strings table, dates as day numbers
    with a date style, a formula with its cached result. Cells: (type, style, value)."""
    import io
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    shared: list[str] = []
    xml_rows = []
    for number, cells_ in enumerate(rows, start=1):
        xml_cells = []
        for column, (kind, style, value) in enumerate(cells_):
            ref = f"{chr(65 + column)}{number}"
            if kind == "s":
                shared.append(value)
                xml_cells.append(f'<c r="{ref}" t="s"><v>{len(shared) - 1}</v></c>')
            elif kind == "f":
                xml_cells.append(f'<c r="{ref}" t="str"><f>{value}</f><v>2</v></c>')
            else:
                xml_cells.append(f'<c r="{ref}" s="{style}"><v>{value}</v></c>')
        xml_rows.append(f'<row r="{number}">{"".join(xml_cells)}</row>')
    files = {
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="Fälle" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">' + "".join(f"<si><t>{s}</t></si>" for s in shared) + "</sst>",
        "xl/styles.xml": f'<styleSheet xmlns="{main}"><cellXfs count="2">'
        '<xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{"".join(xml_rows)}</sheetData></worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()


def test_an_xlsx_written_by_excel_is_read(world):
    header = [
        ("s", "", h) for h in ("Pseudonym", "Fallverantwortung", "Zugangsweg", "Eröffnet am", "Fallnummer", "Sprachen")
    ]
    data = _excel_like_xlsx(
        [
            header,
            [
                ("s", "", "Familie Ü"),
                ("s", "", "we-case_manager"),
                ("s", "", "Telefon"),
                ("n", "1", "45323"),
                ("n", "0", "46483"),
                ("f", "", "1+1"),
            ],
        ]
    )
    report, written = run(world, data)
    assert report.problems == [] and written == 1
    case = imported(world)[0]
    assert (case.pseudonym, case.intake_channel, case.opened_on) == ("Familie Ü", "phone", datetime.date(2024, 2, 1))
    assert case.languages == "=1+1"  # the formula as text, not its result
    assert case.number == "46483"  # a number cell as text without ".0"
