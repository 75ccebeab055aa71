"""Rectification with history, restriction (every processing service refuses the case),
erasure; all audited and version-checked."""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lotse.audit.models import AuditEvent
from lotse.cases.identity import IdentityData, unseal
from lotse.cases.models import Case, CaseStatus, Contact, Document, FollowUp, Goal, Identity
from lotse.cases.services import cases, documents, identity, referrals, work
from lotse.consent import services as consent
from lotse.core.versioning import StaleObjectError
from lotse.privacy import services
from lotse.privacy.models import Rectification
from lotse.privacy.tests.helpers import PDF, open_request
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _dpo(world: Any) -> Any:
    return world.wesel.users[Role.DATA_PROTECTION_OFFICER]


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


# --- rectification --------------------------------------------------------------------------


def _identity(case: Case) -> IdentityData:
    return unseal(bytes(Identity.objects.get(case=case).ciphertext), case_id=case.pk)


def test_rectification_keeps_encrypted_history(world) -> None:  # type: ignore[no-untyped-def]
    case = world.wesel.case
    request = open_request(world.wesel, case, "rectification")
    old = _identity(case)
    new = dataclasses.replace(old, family_name="Testfall-Berger", phone="0281 999")
    fields = services.rectify(
        request,
        actor=_dpo(world),
        reason="Heirat, Nachweis liegt vor",
        case_fields={"pseudonym": "Fall Korrigiert"},
        identity=new,
        expected_version=case.version,
        expected_identity_version=1,
    )
    assert sorted(fields) == ["family_name", "phone", "pseudonym"]
    assert _identity(case).family_name == "Testfall-Berger"
    assert _fresh(case).pseudonym == "Fall Korrigiert"
    rows = list(Rectification.objects.filter(case=case))
    assert {r.field for r in rows} == {"family_name", "phone", "pseudonym"}
    # old values are not stored in plain text
    stored = b"".join(bytes(r.old_value_ciphertext) for r in rows)
    assert b"Testfall" not in stored and b"Fall Test" not in stored
    history = {h.field: h for h in services.rectification_history(request, actor=_dpo(world))}
    assert history["family_name"].old_value == "Testfall" and history["family_name"].is_identity
    assert history["pseudonym"].old_value == "Fall Test"
    assert history["phone"].old_value == ""
    actions = list(AuditEvent.objects.filter(action__startswith="privacy.").values_list("action", "details"))
    assert ("privacy.rectified", {"request": request.pk, "fields": fields}) in actions
    assert any(a == "privacy.history_viewed" for a, _d in actions)


def test_rectification_detects_concurrent_edits(world) -> None:  # type: ignore[no-untyped-def]
    case = world.wesel.case
    request = open_request(world.wesel, case, "rectification")
    stale_version = case.version
    cases.case_update(
        case, actor=world.wesel.users[Role.CASE_MANAGER], expected_version=case.version, languages="Arabisch"
    )
    with pytest.raises(StaleObjectError):
        services.rectify(
            request,
            actor=_dpo(world),
            reason="x",
            case_fields={"pseudonym": "Neu"},
            identity=None,
            expected_version=stale_version,
            expected_identity_version=1,
        )
    # identity changed meanwhile: refused too
    identity.identity_record(
        case,
        actor=world.wesel.users[Role.CASE_MANAGER],
        data=dataclasses.replace(_identity(case), city="Xanten"),
        expected_version=1,
    )
    with pytest.raises(StaleObjectError):
        services.rectify(
            request,
            actor=_dpo(world),
            reason="x",
            case_fields={},
            identity=dataclasses.replace(_identity(case), city="Moers"),
            expected_version=_fresh(case).version,
            expected_identity_version=1,
        )
    assert not Rectification.objects.exists()
    assert _fresh(case).pseudonym == "Fall Test"


def test_rectification_needs_the_matching_request_and_a_reason(world) -> None:  # type: ignore[no-untyped-def]
    case = world.wesel.case
    access_request = open_request(world.wesel, case, "access")
    kwargs = {
        "case_fields": {"pseudonym": "Neu"},
        "identity": None,
        "expected_version": case.version,
        "expected_identity_version": 1,
    }
    with pytest.raises(ValidationError):
        services.rectify(access_request, actor=_dpo(world), reason="Grund", **kwargs)  # type: ignore[arg-type]
    request = open_request(world.wesel, case, "rectification")
    with pytest.raises(ValidationError):
        services.rectify(request, actor=_dpo(world), reason="  ", **kwargs)  # type: ignore[arg-type]
    assert _fresh(case).pseudonym == "Fall Test"


