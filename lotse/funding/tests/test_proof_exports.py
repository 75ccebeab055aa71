"""The proof of use as PDF (read back with ``pdftotext``) and as XLSX (numbers are numbers,
totals are formulas; LibreOffice recalculates the workbook to the statement's totals).

The data set is the hand-built one of ``test_proof.py`` (every figure worked out there). Neither
tool is optional: without ``pdftotext`` or ``soffice`` these tests fail with a clear message."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from lotse.audit.models import AuditEvent
from lotse.funding.proof import CONFIRMATION_FIELDS, Statement, load_consolidated
from lotse.funding.proof_pdf import proof_pdf
from lotse.funding.proof_xlsx import MONEY, SHEET, money, proof_workbook, proof_xlsx
from lotse.funding.tests import test_proof
from lotse.funding.tests.test_proof import Y2021, clerk_ctx, load
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db
D = Decimal

# the hand-built data set and the second provider of test_proof.py
hand_built = test_proof.hand_built
second_provider = test_proof.second_provider


def pdftotext(pdf: bytes) -> str:
    """The text of a PDF (poppler-utils); waits briefly for a pending installation, never skips."""
    for _attempt in range(12):
        if shutil.which("pdftotext"):
            break
        time.sleep(5)
    binary = shutil.which("pdftotext")
    assert binary, "pdftotext (poppler-utils) is needed for this test: apt-get install poppler-utils"
    return subprocess.run([binary, "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def recalculated(xlsx: bytes, tmp_path: Path) -> openpyxl.Workbook:
    """The workbook after LibreOffice opened it headless (it computes the formulas, which the
    file does not cache) and saved it again as XLSX with the results."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    assert binary, "LibreOffice (soffice) is needed to recalculate the workbook: apt-get install libreoffice-calc"
    source = tmp_path / "in" / "verwendungsnachweis.xlsx"
    source.parent.mkdir()
    source.write_bytes(xlsx)
    out = tmp_path / "out"
    profile = (tmp_path / "lo-profile").as_uri()
    command = [
        binary,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        str(out),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, timeout=120, check=False)
    target = out / source.name
    assert result.returncode == 0 and target.exists(), (
        f"LibreOffice did not convert the workbook: {result.stdout.decode()} {result.stderr.decode()}"
    )
    return openpyxl.load_workbook(target, data_only=True)


def expected_totals(st: Statement) -> dict[str, Decimal]:
    """Reference name (proof_xlsx refs) → the statement's value."""
    values = {
        "approved": st.approved,
        "paid": st.paid,
        "staff_planned_total": st.staff.planned_total,
        "staff_planned_eligible": st.staff.planned_eligible,
        "staff_settled_total": st.staff.settled_total,
        "staff_settled_eligible": st.staff.settled_eligible,
        "material_planned_total": st.material.planned_total,
        "material_planned_eligible": st.material.planned_eligible,
        "material_settled_total": st.material.settled_total,
        "material_settled_eligible": st.material.settled_eligible,
        "expenses_planned": st.expenses_planned,
        "expenses_settled": st.expenses_settled,
        "result_expenses_planned": st.planned.expenses,
        "result_expenses_settled": st.settled.expenses,
        "result_income_planned": st.planned.income,
        "result_income_settled": st.settled.income,
        "more_planned": st.planned.more,
        "more_settled": st.settled.more,
        "less_planned": st.planned.less,
        "less_settled": st.settled.less,
    }
    for row in st.income:
        values[f"{row.key}_planned"] = row.planned
        values[f"{row.key}_settled"] = row.settled
        values[f"{row.key}_planned_percent"] = row.planned_percent
        values[f"{row.key}_settled_percent"] = row.settled_percent
    for group in st.staff_groups:
        values[f"staff_{group.position_type}_planned_total"] = group.amounts.planned_total
        values[f"staff_{group.position_type}_settled_eligible"] = group.amounts.settled_eligible
    return values


# --- PDF --------------------------------------------------------------------------------------


