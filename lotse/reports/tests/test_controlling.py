"""The state controlling export (:mod:`lotse.reports.controlling` and its files) on a
hand-built world.

Period: the last 200 days. Kreis Wesel: provider A has the world's case and six more opened in
the period (7 opened, 7 active), provider B three (3 → "< 5"); nothing was closed. The world's
case has one goal (work), one contact, one referral (sent) and the world's theme (level 1);
provider A has one case-management position of 1.00 FTE. Kreis Coesfeld has only the world's
case (1 → "< 5") and the same one position, goal, contact, referral and theme.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl import load_workbook

from lotse.cases.identity import IdentityData
from lotse.cases.models import Case
from lotse.cases.services import identity
from lotse.cases.services.cases import case_open
from lotse.reports import controlling
from lotse.reports.controlling_export import CSV_HEADER, export
from lotse.reports.indicators import Period
from lotse.tenants.models import Role, Tenant
from lotse.tenants.tests.factories import ProviderFactory, TenantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """Tables built in English (msgids); the files are German whatever the language."""
    with translation.override("en"):
        yield


TODAY = timezone.localdate()
PERIOD = Period(TODAY - datetime.timedelta(days=200), TODAY)


def open_cases(part: Any, provider: Any, count: int, label: str) -> list[Case]:
    actor = part.users[Role.CASE_MANAGER]
    return [
        case_open(
            actor=actor,
            tenant=part.tenant,
            case_manager_id=None,
            provider=provider,
            pseudonym=f"Geheim {label} {number}",
            intake_channel="walk_in",
            opened_on=TODAY - datetime.timedelta(days=10 + number),
        )
        for number in range(count)
    ]


@pytest.fixture
def cases(world):  # type: ignore[no-untyped-def]
    """The hand-built cases; the first of provider B gets an identity too."""
    made = open_cases(world.wesel, world.wesel.provider, 6, "WeselA")
    made += open_cases(world.wesel, world.wesel.other_provider, 3, "WeselB")
    identity.identity_record(
        made[6],
        actor=world.wesel.users[Role.CASE_MANAGER],
        data=IdentityData(given_name="Zoltan", family_name="Verborgen", birth_date=datetime.date(1985, 3, 9)),
        expected_version=0,
    )
    return [world.wesel.case, world.coesfeld.case, *made]


def table(report: controlling.Controlling, section: str, group: str) -> dict[str, list[Any]]:
    found = next(s for s in report.sections if s.title == section)
    return {row.label: row.cells for row in next(t for t in found.tables if t.group.key == group).rows}


def test_coordinator_gets_the_own_district_suppressed(world, cases, ctx):
    report = controlling.build(ctx(Role.COORDINATOR), PERIOD)
    assert [s.title for s in report.sections] == ["Kreis Wesel"]
    a, b = "Kreis Wesel Träger A", "Kreis Wesel Träger B"
    # opened and active: A 7, B 3, total 10 – B is small, so A is hidden too (10 - 7 = 3)
    assert table(report, "Kreis Wesel", "cases") == {a: ["x", "x", 0], b: ["< 5", "< 5", 0], "Total": [10, 10, 0]}
    # one goal (work), one contact, one referral sent, all at provider A
    domains = table(report, "Kreis Wesel", "domains")
    assert domains[a][3] == "< 5" and domains["Total"][3] == "< 5"
    assert sum(1 for v in domains[a] if v == 0) == 9 and domains[b] == [0] * 10
    assert table(report, "Kreis Wesel", "contacts") == {a: ["< 5"], b: [0], "Total": ["< 5"]}
    referrals = table(report, "Kreis Wesel", "referrals")
    assert referrals[a] == ["< 5", 0, 0, 0, 0, "< 5"]
    assert referrals[b] == [0] * 6
    # staff: not suppressed, two decimals
    staff = table(report, "Kreis Wesel", "staff")
    assert staff[a] == [Decimal("1.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), Decimal("1.00")]
    assert staff["Total"][-1] == Decimal("1.00")
    # themes: the district row only, one theme at level 1
    assert table(report, "Kreis Wesel", "themes") == {"Kreis Wesel": ["< 5", 0, 0, 0, 0, "< 5"]}


def test_state_analyst_gets_every_district_and_the_state(world, cases, ctx):
    report = controlling.build(ctx(Role.STATE_ANALYST), PERIOD)
    assert [s.title for s in report.sections] == ["All districts", "Kreis Coesfeld", "Kreis Wesel"]
    # Coesfeld opened 1, Wesel 10, together 11: Wesel must be hidden (11 - 10 = 1)
    state = table(report, "All districts", "cases")
    assert state == {"Kreis Coesfeld": ["< 5", "< 5", 0], "Kreis Wesel": ["x", "x", 0], "All districts": [11, 11, 0]}
    # the Wesel total is the same cell in the state table and in the Wesel table: hidden in
    # both. Provider A's 7 is hidden too: every case opened in the period is active in it
    # (opened <= active), so with A's opened 7 shown, A's active (x) would follow as 7
    wesel = table(report, "Kreis Wesel", "cases")
    assert wesel == {
        "Kreis Wesel Träger A": ["x", "x", 0],
        "Kreis Wesel Träger B": ["< 5", "< 5", 0],
        "Total": ["x", "x", 0],
    }
    assert table(report, "Kreis Coesfeld", "cases")["Total"] == ["< 5", "< 5", 0]
    # narrowing to one district leaves out the others, never changes the marks
    narrowed = controlling.build(ctx(Role.STATE_ANALYST), PERIOD, [world.wesel.tenant.pk])
    assert [s.title for s in narrowed.sections] == ["Kreis Wesel"]
    assert table(narrowed, "Kreis Wesel", "cases") == wesel


def test_coordinator_of_coesfeld_sees_only_coesfeld(world, cases, ctx):
    report = controlling.build(ctx(Role.COORDINATOR, "coesfeld"), PERIOD, [world.wesel.tenant.pk])
    assert report.sections == []
    report = controlling.build(ctx(Role.COORDINATOR, "coesfeld"), PERIOD)
    assert [s.title for s in report.sections] == ["Kreis Coesfeld"]


def test_other_roles_get_nothing(world, cases, ctx):
    for role in (Role.FUNDING_CLERK, Role.CASE_MANAGER, Role.PROVIDER_LEAD, Role.TENANT_ADMIN):
        assert controlling.build(ctx(role), PERIOD).sections == []


def xlsx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def secrets(world: Any, cases: list[Case]) -> list[str]:
    """What must never leave: case numbers, pseudonyms, identities, staff names."""
    values = ["Amina", "Testfall", "Zoltan", "Verborgen", "1990-05-17", "17.05.1990", "1985-03-09"]
    for case in cases:
        values += [case.number, case.pseudonym]
    for part in (world.wesel, world.coesfeld):
        for user in part.users.values():
            # the full name: a single first or last name may also be a word of the tables
            values += [user.username, user.email, f"{user.first_name} {user.last_name}"]
    return values


def test_all_three_formats(world, cases, ctx):
    outputs = {code: export(ctx(Role.STATE_ANALYST), PERIOD, None, code) for code in ("json", "csv", "xlsx")}

    # JSON: numbers as numbers, suppressed cells as the strings
    document = json.loads(outputs["json"])
    assert document["period"] == {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()}
    assert set(document["definitions"]) == {"cases", "domains", "contacts", "referrals", "staff", "themes"}
    assert "< 5" in document["legend"] and "x" in document["legend"]
    state = document["sections"][0]
    cases_table = next(t for t in state["tables"] if t["group"] == "cases")
    assert [row["cells"] for row in cases_table["rows"]] == [["< 5", "< 5", 0], ["x", "x", 0], [11, 11, 0]]
    assert [c["code"] for c in cases_table["columns"]] == ["opened", "active", "closed"]
    staff = next(t for t in document["sections"][2]["tables"] if t["group"] == "staff")
    assert staff["suppressed"] is False
    assert staff["rows"][0]["cells"] == [1.0, 0.0, 0.0, 0.0, 1.0]

    # CSV: BOM, semicolons, German header, one line per cell as shown
    text = outputs["csv"].decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0] == CSV_HEADER
    state_title = rows[1][2]  # the state section comes first
    by_key = {(r[2], r[4], r[6], r[8]): r[9] for r in rows[1:]}
    assert by_key[(state_title, "Kreis Wesel", "cases", "opened")] == "x"
    assert by_key[(state_title, "Kreis Coesfeld", "cases", "opened")] == "< 5"
    state_total = next(r for r in rows[1:] if r[3] == "Land" and r[6] == "cases" and r[8] == "opened")
    assert state_total[9] == "11"
    assert by_key[("Kreis Wesel", "Kreis Wesel Träger A", "cases", "opened")] == "x"
    assert by_key[("Kreis Wesel", "Kreis Wesel Träger B", "cases", "opened")] == "< 5"
    assert by_key[("Kreis Wesel", "Kreis Wesel Träger A", "staff", "total")] == "1,00"
    wesel_total = next(r for r in rows[1:] if r[2] == "Kreis Wesel" and r[3] == "Kreis" and r[8] == "opened")
    assert wesel_total[4] == "Gesamt" and wesel_total[9] == "x"
    line = next(r for r in rows[1:] if r[4] == "Kreis Wesel Träger B" and r[8] == "opened")
    assert line[:2] == [PERIOD.start.isoformat(), PERIOD.end.isoformat()] and line[3] == "Träger"
    assert line[5] == "Fälle"  # the group title, German
    # cells: 3 groups without totals and 3 with, per row
    widths = {"cases": 3, "domains": 10, "contacts": 1, "referrals": 6, "staff": 5, "themes": 6}
    provider_groups = sum(w for g, w in widths.items() if g != "themes")
    # state: 3 rows per group; each district: 3 rows per provider group and 1 theme row
    assert len(rows) - 1 == 3 * sum(widths.values()) + 2 * (3 * provider_groups + widths["themes"])

    # XLSX: a legend sheet, then the state and each district; numbers are numbers
    book = load_workbook(io.BytesIO(outputs["xlsx"]))
    assert book.sheetnames[1:] == [state_title, "Kreis Coesfeld", "Kreis Wesel"]
    legend_text = " ".join(str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value)
    assert PERIOD.start.strftime("%d.%m.%Y") in legend_text and "< 5" in legend_text
    sheet = book["Kreis Wesel"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    provider_a = next(r for r in values if r[0] == "Kreis Wesel Träger A")
    assert provider_a[:4] == ["Kreis Wesel Träger A", "x", "x", 0]
    assert isinstance(provider_a[3], int)  # a count shown is a number, not a text
    provider_b = next(r for r in values if r[0] == "Kreis Wesel Träger B")
    assert provider_b[:4] == ["Kreis Wesel Träger B", "< 5", "< 5", 0]
    fte = [r for r in values if r[0] == "Kreis Wesel Träger A"][4]  # cases, domains, contacts, referrals, staff
    assert fte[1] == 1 and fte[5] == 1

    # nothing that points to a person, in any of the files
    haystacks = [outputs["json"].decode("utf-8"), text, xlsx_text(outputs["xlsx"])]
    for secret in secrets(world, cases):
        for haystack in haystacks:
            assert secret not in haystack, secret


def test_coordinator_export_holds_the_own_district_only(world, cases, ctx):
    document = json.loads(export(ctx(Role.COORDINATOR), PERIOD, None, "json"))
    assert [s["title"] for s in document["sections"]] == ["Kreis Wesel"]
    assert "Coesfeld" not in json.dumps(document)


def test_the_number_of_queries_does_not_grow_with_the_districts(world, cases, ctx):
    """One district (Coesfeld switched off), then three (Coesfeld back, Borken new): the
    same nine queries – two for the districts, six for the figures, one for the providers."""
    analyst = ctx(Role.STATE_ANALYST)
    Tenant.objects.filter(pk=world.coesfeld.tenant.pk).update(is_active=False)
    with CaptureQueriesContext(connection) as one:
        report = controlling.build(analyst, PERIOD)
    assert [s.title for s in report.sections] == ["All districts", "Kreis Wesel"]
    Tenant.objects.filter(pk=world.coesfeld.tenant.pk).update(is_active=True)
    tenant = TenantFactory(name="Kreis Borken", slug="kreis-borken")
    provider = ProviderFactory(tenant=tenant, name="Borken Träger")
    case_open(
        actor=world.analyst,
        tenant=tenant,
        case_manager_id=None,
        provider=provider,
        pseudonym="Borken",
        intake_channel="walk_in",
        opened_on=TODAY,
    )
    with CaptureQueriesContext(connection) as three:
        report = controlling.build(analyst, PERIOD)
    assert [s.title for s in report.sections] == ["All districts", "Kreis Borken", "Kreis Coesfeld", "Kreis Wesel"]
    assert table(report, "Kreis Borken", "cases") == {"Borken Träger": ["< 5", "< 5", 0], "Total": ["< 5", "< 5", 0]}
    assert len(one.captured_queries) == len(three.captured_queries) == 9


def test_inconsistent_records_do_not_break_the_export(world, cases, ctx):
    """A case closed before it was opened (bad data) counts as opened but not as active: the
    relation opened <= active does not hold, so it is not used – and nothing fails."""
    case = cases[2]
    Case.objects.filter(pk=case.pk).update(closed_on=TODAY - datetime.timedelta(days=300))
    report = controlling.build(ctx(Role.COORDINATOR), PERIOD)
    wesel = table(report, "Kreis Wesel", "cases")
    assert wesel["Total"][0] == 10  # opened, the bad case included
    assert json.loads(export(ctx(Role.STATE_ANALYST), PERIOD, None, "json"))["sections"]
