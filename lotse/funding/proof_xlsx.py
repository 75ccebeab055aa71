"""The proof of use as an XLSX workbook (openpyxl): one sheet "Verwendungsnachweis" in the
structure of the form (seed 003, Anlage 3), German.

Entered figures are numbers (never text) with the number format ``#,##0.00``; every subtotal and
total is a FORMULA – ``=SUM(...)`` for the subtotals per position type, the staff, material and
expenses totals; the own share is expenses − third party − public funding − state grant; the
percentages are ``ROUND(cell / total × 100, 2)``; III takes the difference of income and expenses.
No result is cached in the file, so a spreadsheet program computes every total itself (the tests
let LibreOffice recalculate and compare with :class:`~lotse.funding.proof.Statement`).

:func:`proof_workbook` also returns the coordinates of the totals (``refs``), for the tests and
for anyone who wants to read the workbook back."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lotse.funding.proof import (
    CONFIRMATIONS,
    FORM,
    MATERIAL_DE,
    ProofDocument,
    activity_lines_de,
    de_date,
    group_label,
    row_label,
)

SHEET = "Verwendungsnachweis"
MONEY = "#,##0.00"
FTE = "0.00"
MONTHS = "0"
PERCENT = "0.00"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADING = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
CHECKED, UNCHECKED = "☒", "☐"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Sheet:
    """Appends rows and remembers where things went."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.row = 0
        self.refs: dict[str, str] = {}

    def next(self) -> int:
        self.row += 1
        return self.row

    def put(self, column: int, value: Any, number_format: str | None = None, font: Font | None = None) -> str:
        cell = self.ws.cell(row=self.row, column=column, value=value)
        if isinstance(value, str) and not isinstance(value, Formula):
            # entered text (names, the activity report) is text, never a formula: "=HYPERLINK(…)"
            # typed by a clerk or a district must not run in the reader's spreadsheet
            cell.data_type = "s"
        if number_format:
            cell.number_format = number_format
        if font:
            cell.font = font
        return cell.coordinate

    def text(self, value: str, font: Font | None = None, column: int = 1) -> None:
        self.next()
        self.put(column, value, font=font)

    def blank(self) -> None:
        self.next()


class Formula(str):
    """A formula this module wrote; every other string is stored as text."""


def _ref(column: int, row: int) -> str:
    return f"{get_column_letter(column)}{row}"


def _sum(column: int, rows: list[int]) -> Formula:
    """``=SUM(D12:D14)`` for consecutive rows, ``=SUM(D12,D17)`` otherwise; ``=0`` for none."""
    if not rows:
        return Formula("=0")
    letter = get_column_letter(column)
    if rows == list(range(rows[0], rows[-1] + 1)):
        return Formula(f"=SUM({letter}{rows[0]}:{letter}{rows[-1]})")
    return Formula("=SUM(" + ",".join(f"{letter}{r}" for r in rows) + ")")


def _percent(part: str, total: str) -> str:
    return f"=IF({total}=0,0,ROUND({part}/{total}*100,2))"


def proof_workbook(document: ProofDocument) -> tuple[Workbook, dict[str, str]]:
    """The workbook and the coordinates of its totals."""
    with translation.override("de"):
        return _build(document)