# --- restriction ----------------------------------------------------------------------------


def _restrict(world: Any) -> Case:
    case = world.wesel.case
    request = open_request(world.wesel, case, "restriction")
    services.restrict(request, actor=_dpo(world), reason="Richtigkeit bestritten", expected_version=case.version)
    return _fresh(case)


def _writes(world: Any) -> dict[str, Callable[[Case], Any]]:
    o = world.wesel.objects
    cm = world.wesel.users[Role.CASE_MANAGER]
    co = world.wesel.users[Role.COORDINATOR]
    return {
        "case_update": lambda c: cases.case_update(c, actor=cm, expected_version=c.version, languages="x"),
        "case_assign": lambda c: cases.case_assign(c, actor=co, case_manager_id=cm.pk, expected_version=c.version),
        "case_handover": lambda c: cases.case_handover(
            c, actor=cm, kind="provider", reason="r", to_provider=world.wesel.other_provider, expected_version=c.version
        ),
        "closure_request": lambda c: cases.closure_request(
            c,
            actor=cm,
            reason="goals_reached",
            note="",
            goal_outcomes={o["goal"].pk: "achieved"},
            expected_version=c.version,
        ),
        "identity_record": lambda c: identity.identity_record(
            c, actor=cm, data=IdentityData(given_name="A", family_name="B"), expected_version=1
        ),
        "identity_erase": lambda c: identity.identity_erase(c, actor=cm),
        "consent_record": lambda c: consent.consent_record(
            c, actor=cm, purpose="health", language="de", given_on=TODAY
        ),
        "release_record": lambda c: consent.release_record(
            c, actor=cm, agency=world.wesel.agency, topics=["housing"], language="de", given_on=TODAY
        ),
        "document_upload": lambda c: documents.document_upload(
            c, actor=cm, upload=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"), title="t"
        ),
        "document_delete": lambda c: documents.document_delete(Document.objects.get(pk=o["document"].pk), actor=cm),
        "referral_create": lambda c: referrals.referral_create(
            c, actor=cm, agency=world.wesel.agency, topic="work", with_identity=False
        ),
        "referral_transition": lambda c: referrals.referral_transition(
            type(o["referral"]).objects.get(pk=o["referral"].pk), actor=cm, status="accepted", expected_version=1
        ),
        "assessment_create": lambda c: work.assessment_create(
            c, actor=cm, assessed_on=TODAY, entries={"work": {"need_level": 1}}
        ),
        "goal_create": lambda c: work.goal_create(c, actor=cm, domain="work", text="t"),
        "goal_update": lambda c: work.goal_update(
            Goal.objects.get(pk=o["goal"].pk), actor=cm, expected_version=1, text="t", status="open"
        ),
        "step_add": lambda c: work.step_add(
            Goal.objects.get(pk=o["goal"].pk), actor=cm, text="s", actor_kind="client", due_on=None
        ),
        "contact_create": lambda c: work.contact_create(
            c,
            actor=cm,
            occurred_on=TODAY,
            kind="phone",
            duration_minutes=5,
            effort_minutes=5,
            interpreter_used=False,
            topics=[],
        ),
        "followup_create": lambda c: work.followup_create(c, actor=cm, due_on=TODAY, note="n"),
        "followup_done": lambda c: work.followup_done(c, actor=cm, follow_up_id=o["follow_up"].pk),
        "barrier_create": lambda c: work.barrier_create(c, actor=cm, domain="work", description="d", institution="i"),
        "household_add": lambda c: work.household_add(c, actor=cm, relation="child", birth_year=2020),
        "household_remove": lambda c: work.household_remove(c, actor=cm, member_id=o["household"].pk),
    }


def test_every_processing_service_refuses_a_restricted_case(world) -> None:  # type: ignore[no-untyped-def]
    case = _restrict(world)
    assert case.is_restricted and not case.is_editable
    before = (Contact.objects.count(), FollowUp.objects.count(), Goal.objects.count(), Document.objects.count())
    version = case.version
    accepted = []
    for name, write in _writes(world).items():
        try:
            write(_fresh(case))
        except ValidationError as exc:
            assert "Art. 18" in " ".join(exc.messages), name
        else:
            accepted.append(name)
    assert not accepted
    assert (Contact.objects.count(), FollowUp.objects.count(), Goal.objects.count(), Document.objects.count()) == before
    assert _fresh(case).version == version


