"""The case itself: numbers, anonymous counselling and identity, search before create, stale
saves, closure with approval, reopening, handover, assignment, and the case page's query count."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import World
from lotse.accounts.tests.factories import UserFactory
from lotse.audit.models import AuditEvent
from lotse.cases.identity import duplicate_key, normalise_name
from lotse.cases.models import Case, CaseStatus, Goal, Identity
from lotse.cases.services import cases as case_services
from lotse.cases.services import work
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def url(name: str, world_part, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(name, kwargs={"tenant": world_part.tenant.slug, **kwargs})


def open_case(part, user=None, **kwargs) -> Case:  # type: ignore[no-untyped-def]
    user = user or part.users[Role.CASE_MANAGER]
    defaults = {"pseudonym": "Neu", "intake_channel": "walk_in", "provider": part.provider}
    return case_services.case_open(actor=user, tenant=part.tenant, case_manager_id=user.pk, **(defaults | kwargs))


def second_case_manager(part):  # type: ignore[no-untyped-def]
    user = UserFactory(username=f"{part.tenant.slug}-cm2", first_name="Bert", last_name="Zweit")
    MembershipFactory(user=user, tenant=part.tenant, role=Role.CASE_MANAGER, provider=part.other_provider)
    return user


# --- case numbers ------------------------------------------------------------------------------


def test_case_numbers_follow_the_tenant_format_and_count_per_year(world: World):
    settings_ = case_services.case_settings(world.wesel.tenant)
    settings_.number_prefix = "WES"
    settings_.save()
    first = open_case(world.wesel)
    second = open_case(world.wesel)
    assert first.number == f"WES-{TODAY.year}-00002"  # the world's case drew 00001 with the old prefix
    assert second.number == f"WES-{TODAY.year}-00003"
    other = open_case(world.coesfeld)
    assert other.number.endswith("-00002"), "numbers run per tenant"


def test_invalid_number_format_is_refused_with_a_message():
    with pytest.raises(ValidationError):
        case_services.validate_number_format("{prefix}-{year}")
    with pytest.raises(ValidationError):
        case_services.validate_number_format("{prefix}-{seq:05d}-{name}")
    case_services.validate_number_format("{prefix}/{seq:04d}/{year}")


# --- anonymous counselling and identity ------------------------------------------------------------


def test_new_case_is_anonymous_and_identity_can_be_recorded_and_erased(world: World, signed_in):
    part = world.wesel
    client = signed_in(part.users[Role.CASE_MANAGER])
    response = client.post(
        url("cases:create", part),
        {"pseudonym": "Familie A.", "intake_channel": "walk_in", "opened_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    case = Case.objects.get(tenant=part.tenant, pseudonym="Familie A.")
    assert case.is_anonymous and case.case_manager == part.users[Role.CASE_MANAGER]
    assert not Identity.objects.filter(case=case).exists()

    response = client.post(
        url("cases:identity_edit", part, pk=case.pk),
        {
            "given_name": "Layla",
            "family_name": "Haddad",
            "birth_date": "1988-03-02",
            "phone": "0151 23456789",
            "version": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert not case.is_anonymous
    row = Identity.objects.get(case=case)
    assert b"Layla" not in bytes(row.ciphertext) and b"Haddad" not in bytes(row.ciphertext)

    before = AuditEvent.objects.filter(action="identity.viewed").count()
    page = client.get(url("cases:identity", part, pk=case.pk))
    assert "Layla" in page.content.decode() and "0151 23456789" in page.content.decode()
    assert AuditEvent.objects.filter(action="identity.viewed").count() == before + 1

    response = client.post(url("cases:identity_erase", part, pk=case.pk))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.is_anonymous and not Identity.objects.filter(case=case).exists()
    assert AuditEvent.objects.filter(action="identity.erased", object_id=str(case.pk)).exists()


def test_identity_is_not_stored_in_plain_text(world: World):
    with connection.cursor() as cursor:
        cursor.execute("SELECT ciphertext, duplicate_key FROM cases_identity")
        rows = cursor.fetchall()
    assert rows
    for ciphertext, key in rows:
        assert b"Amina" not in bytes(ciphertext) and b"Testfall" not in bytes(ciphertext)
        assert "amina" not in key.lower()


def test_coordinator_never_sees_identity_and_other_case_manager_not_the_case(world: World, signed_in):
    part = world.wesel
    coordinator = signed_in(part.users[Role.COORDINATOR])
    assert coordinator.get(url("cases:identity", part, pk=part.case.pk)).status_code == 403
    overview = coordinator.get(url("cases:detail", part, pk=part.case.pk))
    assert overview.status_code == 200 and "Amina" not in overview.content.decode()
    listing = coordinator.get(url("cases:list", part))
    assert part.case.number in listing.content.decode() and "Amina" not in listing.content.decode()

    other = signed_in(second_case_manager(part))
    assert other.get(url("cases:detail", part, pk=part.case.pk)).status_code == 404
    assert other.get(url("cases:identity", part, pk=part.case.pk)).status_code == 404
    assert part.case.number not in other.get(url("cases:list", part)).content.decode()


def test_identity_of_a_copied_ciphertext_does_not_decrypt(world: World):
    """The identity is bound to its case: moved to another row it no longer opens."""
    from lotse.cases.identity import unseal
    from lotse.core.crypto import DecryptionError

    row = Identity.objects.get(case=world.wesel.case)
    with pytest.raises(DecryptionError):
        unseal(row.ciphertext, case_id=world.coesfeld.case.pk)


def test_stale_identity_edit_is_refused(world: World, signed_in):
    part = world.wesel
    client = signed_in(part.users[Role.CASE_MANAGER])
    data = {"given_name": "Amina", "family_name": "Neu", "version": 1}
    assert client.post(url("cases:identity_edit", part, pk=part.case.pk), data).status_code == 302
    response = client.post(url("cases:identity_edit", part, pk=part.case.pk), data | {"family_name": "Alt"})
    assert response.status_code == 200
    assert "Someone changed the identity" in response.content.decode() or "Jemand" in response.content.decode()
    from lotse.cases.identity import unseal

    stored = unseal(Identity.objects.get(case=part.case).ciphertext, case_id=part.case.pk)
    assert stored.family_name == "Neu"


# --- search before create --------------------------------------------------------------------------


def test_normalised_names_meet():
    assert normalise_name("Müller-Öztürk, Aylin") == normalise_name("aylin mueller oeztuerk")
    day = datetime.date(1990, 5, 17)
    assert duplicate_key(given_name="Amína", family_name="TESTFALL", birth_date=day) == duplicate_key(
        given_name="amina", family_name="testfall", birth_date=day
    )


def test_search_before_create_names_whom_to_ask_but_not_the_case(world: World, signed_in):
    part = world.wesel
    other = signed_in(second_case_manager(part))
    response = other.post(
        url("cases:duplicate_check", part),
        {"given_name": "amina", "family_name": "TESTFALL", "birth_date": "1990-05-17"},
    )
    html = response.content.decode()
    owner = part.users[Role.CASE_MANAGER]
    assert owner.get_full_name() in html
    assert part.case.number not in html and f"/cases/{part.case.pk}/" not in html
    own = signed_in(owner).post(
        url("cases:duplicate_check", part),
        {"given_name": "Amina", "family_name": "Testfall", "birth_date": "1990-05-17"},
    )
    assert part.case.number in own.content.decode()
    # the same person in another tenant is another tenant's business: only Coesfeld's own case shows
    coesfeld = signed_in(world.coesfeld.users[Role.CASE_MANAGER]).post(
        url("cases:duplicate_check", world.coesfeld),
        {"given_name": "Amina", "family_name": "Testfall", "birth_date": "1990-05-17"},
    )
    html = coesfeld.content.decode()
    assert world.coesfeld.case.number in html and owner.get_full_name() not in html
    nothing = other.post(
        url("cases:duplicate_check", part),
        {"given_name": "Amina", "family_name": "Testfall", "birth_date": "1990-05-18"},
    )
    assert 'href="/kreis-wesel/cases/new/"' in nothing.content.decode()


# --- concurrency -------------------------------------------------------------------------------------


def test_stale_case_edit_from_a_second_session_is_refused(world: World, signed_in):
    part = world.wesel
    user = part.users[Role.CASE_MANAGER]
    first, second = signed_in(user), Client()
    from conftest import sign_in

    sign_in(second, user)
    version = Case.objects.get(pk=part.case.pk).version
    base = {"pseudonym": "Fall Test", "intake_channel": "walk_in", "version": version}
    assert first.post(url("cases:edit", part, pk=part.case.pk), base | {"languages": "Arabisch"}).status_code == 302
    response = second.post(url("cases:edit", part, pk=part.case.pk), base | {"languages": "Dari"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Arabisch" in html, "the other person's change is shown"
    assert Case.objects.get(pk=part.case.pk).languages == "Arabisch"


# --- closure -------------------------------------------------------------------------------------------


def test_closure_with_approval_waits_for_the_coordinator_and_is_read_only(world: World, signed_in):
    part = world.wesel
    case_manager = signed_in(part.users[Role.CASE_MANAGER])
    goal = Goal.objects.get(case=part.case)
    version = Case.objects.get(pk=part.case.pk).version
    incomplete = case_manager.post(
        url("cases:close", part, pk=part.case.pk), {"reason": "goals_reached", "version": version}
    )
    assert incomplete.status_code == 200 and Case.objects.get(pk=part.case.pk).status == CaseStatus.OPEN
    response = case_manager.post(
        url("cases:close", part, pk=part.case.pk),
        {"reason": "goals_reached", "version": version, f"goal_{goal.pk}": "achieved"},
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=part.case.pk)
    assert case.status == CaseStatus.CLOSURE_REQUESTED
    # read-only while waiting
    edit = case_manager.post(
        url("cases:edit", part, pk=case.pk), {"pseudonym": "x", "intake_channel": "walk_in", "version": case.version}
    )
    assert edit.status_code == 302 and Case.objects.get(pk=case.pk).pseudonym == "Fall Test"
    with pytest.raises(ValidationError):
        work.contact_create(
            case,
            actor=part.users[Role.CASE_MANAGER],
            occurred_on=TODAY,
            kind="phone",
            duration_minutes=5,
            effort_minutes=5,
            interpreter_used=False,
            topics=[],
        )
    # the case manager cannot decide, the coordinator can
    assert (
        case_manager.post(
            url("cases:closure_decision", part, pk=case.pk), {"decision": "approve", "version": case.version}
        ).status_code
        == 403
    )
    coordinator = signed_in(part.users[Role.COORDINATOR])
    response = coordinator.post(
        url("cases:closure_decision", part, pk=case.pk), {"decision": "approve", "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_by == part.users[Role.COORDINATOR]
    assert Goal.objects.get(pk=goal.pk).status == "achieved"
    assert not case.follow_ups.filter(done_on__isnull=True).exists()
    # reopening is logged
    response = case_manager.post(url("cases:reopen", part, pk=case.pk), {"version": case.version})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN
    assert AuditEvent.objects.filter(action="case.reopened", object_id=str(case.pk)).exists()


def test_coordinator_can_return_a_requested_closure(world: World, signed_in):
    part = world.wesel
    case = part.case
    Goal.objects.filter(case=case).update(status="dropped")
    case_services.closure_request(
        case,
        actor=part.users[Role.CASE_MANAGER],
        reason="moved_away",
        note="",
        goal_outcomes={},
        expected_version=Case.objects.get(pk=case.pk).version,
    )
    coordinator = signed_in(part.users[Role.COORDINATOR])
    version = Case.objects.get(pk=case.pk).version
    coordinator.post(url("cases:closure_decision", part, pk=case.pk), {"decision": "reject", "version": version})
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_closure_without_approval_setting_closes_at_once(world: World):
    part = world.coesfeld
    settings_ = case_services.case_settings(part.tenant)
    settings_.closure_requires_approval = False
    settings_.save()
    case = part.case
    case_services.closure_request(
        case,
        actor=part.users[Role.CASE_MANAGER],
        reason="moved_away",
        note="",
        goal_outcomes={g.pk: "not_achieved" for g in case.goals.all()},
        expected_version=Case.objects.get(pk=case.pk).version,
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


# --- handover and assignment ------------------------------------------------------------------------------


def test_handover_to_another_case_manager_moves_access(world: World, signed_in):
    part = world.wesel
    colleague = second_case_manager(part)
    owner = signed_in(part.users[Role.CASE_MANAGER])
    version = Case.objects.get(pk=part.case.pk).version
    response = owner.post(
        url("cases:handover", part, pk=part.case.pk),
        {
            "kind": "case_manager",
            "to_user": colleague.pk,
            "reason": "Umzug",
            "handed_on": TODAY.isoformat(),
            "version": version,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=part.case.pk)
    assert case.case_manager == colleague and case.provider == part.other_provider
    assert owner.get(url("cases:detail", part, pk=case.pk)).status_code == 404
    assert signed_in(colleague).get(url("cases:identity", part, pk=case.pk)).status_code == 200


def test_handover_to_an_agency_needs_its_own_case_management_and_closes(world: World):
    part = world.wesel
    with pytest.raises(ValidationError):
        case_services.case_handover(
            part.case,
            actor=part.users[Role.CASE_MANAGER],
            kind="agency",
            reason="SGB II",
            to_agency=part.agency,
            expected_version=part.case.version,
        )
    part.agency.has_own_case_management = True
    part.agency.save()
    case = case_services.case_handover(
        Case.objects.get(pk=part.case.pk),
        actor=part.users[Role.CASE_MANAGER],
        kind="agency",
        reason="SGB II",
        to_agency=part.agency,
        expected_version=Case.objects.get(pk=part.case.pk).version,
    )
    assert case.status == CaseStatus.CLOSED and case.closure_reason == "regular_services"


def test_coordinator_assigns_new_cases(world: World, signed_in):
    part = world.wesel
    coordinator = signed_in(part.users[Role.COORDINATOR])
    response = coordinator.post(
        url("cases:create", part),
        {
            "pseudonym": "Anruf Jobcenter",
            "intake_channel": "phone",
            "provider": part.provider.pk,
            "opened_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pseudonym="Anruf Jobcenter")
    assert case.case_manager is None
    caseload = coordinator.get(url("cases:caseload", part))
    assert caseload.status_code == 200
    response = coordinator.post(
        url("cases:assign", part, pk=case.pk),
        {"case_manager": part.users[Role.CASE_MANAGER].pk, "version": case.version},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).case_manager == part.users[Role.CASE_MANAGER]
    assert signed_in(part.users[Role.CASE_MANAGER]).get(url("cases:detail", part, pk=case.pk)).status_code == 200


def test_assign_refuses_someone_who_is_no_case_manager(world: World):
    part = world.wesel
    with pytest.raises(ValidationError):
        case_services.case_assign(
            part.case,
            actor=part.users[Role.COORDINATOR],
            case_manager_id=part.users[Role.COORDINATOR].pk,
            expected_version=part.case.version,
        )


# --- assessment ----------------------------------------------------------------------------------------


def test_reassessment_shows_the_change_per_domain(world: World, signed_in):
    part = world.wesel
    user = part.users[Role.CASE_MANAGER]
    work.assessment_create(
        part.case, actor=user, assessed_on=TODAY, entries={"work": {"need_level": 1}, "housing": {"need_level": 3}}
    )
    html = signed_in(user).get(url("cases:assessment_list", part, pk=part.case.pk)).content.decode()
    assert "(-1)" in html  # work: medium → low
    case = Case.objects.get(pk=part.case.pk)
    assert case.next_reassessment_on == TODAY + datetime.timedelta(days=180)


def test_health_needs_the_explicit_consent(world: World):
    part = world.wesel
    user = part.users[Role.CASE_MANAGER]
    with pytest.raises(ValidationError):
        work.assessment_create(part.case, actor=user, assessed_on=TODAY, entries={"health": {"need_level": 2}})
    from lotse.consent.services import consent_record

    consent_record(part.case, actor=user, purpose="health", language="ar", given_on=TODAY)
    work.assessment_create(part.case, actor=user, assessed_on=TODAY, entries={"health": {"need_level": 2}})


# --- the case page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 25])
def test_case_page_runs_a_bounded_number_of_queries(world: World, signed_in, django_assert_max_num_queries, size):
    part = world.wesel
    user = part.users[Role.CASE_MANAGER]
    case = part.case
    for i in range(size):
        goal = work.goal_create(case, actor=user, domain="language", text=f"Ziel {i}")
        work.step_add(goal, actor=user, text="Schritt", actor_kind="client", due_on=None)
        work.contact_create(
            case,
            actor=user,
            occurred_on=TODAY,
            kind="phone",
            duration_minutes=5,
            effort_minutes=5,
            interpreter_used=False,
            topics=["language"],
        )
        work.followup_create(case, actor=user, due_on=TODAY, note="x")
        work.household_add(case, actor=user, relation="child", birth_year=2010)
    client = signed_in(user)
    client.get(url("cases:detail", part, pk=case.pk))  # warm the session
    with django_assert_max_num_queries(15):
        response = client.get(url("cases:detail", part, pk=case.pk))
    assert response.status_code == 200


def test_substitute_loses_access_when_their_provider_is_no_longer_contracted(world: World, signed_in):
    """Substitution is limited to contracted providers (seed 003 §3(3)) – also after the naming."""
    from lotse.cases.services.substitution import absence_add, nomination_add

    part = world.wesel
    principal = part.users[Role.CASE_MANAGER]
    substitute = second_case_manager(part)  # at the tenant's other provider, contracted by default
    nomination_add(tenant=part.tenant, actor=principal, principal=principal, substitute_id=substitute.pk)
    absence_add(tenant=part.tenant, actor=principal, principal=principal, starts_on=TODAY, ends_on=TODAY)
    client = signed_in(substitute)
    assert client.get(url("cases:detail", part, pk=part.case.pk)).status_code == 200
    assert AuditEvent.objects.filter(action="substitution.case_accessed", actor=substitute).exists()
    part.other_provider.is_contracted = False
    part.other_provider.save()
    assert client.get(url("cases:detail", part, pk=part.case.pk)).status_code == 404