def _build(document: ProofDocument) -> tuple[Workbook, dict[str, str]]:
    st = document.statement
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    s = _Sheet(ws)
    refs = s.refs

    # --- header ---
    s.text(FORM["title"], TITLE)
    if document.consolidated:
        s.text(FORM["consolidated"], BOLD)
    header: list[tuple[str, Any, str | None]] = [(FORM["recipient"], document.recipient, None)]
    if document.provider:
        header.append((FORM["provider"], document.provider, None))
    header += [
        (FORM["reference"], document.reference, None),
        (FORM["purpose"], document.programme, None),
        (FORM["period"], f"{de_date(st.period_start)} – {de_date(st.period_end)}", None),
        (FORM["contract"], de_date(document.contract_date), None),
    ]
    for label, value, number_format in header:
        s.next()
        s.put(1, label, font=BOLD)
        s.put(2, value, number_format)
    s.next()
    s.put(1, FORM["approved"], font=BOLD)
    approved_row = s.row  # filled once the grant's cell is known
    s.next()
    s.put(1, FORM["paid"], font=BOLD)
    refs["paid"] = s.put(2, st.paid, MONEY)

    # --- I. Sachbericht ---
    s.blank()
    s.text(FORM["section_1"], HEADING)
    reports = [(name, text) for name, text in document.activity_reports if text.strip()]
    if not reports:
        s.text(FORM["no_report"])
    for name, text in reports:
        if name:
            s.text(name, BOLD)
        s.next()
        cell = ws.cell(row=s.row, column=1, value=text.strip())
        cell.data_type = "s"  # text, never a formula (see Sheet.put)
        cell.alignment = WRAP
        ws.merge_cells(start_row=s.row, start_column=1, end_row=s.row, end_column=9)
        ws.row_dimensions[s.row].height = min(400, 15 * (1 + text.count("\n") + len(text) // 120))
    if st.activity is not None:
        s.blank()
        s.text(f"{FORM['figures']} {de_date(st.period_start)} – {de_date(st.period_end)}", BOLD)
        for label, count, indent in activity_lines_de(st.activity):
            s.next()
            s.put(1, ("    " * indent) + label, font=None if count is not None else BOLD)
            if count is not None:
                s.put(2, count, MONTHS)

    # --- II. Zahlenmäßiger Nachweis ---
    s.blank()
    s.text(FORM["section_2"], HEADING)

    # II.1 Einnahmen: columns B (planned EUR), C (%), D (settled EUR), E (%)
    s.text(FORM["income"], BOLD)
    s.next()
    s.put(1, FORM["income_kind"], font=BOLD)
    s.put(2, FORM["planned"], font=BOLD)
    s.put(4, FORM["settled"], font=BOLD)
    s.next()
    for column, label in ((2, FORM["euro"]), (3, FORM["percent"]), (4, FORM["euro"]), (5, FORM["percent"])):
        s.put(column, label, font=BOLD)
    income_rows: dict[str, int] = {}
    public_label = FORM["public_grant"] + (f" {document.public_grant_name}" if document.public_grant_name else "")
    for key, label in (
        ("own_share", FORM["own_share"]),
        ("third_party", FORM["third_party"]),
        ("public_grant", public_label),
        ("state_grant", FORM["state_grant"]),
        ("total", FORM["total"]),
    ):
        s.next()
        s.put(1, label, font=BOLD if key == "total" else None)
        income_rows[key] = s.row
    income_total_row = income_rows["total"]
    # entered income
    for key, planned, settled in (
        ("third_party", st.income_row("third_party").planned, st.income_row("third_party").settled),
        ("public_grant", st.income_row("public_grant").planned, st.income_row("public_grant").settled),
    ):
        ws.cell(row=income_rows[key], column=2, value=planned).number_format = MONEY
        ws.cell(row=income_rows[key], column=4, value=settled).number_format = MONEY

    # II.2 Ausgaben – staff: B fte, C months, D total, E eligible (planned); F–I the same settled
    s.blank()
    s.text(FORM["expenses"], BOLD)
    s.text(FORM["staff"], BOLD)
    s.next()
    s.put(1, FORM["breakdown"], font=BOLD)
    s.put(2, FORM["planned"], font=BOLD)
    s.put(6, FORM["settled"], font=BOLD)
    s.next()
    for offset in (0, 4):
        s.put(2 + offset, FORM["positions"], font=BOLD)
        s.put(3 + offset, FORM["months"], font=BOLD)
        s.put(4 + offset, f"{FORM['sum']} ({FORM['euro']})", font=BOLD)
        s.put(5 + offset, f"{FORM['eligible']} ({FORM['euro']})", font=BOLD)
    subtotal_rows: list[int] = []
    for group in st.staff_groups:
        s.text(group_label(group), BOLD)
        rows: list[int] = []
        for row in group.rows:
            s.next()
            s.put(1, row_label(row))
            a = row.amounts
            for offset, total, eligible in (
                (0, a.planned_total, a.planned_eligible),
                (4, a.settled_total, a.settled_eligible),
            ):
                s.put(2 + offset, row.fte, FTE)
                s.put(3 + offset, row.months, MONTHS)
                s.put(4 + offset, total, MONEY)
                s.put(5 + offset, eligible, MONEY)
            rows.append(s.row)
        s.next()
        s.put(1, f"{FORM['subtotal']} {group_label(group)}", font=BOLD)
        for column in (2, 4, 5, 6, 8, 9):
            s.put(column, _sum(column, rows), FTE if column in (2, 6) else MONEY, BOLD)
        refs[f"staff_{group.position_type}_planned_total"] = _ref(4, s.row)
        refs[f"staff_{group.position_type}_settled_eligible"] = _ref(9, s.row)
        subtotal_rows.append(s.row)
    s.next()
    s.put(1, f"{FORM['total']}:", font=BOLD)
    for column in (2, 4, 5, 6, 8, 9):
        s.put(column, _sum(column, subtotal_rows), FTE if column in (2, 6) else MONEY, BOLD)
    staff_total_row = s.row
    refs.update(
        staff_planned_total=_ref(4, s.row),
        staff_planned_eligible=_ref(5, s.row),
        staff_settled_total=_ref(8, s.row),
        staff_settled_eligible=_ref(9, s.row),
    )

    # material: B total, C eligible (planned); D total, E eligible (settled)
    s.blank()
    s.text(FORM["material"], BOLD)
    s.next()
    s.put(1, FORM["breakdown"], font=BOLD)
    s.put(2, FORM["planned"], font=BOLD)
    s.put(4, FORM["settled"], font=BOLD)
    s.next()
    for offset in (0, 2):
        s.put(2 + offset, f"{FORM['sum']} ({FORM['euro']})", font=BOLD)
        s.put(3 + offset, f"{FORM['eligible']} ({FORM['euro']})", font=BOLD)
    material_rows: list[int] = []
    for item in st.material_rows:
        s.next()
        s.put(1, MATERIAL_DE.get(item.category, item.category))
        a = item.amounts
        for column, value in (
            (2, a.planned_total),
            (3, a.planned_eligible),
            (4, a.settled_total),
            (5, a.settled_eligible),
        ):
            s.put(column, value, MONEY)
        material_rows.append(s.row)
    s.next()
    s.put(1, f"{FORM['total']}:", font=BOLD)
    for column in (2, 3, 4, 5):
        s.put(column, _sum(column, material_rows), MONEY, BOLD)
    material_total_row = s.row
    refs.update(
        material_planned_total=_ref(2, s.row),
        material_planned_eligible=_ref(3, s.row),
        material_settled_total=_ref(4, s.row),
        material_settled_eligible=_ref(5, s.row),
    )

    # expenses total: B planned, D settled (the columns of the income table)
    s.next()
    s.put(1, FORM["expenses_total"], font=BOLD)
    refs["expenses_planned"] = s.put(
        2, Formula(f"={_ref(4, staff_total_row)}+{_ref(2, material_total_row)}"), MONEY, BOLD
    )
    refs["expenses_settled"] = s.put(
        4, Formula(f"={_ref(8, staff_total_row)}+{_ref(4, material_total_row)}"), MONEY, BOLD
    )
    expenses_row = s.row

    # back to II.1: the state grant, the own share, the total and the percentages
    grant = {
        2: f"={_ref(5, staff_total_row)}+{_ref(3, material_total_row)}",
        4: f"={_ref(9, staff_total_row)}+{_ref(5, material_total_row)}",
    }
    for column, formula in grant.items():
        ws.cell(row=income_rows["state_grant"], column=column, value=formula).number_format = MONEY
        own = (
            f"={_ref(column, expenses_row)}-{_ref(column, income_rows['third_party'])}"
            f"-{_ref(column, income_rows['public_grant'])}-{_ref(column, income_rows['state_grant'])}"
        )
        ws.cell(row=income_rows["own_share"], column=column, value=own).number_format = MONEY
        total_formula = f"=SUM({_ref(column, income_rows['own_share'])}:{_ref(column, income_rows['state_grant'])})"
        cell = ws.cell(row=income_total_row, column=column, value=total_formula)
        cell.number_format, cell.font = MONEY, BOLD
        for key, row_number in income_rows.items():
            percent = ws.cell(
                row=row_number,
                column=column + 1,
                value=_percent(_ref(column, row_number), _ref(column, income_total_row)),
            )
            percent.number_format = PERCENT
            refs[f"{key}_{'planned' if column == 2 else 'settled'}"] = _ref(column, row_number)
            refs[f"{key}_{'planned' if column == 2 else 'settled'}_percent"] = _ref(column + 1, row_number)
    refs["approved"] = _ref(2, approved_row)
    ws.cell(row=approved_row, column=2, value=f"={_ref(2, income_rows['state_grant'])}").number_format = MONEY

    # --- III. Ist-Ergebnis: B planned, C settled ---
    s.blank()
    s.text(FORM["section_3"], HEADING)
    s.next()
    s.put(2, FORM["planned"], font=BOLD)
    s.put(3, FORM["result_settled"], font=BOLD)
    s.next()
    s.put(2, FORM["euro"], font=BOLD)
    s.put(3, FORM["euro"], font=BOLD)
    s.next()
    s.put(1, FORM["result_expenses"])
    result_expenses_row = s.row
    for column, source in ((2, 2), (3, 4)):
        refs[f"result_expenses_{'planned' if column == 2 else 'settled'}"] = s.put(
            column, Formula(f"={_ref(source, expenses_row)}"), MONEY
        )
    s.next()
    s.put(1, FORM["result_income"])
    result_income_row = s.row
    for column, source in ((2, 2), (3, 4)):
        formula = Formula(
            f"={_ref(source, income_rows['own_share'])}+{_ref(source, income_rows['third_party'])}"
            f"+{_ref(source, income_rows['public_grant'])}+{refs['paid']}"
        )
        refs[f"result_income_{'planned' if column == 2 else 'settled'}"] = s.put(column, formula, MONEY)
    s.next()
    s.put(1, FORM["more"])
    for column in (2, 3):
        formula = Formula(f"=MAX(0,{_ref(column, result_expenses_row)}-{_ref(column, result_income_row)})")
        refs[f"more_{'planned' if column == 2 else 'settled'}"] = s.put(column, formula, MONEY, BOLD)
    s.next()
    s.put(1, FORM["less"])
    for column in (2, 3):
        formula = Formula(f"=MAX(0,{_ref(column, result_income_row)}-{_ref(column, result_expenses_row)})")
        refs[f"less_{'planned' if column == 2 else 'settled'}"] = s.put(column, formula, MONEY, BOLD)
    s.next()
    s.put(1, FORM["result_income_note"])
    if st.to_repay > 0:
        s.next()
        s.put(1, FORM["repay"], font=BOLD)
        s.put(3, de_date(st.repayment_due_on))

    # --- IV. Bestätigung ---
    s.blank()
    s.text(FORM["section_4"], HEADING)
    if document.consolidated:
        s.text(FORM["consolidated_boxes"])
    s.text(FORM["confirm_intro"])
    ticked = dict(document.confirmations)
    for name, text in CONFIRMATIONS:
        s.next()
        s.put(1, f"{CHECKED if ticked.get(name) else UNCHECKED} {text}")
    s.blank()
    s.next()
    s.put(1, "_" * 30)
    s.put(4, "_" * 30)
    s.next()
    s.put(1, FORM["place_date"])
    s.put(4, FORM["signature"])

    ws.column_dimensions["A"].width = 62
    for column in range(2, 10):
        ws.column_dimensions[get_column_letter(column)].width = 16
    ws.freeze_panes = None
    ws.sheet_view.showGridLines = True
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    return wb, refs


def proof_xlsx(document: ProofDocument) -> bytes:
    wb, _refs = proof_workbook(document)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def money(value: Any) -> Decimal:
    """A cell value read back (float or int) as Decimal cents."""
    from lotse.funding.calc import cents

    return cents(Decimal(str(value)))
