"""Building blocks of the privacy tests: clients opened through the services like real work."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.cases.identity import IdentityData
from lotse.cases.models import Case
from lotse.cases.services import cases, documents, identity, referrals, work
from lotse.consent import services as consent
from lotse.privacy import services
from lotse.tenants.models import Role

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def client_case(part: Any, *, number: str, values: dict[str, Any]) -> Case:
    """A named case with one of everything; every free text comes from ``values``."""
    actor = part.users[Role.CASE_MANAGER]
    today = datetime.date.today()
    case = cases.case_open(
        actor=actor,
        tenant=part.tenant,
        case_manager_id=actor.pk,
        provider=part.provider,
        location=part.location,
        pseudonym=values["pseudonym"],
        intake_channel="walk_in",
        languages=values["languages"],
        opened_on=today - datetime.timedelta(days=20),
    )
    Case.objects.filter(pk=case.pk).update(number=number)
    case.refresh_from_db()
    identity.identity_record(
        case,
        actor=actor,
        data=IdentityData(
            given_name=values["given_name"],
            family_name=values["family_name"],
            birth_date=values["birth_date"],
            street=values["street"],
            phone=values["phone"],
            email=values["email"],
            city="Wesel",
        ),
        expected_version=0,
    )
    consent.consent_record(case, actor=actor, purpose="processing", language="de", given_on=today)
    consent.release_record(case, actor=actor, agency=part.agency, topics=["work"], language="de", given_on=today)
    work.assessment_create(
        case,
        actor=actor,
        assessed_on=today,
        entries={"work": {"need_level": 2, "situation": values["situation"], "resources": ""}},
    )
    goal = work.goal_create(case, actor=actor, domain="work", text=values["goal"])
    work.step_add(goal, actor=actor, text=values["step"], actor_kind="client", due_on=today)
    work.contact_create(
        case,
        actor=actor,
        occurred_on=today,
        kind="in_person",
        duration_minutes=30,
        effort_minutes=40,
        interpreter_used=False,
        topics=["work"],
        note=values["contact_note"],
    )
    work.followup_create(case, actor=actor, due_on=today, note=values["follow_up"])
    referrals.referral_create(
        case, actor=actor, agency=part.agency, topic="work", with_identity=True, note=values["referral_note"]
    )
    work.barrier_create(case, actor=actor, domain="language", description=values["barrier"], institution="BAMF")
    work.household_add(case, actor=actor, relation="child", birth_year=2015, note=values["household"])
    documents.document_upload(
        case,
        actor=actor,
        upload=SimpleUploadedFile(values["file_name"], PDF, content_type="application/pdf"),
        title=values["document_title"],
    )
    case.refresh_from_db()
    return case


def open_request(part: Any, case: Case, kind: str) -> Any:
    return services.request_open(
        actor=part.users[Role.DATA_PROTECTION_OFFICER],
        tenant=part.tenant,
        case=case,
        kind=kind,
        reference="Az. 2026/17",
        reason="Schreiben der Klientin vom 03.02.",
    )
