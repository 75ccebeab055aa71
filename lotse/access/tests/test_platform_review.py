"""Review of issue 6 (REST API, import/export, privacy operations, backup/restore).

Tests whose docstring starts with ``BUG PROOF`` failed on the reviewed code and proved a defect
that has since been fixed; they stay as regression tests. Every other test is a guard for a
rule that held during the review."""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import World
from lotse.api.tokens import token_create
from lotse.audit.models import AuditEvent
from lotse.cases.models import Case, CaseStatus, FollowUp
from lotse.tenants.models import Membership, Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


# --- helpers ------------------------------------------------------------------------------------


def token_for(world: World, role: str, tenant: str = "wesel") -> str:
    user = world.user(role, tenant)
    membership = Membership.objects.get(user=user, tenant=getattr(world, tenant).tenant)
    return token_create(actor=user, membership=membership, name="review").secret


def api(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = (
    '<row r="1">'
    + _inline("A1", "Pseudonym")
    + _inline("B1", "Fallverantwortung")
    + _inline("C1", "Zugangsweg")
    + _inline("D1", "Eröffnet am")
    + "</row>"
)


def raw_xlsx(rows_xml: str, *, shared: list[str] | None = None, date_style: bool = False) -> bytes:
    """A minimal workbook written by hand, so that cell contents can be anything."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="F" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
            "</Relationships>",
        )
        if shared is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in shared)
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_NS}">{items}</sst>')
        if date_style:
            archive.writestr(
                "xl/styles.xml",
                f'<styleSheet xmlns="{_NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
                "</styleSheet>",
            )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{_NS}"><sheetData>{HEADER_ROW}{rows_xml}</sheetData></worksheet>',
        )
    return out.getvalue()


def _valid_cells(row: int) -> str:
    return (
        _inline(f"A{row}", "Familie A")
        + _inline(f"B{row}", "we-case_manager")
        + _inline(f"C{row}", "Persönliche Vorsprache")
        + _inline(f"D{row}", "01.02.2024")
    )


def _dry_run(world: World, data: bytes) -> Any:
    from lotse.transfer import services

    return services.cases_import(data, tenant=world.wesel.tenant, actor=world.user(Role.COORDINATOR), dry_run=True)[0]


# === BUG PROOFS =================================================================================


@pytest.mark.parametrize(
    ("name", "rows_xml", "shared", "date_style"),
    [
        # a shared-string index that the workbook does not have -> IndexError
        ("shared_string_out_of_range", '<row r="2"><c r="A2" t="s"><v>99</v></c></row>', ["x"], False),
        # a numeric cell whose value is not a number -> ValueError from int()
        ("numeric_cell_not_a_number", '<row r="2"><c r="A2"><v>abc</v></c></row>', None, False),
        # a date-formatted cell with an absurd serial number -> OverflowError in from_excel
        ("date_cell_overflow", '<row r="2"><c r="D2" s="1"><v>1e300</v></c></row>', None, True),
        # a style index that is not a number -> ValueError from int()
        ("style_not_a_number", '<row r="2"><c r="A2" s="x"><v>1</v></c></row>', None, False),
    ],
)
def test_bug_malformed_xlsx_cell_gives_report_not_exception(world, name, rows_xml, shared, date_style):
    """BUG PROOF: a broken XLSX cell must end as a problem in the import report; it escapes
    ``validate`` as IndexError/ValueError/OverflowError instead (HTTP 500 on the upload page),
    because ``read_xlsx.all_rows`` only catches ``XMLSyntaxError``."""
    data = raw_xlsx(rows_xml, shared=shared, date_style=date_style)
    report = _dry_run(world, data)  # must not raise
    assert report.problems, name


def test_bug_malformed_xlsx_upload_page_answers_without_500(world, signed_in):
    """BUG PROOF: the same through the upload view: a coordinator's upload of a workbook with
    a dangling shared-string index answers 500."""
    client = signed_in(world.user(Role.COORDINATOR))
    client.raise_request_exception = False
    data = raw_xlsx('<row r="2"><c r="A2" t="s"><v>99</v></c></row>', shared=["x"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/{world.wesel.tenant.slug}/transfer/import/",
        {"file": SimpleUploadedFile("liste.xlsx", data)},
    )
    assert response.status_code < 500


def test_bug_xlsx_cell_reference_far_right_is_bounded(world):
    """BUG PROOF: ``read_xlsx`` sizes each row by the column letters of the cell reference
    without a bound (Excel stops at XFD = 16,384 columns). A few bytes like ``r="ZZZZZZZ2"``
    make the parser allocate billions of list slots (memory exhaustion of the worker); here a
    moderate ``AAAAA2`` already gives a row of ~475,000 cells."""
    from lotse.transfer.parsers import TableError, read_xlsx

    data = raw_xlsx('<row r="2">' + _inline("AAAAA2", "x") + "</row>")
    try:
        table = read_xlsx(data)
        widths = [len(cells) for _line, cells in table.rows]
    except TableError:
        return  # refused: fine
    assert max(widths) <= 16_384


def test_bug_retention_also_finishes_cases_anonymised_on_consent_revocation(world):
    """BUG PROOF: ``retention_plan`` takes only cases with ``anonymised_at IS NULL``. A case
    anonymised earlier by ``case_anonymise`` (processing consent revoked) keeps what that
    function leaves — pseudonym, follow-up notes, handover reasons, referral override reasons,
    old rectification values — which ``anonymise_fully`` itself names as data that "could still
    point to the client". Retention never reaches it, so it is kept forever."""
    from lotse.cases.services.cases import case_anonymise
    from lotse.privacy import services
    from lotse.privacy.models import RetentionRule

    part = world.wesel
    case = part.case
    closed_on = services.months_before(TODAY, 60)
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_on=closed_on, closure_reason="goals_reached"
    )
    case.refresh_from_db()
    case_anonymise(case, actor=part.users[Role.CASE_MANAGER])
    services.retention_rule(part.tenant)
    RetentionRule.objects.filter(tenant=part.tenant).update(months=36)

    services.retention_execute(services.retention_plan(part.tenant))

    case.refresh_from_db()
    assert case.pseudonym == services.NEUTRAL_PSEUDONYM
    assert not FollowUp.objects.filter(case=case).exclude(note="").exists()


