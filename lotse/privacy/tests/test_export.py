"""Access request and portability (Art. 15/20): the export for client A holds A's data and no
value of a deliberately similar client B (same family name, birth dates a day apart, same
provider and case manager, both referred to the same agency, B's case number A's with a digit
appended)."""

from __future__ import annotations

import datetime
import json
import subprocess
import tempfile
from pathlib import Path

import pytest

from lotse.audit.models import AuditEvent
from lotse.privacy import export
from lotse.privacy.tests.helpers import client_case, open_request
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db

A = {
    "pseudonym": "Sonnenblume",
    "given_name": "Amina",
    "family_name": "Yilmaz",
    "birth_date": datetime.date(1990, 5, 17),
    "street": "Rheinstraße 12",
    "phone": "0281 111111",
    "email": "amina.yilmaz@example.org",
    "languages": "Türkisch",
    "situation": "Sucht Teilzeitstelle als Erzieherin",
    "goal": "Anerkennung Erzieherinnenabschluss",
    "step": "Zeugnisse übersetzen lassen",
    "contact_note": "Gespräch über Kita-Platz Tochter",
    "follow_up": "Rückruf Anerkennungsstelle",
    "referral_note": "Termin Jobcenter Montag",
    "barrier": "Anerkennung dauert über ein Jahr",
    "household": "Tochter geht in die 3. Klasse",
    "file_name": "Zeugnis_Amina.pdf",
    "document_title": "Abschlusszeugnis Amina",
}
B = {
    "pseudonym": "Sonnenstrahl",
    "given_name": "Amira",
    "family_name": "Yilmaz",
    "birth_date": datetime.date(1990, 5, 18),
    "street": "Rheinweg 21",
    "phone": "0281 222222",
    "email": "amira.y@example.net",
    "languages": "Kurmandschi",
    "situation": "Wohnungssuche nach Trennung",
    "goal": "Eigene Wohnung in Dinslaken",
    "step": "WBS beantragen",
    "contact_note": "Beratung zum Unterhaltsvorschuss",
    "follow_up": "Nachfrage Wohnungsamt",
    "referral_note": "Vermittlung Schuldnerberatung",
    "barrier": "Kaum Sozialwohnungen im Kreisgebiet",
    "household": "Sohn im Kindergarten Regenbogen",
    "file_name": "Mietvertrag_Amira.pdf",
    "document_title": "Mietvertrag Amira",
}
A_NUMBER = "WES-2026-00042"
B_NUMBER = "WES-2026-000421"
B_DISTINCT = [
    B_NUMBER,
    "Amira",
    "1990-05-18",
    "18.05.1990",
    *(v for k, v in B.items() if k not in ("family_name", "birth_date", "given_name")),
]


@pytest.fixture
def clients(world):  # type: ignore[no-untyped-def]
    part = world.wesel
    a = client_case(part, number=A_NUMBER, values=A)
    b = client_case(part, number=B_NUMBER, values=B)
    return part, a, b


def _pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout


def test_json_holds_a_and_nothing_of_b(clients) -> None:  # type: ignore[no-untyped-def]
    part, a, _b = clients
    request = open_request(part, a, "access")
    raw = export.export_json(request, actor=part.users[Role.DATA_PROTECTION_OFFICER])
    text = raw.decode("utf-8")
    data = json.loads(text)
    # A is there, complete
    assert data["case"]["number"] == A_NUMBER
    assert data["identity"]["given_name"] == "Amina" and data["identity"]["birth_date"] == "1990-05-17"
    assert data["identity"]["email"] == A["email"]
    assert data["case"]["responsible_case_manager"] == part.users[Role.CASE_MANAGER].get_full_name()
    assert [g["goal"] for g in data["goals"]] == [A["goal"]]
    assert data["goals"][0]["steps"][0]["step"] == A["step"]
    assert [c["note"] for c in data["contacts"]] == [A["contact_note"]]
    assert [f["note"] for f in data["follow_ups"]] == [A["follow_up"]]
    assert [r["note"] for r in data["referrals"]] == [A["referral_note"]]
    assert [h["note"] for h in data["household"]] == [A["household"]]
    assert [x["description"] for x in data["barriers"]] == [A["barrier"]]
    assert data["assessments"][0]["domains"][0]["situation"] == A["situation"]
    assert len(data["consents"]) == 1 and len(data["releases"]) == 1
    assert data["documents"][0]["title"] == A["document_title"]
    assert data["documents"][0]["file_name"] == A["file_name"]
    assert data["documents"][0]["content_base64"]
    assert any(e["action"] == "case.created" for e in data["audit_events"])
    # nothing of B, anywhere
    leaked = [value for value in B_DISTINCT if str(value) in text]
    assert not leaked
    # the other staff are not named
    assert part.users[Role.DATA_PROTECTION_OFFICER].get_full_name() not in text
    assert part.users[Role.COORDINATOR].get_full_name() not in text


def test_pdf_holds_a_and_nothing_of_b(clients) -> None:  # type: ignore[no-untyped-def]
    part, a, _b = clients
    request = open_request(part, a, "access")
    text = _pdf_text(export.export_pdf(request, actor=part.users[Role.DATA_PROTECTION_OFFICER]))
    flat = " ".join(text.split())
    for value in (A_NUMBER, "Amina", "17.05.1990", A["email"], A["goal"], A["contact_note"]):
        assert value in flat, value
    leaked = [value for value in B_DISTINCT if str(value) in flat]
    assert not leaked


def test_export_is_audited_with_the_identity_read(clients) -> None:  # type: ignore[no-untyped-def]
    part, a, _b = clients
    request = open_request(part, a, "access")
    before = AuditEvent.objects.count()
    export.export_json(request, actor=part.users[Role.DATA_PROTECTION_OFFICER])
    new = list(AuditEvent.objects.order_by("created_at", "seq")[before:].values_list("action", "object_id", "details"))
    actions = [n[0] for n in new]
    assert "identity.viewed" in actions and "document.downloaded" in actions
    exported = [n for n in new if n[0] == "privacy.access_exported"]
    assert exported == [("privacy.access_exported", str(a.pk), {"request": request.pk, "format": "json"})]
    # the audit trail keeps identifiers, not content
    assert not any("Amina" in json.dumps(n[2]) for n in new)


def test_anonymous_case_exports_without_identity(world) -> None:  # type: ignore[no-untyped-def]
    from lotse.cases.services import cases

    part = world.wesel
    actor = part.users[Role.CASE_MANAGER]
    case = cases.case_open(
        actor=actor,
        tenant=part.tenant,
        case_manager_id=actor.pk,
        provider=part.provider,
        pseudonym="Anonym",
        intake_channel="walk_in",
    )
    request = open_request(part, case, "access")
    data = json.loads(export.export_json(request, actor=part.users[Role.DATA_PROTECTION_OFFICER]))
    assert data["identity"] is None and data["case"]["pseudonym"] == "Anonym"
