"""The supervision figures on a hand-built dataset (tests/data.py): caseload, overdue work,
durations, referrals, change of need, feedback means with the small-cell rule, and the provider
lead's narrower scope."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from conftest import World
from lotse.access.context import AccessContext
from lotse.supervision import selectors
from lotse.supervision.selectors import Period, default_period
from lotse.supervision.tests import data
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db
PERIOD = default_period()


def ctx(world: World, role: str) -> AccessContext:
    part = world.wesel
    return AccessContext(user=part.users[role], tenant=part.tenant, membership=part.memberships[role])


def coordinator_scope(world: World) -> selectors.Scope:
    return selectors.supervision_scope(ctx(world, Role.COORDINATOR))


def lead_scope(world: World) -> selectors.Scope:
    return selectors.supervision_scope(ctx(world, Role.PROVIDER_LEAD))


def de(msgid: str) -> str:
    with translation.override("de"):
        return gettext(msgid)


def test_default_period_is_the_last_twelve_months():
    period = default_period(datetime.date(2025, 3, 14))
    assert period == Period(datetime.date(2024, 4, 1), datetime.date(2025, 3, 14))
    assert len(period.months()) == 12
    assert default_period(datetime.date(2025, 12, 31)).start == datetime.date(2025, 1, 1)


def test_scopes_follow_the_access_rule(world: World):
    part = world.wesel
    assert coordinator_scope(world).provider_ids is None
    assert lead_scope(world).provider_ids == [part.provider.pk]
    # a provider lead cannot widen the scope to another provider
    lead = ctx(world, Role.PROVIDER_LEAD)
    assert selectors.supervision_scope(lead, part.other_provider.pk).provider_ids == []
    for role in (Role.CASE_MANAGER, Role.COMMITTEE_MEMBER, Role.FUNDING_CLERK, Role.TENANT_ADMIN):
        with pytest.raises(PermissionError):
            selectors.supervision_scope(ctx(world, role))


def test_caseload_and_overdue_work_per_case_manager(world: World):
    d = data.build(world.wesel)
    loads = {load.name: load for load in selectors.caseload_by_case_manager(coordinator_scope(world))}
    cm1 = loads[d.cm1.get_full_name()]
    assert (cm1.open, cm1.overdue_follow_ups, cm1.overdue_reassessments) == (3, 1, 1)
    assert loads["Bert Zweit"].open == 2
    assert (loads["Clara Dritt"].open, loads["Clara Dritt"].overdue_follow_ups) == (1, 1)
    assert loads[de("Not assigned")].open == 1
    assert sum(load.open for load in loads.values()) == 7

    own = {load.name: load for load in selectors.caseload_by_case_manager(lead_scope(world))}
    assert "Clara Dritt" not in own, "the other provider's case manager does not count"
    assert sum(load.open for load in own.values()) == 6
    assert selectors.overdue_totals(lead_scope(world)) == {"open": 6, "follow_ups": 1, "reassessments": 1}
    assert selectors.overdue_totals(coordinator_scope(world)) == {"open": 7, "follow_ups": 2, "reassessments": 1}


def test_case_managers_without_cases_are_listed_with_zero(world: World):
    loads = {load.name: load.open for load in selectors.caseload_by_case_manager(coordinator_scope(world))}
    assert loads == {world.wesel.users[Role.CASE_MANAGER].get_full_name(): 1}
    data.build(world.wesel)
    from lotse.cases.models import Case

    Case.objects.filter(case_manager__username__endswith="-cm3").update(case_manager=None)
    loads = {load.name: load.open for load in selectors.caseload_by_case_manager(coordinator_scope(world))}
    assert loads["Clara Dritt"] == 0


def test_open_and_closed_per_provider_and_month(world: World):
    part = world.wesel
    data.build(part)
    providers = list(selectors.supervision_providers(ctx(world, Role.COORDINATOR)))
    rows = {p.name: p for p in selectors.cases_by_provider(coordinator_scope(world), PERIOD, providers)}
    a, b = rows[part.provider.name], rows[part.other_provider.name]
    assert (a.open_now, a.closed) == (6, 3)
    assert (b.open_now, b.closed) == (1, 1)
    assert a.opened == 6 + 3, "opened in the period: the open ones and the three closed (the old one is not)"
    monthly = selectors.cases_by_month(coordinator_scope(world), PERIOD)
    assert sum(monthly.closed) == 4
    assert sum(monthly.opened) == a.opened + b.opened
    assert len(monthly.months) == 12


def test_case_duration_median_and_mean(world: World):
    part = world.wesel
    data.build(part)
    providers = list(selectors.supervision_providers(ctx(world, Role.COORDINATOR)))
    durations = {d.name: d for d in selectors.case_durations(coordinator_scope(world), PERIOD, providers)}
    a = durations[part.provider.name]
    assert (a.closed, a.median_days, a.mean_days) == (3, 20.0, 30.0)
    assert (durations[part.other_provider.name].closed, durations[part.other_provider.name].median_days) == (1, 100.0)
    own_providers = list(selectors.supervision_providers(ctx(world, Role.PROVIDER_LEAD)))
    assert own_providers == [part.provider]
    own = selectors.case_durations(lead_scope(world), PERIOD, own_providers)
    assert [(d.closed, d.median_days, d.mean_days) for d in own] == [(3, 20.0, 30.0)]


def test_referrals_by_agency_and_status(world: World):
    part = world.wesel
    d = data.build(part)
    rows = {a.name: a.by_status for a in selectors.referrals_by_agency(coordinator_scope(world), PERIOD)}
    assert rows[part.agency.name] == {"sent": 1, "accepted": 1, "declined": 1, "done": 1}
    assert rows[d.abh.name] == {"done": 2}, "the referral sent two years ago is outside the period"
    own = {a.name: a.by_status for a in selectors.referrals_by_agency(lead_scope(world), PERIOD)}
    assert own[part.agency.name] == {"sent": 1, "accepted": 1, "declined": 1}


def test_need_change_compares_the_initial_with_the_latest_assessment(world: World):
    data.build(world.wesel)
    own = {n.domain: n for n in selectors.need_change(lead_scope(world), PERIOD)}
    assert (own["work"].cases, own["work"].first, own["work"].latest, own["work"].change) == (2, 2.5, 1.0, -1.5)
    assert (own["language"].cases, own["language"].first, own["language"].latest) == (1, 2.0, 2.0)
    assert set(own) == {"work", "language"}
    everyone = {n.domain: n for n in selectors.need_change(coordinator_scope(world), PERIOD)}
    assert (everyone["work"].cases, everyone["work"].first, everyone["work"].latest) == (3, 2.7, 1.7)
    # a period that ends before the re-assessments: the latest one up to its end counts
    early = Period(data.days_ago(60), data.days_ago(30))
    assert [(n.domain, n.cases, n.first, n.latest) for n in selectors.need_change(lead_scope(world), early)] == [
        ("language", 1, 2.0, 3.0),
        ("work", 1, 3.0, 3.0),
    ]


def test_feedback_means_with_small_cells_suppressed(world: World):
    part = world.wesel
    data.build(part)
    providers = list(selectors.supervision_providers(ctx(world, Role.COORDINATOR)))
    rows = {r.label: r for r in selectors.feedback_by_provider(coordinator_scope(world), PERIOD, providers)}
    a = rows[part.provider.name]
    names = [name for name, _label in selectors.QUESTIONS]
    understood, helped = a.questions[names.index("understood")], a.questions[names.index("helped")]
    recommend, respected = a.questions[names.index("recommend")], a.questions[names.index("respected")]
    assert a.responses == 6, "the answer of two years ago is outside the period"
    assert (understood.count, understood.mean) == (5, 4.2)
    assert (helped.count, helped.mean) == (6, 4.0)
    assert (recommend.count, recommend.mean) == (2, None), "fewer than 5 answers: no mean"
    assert (respected.count, respected.mean) == (0, None)
    b = rows[part.other_provider.name]
    assert b.responses == 2 and all(q.mean is None for q in b.questions)
    total = selectors.feedback_total(coordinator_scope(world), PERIOD)
    assert total.responses == 8 and total.questions[names.index("understood")].count == 7
    months = dict(selectors.feedback_by_month(lead_scope(world), PERIOD))
    assert months[data.this_month()].questions[names.index("understood")].mean == 4.2
    assert sum(row.responses for row in months.values()) == 6


# --- the pages ---------------------------------------------------------------------------------------


def url(world: World, name: str = "supervision:dashboard") -> str:
    return reverse(name, kwargs={"tenant": world.wesel.tenant.slug})


def test_coordinator_page_shows_every_section_with_tables(world: World, signed_in):
    part = world.wesel
    data.build(part)
    response = signed_in(part.users[Role.COORDINATOR]).get(url(world))
    assert response.status_code == 200
    html = response.content.decode()
    for chart_id in (
        "caseload-case-manager",
        "cases-provider",
        "cases-month",
        "overdue-case-manager",
        "duration-provider",
        "referrals-agency",
        "need-domain",
        "feedback-provider",
    ):
        assert f'id="{chart_id}-canvas"' in html and f'id="{chart_id}-data"' in html
    assert html.count("<h1") == 1
    assert "Clara Dritt" in html and part.other_provider.name in html
    assert part.case.number not in html and "Statistik" not in html, "no case number, no pseudonym"
    assert "style=" not in html


def test_provider_lead_sees_only_the_own_provider(world: World, signed_in):
    part = world.wesel
    data.build(part)
    client = signed_in(part.users[Role.PROVIDER_LEAD])
    response = client.get(url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Clara Dritt" not in html, "the other provider's case manager is not shown"
    assert part.other_provider.name not in html
    assert 'name="provider"' not in html, "the provider is fixed for provider leads"
    # asking for the other provider changes nothing
    html = client.get(url(world), {"provider": part.other_provider.pk}).content.decode()
    assert "Clara Dritt" not in html and part.other_provider.name not in html
    assert part.case.number not in html


def test_coordinator_can_narrow_to_one_provider(world: World, signed_in):
    part = world.wesel
    data.build(part)
    client = signed_in(part.users[Role.COORDINATOR])
    html = client.get(url(world), {"provider": part.other_provider.pk}).content.decode()
    assert "Clara Dritt" in html and "Bert Zweit" not in html


def test_small_cells_are_marked_on_the_pages(world: World, signed_in):
    part = world.wesel
    data.build(part)
    client = signed_in(part.users[Role.COORDINATOR])
    fewer = de("fewer than %(min_cell)s answers") % {"min_cell": 5}
    for name in ("supervision:dashboard", "supervision:feedback"):
        html = client.get(url(world, name)).content.decode()
        assert fewer in html
        assert "4,2" in html or "4.2" in html, "the mean of five answers is shown"


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2025-06-01", "date_to": "2025-01-01"},
        {"date_from": "gestern", "date_to": "2025-13-45"},
        {"date_from": "1850-01-01"},
        {"date_from": "2000-01-01", "date_to": "2999-12-31"},
        {"provider": "999999"},
        {"provider": "abc"},
    ],
)
def test_bad_filter_input_gets_a_message_and_no_figures(world: World, signed_in, query):
    client = signed_in(world.wesel.users[Role.COORDINATOR])
    for name in ("supervision:dashboard", "supervision:feedback"):
        response = client.get(url(world, name), query)
        assert response.status_code == 200
        html = response.content.decode()
        assert de("Please check your entries") in html
        assert de("Correct the filter to see the figures.") in html
        assert "data-chart=" not in html


def test_end_before_start_says_so(world: World, signed_in):
    client = signed_in(world.wesel.users[Role.COORDINATOR])
    html = client.get(url(world), {"date_from": "2025-06-01", "date_to": "2025-01-01"}).content.decode()
    assert de("The end date lies before the start date.") in html


def test_a_chosen_period_is_used(world: World, signed_in):
    part = world.wesel
    data.build(part)
    client = signed_in(part.users[Role.COORDINATOR])
    start, end = data.days_ago(800), data.days_ago(700)
    response = client.get(url(world), {"date_from": start.isoformat(), "date_to": end.isoformat()})
    figures = response.context["figures"]
    assert figures["totals"] == {"open_now": 7, "opened": 1, "closed": 1}, "only the case of two years ago"