def test_bug_restore_with_a_key_refuses_an_unencrypted_archive(tmp_path):
    """BUG PROOF: when the operator gives a backup key (``--key-file`` / ``LOTSE_BACKUP_KEY``)
    the restore still accepts a *plain* archive: ``ArchiveReader`` checks the key only when the
    header says ``encrypted``. A plain archive's end marker is an unkeyed SHA-256 ("detects
    damage, not a forger"), so whoever can write to the backup storage can swap in a forged
    database dump and ``manage.py restore --key-file …`` loads it (encryption downgrade)."""
    from lotse.core.backup import ArchiveError, archive_check
    from lotse.core.backup.archive import ArchiveWriter, new_key, parse_key
    from lotse.core.backup.manifest import CHECKSUM_VERSION

    path = tmp_path / "forged.bak"
    with path.open("wb") as handle:
        writer = ArchiveWriter(handle, {"vendor": "sqlite", "created_at": "2026-01-01T00:00:00+00:00"}, None)
        writer.dump(b"forged dump")
        writer.finish({"vendor": "sqlite", "checksum_version": CHECKSUM_VERSION, "tables": {}})
    key = parse_key(new_key(), source="test")
    with pytest.raises(ArchiveError):
        archive_check(path, key=key)


# === GUARDS THAT HOLD ===========================================================================


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"Pseudonym;Fallverantwortung;Zugangsweg;Er\xc3\xb6ffnet am\r\n", id="header_only"),
        pytest.param(
            (
                "Pseudonym;Fallverantwortung;Zugangsweg;Eröffnet am\r\n"
                "A;we-case_manager;Persönliche Vorsprache;31.02.2024\r\n"
            ).encode(),
            id="date_31_02",
        ),
        pytest.param(
            "Pseudonym;Fallverantwortung;Zugangsweg;Eröffnet am\r\n".encode()
            + b"A" * 5000
            + b";x;y;01.01.2024\r\nB\x00;x;y;01.01.2024\r\n",
            id="nul_after_4k",
        ),
        pytest.param(
            "Pseudonym;Fallverantwortung;Zugangsweg;Eröffnet am\r\n".encode() + b'"' + b"x" * 300_000 + b'";a;b;c\r\n',
            id="huge_cell",
        ),
        pytest.param(b"\x81\x8d\x8f\x90\x9d" * 10, id="undecodable"),
        pytest.param(b"PK\x03\x04garbage" + b"\x00" * 100, id="broken_zip"),
        pytest.param(b"\x00\x01\x02binary", id="binary"),
    ],
)
def test_guard_bad_csv_or_garbage_gives_a_report(world, data):
    """Guard: malformed CSV/garbage files end in the report, never in an exception."""
    report = _dry_run(world, data)
    assert report.problems