def test_pdf_shows_the_headings_and_the_totals_in_german(world, hand_built):
    proof = hand_built["proof"]
    proof.refresh_from_db()
    clerk = world.wesel.users[Role.FUNDING_CLERK]
    from lotse.funding import services_proof

    services_proof.proof_update(
        proof,
        actor=clerk,
        expected_version=proof.version,
        fields={"activity_report": "Aufbau des Case Managements ab Februar 2021.", "confirm_conditions": True},
        staff={},
        material={},
    )
    text = pdftotext(proof_pdf(load(world, proof)))
    for heading in ("I. Sachbericht", "II. Zahlenmäßiger Nachweis", "III. Ist-Ergebnis", "IV. Bestätigung"):
        assert heading in text, heading
    assert text.index("I. Sachbericht") < text.index("II. Zahlenmäßiger Nachweis") < text.index("III. Ist-Ergebnis")
    assert text.index("III. Ist-Ergebnis") < text.index("IV. Bestätigung")
    for phrase in (
        "Verwendungsnachweis",
        "Kreis Wesel",
        "36.3.6-KIM-1-2021",
        "KIM 2021",
        "01.03.2021",  # contract
        "Lt. Kooperationsvertrag",
        "Lt. Abrechnung",
        "Zuwendung des Landes",
        "Eigenanteil",
        "Personalausgaben gem. Nr. 5.4.1.1 der RL",
        "Sachausgaben gem. Nr. 5.4.1.2 der RL",
        "Case-Management-Stellen (Jahresbetrag 55.000,00 € / Stelle)",
        "Aufbau des Case Managements ab Februar 2021.",
        "Minderausgaben",
        "31.01.2022",
        "(Rechtsverbindliche Unterschrift)",
    ):
        assert phrase in text, phrase
    # the totals in German format (every figure is worked out in test_proof.py)
    for amount in (
        "50.416,67",  # position A: planned, eligible
        "5.625,00",  # position B
        "56.041,67",  # staff planned
        "55.416,67",  # staff settled, eligible
        "57.000,00",  # staff settled
        "4.100,00",  # material planned
        "3.950,00",  # material settled
        "60.141,67",  # expenses planned = income total planned
        "60.950,00",  # expenses settled
        "56.341,67",  # bewilligt, state grant planned
        "55.666,67",  # state grant settled
        "60.000,00",  # ausgezahlt
        "2.800,00",  # own share planned
        "4.283,33",  # own share settled
        "63.800,00",  # III income planned
        "65.283,33",  # III income settled
        "4.333,33",  # Minderausgaben settled
        "93,68",  # state grant planned %
        "91,33",  # state grant settled %
        "100,00",
    ):
        assert amount in text, amount
    # IV: one box ticked, five empty
    assert text.count("☒") == 1
    assert text.count("☐") == len(CONFIRMATION_FIELDS) - 1