def test_closure_decision_and_reopening_refuse_a_restricted_case(world) -> None:  # type: ignore[no-untyped-def]
    case = world.wesel.case
    co = world.wesel.users[Role.COORDINATOR]
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSURE_REQUESTED)
    request = open_request(world.wesel, case, "restriction")
    services.restrict(request, actor=_dpo(world), reason="r", expected_version=_fresh(case).version)
    with pytest.raises(ValidationError):
        cases.closure_decide(_fresh(case), actor=co, approve=True, expected_version=_fresh(case).version)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=TODAY)
    with pytest.raises(ValidationError):
        cases.case_reopen(_fresh(case), actor=co, expected_version=_fresh(case).version)
    assert _fresh(case).status == CaseStatus.CLOSED


def test_revocation_stays_possible_while_restricted(world) -> None:  # type: ignore[no-untyped-def]
    case = _restrict(world)
    release = world.wesel.objects["release"]
    consent.release_revoke(type(release).objects.get(pk=release.pk), actor=world.wesel.users[Role.CASE_MANAGER])
    assert type(release).objects.get(pk=release.pk).revoked_at is not None
    assert _fresh(case).is_restricted


def test_lifting_the_restriction_allows_work_again(world) -> None:  # type: ignore[no-untyped-def]
    case = _restrict(world)
    request = open_request(world.wesel, case, "restriction")
    with pytest.raises(ValidationError):
        services.restrict(request, actor=_dpo(world), reason="again", expected_version=case.version)
    services.restriction_lift(request, actor=_dpo(world), expected_version=case.version)
    case = _fresh(case)
    assert not case.is_restricted and case.restriction_reason == ""
    work.goal_create(case, actor=world.wesel.users[Role.CASE_MANAGER], domain="work", text="weiter")
    actions = list(AuditEvent.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert "privacy.restricted" in actions and "privacy.restriction_lifted" in actions


def test_restriction_is_version_checked(world) -> None:  # type: ignore[no-untyped-def]
    case = world.wesel.case
    request = open_request(world.wesel, case, "restriction")
    with pytest.raises(StaleObjectError):
        services.restrict(request, actor=_dpo(world), reason="r", expected_version=case.version - 1)
    assert not _fresh(case).is_restricted


# --- erasure --------------------------------------------------------------------------------


def test_erasure_removes_personal_data_and_keeps_statistics(world) -> None:  # type: ignore[no-untyped-def]
    case = world.wesel.case
    rect = open_request(world.wesel, case, "rectification")
    services.rectify(
        rect,
        actor=_dpo(world),
        reason="Tippfehler",
        case_fields={"pseudonym": "Fall Neu"},
        identity=None,
        expected_version=case.version,
        expected_identity_version=1,
    )
    request = open_request(world.wesel, case, "erasure")
    services.erase(request, actor=_dpo(world), expected_version=_fresh(case).version)
    case = _fresh(case)
    assert case.anonymised_at is not None and case.pseudonym == services.NEUTRAL_PSEUDONYM
    assert case.status == CaseStatus.CLOSED and case.opened_on is not None
    assert not Identity.objects.filter(case=case).exists()
    assert not Document.objects.filter(case=case).exists()
    assert not FollowUp.objects.filter(case=case).exclude(note="").exists()
    assert Contact.objects.filter(case=case).count() == 1  # counts stay
    assert Goal.objects.get(case=case).domain == "work"  # codes stay
    assert Rectification.objects.get(case=case).old_value_ciphertext is None
    event = AuditEvent.objects.get(action="privacy.erased")
    assert event.details == {"request": request.pk}
    # the fact stays in the audit trail, never the content
    assert "Testfall" not in json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    with pytest.raises(ValidationError):
        services.erase(request, actor=_dpo(world), expected_version=case.version)


def test_erasure_is_refused_while_restricted(world) -> None:  # type: ignore[no-untyped-def]
    case = _restrict(world)
    request = open_request(world.wesel, case, "erasure")
    with pytest.raises(ValidationError):
        services.erase(request, actor=_dpo(world), expected_version=case.version)
    assert Identity.objects.filter(case=case).exists()


def test_request_needs_a_case_of_the_own_tenant(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError):
        services.request_open(
            actor=_dpo(world),
            tenant=world.wesel.tenant,
            case=world.coesfeld.case,
            kind="access",
            reference="r",
            reason="r",
        )
    with pytest.raises(ValidationError):
        services.request_open(
            actor=_dpo(world), tenant=world.wesel.tenant, case=world.wesel.case, kind="access", reference="", reason="r"
        )
