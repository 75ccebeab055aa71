"""Monitoring of a case: contacts, follow-ups, the case manager's due list, barriers."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.db.models import Min
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.tests.factories import UserFactory
from lotse.cases.dashboard import due_counts
from lotse.cases.models import Barrier, Case, CaseStatus, Contact, FollowUp
from lotse.cases.services import cases as case_services
from lotse.cases.services import substitution, work
from lotse.cases.views.monitoring import week_end
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def url(name: str, part: Any, **kwargs: Any) -> str:
    return reverse(name, kwargs={"tenant": part.tenant.slug, **kwargs})


def case_url(name: str, part: Any, case: Case | None = None, **kwargs: Any) -> str:
    return url(name, part, pk=(case or part.case).pk, **kwargs)


@pytest.fixture
def wesel(world):  # type: ignore[no-untyped-def]
    return world.wesel


@pytest.fixture
def cm(wesel, signed_in):  # type: ignore[no-untyped-def]
    return signed_in(wesel.users[Role.CASE_MANAGER])


@pytest.fixture
def coordinator(wesel, signed_in):  # type: ignore[no-untyped-def]
    return signed_in(wesel.users[Role.COORDINATOR])


def contact_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "occurred_on": timezone.localdate().isoformat(),
        "kind": "phone",
        "duration_minutes": "20",
        "effort_minutes": "35",
        "topics": ["work", "housing"],
        "note": "Termin beim Jobcenter vorbereitet",
    }
    data.update(overrides)
    return data


def error_messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


def other_case_manager(part: Any, username: str) -> Any:
    user = UserFactory(username=username)
    MembershipFactory(user=user, tenant=part.tenant, role=Role.CASE_MANAGER, provider=part.provider)
    return user


def open_case(part: Any, manager: Any, pseudonym: str) -> Case:
    return case_services.case_open(
        actor=manager,
        tenant=part.tenant,
        case_manager_id=manager.pk,
        provider=part.provider,
        pseudonym=pseudonym,
        intake_channel="walk_in",
        opened_on=timezone.localdate() - 60 * DAY,
    )


def follow_up(case: Case, manager: Any, note: str, due_on: datetime.date) -> FollowUp:
    """A follow-up due on any day: the service refuses past dates, so it is moved afterwards."""
    today = timezone.localdate()
    created = work.followup_create(case, actor=manager, due_on=max(due_on, today), note=note)
    if due_on < today:
        FollowUp.objects.filter(pk=created.pk).update(due_on=due_on)
        nxt = FollowUp.objects.filter(case=case, done_on__isnull=True).aggregate(d=Min("due_on"))["d"]
        Case.objects.filter(pk=case.pk).update(next_follow_up_on=nxt)
    return created


def due_notes(response: Any) -> dict[str, set[str]]:
    sections = {s.key: {f.note for f in s.rows} for s in response.context["sections"]}
    sections["reassessment"] = {c.pseudonym for c in response.context["reassessments"]}
    return sections


# --- Contacts -------------------------------------------------------------------------------


def test_contact_is_recorded_and_listed_with_totals(wesel, cm):
    response = cm.post(case_url("cases:contact_create", wesel), contact_data(interpreter_used="on"))
    assert response.status_code == 302 and response["Location"] == case_url("cases:contact_list", wesel)
    contact = Contact.objects.filter(case=wesel.case).latest("pk")
    assert contact.kind == "phone" and contact.effort_minutes == 35 and contact.interpreter_used
    assert contact.topics == ["housing", "work"] and contact.created_by == wesel.users[Role.CASE_MANAGER]

    response = cm.get(case_url("cases:contact_list", wesel))
    assert response.status_code == 200
    # the world's contact (45 minutes effort) and the new one
    assert response.context["totals"] == {"number": 2, "effort": 80}
    assert response.context["rows"][0].contact == contact  # newest first
    assert "Termin beim Jobcenter vorbereitet" in response.content.decode()


def test_contact_list_is_paginated(wesel, cm):
    actor = wesel.users[Role.CASE_MANAGER]
    for _n in range(30):
        work.contact_create(
            wesel.case,
            actor=actor,
            occurred_on=timezone.localdate(),
            kind="phone",
            duration_minutes=5,
            effort_minutes=5,
            interpreter_used=False,
            topics=[],
        )
    first = cm.get(case_url("cases:contact_list", wesel))
    assert len(first.context["rows"]) == 25 and first.context["totals"]["number"] == 31
    second = cm.get(case_url("cases:contact_list", wesel) + "?page=2")
    assert len(second.context["rows"]) == 6


def test_effort_shorter_than_duration_is_refused(wesel, cm):
    before = Contact.objects.count()
    response = cm.post(
        case_url("cases:contact_create", wesel), contact_data(duration_minutes="60", effort_minutes="30")
    )
    assert response.status_code == 200
    assert "effort_minutes" in response.context["form"].errors
    assert Contact.objects.count() == before


def test_effort_shorter_than_duration_is_refused_by_the_service(wesel):
    with pytest.raises(work.ValidationError):
        work.contact_create(
            wesel.case,
            actor=wesel.users[Role.CASE_MANAGER],
            occurred_on=timezone.localdate(),
            kind="phone",
            duration_minutes=60,
            effort_minutes=30,
            interpreter_used=False,
            topics=[],
        )


def test_contact_in_the_future_is_refused(wesel, cm):
    before = Contact.objects.count()
    tomorrow = (timezone.localdate() + DAY).isoformat()
    response = cm.post(case_url("cases:contact_create", wesel), contact_data(occurred_on=tomorrow))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Contact.objects.count() == before


def test_contact_on_a_closed_case_is_refused(wesel, cm):
    Case.objects.filter(pk=wesel.case.pk).update(status=CaseStatus.CLOSED)
    before = Contact.objects.count()
    response = cm.post(case_url("cases:contact_create", wesel), contact_data())
    assert response.status_code == 302 and response["Location"] == case_url("cases:detail", wesel)
    assert error_messages(response)
    assert Contact.objects.count() == before
    # the page with the form is refused as well; the list stays readable, without the button
    assert cm.get(case_url("cases:contact_create", wesel)).status_code == 302
    listing = cm.get(case_url("cases:contact_list", wesel))
    assert listing.status_code == 200
    assert case_url("cases:contact_create", wesel) not in listing.content.decode()


def test_coordinator_sees_contacts_without_notes_and_cannot_record(wesel, cm, coordinator):
    work.contact_create(
        wesel.case,
        actor=wesel.users[Role.CASE_MANAGER],
        occurred_on=timezone.localdate(),
        kind="in_person",
        duration_minutes=30,
        effort_minutes=30,
        interpreter_used=True,
        topics=["residence"],
        note="Vertraulicher Vermerk 4711",
    )
    assert "Vertraulicher Vermerk 4711" in cm.get(case_url("cases:contact_list", wesel)).content.decode()
    response = coordinator.get(case_url("cases:contact_list", wesel))
    assert response.status_code == 200 and response.context["totals"]["number"] == 2
    page = response.content.decode()
    assert "Vertraulicher Vermerk 4711" not in page
    assert "Rückruf" not in page  # follow-up notes are free text too
    before = Contact.objects.count()
    assert coordinator.get(case_url("cases:contact_create", wesel)).status_code == 403
    assert coordinator.post(case_url("cases:contact_create", wesel), contact_data()).status_code == 403
    assert Contact.objects.count() == before


def test_other_case_manager_and_other_tenant_see_no_contacts(world, wesel, signed_in):
    stranger = signed_in(other_case_manager(wesel, "we-stranger"))
    assert stranger.get(case_url("cases:contact_list", wesel)).status_code == 404
    assert stranger.post(case_url("cases:contact_create", wesel), contact_data()).status_code == 404
    foreign = signed_in(world.coesfeld.users[Role.CASE_MANAGER])
    assert foreign.get(case_url("cases:contact_list", wesel)).status_code in (403, 404)
    # the Coesfeld case addressed through Kreis Wesel
    assert foreign.get(url("cases:contact_list", wesel, pk=world.coesfeld.case.pk)).status_code in (403, 404)


# --- Follow-ups -----------------------------------------------------------------------------


def test_follow_up_set_from_the_contacts_page_and_done_from_the_due_list(wesel, cm):
    in_three_days = timezone.localdate() + 3 * DAY
    response = cm.post(
        case_url("cases:followup_create", wesel),
        {"due_on": in_three_days.isoformat(), "note": "Bescheid nachfragen", "back": "contacts"},
    )
    assert response.status_code == 302 and response["Location"] == case_url("cases:contact_list", wesel)
    created = FollowUp.objects.get(case=wesel.case, note="Bescheid nachfragen")
    wesel.case.refresh_from_db()
    assert wesel.case.next_follow_up_on == timezone.localdate()  # the world's follow-up is due today

    response = cm.post(case_url("cases:followup_done", wesel, follow_up=wesel.objects["follow_up"].pk), {"back": "due"})
    assert response.status_code == 302 and response["Location"] == url("cases:due_list", wesel)
    wesel.case.refresh_from_db()
    assert wesel.case.next_follow_up_on == in_three_days
    # done twice: a message, no error page
    response = cm.post(case_url("cases:followup_done", wesel, follow_up=wesel.objects["follow_up"].pk))
    assert response.status_code == 302 and error_messages(response)
    assert created.pk in set(FollowUp.objects.filter(done_on__isnull=True).values_list("pk", flat=True))


def test_follow_up_in_the_past_is_refused_on_its_form_page(wesel, cm):
    assert cm.get(case_url("cases:followup_create", wesel)).status_code == 200
    yesterday = (timezone.localdate() - DAY).isoformat()
    response = cm.post(case_url("cases:followup_create", wesel), {"due_on": yesterday, "note": "Zu spät"})
    assert response.status_code == 200 and "due_on" in response.context["form"].errors
    assert not FollowUp.objects.filter(note="Zu spät").exists()


def test_back_target_is_a_fixed_choice(wesel, cm):
    response = cm.post(
        case_url("cases:followup_create", wesel),
        {"due_on": timezone.localdate().isoformat(), "note": "X", "back": "https://evil.example"},
    )
    assert response.status_code == 200 and "back" in response.context["form"].errors


def test_coordinator_cannot_set_or_close_follow_ups(wesel, coordinator):
    today = timezone.localdate().isoformat()
    assert coordinator.post(case_url("cases:followup_create", wesel), {"due_on": today, "note": "X"}).status_code == 403
    done = case_url("cases:followup_done", wesel, follow_up=wesel.objects["follow_up"].pk)
    assert coordinator.post(done).status_code == 403
    assert FollowUp.objects.get(pk=wesel.objects["follow_up"].pk).done_on is None


def test_follow_up_of_another_case_cannot_be_closed_through_this_one(wesel, cm):
    actor = wesel.users[Role.CASE_MANAGER]
    other = open_case(wesel, actor, "Zweiter Fall")
    foreign_follow_up = follow_up(other, actor, "Anderer Fall", timezone.localdate())
    response = cm.post(case_url("cases:followup_done", wesel, follow_up=foreign_follow_up.pk))
    assert response.status_code == 302 and error_messages(response)
    assert FollowUp.objects.get(pk=foreign_follow_up.pk).done_on is None


# --- Due list -------------------------------------------------------------------------------


def test_due_list_sections(wesel, cm):
    actor = wesel.users[Role.CASE_MANAGER]
    today = timezone.localdate()
    case = open_case(wesel, actor, "Fall Fällig")
    follow_up(case, actor, "überfällig", today - 3 * DAY)
    follow_up(case, actor, "heute fällig", today)
    follow_up(case, actor, "nächsten Monat", today + 35 * DAY)
    week_day = today + DAY if today.weekday() < 6 else None  # on a Sunday the week is over
    if week_day:
        follow_up(case, actor, "diese Woche", week_end(today))
    done = follow_up(case, actor, "erledigt", today - DAY)
    FollowUp.objects.filter(pk=done.pk).update(done_on=today)

    response = cm.get(url("cases:due_list", wesel))
    assert response.status_code == 200
    notes = due_notes(response)
    assert notes["overdue"] == {"überfällig"}
    assert notes["today"] == {"heute fällig", "Rückruf"}  # Rückruf: the world's follow-up
    assert notes["week"] == ({"diese Woche"} if week_day else set())
    page = response.content.decode()
    assert "nächsten Monat" not in page and "erledigt" not in page
    assert case_url("cases:detail", wesel, case) in page


def test_due_list_leaves_out_cases_that_are_not_open(wesel, cm):
    actor = wesel.users[Role.CASE_MANAGER]
    case = open_case(wesel, actor, "Fall Geschlossen")
    follow_up(case, actor, "im geschlossenen Fall", timezone.localdate() - DAY)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSURE_REQUESTED)
    notes = due_notes(cm.get(url("cases:due_list", wesel)))
    assert "im geschlossenen Fall" not in notes["overdue"]


def test_substituted_cases_appear_while_the_absence_runs(wesel, cm):
    me = wesel.users[Role.CASE_MANAGER]
    colleague = other_case_manager(wesel, "we-colleague")
    stranger = other_case_manager(wesel, "we-stranger")
    today = timezone.localdate()
    follow_up(open_case(wesel, colleague, "Fall Kollegin"), colleague, "Vertretung fällig", today - DAY)
    follow_up(open_case(wesel, stranger, "Fall Fremd"), stranger, "Fremder Fall", today - DAY)

    notes = due_notes(cm.get(url("cases:due_list", wesel)))
    assert "Vertretung fällig" not in notes["overdue"] and "Fremder Fall" not in notes["overdue"]

    tenant = wesel.tenant
    substitution.nomination_add(tenant=tenant, actor=colleague, principal=colleague, substitute_id=me.pk)
    absence = substitution.absence_add(
        tenant=tenant, actor=colleague, principal=colleague, starts_on=today - 2 * DAY, ends_on=today + 5 * DAY
    )
    response = cm.get(url("cases:due_list", wesel))
    notes = due_notes(response)
    assert "Vertretung fällig" in notes["overdue"]
    assert "Fremder Fall" not in notes["overdue"]
    row = next(f for f in response.context["sections"][0].rows if f.note == "Vertretung fällig")
    assert row.case.case_manager_id == colleague.pk
    assert colleague.get_full_name() in response.content.decode()  # marked as substitution
    assert due_counts(response.wsgi_request.access)["overdue"] == 1  # the tile counts it too

    substitution.absence_end(
        tenant=tenant, actor=colleague, principal=colleague, absence_id=absence.pk, ends_on=today - DAY
    )
    notes = due_notes(cm.get(url("cases:due_list", wesel)))
    assert "Vertretung fällig" not in notes["overdue"]


def test_reassessment_due_list(wesel, cm):
    actor = wesel.users[Role.CASE_MANAGER]
    today = timezone.localdate()
    soon, later, overdue, closed = (open_case(wesel, actor, name) for name in ("Bald", "Später", "Überfällig", "Zu"))
    Case.objects.filter(pk=soon.pk).update(next_reassessment_on=today + 7 * DAY)
    Case.objects.filter(pk=later.pk).update(next_reassessment_on=today + 8 * DAY)
    Case.objects.filter(pk=overdue.pk).update(next_reassessment_on=today - 10 * DAY)
    Case.objects.filter(pk=closed.pk).update(next_reassessment_on=today - DAY, status=CaseStatus.CLOSED)
    response = cm.get(url("cases:due_list", wesel))
    assert due_notes(response)["reassessment"] == {"Bald", "Überfällig"}
    assert [c.pseudonym for c in response.context["reassessments"]] == ["Überfällig", "Bald"]


def _due_list_queries(client: Any, part: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("cases:due_list", part)).status_code == 200
    return len(queries)


def _add_due_cases(part: Any, manager: Any, number: int, start: int) -> None:
    today = timezone.localdate()
    for n in range(start, start + number):
        case = open_case(part, manager, f"Fall {n}")
        follow_up(case, manager, f"überfällig {n}", today - DAY)
        follow_up(case, manager, f"heute {n}", today)
        follow_up(case, manager, f"Woche {n}", week_end(today))
        Case.objects.filter(pk=case.pk).update(next_reassessment_on=today)


def test_due_list_query_count_does_not_grow_with_the_cases(wesel, cm, django_assert_max_num_queries):
    actor = wesel.users[Role.CASE_MANAGER]
    colleague = other_case_manager(wesel, "we-colleague")
    today = timezone.localdate()
    substitution.nomination_add(tenant=wesel.tenant, actor=colleague, principal=colleague, substitute_id=actor.pk)
    substitution.absence_add(tenant=wesel.tenant, actor=colleague, principal=colleague, starts_on=today, ends_on=today)
    _add_due_cases(wesel, actor, 3, 0)
    _add_due_cases(wesel, colleague, 1, 100)
    _due_list_queries(cm, wesel)  # warm up the session
    few = _due_list_queries(cm, wesel)
    _add_due_cases(wesel, actor, 17, 3)
    _add_due_cases(wesel, colleague, 5, 101)
    with django_assert_max_num_queries(15):
        response = cm.get(url("cases:due_list", wesel))
    assert len(response.context["sections"][0].rows) == 26
    assert _due_list_queries(cm, wesel) == few


def test_due_list_is_for_case_managers_only(wesel, coordinator, signed_in):
    assert coordinator.get(url("cases:due_list", wesel)).status_code == 403
    admin = signed_in(wesel.users[Role.TENANT_ADMIN])
    assert admin.get(url("cases:due_list", wesel)).status_code == 403


def test_dashboard_tile_of_case_managers(wesel, cm):
    import lotse.cases.dashboard  # noqa: F401  (registers the tile, as CasesConfig.ready does)

    actor = wesel.users[Role.CASE_MANAGER]
    follow_up(open_case(wesel, actor, "Fall Kachel"), actor, "überfällig", timezone.localdate() - DAY)
    response = cm.get(url("ui:dashboard", wesel))
    assert response.status_code == 200
    assert url("cases:due_list", wesel) in response.content.decode()


# --- Barriers -------------------------------------------------------------------------------


def barrier_data(part: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "domain": "language",
        "agency": part.agency.pk,
        "institution": "",
        "municipality": part.municipality.pk,
        "description": "Wartezeit auf einen Integrationskurs über sechs Monate",
    }
    data.update(overrides)
    return data


def test_barrier_stores_provider_municipality_and_domain(wesel, cm):
    response = cm.post(case_url("cases:barrier_create", wesel), barrier_data(wesel))
    assert response.status_code == 302 and response["Location"] == case_url("cases:barrier_list", wesel)
    barrier = Barrier.objects.get(description__startswith="Wartezeit auf einen")
    assert barrier.tenant == wesel.tenant and barrier.case == wesel.case
    assert barrier.provider == wesel.case.provider and barrier.municipality == wesel.municipality
    assert barrier.domain == "language" and barrier.agency == wesel.agency
    # cheap counts without joining cases
    assert Barrier.objects.filter(tenant=wesel.tenant, domain="language", municipality=wesel.municipality).count() == 1
    listing = cm.get(case_url("cases:barrier_list", wesel)).content.decode()
    assert "Wartezeit auf einen Integrationskurs" in listing and wesel.agency.name in listing


def test_barrier_needs_agency_or_institution(wesel, cm):
    before = Barrier.objects.count()
    response = cm.post(case_url("cases:barrier_create", wesel), barrier_data(wesel, agency=""))
    assert response.status_code == 200 and "institution" in response.context["form"].errors
    assert Barrier.objects.count() == before
    response = cm.post(case_url("cases:barrier_create", wesel), barrier_data(wesel, agency="", institution="Kita-Amt"))
    assert response.status_code == 302 and Barrier.objects.filter(institution="Kita-Amt").exists()


def test_barrier_form_refuses_foreign_agency_and_municipality(world, wesel, cm):
    coesfeld = world.coesfeld
    data = barrier_data(wesel, agency=coesfeld.agency.pk, municipality=coesfeld.municipality.pk)
    before = Barrier.objects.count()
    response = cm.post(case_url("cases:barrier_create", wesel), data)
    assert response.status_code == 200
    assert {"agency", "municipality"} <= response.context["form"].errors.keys()
    assert Barrier.objects.count() == before


def test_barrier_form_offers_active_entries_only(wesel, cm):
    wesel.agency.is_active = False
    wesel.agency.save(update_fields=["is_active"])
    response = cm.post(case_url("cases:barrier_create", wesel), barrier_data(wesel))
    assert response.status_code == 200 and "agency" in response.context["form"].errors


def test_barrier_on_a_closed_case_but_not_on_an_anonymised_one(wesel, cm):
    Case.objects.filter(pk=wesel.case.pk).update(status=CaseStatus.CLOSED)
    assert cm.get(case_url("cases:barrier_create", wesel)).status_code == 200
    response = cm.post(case_url("cases:barrier_create", wesel), barrier_data(wesel, description="Am Ende gesehen"))
    assert response.status_code == 302 and Barrier.objects.filter(description="Am Ende gesehen").exists()

    Case.objects.filter(pk=wesel.case.pk).update(anonymised_at=timezone.now())
    response = cm.post(case_url("cases:barrier_create", wesel), barrier_data(wesel, description="Nach Anonymisierung"))
    assert response.status_code == 302 and error_messages(response)
    assert not Barrier.objects.filter(description="Nach Anonymisierung").exists()


def test_coordinator_reads_barriers_but_cannot_record(wesel, coordinator, signed_in):
    response = coordinator.get(case_url("cases:barrier_list", wesel))
    assert response.status_code == 200 and "Wartezeit Integrationskurs" in response.content.decode()
    assert not response.context["can_record"]
    assert coordinator.get(case_url("cases:barrier_create", wesel)).status_code == 403
    assert coordinator.post(case_url("cases:barrier_create", wesel), barrier_data(wesel)).status_code == 403
    stranger = signed_in(other_case_manager(wesel, "we-stranger"))
    assert stranger.get(case_url("cases:barrier_list", wesel)).status_code == 404
    assert stranger.post(case_url("cases:barrier_create", wesel), barrier_data(wesel)).status_code == 404


def test_case_overview_offers_follow_up_work(wesel, cm, coordinator):
    """The overview includes the follow-up partial: "done" and a new follow-up return there."""
    done_url = case_url("cases:followup_done", wesel, follow_up=wesel.objects["follow_up"].pk)
    page = cm.get(case_url("cases:detail", wesel)).content.decode()
    assert done_url in page and case_url("cases:followup_create", wesel) in page
    assert 'name="back" value="detail"' in page
    response = cm.post(done_url, {"back": "detail"})
    assert response["Location"] == case_url("cases:detail", wesel)
    page = coordinator.get(case_url("cases:detail", wesel)).content.decode()
    assert done_url not in page and case_url("cases:followup_create", wesel) not in page