def test_guard_cp1252_csv_is_read(world):
    """Guard: a Windows-1252 CSV from German Excel is decoded, its umlauts intact."""
    from lotse.transfer.case_import import validate

    data = (
        "Pseudonym;Fallverantwortung;Zugangsweg;Eröffnet am\r\n"
        "Müller;we-case_manager;Persönliche Vorsprache;01.02.2024\r\n"
    ).encode("cp1252")
    report, rows = validate(data, tenant=world.wesel.tenant)
    assert not report.problems and rows[0].fields["pseudonym"] == "Müller"


def test_guard_report_csv_defuses_formulas():
    """Guard: the error report and exports put an apostrophe before formula starts."""
    from lotse.transfer.exports import csv_text, table_csv

    assert csv_text('=HYPERLINK("http://x")').startswith("'")
    assert csv_text("@SUM(A1)").startswith("'")
    assert b"'=1+1" in table_csv([["=1+1"]])


def test_guard_formula_cell_in_xlsx_report_is_text():
    """Guard: in XLSX the report writes ``=…`` as a string cell, not as a formula."""
    import openpyxl

    from lotse.transfer.exports import table_xlsx

    book = openpyxl.load_workbook(io.BytesIO(table_xlsx([["=1+1"]], title="t")))
    cell = book.active["A1"]
    assert cell.data_type == "s" and cell.value == "=1+1"


def test_guard_ordering_and_filters_on_hidden_fields_are_ignored(world):
    """Guard: ordering by pseudonym of the case / identity / notes is not whitelisted; unknown
    filters are ignored (no oracle)."""
    client = api(token_for(world, Role.COORDINATOR))
    base = client.get("/api/v1/contacts/").json()
    for ordering in (
        "note",
        "-note",
        "case__pseudonym",
        "case__identity__duplicate_key",
        "case__case_manager__password",
    ):
        response = client.get("/api/v1/contacts/", {"ordering": ordering})
        assert response.status_code == 200
        assert response.json() == base
    for param in ("note__icontains", "case__identity__duplicate_key"):
        assert client.get("/api/v1/contacts/", {param: "zzz"}).json() == base


def test_guard_coordinator_gets_no_notes_and_no_identity(world):
    """Guard: coordinators see contact notes and goal texts as null and get 403 on identity."""
    from lotse.cases.models import Contact

    Contact.objects.filter(pk=world.wesel.objects["contact"].pk).update(note="Geheime Notiz")
    client = api(token_for(world, Role.COORDINATOR))
    body = json.dumps(client.get("/api/v1/contacts/").json())
    assert "Geheime Notiz" not in body
    assert client.get(f"/api/v1/cases/{world.wesel.case.pk}/identity/").status_code == 403


def test_guard_identity_read_via_api_is_audited(world):
    """Guard: the case manager's identity read through the API is audited."""
    client = api(token_for(world, Role.CASE_MANAGER))
    before = AuditEvent.objects.filter(action="identity.viewed").count()
    response = client.get(f"/api/v1/cases/{world.wesel.case.pk}/identity/")
    assert response.status_code == 200 and response.json()["family_name"] == "Testfall"
    assert AuditEvent.objects.filter(action="identity.viewed").count() == before + 1


def test_guard_token_stops_with_user_membership_or_tenant(world):
    """Guard: a token stops working when user, membership or tenant is deactivated."""
    from lotse.accounts.models import User
    from lotse.tenants.models import Tenant

    for switch in ("user", "membership", "tenant"):
        secret = token_for(world, Role.CASE_MANAGER)
        client = api(secret)
        assert client.get("/api/v1/me/").status_code == 200
        user = world.user(Role.CASE_MANAGER)
        if switch == "user":
            User.objects.filter(pk=user.pk).update(is_active=False)
        elif switch == "membership":
            Membership.objects.filter(user=user, tenant=world.wesel.tenant).update(is_active=False)
        else:
            Tenant.objects.filter(pk=world.wesel.tenant.pk).update(is_active=False)
        assert client.get("/api/v1/me/").status_code == 401, switch
        User.objects.filter(pk=user.pk).update(is_active=True)
        Membership.objects.filter(user=user, tenant=world.wesel.tenant).update(is_active=True)
        Tenant.objects.filter(pk=world.wesel.tenant.pk).update(is_active=True)


