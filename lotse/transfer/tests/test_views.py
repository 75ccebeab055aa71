"""Import pages (upload → report → import), downloads and the streamed list exports."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from lotse.audit.models import AuditEvent
from lotse.cases.models import Case
from lotse.cases.services import cases as case_services
from lotse.transfer.models import ImportUpload
from lotse.transfer.services import uploads_purge
from lotse.transfer.tests.helpers import csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db


def url(world, name: str) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"transfer:{name}", kwargs={"tenant": world.wesel.tenant.slug})


def upload(client, world, data: bytes, name: str = "liste.csv"):  # type: ignore[no-untyped-def]
    return client.post(url(world, "import_start"), {"file": SimpleUploadedFile(name, data)})


def new_cases(world) -> int:  # type: ignore[no-untyped-def]
    return Case.objects.filter(tenant=world.wesel.tenant).exclude(pk=world.wesel.case.pk).count()


def csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_upload_report_fix_and_import(world, signed_in):
    client = signed_in(world.wesel.users["coordinator"])
    bad = [row(Pseudonym="Fall 1"), row(Pseudonym="Fall 2", Fallverantwortung="unbekannt"), row(Pseudonym="Fall 3")]
    response = upload(client, world, csv_bytes(bad))
    assert response.status_code == 302 and response["Location"] == url(world, "import_review")
    # the file is stored encrypted: no pseudonym in the stored bytes
    stored = ImportUpload.objects.get()
    assert b"Fall 2" not in bytes(stored.ciphertext) and b"unbekannt" not in bytes(stored.report_ciphertext)
    page = client.get(url(world, "import_review"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fallverantwortung" in html and "unbekannt" in html and 'name="confirm"' not in html
    # the report downloads name the row as in the spreadsheet
    report = csv_rows(client.get(url(world, "import_report") + "?format=csv"))
    assert report[0] == ["Zeile", "Spalte", "Problem", "Wert"]
    assert [(r[0], r[1], r[3]) for r in report[1:]] == [("3", "Fallverantwortung", "unbekannt")]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url(world, "import_report") + "?format=xlsx").content)).active
    assert [c.value for c in sheet[2]][:2] == [3, "Fallverantwortung"]
    # a forced import of the bad file writes nothing
    client.post(url(world, "import_review"), {"confirm": "1"})
    assert new_cases(world) == 0
    # fixed: the new upload replaces the old one, the import runs, the upload is deleted
    bad[1]["Fallverantwortung"] = "we-case_manager"
    upload(client, world, xlsx_bytes(bad), name="liste.xlsx")
    assert ImportUpload.objects.count() == 1
    assert 'name="confirm"' in client.get(url(world, "import_review")).content.decode()
    done = client.post(url(world, "import_review"), {"confirm": "1"})
    assert done.status_code == 302 and new_cases(world) == 3
    assert ImportUpload.objects.count() == 0
    assert AuditEvent.objects.filter(action="transfer.cases_imported").count() == 1
    assert client.get(url(world, "import_review")).status_code == 302


def test_the_import_needs_confirmation_and_can_be_discarded(world, signed_in):
    client = signed_in(world.wesel.users["coordinator"])
    upload(client, world, csv_bytes([row()]))
    client.post(url(world, "import_review"), {})
    assert new_cases(world) == 0
    client.post(url(world, "import_review"), {"action": "discard"})
    assert ImportUpload.objects.count() == 0 and new_cases(world) == 0


def test_an_upload_belongs_to_its_uploader_and_expires(world, signed_in):
    coordinator = world.wesel.users["coordinator"]
    upload(signed_in(coordinator), world, csv_bytes([row()]))
    stored = ImportUpload.objects.get()
    # another session of the same tenant sees no waiting upload
    other = signed_in(world.wesel.users["coordinator"])
    assert other.get(url(world, "import_review")).status_code == 302
    assert uploads_purge(now=timezone.now()) == 0
    assert uploads_purge(now=stored.created_at + datetime.timedelta(hours=2)) == 1
    assert not ImportUpload.objects.exists()


@override_settings(IMPORT_MAX_BYTES=1000)
def test_too_large_and_wrong_files_are_refused_clearly(world, signed_in):
    client = signed_in(world.wesel.users["coordinator"])
    response = upload(client, world, csv_bytes([row(Pseudonym=f"F{i}") for i in range(100)]))
    assert response.status_code == 200 and "MB" in response.content.decode()
    assert not ImportUpload.objects.exists()
    response = upload(client, world, b"")
    assert response.status_code == 302  # the empty file gets its report
    assert 'name="confirm"' not in client.get(url(world, "import_review")).content.decode()
    report = csv_rows(client.get(url(world, "import_report")))
    assert len(report) == 2 and report[1][0] == "" and report[1][2]  # one problem of the whole file


def test_templates_have_the_german_header_and_an_example(world, signed_in):
    client = signed_in(world.wesel.users["coordinator"])
    rows = csv_rows(client.get(url(world, "import_template") + "?format=csv"))
    assert rows[0][:2] == ["Fallnummer", "Pseudonym"] and rows[1][1] == "Familie aus Aleppo 3"
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(url(world, "import_template") + "?format=xlsx").content)
    ).active
    assert [c.value for c in sheet[1]] == rows[0]


def _open_case(world, pseudonym: str, tenant: str = "wesel"):  # type: ignore[no-untyped-def]
    part = getattr(world, tenant)
    return case_services.case_open(
        actor=part.users["case_manager"],
        tenant=part.tenant,
        case_manager_id=part.users["case_manager"].pk,
        provider=part.provider,
        pseudonym=pseudonym,
        intake_channel="walk_in",
    )


def test_case_export_csv_scope_no_identity_and_formula_guard(world, signed_in):
    _open_case(world, '=HYPERLINK("http://x","y")')
    _open_case(world, "Coesfelder Fall", tenant="coesfeld")
    for role in ("coordinator", "case_manager"):
        client = signed_in(world.wesel.users[role])
        response = client.get(url(world, "export_cases"))
        assert response.streaming and response["Content-Type"].startswith("text/csv")
        rows = csv_rows(response)
        assert "Vorname" not in rows[0] and "Nachname" not in rows[0]
        pseudonyms = {r[1] for r in rows[1:]}
        assert pseudonyms == {"Fall Test", '\'=HYPERLINK("http://x","y")'}
        body = "\n".join(";".join(r) for r in rows)
        assert "Amina" not in body and "Testfall" not in body  # the identity of the world's case
    assert AuditEvent.objects.filter(action="transfer.list_exported").count() == 2


def test_case_export_xlsx_stores_formulas_as_text_and_respects_filters(world, signed_in):
    _open_case(world, "=1+1")
    client = signed_in(world.wesel.users["coordinator"])
    response = client.get(url(world, "export_cases") + "?format=xlsx&q=%3D1")
    body = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 1 and rows[0][1].value == "=1+1" and rows[0][1].data_type == "s"
    assert isinstance(rows[0][10].value, datetime.datetime)  # "Eröffnet am" is a date cell


def test_contact_and_barrier_exports_follow_the_scope(world, signed_in):
    other_cm = signed_in(world.wesel.users["coordinator"])
    contacts = csv_rows(other_cm.get(url(world, "export_contacts")))
    assert "Notiz" not in contacts[0] and len(contacts) == 2 and contacts[1][0] == world.wesel.case.number
    barriers = csv_rows(other_cm.get(url(world, "export_barriers") + "?format=csv"))
    assert [r[6] for r in barriers[1:]] == ["Wartezeit Integrationskurs"]
    cm = signed_in(world.wesel.users["case_manager"])
    assert "Notiz" in csv_rows(cm.get(url(world, "export_contacts")))[0]
    # Coesfeld's contacts and barriers never appear in Wesel's lists
    coesfeld = signed_in(world.coesfeld.users["case_manager"])
    rows = csv_rows(coesfeld.get(reverse("transfer:export_contacts", kwargs={"tenant": world.coesfeld.tenant.slug})))
    assert {r[0] for r in rows[1:]} == {world.coesfeld.case.number}
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(cm.get(url(world, "export_barriers") + "?format=xlsx").streaming_content))
    ).active
    assert sheet.max_row == 2


def test_uploads_are_kept_in_memory_not_in_temporary_files(world, signed_in, tmp_path, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # a normal handler would spill to disk
    client = signed_in(world.wesel.users["coordinator"])
    response = upload(client, world, csv_bytes([row(Pseudonym=f"Fall {i}") for i in range(200)]))
    assert response.status_code == 302 and list(tmp_path.iterdir()) == []


def test_barrier_export_carries_the_register_filters(world, signed_in):
    """The register's "Export (Excel)" exports what the register shows, not the whole register."""
    client = signed_in(world.wesel.users["coordinator"])
    assert len(csv_rows(client.get(url(world, "export_barriers") + "?format=csv&domain=language"))) == 2
    assert len(csv_rows(client.get(url(world, "export_barriers") + "?format=csv&domain=housing"))) == 1
    assert len(csv_rows(client.get(url(world, "export_barriers") + "?format=csv&institution=Jobcenter"))) == 1
    # an unusable filter value exports what the register then shows: everything
    assert len(csv_rows(client.get(url(world, "export_barriers") + "?format=csv&date_from=31.02.2024"))) == 2


@pytest.mark.parametrize(
    ("page", "query", "export", "expected"),
    [
        ("cases:list", "status=closed&q=Fall", "transfer:export_cases", ["status=closed", "q=Fall", "format=xlsx"]),
        ("cases:list", "", "transfer:export_cases", ["status=active", "format=xlsx"]),
        ("steering:barrier_register", "domain=housing&page=2", "transfer:export_barriers", ["domain=housing"]),
    ],
)
def test_the_export_link_follows_the_filters_also_when_htmx_updates_the_list(
    world, signed_in, page, query, export, expected
):
    client = signed_in(world.wesel.users["coordinator"])
    slug = world.wesel.tenant.slug
    target = reverse(export, kwargs={"tenant": slug})
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        html = client.get(reverse(page, kwargs={"tenant": slug}) + f"?{query}", **headers).content.decode()
        links = [part.split('"', 1)[0] for part in html.split(f'href="{target}?')[1:]]
        assert len(links) == 1, (headers, links)
        params = links[0].replace("&amp;", "&").split("&")
        assert all(p in params for p in expected), (headers, params)
        assert not any(p.startswith("page=") for p in params)
