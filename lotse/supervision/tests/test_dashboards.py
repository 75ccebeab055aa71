"""Role dashboard sections (committee members: aggregate figures only; supervisors: the way to
the supervision page) and the bounded number of queries of the supervision pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from conftest import World
from lotse.cases.models import Assessment, AssessmentEntry, Case, CaseStatus, Referral
from lotse.feedback.models import FeedbackResponse
from lotse.steering.models import StaircaseSettings, Theme
from lotse.supervision.tests import data
from lotse.supervision.tests.test_figures import de
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db


def overview(world: World) -> str:
    return reverse("ui:dashboard", kwargs={"tenant": world.wesel.tenant.slug})


def test_committee_member_sees_counts_and_no_case(world: World, signed_in):
    part = world.wesel
    coordinator = part.users[Role.COORDINATOR]
    data.build(part)
    # a theme at level 4 the member's body is responsible for, one of another body they cannot see
    Theme.objects.create(
        tenant=part.tenant, title="Anerkennung", level=4, created_by=coordinator, responsible_body=part.objects["body"]
    )
    Theme.objects.create(tenant=part.tenant, title="Kita-Plätze", level=4, created_by=coordinator)
    StaircaseSettings.objects.create(tenant=part.tenant, level_4="Projektgruppe Arbeit")
    response = signed_in(part.users[Role.COMMITTEE_MEMBER]).get(overview(world))
    assert response.status_code == 200
    html = response.content.decode()
    section = next(s for s in response.context["sections"] if s.title == de("Aggregate figures"))
    assert [c.value for c in section.cards] == [7, 11, 8]  # open, opened this year, feedback answers
    levels = section.tables[0].rows
    assert levels[0][1] == 1 and levels[3] == ["4 – Projektgruppe Arbeit", 1], "only the themes of the own body"
    assert all(card.url is None for card in section.cards), "no link into case data"
    assert part.case.number not in html
    assert not any(number in html for number in Case.objects.values_list("number", flat=True))
    assert "Statistik" not in html and part.case.pseudonym not in html
    assert "Wartezeiten Integrationskurs" not in html, "counts of themes, not their titles"


def test_supervisors_get_a_card_to_the_supervision_page(world: World, signed_in):
    part = world.wesel
    data.build(part)
    page = reverse("supervision:dashboard", kwargs={"tenant": part.tenant.slug})
    lead = signed_in(part.users[Role.PROVIDER_LEAD]).get(overview(world))
    cards = {c.label: c for s in lead.context["sections"] for c in s.cards}
    own_open = next(c for c in cards.values() if c.url == page)
    assert own_open.value == 6, "open cases of the own provider only"
    assert page in lead.content.decode()
    coordinator = signed_in(part.users[Role.COORDINATOR]).get(overview(world))
    assert f"{page}#overdue" in coordinator.content.decode()
    for role in (Role.CASE_MANAGER, Role.COMMITTEE_MEMBER, Role.FUNDING_CLERK):
        assert page not in signed_in(part.users[role]).get(overview(world)).content.decode()


def bulk(part, size: int) -> None:  # type: ignore[no-untyped-def]
    """``size`` more cases per provider with closure, assessments, referrals and feedback."""
    today = datetime.date.today()
    actor = part.users[Role.CASE_MANAGER]
    cases = []
    for i in range(size):
        for provider in (part.provider, part.other_provider):
            closed = i % 3 == 0
            cases.append(
                Case(
                    tenant=part.tenant,
                    number=f"BULK-{provider.pk}-{i:05d}",
                    pseudonym="Menge",
                    provider=provider,
                    case_manager=actor,
                    intake_channel="walk_in",
                    opened_on=today - datetime.timedelta(days=100 + i % 50),
                    status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                    closed_on=today - datetime.timedelta(days=i % 20) if closed else None,
                    next_follow_up_on=today - datetime.timedelta(days=i % 7),
                    next_reassessment_on=today - datetime.timedelta(days=i % 5),
                )
            )
    Case.objects.bulk_create(cases)
    cases = list(Case.objects.filter(number__startswith="BULK-"))
    assessments = []
    for case in cases:
        assessments.append(Assessment(case=case, assessed_on=case.opened_on, is_initial=True, created_by=actor))
        assessments.append(Assessment(case=case, assessed_on=today, created_by=actor))
    Assessment.objects.bulk_create(assessments)
    AssessmentEntry.objects.bulk_create(
        AssessmentEntry(assessment=a, domain=domain, need_level=(a.pk + n) % 4)
        for a in Assessment.objects.filter(case__number__startswith="BULK-")
        for n, domain in enumerate(("work", "language", "housing"))
    )
    Referral.objects.bulk_create(
        Referral(case=case, agency=part.agency, topic="work", status="done", created_by=actor) for case in cases
    )
    FeedbackResponse.objects.bulk_create(
        FeedbackResponse(
            tenant=part.tenant,
            provider=case.provider,
            month=data.this_month(i % 12),
            language="de",
            understood=1 + i % 5,
            helped=1 + i % 4,
        )
        for i, case in enumerate(cases)
    )


@pytest.mark.parametrize("size", [10, 30])
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PROVIDER_LEAD])
def test_supervision_pages_run_a_bounded_number_of_queries(
    world: World, signed_in, django_assert_max_num_queries, size, role
):
    part = world.wesel
    data.build(part)
    bulk(part, size)
    client = signed_in(part.users[role])
    client.get(overview(world))  # warm the session
    for name in ("supervision:dashboard", "supervision:feedback"):
        with django_assert_max_num_queries(20):
            response = client.get(reverse(name, kwargs={"tenant": part.tenant.slug}))
        assert response.status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(overview(world)).status_code == 200