def test_pdf_download_is_audited_with_its_format(world, hand_built, signed_in):
    proof = hand_built["proof"]
    client = signed_in(world.wesel.users[Role.COORDINATOR])
    before = AuditEvent.objects.filter(action="funding.proof_exported").count()
    url = reverse("funding:proof_pdf", kwargs={"tenant": world.wesel.tenant.slug, "pk": proof.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "Verwendungsnachweis" in pdftotext(response.content)
    events = AuditEvent.objects.filter(action="funding.proof_exported").order_by("-pk")
    assert events.count() == before + 1
    assert events[0].details == {"format": "pdf"}
    assert events[0].object_id == str(proof.pk)
    url = reverse("funding:proof_xlsx", kwargs={"tenant": world.wesel.tenant.slug, "pk": proof.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="funding.proof_exported").order_by("-pk")[0].details == {"format": "xlsx"}


def test_consolidated_pdf_names_every_provider(world, hand_built, second_provider):
    document = load_consolidated(clerk_ctx(world), hand_built["programme"], *Y2021)
    assert document is not None
    text = pdftotext(proof_pdf(document))
    assert "Zusammenfassung aller Zuwendungsempfänger" in text
    assert "Kreis Wesel Träger A" in text and "Kreis Wesel Träger B" in text
    assert "90.950,00" in text  # expenses settled of both (test_proof.py)
    assert "8.833,33" in text  # Minderausgaben of both


# --- XLSX -------------------------------------------------------------------------------------


def test_xlsx_has_numbers_and_formulas_and_caches_nothing(world, hand_built):
    document = load(world, hand_built["proof"])
    wb, refs = proof_workbook(document)
    content = proof_xlsx(document)
    ws = openpyxl.load_workbook(io.BytesIO(content))[SHEET]
    assert wb.sheetnames == [SHEET]
    # entered figures are numbers with the money format
    row_a = next(row for row in ws.iter_rows() if str(row[0].value).startswith("Muster, Anna"))
    fte, months, planned, eligible = (cell.value for cell in row_a[1:5])
    assert isinstance(fte, int | float) and D(str(fte)) == D("1")
    assert months == 11
    assert isinstance(planned, int | float) and money(planned) == D("50416.67")
    assert isinstance(eligible, int | float) and money(eligible) == D("50416.67")
    assert row_a[3].number_format == MONEY
    assert isinstance(ws[refs["paid"]].value, int | float)
    assert isinstance(ws[refs["third_party_settled"]].value, int | float)
    # totals are formulas
    for name in (
        "staff_case_manager_planned_total",
        "staff_planned_total",
        "staff_settled_eligible",
        "material_settled_total",
        "expenses_planned",
        "expenses_settled",
        "state_grant_settled",
        "own_share_planned",
        "own_share_settled",
        "own_share_settled_percent",
        "total_settled",
        "result_income_settled",
        "less_settled",
        "more_settled",
        "approved",
    ):
        value = ws[refs[name]].value
        assert isinstance(value, str) and value.startswith("="), (name, value)
    assert ws[refs["staff_case_manager_planned_total"]].value.startswith("=SUM(")
    assert ws[refs["staff_planned_total"]].value.startswith("=SUM(")
    assert ws[refs["material_settled_total"]].value.startswith("=SUM(")
    assert ws[refs["staff_planned_total"]].number_format == MONEY
    # no cached results: a reader that does not compute sees nothing
    cached = openpyxl.load_workbook(io.BytesIO(content), data_only=True)[SHEET]
    assert cached[refs["expenses_settled"]].value is None


def test_libreoffice_recalculates_the_workbook_to_the_statements_totals(world, hand_built, tmp_path):
    document = load(world, hand_built["proof"])
    _wb, refs = proof_workbook(document)
    ws = recalculated(proof_xlsx(document), tmp_path)[SHEET]
    expected = expected_totals(document.statement)
    assert set(expected) <= set(refs)
    mismatches = {
        name: (ws[refs[name]].value, value)
        for name, value in expected.items()
        if ws[refs[name]].value is None or money(ws[refs[name]].value) != value
    }
    assert not mismatches, mismatches
    # spot checks by hand (test_proof.py): expenses settled 60,950.00, own share 4,283.33,
    # Minderausgaben 4,333.33, state grant planned 93.68 %
    assert money(ws[refs["expenses_settled"]].value) == D("60950.00")
    assert money(ws[refs["own_share_settled"]].value) == D("4283.33")
    assert money(ws[refs["less_settled"]].value) == D("4333.33")
    assert money(ws[refs["state_grant_planned_percent"]].value) == D("93.68")


def test_libreoffice_recalculates_the_consolidated_workbook(world, hand_built, second_provider, tmp_path):
    document = load_consolidated(clerk_ctx(world), hand_built["programme"], *Y2021)
    assert document is not None
    _wb, refs = proof_workbook(document)
    ws = recalculated(proof_xlsx(document), tmp_path)[SHEET]
    expected = expected_totals(document.statement)
    mismatches = {
        name: (ws[refs[name]].value, value)
        for name, value in expected.items()
        if ws[refs[name]].value is None or money(ws[refs[name]].value) != value
    }
    assert not mismatches, mismatches
    assert money(ws[refs["expenses_settled"]].value) == D("90950.00")
    assert money(ws[refs["less_settled"]].value) == D("8833.33")


def test_consolidated_downloads_need_a_programme_and_period(world, hand_built, second_provider, signed_in):
    client = signed_in(world.wesel.users[Role.FUNDING_CLERK])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    base = reverse("funding:proof_consolidated_xlsx", kwargs={"tenant": world.wesel.tenant.slug})
    response = client.get(base)
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("funding:proof_consolidated", kwargs={"tenant": world.wesel.tenant.slug})
    )
    query = f"?programme={hand_built['programme'].pk}&period_start=2021-01-01&period_end=2021-12-31"
    response = client.get(base + query)
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content))[SHEET]
    assert ws["A1"].value == "Verwendungsnachweis"
    event = AuditEvent.objects.filter(action="funding.proof_exported").order_by("-pk")[0]
    assert event.details["format"] == "xlsx" and event.details["consolidated"] is True
    # a period without proofs, a foreign programme id, nonsense: back to the page, never a 500
    for bad in (
        f"?programme={hand_built['programme'].pk}&period_start=2021-01-01&period_end=2021-06-30",
        f"?programme={world.coesfeld.objects['programme'].pk}&period_start=2021-01-01&period_end=2021-12-31",
        "?programme=99999999999999999999&period_start=x&period_end=2021-13-45",
    ):
        response = client.get(base + bad)
        assert response.status_code == 302, bad