def test_guard_write_cannot_change_owner_tenant_status_or_restriction(world):
    """Guard: extra fields in a PATCH change nothing of tenant, manager, status, restriction."""
    client = api(token_for(world, Role.CASE_MANAGER))
    case = world.wesel.case
    body = {
        "version": case.version,
        "pseudonym": "Neu",
        "tenant": world.coesfeld.tenant.pk,
        "case_manager": world.user(Role.CASE_MANAGER, "coesfeld").pk,
        "status": "closed",
        "restricted_at": timezone.now().isoformat(),
        "anonymised_at": timezone.now().isoformat(),
        "is_anonymous": True,
    }
    response = client.patch(f"/api/v1/cases/{case.pk}/", json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.tenant_id, fresh.case_manager_id, fresh.status) == (case.tenant_id, case.case_manager_id, "open")
    assert fresh.restricted_at is None and fresh.anonymised_at is None and not fresh.is_anonymous


def test_guard_restricted_case_refuses_api_writes(world):
    """Guard: a restricted case answers 409 to a PATCH and to a new contact."""
    case = world.wesel.case
    Case.objects.filter(pk=case.pk).update(restricted_at=timezone.now())
    client = api(token_for(world, Role.CASE_MANAGER))
    response = client.patch(
        f"/api/v1/cases/{case.pk}/",
        json.dumps({"version": case.version, "pseudonym": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 409
    contact = {
        "case": case.pk,
        "occurred_on": TODAY.isoformat(),
        "kind": "in_person",
        "duration_minutes": 5,
        "effort_minutes": 5,
    }
    assert client.post("/api/v1/contacts/", json.dumps(contact), content_type="application/json").status_code == 409


def test_guard_retention_skips_open_and_restricted_and_is_idempotent(world):
    """Guard: retention leaves open and restricted cases alone; a second run does nothing."""
    from lotse.privacy import services
    from lotse.privacy.models import RetentionRule

    part = world.wesel
    services.retention_rule(part.tenant)
    RetentionRule.objects.filter(tenant=part.tenant).update(months=1)
    Case.objects.filter(pk=part.case.pk).update(opened_on=services.months_before(TODAY, 50))
    restricted = Case.objects.create(
        tenant=part.tenant,
        number="R-1",
        pseudonym="Restr",
        provider=part.provider,
        intake_channel="walk_in",
        opened_on=services.months_before(TODAY, 50),
        status=CaseStatus.CLOSED,
        closed_on=services.months_before(TODAY, 40),
        closure_reason="goals_reached",
        restricted_at=timezone.now(),
    )
    first = services.retention_execute(services.retention_plan(part.tenant))
    second = services.retention_execute(services.retention_plan(part.tenant))
    assert first == [] and second == []
    assert Case.objects.get(pk=part.case.pk).anonymised_at is None
    assert Case.objects.get(pk=restricted.pk).anonymised_at is None


def test_guard_wrong_backup_key_is_refused(tmp_path):
    """Guard: an encrypted archive refuses a wrong key and a missing key."""
    from lotse.core.backup import ArchiveError, archive_check
    from lotse.core.backup.archive import ArchiveWriter, new_key, parse_key
    from lotse.core.backup.manifest import CHECKSUM_VERSION

    key = parse_key(new_key(), source="t")
    path = tmp_path / "ok.bak"
    with path.open("wb") as handle:
        writer = ArchiveWriter(handle, {"vendor": "sqlite", "created_at": "x"}, key)
        writer.dump(b"dump")
        writer.finish({"vendor": "sqlite", "checksum_version": CHECKSUM_VERSION, "tables": {}})
    archive_check(path, key=key)
    for other in (parse_key(new_key(), source="t"), None):
        with pytest.raises(ArchiveError):
            archive_check(path, key=other)


def test_guard_pg_tools_get_no_password_on_the_command_line(monkeypatch):
    """Guard: pg_restore is started without a shell and without the password in argv."""
    import subprocess

    from lotse.core.backup import databases

    seen: dict[str, Any] = {}

    class Fake:
        def __init__(self, args, **kwargs):  # type: ignore[no-untyped-def]
            seen["args"], seen["kwargs"] = args, kwargs
            self.stdin = io.BytesIO()

        def wait(self) -> int:
            return 0

    monkeypatch.setattr(subprocess, "Popen", Fake)
    monkeypatch.setattr(databases, "_tool", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(databases, "pg_environment", lambda using: {"PGPASSWORD": "s3cr3t; rm -rf /"})
    databases.pg_restore("default", [b"x"])
    assert not seen["kwargs"].get("shell")
    assert all("s3cr3t" not in a for a in seen["args"])
