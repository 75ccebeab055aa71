"""Quality circle: who reaches a meeting's picks, what the pseudonymised summary shows and
hides, picking and removing cases (coordinators), audit events and the query count."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from conftest import World
from lotse.access.context import AccessContext
from lotse.accounts.tests.factories import UserFactory
from lotse.audit.models import AuditEvent
from lotse.cases.domains import LifeDomain
from lotse.cases.models import AssessmentEntry, Case, Goal
from lotse.cases.services import cases as case_services
from lotse.cases.services import work
from lotse.committees import review as reviews
from lotse.committees.models import BodyMember, ReviewCase
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()

CO, CM, CMB, PL = Role.COORDINATOR, Role.CASE_MANAGER, Role.COMMITTEE_MEMBER, Role.PROVIDER_LEAD


def de(msgid: str) -> str:
    """A message as the (German) staff UI shows it."""
    with translation.override("de"):
        return gettext(msgid)


def url(name: str, part: Any, **kwargs: Any) -> str:
    return reverse(f"committees:{name}", kwargs={"tenant": part.tenant.slug, **kwargs})


def list_url(part: Any) -> str:
    return url("review_list", part, pk=part.objects["qc_meeting"].pk)


def case_url(part: Any, review: ReviewCase | None = None) -> str:
    review = review or part.objects["review"]
    return url("review_case", part, pk=review.meeting_id, review=review.pk)


def main(response: Any) -> str:
    """The page's main region (the shell around it carries the signed-in user and the CSRF
    token, which say nothing about the case)."""
    html = response.content.decode()
    match = re.search(r"<main\b.*?</main>", html, re.S)
    assert match, html[:500]
    return match.group(0)


def case_label(label: str) -> str:
    with translation.override("de"):
        return gettext("Case %(label)s") % {"label": label}


def open_case(part: Any, **kwargs: Any) -> Case:
    user = part.users[CM]
    defaults = {"pseudonym": "Neu", "intake_channel": "walk_in", "provider": part.provider}
    return case_services.case_open(actor=user, tenant=part.tenant, case_manager_id=user.pk, **(defaults | kwargs))


def pick(client: Client, part: Any, number: str) -> Any:
    return client.post(url("review_add", part, pk=part.objects["qc_meeting"].pk), {"number": number})


def context_values(response: Any) -> list[Any]:
    """Every value handed to any template of the response (the page and its includes)."""
    return [value for context in response.context for layer in context.dicts for value in layer.values()]


# --- the labels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "label"), [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"), (702, "ZZ"), (703, "AAA")]
)
def test_labels_run_a_to_z_then_aa(index: int, label: str):
    assert reviews.label_for(index) == label
    assert reviews.label_index(label) == index


def test_next_label_follows_the_highest_in_use():
    assert reviews.next_label([]) == "A"
    assert reviews.next_label(["A", "C"]) == "D", "a gap left by a removal is not reused"
    assert reviews.next_label(["Z", "B"]) == "AA"
    assert reviews.label_index("x1") == 0


def test_months_between():
    assert reviews.months_between(datetime.date(2024, 1, 31), datetime.date(2024, 2, 29)) == 0
    assert reviews.months_between(datetime.date(2024, 1, 15), datetime.date(2024, 3, 15)) == 2
    assert reviews.months_between(datetime.date(2024, 5, 1), datetime.date(2024, 4, 1)) == 0


# --- who reaches the picks -------------------------------------------------------------------------


def test_reviewer_sees_the_summary_pseudonymised(world: World, signed_in):
    part = world.wesel
    case = part.case
    client = signed_in(part.users[CM])  # holds a seat in the quality circle

    listing = client.get(list_url(part))
    assert listing.status_code == 200
    assert case_label("A") in main(listing)
    assert case.number not in listing.content.decode()
    assert all(row.case_number == "" and row.case_id is None for row in listing.context["rows"])
    assert not listing.context["can_manage"] and listing.context["form"] is None

    response = client.get(case_url(part))
    assert response.status_code == 200
    html = response.content.decode()
    body = main(response)
    for secret in (
        case.number,
        case.pseudonym,
        "Amina",
        "Testfall",
        "Arbeitsstelle finden",  # goal text
        "Lebenslauf",  # goal step
        "Rückruf",  # follow-up note
        "Wartezeit Integrationskurs",  # barrier description
        part.provider.name,
        part.location.name,
    ):
        assert secret not in html, secret
    assert "1990" not in body and "17.05" not in body
    summary = response.context["summary"]
    assert summary.label == "A"
    assert case_label("A") in body
    with translation.override("de"):
        work_label, medium = str(LifeDomain.WORK.label), gettext("medium")
    assert [(row.domain, row.first) for row in summary.needs] == [(work_label, medium)]
    assert work_label in body and medium in body
    assert summary.contacts_total == 1 and summary.effort_minutes_total == 45
    assert [row.agency for row in summary.referrals] == [part.agency.name]
    assert [row.institution for row in summary.barriers] == ["BAMF"]
    assert len(summary.goals) == 1 and summary.goals[0].domain == work_label
    # the template gets plain data only: no case, no pick
    assert not any(isinstance(value, Case | ReviewCase) for value in context_values(response))


def test_coordinator_sees_case_numbers_in_the_list_but_the_summary_stays_pseudonymised(world: World, signed_in):
    part = world.wesel
    client = signed_in(part.users[CO])
    listing = client.get(list_url(part))
    assert listing.status_code == 200
    assert part.case.number in main(listing)
    assert listing.context["can_manage"] and listing.context["form"] is not None
    assert reverse("cases:detail", kwargs={"tenant": part.tenant.slug, "pk": part.case.pk}) in main(listing)

    response = client.get(case_url(part))
    assert response.status_code == 200
    html = response.content.decode()
    for secret in (part.case.number, part.case.pseudonym, "Amina", "Testfall", "Arbeitsstelle finden", "Rückruf"):
        assert secret not in html, secret
    assert "1990" not in main(response)


@pytest.mark.parametrize("role", [CMB, PL])
def test_seat_holders_of_other_bodies_get_404(world: World, signed_in, role: str):
    client = signed_in(world.wesel.users[role])
    assert client.get(list_url(world.wesel)).status_code == 404
    assert client.get(case_url(world.wesel)).status_code == 404


def test_case_manager_without_a_seat_gets_404(world: World, signed_in):
    part = world.wesel
    other = UserFactory(username="we-cm-no-seat")
    MembershipFactory(user=other, tenant=part.tenant, role=CM, provider=part.provider)
    client = signed_in(other)
    assert client.get(list_url(part)).status_code == 404
    assert client.get(case_url(part)).status_code == 404
    assert not AuditEvent.objects.filter(action="review.case_viewed").exists()


def test_a_seat_that_ended_no_longer_opens_the_review(world: World, signed_in):
    part = world.wesel
    BodyMember.objects.filter(membership=part.memberships[CM]).update(left_on=TODAY - datetime.timedelta(days=1))
    client = signed_in(part.users[CM])
    assert client.get(list_url(part)).status_code == 404
    assert client.get(case_url(part)).status_code == 404


@pytest.mark.parametrize("role", [Role.FUNDING_CLERK, Role.DATA_PROTECTION_OFFICER, Role.TENANT_ADMIN])
def test_roles_without_committee_access_get_403(world: World, signed_in, role: str):
    client = signed_in(world.wesel.users[role])
    assert client.get(list_url(world.wesel)).status_code == 403
    assert client.get(case_url(world.wesel)).status_code == 403


def test_other_tenant_gets_nothing(world: World, signed_in):
    wesel, coesfeld = world.wesel, world.coesfeld
    # Coesfeld's objects through the Wesel address, and Wesel's page for a Coesfeld account
    for role in (CO, CM):
        client = signed_in(wesel.users[role])
        meeting, review = coesfeld.objects["qc_meeting"], coesfeld.objects["review"]
        assert client.get(url("review_list", wesel, pk=meeting.pk)).status_code == 404
        assert client.get(url("review_case", wesel, pk=meeting.pk, review=review.pk)).status_code == 404
        assert (
            client.get(url("review_case", wesel, pk=wesel.objects["qc_meeting"].pk, review=review.pk)).status_code
            == 404
        )
        assert signed_in(coesfeld.users[role]).get(list_url(wesel)).status_code in (403, 404)
    client = signed_in(wesel.users[CO])
    response = client.post(
        url("review_remove", wesel, pk=coesfeld.objects["qc_meeting"].pk, review=coesfeld.objects["review"].pk),
        {"confirm": "1"},
    )
    assert response.status_code == 404
    assert ReviewCase.objects.filter(pk=coesfeld.objects["review"].pk).exists()


def test_only_quality_circle_meetings_have_reviews(world: World, signed_in):
    part = world.wesel
    client = signed_in(part.users[CO])
    steering_meeting = part.objects["meeting"]
    assert client.get(url("review_list", part, pk=steering_meeting.pk)).status_code == 404
    response = client.post(url("review_add", part, pk=steering_meeting.pk), {"number": part.case.number})
    assert response.status_code == 404
    assert not ReviewCase.objects.filter(meeting=steering_meeting).exists()


def test_reviewers_may_not_pick_or_remove(world: World, signed_in):
    part = world.wesel
    client = signed_in(part.users[CM])
    other = open_case(part)
    assert pick(client, part, other.number).status_code == 403
    review = part.objects["review"]
    remove = url("review_remove", part, pk=review.meeting_id, review=review.pk)
    assert client.post(remove, {"confirm": "1"}).status_code == 403
    assert ReviewCase.objects.filter(meeting=review.meeting).count() == 1


def test_reading_a_summary_is_audited(world: World, signed_in):
    part = world.wesel
    review = part.objects["review"]
    user = part.users[CM]
    assert signed_in(user).get(case_url(part)).status_code == 200
    event = AuditEvent.objects.get(action="review.case_viewed")
    assert event.actor == user and event.tenant_id == part.tenant.pk
    assert (event.object_type, event.object_id) == ("cases.case", str(part.case.pk))
    assert event.details == {"meeting": review.meeting_id, "review": review.pk}


def test_health_entries_never_reach_the_circle(world: World):
    part = world.wesel
    case = part.case
    user = part.users[CM]
    assessment = case.assessments.first()
    AssessmentEntry.objects.create(assessment=assessment, domain="health", need_level=3)
    Goal.objects.create(case=case, domain="health", text="Therapieplatz", created_by=user)
    summary = reviews.review_summary(part.objects["review"])
    health = str(LifeDomain.HEALTH.label)
    assert health not in [row.domain for row in summary.needs]
    assert health not in [row.domain for row in summary.goals]
    assert len(summary.goals) == 1


def test_summary_compares_first_and_latest_assessment(world: World):
    part = world.wesel
    work.assessment_create(
        part.case,
        actor=part.users[CM],
        assessed_on=TODAY,
        entries={"work": {"need_level": 1}, "housing": {"need_level": 3}},
    )
    summary = reviews.review_summary(part.objects["review"])
    assert summary.assessments == 2
    rows = {row.domain: row for row in summary.needs}
    assert rows[str(LifeDomain.WORK.label)].change == -1
    assert rows[str(LifeDomain.HOUSING.label)].first == "–" and rows[str(LifeDomain.HOUSING.label)].change is None


@pytest.mark.parametrize("size", [1, 20])
def test_summary_runs_a_bounded_number_of_queries(world: World, signed_in, django_assert_max_num_queries, size: int):
    part = world.wesel
    case, user = part.case, part.users[CM]
    for i in range(size):
        work.goal_create(case, actor=user, domain="language", text=f"Ziel {i}")
        work.contact_create(
            case,
            actor=user,
            occurred_on=TODAY,
            kind="phone",
            duration_minutes=5,
            effort_minutes=10,
            interpreter_used=bool(i % 2),
            topics=["language"],
        )
        work.barrier_create(case, actor=user, domain="housing", description="x", institution="Wohnungsamt")
    chosen = ReviewCase.objects.select_related("case").get(pk=part.objects["review"].pk)
    with django_assert_max_num_queries(8):
        reviews.review_summary(chosen)
    client = signed_in(user)
    client.get(case_url(part))  # warm the session
    # session, user, membership, meeting, pick, the summary, the audit event (with savepoints)
    with django_assert_max_num_queries(20):
        response = client.get(case_url(part))
    assert response.status_code == 200


def test_list_query_count_does_not_grow_with_the_picks(world: World, signed_in, django_assert_max_num_queries):
    part = world.wesel
    coordinator = part.users[CO]
    for _ in range(10):
        reviews.review_case_add(
            AccessContext(user=coordinator, tenant=part.tenant, membership=part.memberships[CO]),
            meeting=part.objects["qc_meeting"],
            number=open_case(part).number,
            actor=coordinator,
        )
    client = signed_in(coordinator)
    client.get(list_url(part))  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(list_url(part))
    assert len(response.context["rows"]) == 11
    assert [row.label for row in response.context["rows"]][-3:] == ["I", "J", "K"]


# --- picking and removing ----------------------------------------------------------------------------


def test_coordinator_picks_a_case_under_the_next_label(world: World, signed_in):
    part = world.wesel
    coordinator = part.users[CO]
    client = signed_in(coordinator)
    second = open_case(part)
    response = pick(client, part, f"  {second.number.lower()}  ")
    assert response.status_code == 302
    added = ReviewCase.objects.get(meeting=part.objects["qc_meeting"], case=second)
    assert added.label == "B" and added.added_by == coordinator
    event = AuditEvent.objects.get(action="review.case_added")
    assert (event.object_type, event.object_id) == ("cases.case", str(second.pk))
    assert event.details == {"meeting": added.meeting_id, "review": added.pk, "label": "B"}
    listing = client.get(list_url(part))
    assert [row.label for row in listing.context["rows"]] == ["A", "B"]


@pytest.mark.parametrize("number", ["", "   ", "KIM-0000-99999"])
def test_bad_case_numbers_are_refused_and_nothing_is_added(world: World, signed_in, number: str):
    part = world.wesel
    client = signed_in(part.users[CO])
    response = pick(client, part, number)
    assert response.status_code == 200
    assert response.context["form"].errors["number"]
    assert ReviewCase.objects.filter(meeting=part.objects["qc_meeting"]).count() == 1
    assert not AuditEvent.objects.filter(action="review.case_added").exists()


def test_an_empty_post_is_refused(world: World, signed_in):
    part = world.wesel
    response = signed_in(part.users[CO]).post(url("review_add", part, pk=part.objects["qc_meeting"].pk))
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [de("Enter the case number.")]
    assert ReviewCase.objects.filter(meeting=part.objects["qc_meeting"]).count() == 1


def test_a_case_of_another_tenant_cannot_be_picked(world: World, signed_in):
    part = world.wesel
    foreign = open_case(world.coesfeld)  # a number Wesel has not drawn
    assert not Case.objects.filter(tenant=part.tenant, number=foreign.number).exists()
    response = pick(signed_in(part.users[CO]), part, foreign.number)
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [
        de("There is no case with this number. Check the number in the case list.")
    ]
    assert not ReviewCase.objects.filter(case=foreign).exists()


def test_a_case_is_picked_once_per_meeting(world: World, signed_in):
    part = world.wesel
    response = pick(signed_in(part.users[CO]), part, part.case.number)
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [de("This case is already picked for this meeting.")]
    assert ReviewCase.objects.filter(meeting=part.objects["qc_meeting"]).count() == 1


def test_anonymised_cases_are_refused_and_drop_out_of_the_review(world: World, signed_in):
    part = world.wesel
    client = signed_in(part.users[CO])
    gone = case_services.case_anonymise(open_case(part), actor=part.users[CO])
    response = pick(client, part, gone.number)
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == [de("This case is anonymised and can no longer be reviewed.")]
    assert not ReviewCase.objects.filter(case=gone).exists()

    case_services.case_anonymise(part.case, actor=part.users[CO])
    listing = client.get(list_url(part))
    assert [row.available for row in listing.context["rows"]] == [False]
    assert signed_in(part.users[CM]).get(case_url(part)).status_code == 404


def test_removing_needs_the_confirmation(world: World, signed_in):
    part = world.wesel
    review = part.objects["review"]
    client = signed_in(part.users[CO])
    remove = url("review_remove", part, pk=review.meeting_id, review=review.pk)

    response = client.post(remove)
    assert response.status_code == 302
    assert ReviewCase.objects.filter(pk=review.pk).exists()
    messages = [str(m) for m in client.get(list_url(part)).context["messages"]]
    assert messages and "A" in messages[0]
    assert not AuditEvent.objects.filter(action="review.case_removed").exists()

    response = client.post(remove, {"confirm": "1"})
    assert response.status_code == 302
    assert not ReviewCase.objects.filter(pk=review.pk).exists()
    assert Case.objects.filter(pk=part.case.pk).exists(), "the case itself stays"
    event = AuditEvent.objects.get(action="review.case_removed")
    assert (event.object_type, event.object_id) == ("cases.case", str(part.case.pk))
    # gone: a second removal and the summary answer 404
    assert client.post(remove, {"confirm": "1"}).status_code == 404
    assert client.get(case_url(part, review)).status_code == 404


def test_a_removed_label_is_not_reused(world: World, signed_in):
    part = world.wesel
    client = signed_in(part.users[CO])
    second, third, fourth = open_case(part), open_case(part), open_case(part)
    pick(client, part, second.number)
    pick(client, part, third.number)
    b = ReviewCase.objects.get(case=second)
    client.post(url("review_remove", part, pk=b.meeting_id, review=b.pk), {"confirm": "1"})
    pick(client, part, fourth.number)
    labels = sorted(ReviewCase.objects.filter(meeting=part.objects["qc_meeting"]).values_list("label", flat=True))
    assert labels == ["A", "C", "D"]
