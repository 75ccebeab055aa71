"""The steering pages: the coordinator's barrier register and theme work, the committee
member's figures-only view, bad input answered with a clear message, and bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext, override

from lotse.cases.models import Barrier
from lotse.steering.models import StaircaseSettings, Theme, ThemeEventKind, ThemeStatus
from lotse.steering.tests.conftest import url
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

BARRIER_TEXT = "Wartezeit Integrationskurs"  # the world's barrier description


def en(msgid: str) -> str:
    with override("en"):
        return gettext(msgid)


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


# --- barrier register -----------------------------------------------------------------------


def test_register_lists_the_tenants_barriers_pseudonymised(world, as_role):
    response = as_role(Role.COORDINATOR).get(url("steering:barrier_register", world))
    assert response.status_code == 200
    html = response.content.decode()
    assert BARRIER_TEXT in html and world.wesel.case.number in html
    assert "Amina" not in html and "Testfall" not in html  # never the identity
    assert {b.pk for b in response.context["page"]} == {world.wesel.objects["barrier"].pk}  # not Coesfeld's
    assert 'name="barriers"' in html and url("steering:barrier_assign", world) in html


def test_register_filters(world, as_role, make_case, make_barrier):
    w = world.wesel
    place = MunicipalityFactory(tenant=w.tenant, name="Voerde")
    old = make_barrier(
        make_case(provider=w.other_provider),
        domain="housing",
        description="Keine Sozialwohnungen",
        institution="Wohnungsamt",
        municipality=place,
        recorded_on=datetime.date(2025, 1, 10),
    )
    client = as_role(Role.COORDINATOR)

    def found(**query) -> set[int]:  # type: ignore[no-untyped-def]
        response = client.get(url("steering:barrier_register", world), query)
        assert response.status_code == 200
        return {b.pk for b in response.context["page"]}

    barrier = w.objects["barrier"].pk
    assert found() == {barrier, old.pk}
    assert found(domain="housing") == {old.pk}
    assert found(institution="wohnungs") == {old.pk}
    assert found(institution="bamf") == {barrier}
    assert found(municipality=place.pk) == {old.pk}
    assert found(provider=w.provider.pk) == {barrier}
    assert found(date_from="2025-01-01", date_to="2025-12-31") == {old.pk}
    assert found(theme="none") == {old.pk}
    assert found(theme="any") == {barrier}
    assert found(theme=str(w.objects["theme"].pk)) == {barrier}
    # htmx gets the results part only
    response = client.get(url("steering:barrier_register", world), {"domain": "housing"}, HTTP_HX_REQUEST="true")
    assert b"<h1" not in response.content and b"Keine Sozialwohnungen" in response.content


def test_assign_selected_barriers_to_a_new_theme(world, as_role, make_case, make_barrier):
    first = make_barrier(make_case())
    second = make_barrier(make_case())
    response = as_role(Role.COORDINATOR).post(
        url("steering:barrier_assign", world),
        {"barriers": [first.pk, second.pk], "title": "Kita-Plätze", "back": "domain=language&evil=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("steering:barrier_register", world) + "?domain=language"
    theme = Theme.objects.get(title="Kita-Plätze")
    assert set(theme.barriers.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_assign_to_an_existing_theme(world, as_role, make_case, make_barrier):
    barrier = make_barrier(make_case())
    theme = world.wesel.objects["theme"]
    response = as_role(Role.COORDINATOR).post(
        url("steering:barrier_assign", world), {"barriers": [barrier.pk], "theme": theme.pk}, follow=True
    )
    assert response.status_code == 200
    assert Barrier.objects.get(pk=barrier.pk).theme_id == theme.pk
    assert any(theme.title in m for m in messages_of(response))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select at least one barrier. Nothing was assigned."),
        ({"title": "Neu"}, "Select at least one barrier. Nothing was assigned."),
        ({"barriers": ["x"], "title": "Neu"}, "The selection is not valid. Reload the page and select again."),
        ({"barriers": "FOREIGN", "title": "Neu"}, "Some of the selected barriers are not in this register."),
        ({"barriers": "OWN"}, "Choose an existing theme or enter the title of a new theme (one of both)."),
    ],
)
def test_assign_bad_input_changes_nothing(world, as_role, data, message):
    own, foreign = world.wesel.objects["barrier"], world.coesfeld.objects["barrier"]
    if data.get("barriers") == "FOREIGN":
        data = {**data, "barriers": [own.pk, foreign.pk]}
    elif data.get("barriers") == "OWN":
        data = {**data, "barriers": [own.pk]}
    themes = Theme.objects.count()
    response = as_role(Role.COORDINATOR).post(url("steering:barrier_assign", world), data, follow=True)
    assert response.status_code == 200
    assert any(m.startswith(en(message.split(" Nothing")[0])) for m in messages_of(response)), messages_of(response)
    assert Theme.objects.count() == themes
    assert Barrier.objects.get(pk=own.pk).theme_id == world.wesel.objects["theme"].pk
    assert Barrier.objects.get(pk=foreign.pk).theme_id == world.coesfeld.objects["theme"].pk


# --- themes: who sees what ------------------------------------------------------------------


def test_committee_member_sees_figures_but_no_case_data(world, as_role, make_case, make_barrier):
    w = world.wesel
    theme = w.objects["theme"]
    make_barrier(make_case(provider=w.other_provider), theme=theme, description="Kursträger ausgebucht")
    client = as_role(Role.COMMITTEE_MEMBER)
    listing = client.get(url("steering:theme_list", world))
    assert listing.status_code == 200 and theme.title in listing.content.decode()
    response = client.get(url("steering:theme_detail", world, pk=theme.pk))
    assert response.status_code == 200
    html = response.content.decode()
    page = response.context["theme"]
    assert (page.case_count, page.provider_count, page.barrier_count) == (2, 2, 2)
    assert response.context["barriers"] is None
    assert BARRIER_TEXT not in html and "Kursträger ausgebucht" not in html
    assert w.case.number not in html and "KIM-" not in html
    assert 'name="barriers"' not in html and "Amina" not in html
    assert 'data-chart="theme-trend-data"' in html or "theme-trend" in html  # the trend chart
    assert url("steering:theme_move", world, pk=theme.pk) not in html  # no coordinator actions
    # the coordinator sees the rows
    coordinator_html = as_role(Role.COORDINATOR).get(url("steering:theme_detail", world, pk=theme.pk)).content
    assert BARRIER_TEXT.encode() in coordinator_html and w.case.number.encode() in coordinator_html


def test_committee_member_without_a_seat_sees_no_theme(world, as_role):
    w = world.wesel
    member = w.objects["member"]
    member.left_on = timezone.localdate() - datetime.timedelta(days=1)
    member.save()
    client = as_role(Role.COMMITTEE_MEMBER)
    assert client.get(url("steering:theme_detail", world, pk=w.objects["theme"].pk)).status_code == 404
    listing = client.get(url("steering:theme_list", world))
    assert listing.status_code == 200 and listing.context["themes"] == []
    assert w.objects["theme"].title not in listing.content.decode()


def test_theme_of_another_district_is_not_found(world, as_role):
    foreign = world.coesfeld.objects["theme"]
    client = as_role(Role.COORDINATOR)
    for name in ("steering:theme_detail", "steering:theme_edit", "steering:theme_move", "steering:theme_split"):
        assert client.get(url(name, world, pk=foreign.pk)).status_code == 404


def test_theme_list_marks_themes_to_escalate(world, as_role, make_case, make_barrier):
    w = world.wesel
    StaircaseSettings.objects.create(tenant=w.tenant, escalate_cases=2, level_1="Einzelfall")
    make_barrier(make_case(), theme=w.objects["theme"])
    quiet = Theme.objects.create(tenant=w.tenant, title="Ruhiges Thema", created_by=world.user(Role.COORDINATOR))
    response = as_role(Role.COORDINATOR).get(url("steering:theme_list", world))
    marks = {t.title: t.to_escalate for t in response.context["themes"]}
    assert marks == {w.objects["theme"].title: True, quiet.title: False}
    html = response.content.decode()
    assert en("to escalate") in html and "Einzelfall" in html


# --- query counts ---------------------------------------------------------------------------


def test_theme_list_and_register_need_a_bounded_number_of_queries(
    world, as_role, make_case, make_barrier, django_assert_max_num_queries
):
    w = world.wesel
    client = as_role(Role.COORDINATOR)
    client.get(url("steering:theme_list", world))  # warm the session
    cases = [make_case(provider=p) for p in (w.provider, w.other_provider, w.provider)]
    for i in range(12):
        theme = Theme.objects.create(
            tenant=w.tenant,
            title=f"Thema {i}",
            created_by=world.user(Role.COORDINATOR),
            responsible_body=w.objects["body"],
        )
        for case in cases:
            make_barrier(case, theme=theme, municipality=w.municipality)
    with django_assert_max_num_queries(7):  # session, user, membership, nav; themes+counts; settings
        response = client.get(url("steering:theme_list", world))
    assert len(response.context["themes"]) == 13
    with CaptureQueriesContext(connection) as captured:
        client.get(url("steering:theme_list", world))
    theme_queries = [q["sql"] for q in captured.captured_queries if 'FROM "steering_theme"' in q["sql"]]
    assert len(theme_queries) == 1 and "COUNT(DISTINCT" in theme_queries[0]  # counts in the list query
    assert {t.case_count for t in response.context["themes"] if t.title.startswith("Thema")} == {3}
    with django_assert_max_num_queries(11):
        response = client.get(url("steering:barrier_register", world))
    assert response.context["page"].paginator.count == 37
    with django_assert_max_num_queries(10):
        assert client.get(url("steering:theme_detail", world, pk=theme.pk)).status_code == 200


# --- theme pages: edit, move, merge, split, remove ------------------------------------------


def test_create_theme(world, as_role):
    response = as_role(Role.COORDINATOR).post(
        url("steering:theme_create", world),
        {"title": "Schulplätze", "level": "2", "responsible_body": world.wesel.objects["body"].pk},
    )
    theme = Theme.objects.get(title="Schulplätze")
    assert response.status_code == 302 and response["Location"] == url("steering:theme_detail", world, pk=theme.pk)
    assert theme.level == 2 and theme.events.get().kind == ThemeEventKind.CREATED
    # a body of another district is not a choice
    response = as_role(Role.COORDINATOR).post(
        url("steering:theme_create", world),
        {"title": "Fremd", "level": "1", "responsible_body": world.coesfeld.objects["body"].pk},
    )
    assert response.status_code == 200 and not Theme.objects.filter(title="Fremd").exists()


def test_edit_renames_and_refuses_a_stale_save(world, as_role):
    theme = world.wesel.objects["theme"]
    client = as_role(Role.COORDINATOR)
    data = {"title": "Kurswartezeiten", "status": "active", "next_step": "Gespräch", "version": theme.version}
    assert client.post(url("steering:theme_edit", world, pk=theme.pk), data).status_code == 302
    theme.refresh_from_db()
    assert theme.title == "Kurswartezeiten" and theme.events.filter(kind=ThemeEventKind.RENAMED).exists()
    stale = {**data, "title": "Veraltet", "next_step": "Anderes", "version": 1}
    response = client.post(url("steering:theme_edit", world, pk=theme.pk), stale)
    assert response.status_code == 200 and response.context["conflict"]
    assert any(row["theirs"] == "Kurswartezeiten" for row in response.context["conflict"])
    theme.refresh_from_db()
    assert theme.title == "Kurswartezeiten" and theme.next_step == "Gespräch"


def test_move_via_the_form(world, as_role):
    theme = world.wesel.objects["theme"]
    client = as_role(Role.COORDINATOR)
    move = url("steering:theme_move", world, pk=theme.pk)
    today = timezone.localdate()
    base = {"level": "4", "reason": "Viele Träger", "occurred_on": today.isoformat(), "version": theme.version}
    refused = [
        ({**base, "level": "1"}, "level"),
        ({**base, "occurred_on": (today + datetime.timedelta(days=1)).isoformat()}, "occurred_on"),
        ({**base, "reason": ""}, "reason"),
    ]
    for data, field in refused:
        response = client.post(move, data)
        assert response.status_code == 200 and field in response.context["form"].errors
    theme.refresh_from_db()
    assert theme.level == 1 and not theme.events.exists()
    response = client.post(
        move, {**base, "next_step": "Projektgruppe", "responsible_body": world.wesel.objects["body"].pk}
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.level == 4 and theme.next_step == "Projektgruppe"
    detail = client.get(url("steering:theme_detail", world, pk=theme.pk))
    history = detail.context["history"]
    assert history[0].event.kind == ThemeEventKind.MOVED and history[0].event.reason == "Viele Träger"
    assert history[0].from_name and history[0].to_name
    assert [s.level for s in detail.context["steps"] if s.current] == [4]


def test_merge_via_the_form_and_not_into_itself(world, as_role, make_case, make_barrier):
    w = world.wesel
    theme = w.objects["theme"]
    other = Theme.objects.create(tenant=w.tenant, title="Sprachkurse Kinder", created_by=world.user(Role.COORDINATOR))
    make_barrier(make_case(), theme=other)
    client = as_role(Role.COORDINATOR)
    merge = url("steering:theme_merge", world, pk=theme.pk)
    response = client.post(merge, {"other": theme.pk})
    assert response.status_code == 200
    assert en("A theme cannot be merged into itself. Choose another theme.") in str(response.context["form"].errors)
    response = client.post(merge, {"other": world.coesfeld.objects["theme"].pk})
    assert response.status_code == 200 and response.context["form"].errors
    theme.refresh_from_db()
    assert theme.status == ThemeStatus.ACTIVE and theme.barriers.count() == 1
    # the form does not offer the theme itself
    assert f'value="{theme.pk}"' not in client.get(merge).content.decode()
    assert client.post(merge, {"other": other.pk}).status_code == 302
    other.refresh_from_db()
    assert other.status == ThemeStatus.MERGED and theme.barriers.count() == 2


def test_split_and_remove_via_the_detail_form(world, as_role, make_case, make_barrier):
    w = world.wesel
    theme = w.objects["theme"]
    extra = make_barrier(make_case(), theme=theme)
    third = make_barrier(make_case(), theme=theme)
    client = as_role(Role.COORDINATOR)
    split = url("steering:theme_split", world, pk=theme.pk)
    remove = url("steering:theme_barriers_remove", world, pk=theme.pk)

    # empty selections: a message, nothing changed
    response = client.post(remove, {}, follow=True)
    assert en("Select at least one barrier. Nothing was removed.") in messages_of(response)
    response = client.post(split, {"title": "Neu"})
    assert response.status_code == 200 and "barriers" in response.context["form"].errors
    response = client.post(split, {"barriers": [extra.pk]})  # no title: the selection is kept
    assert response.status_code == 200 and response.context["selected"] == {extra.pk}
    assert theme.barriers.count() == 3

    response = client.post(split, {"barriers": [extra.pk], "title": "Kursplätze Moers"})
    new = Theme.objects.get(title="Kursplätze Moers")
    assert response.status_code == 302 and response["Location"] == url("steering:theme_detail", world, pk=new.pk)
    assert list(new.barriers.values_list("pk", flat=True)) == [extra.pk]

    response = client.post(remove, {"barriers": [third.pk, extra.pk]}, follow=True)  # extra is elsewhere now
    assert theme.barriers.count() == 2
    assert client.post(remove, {"barriers": [third.pk]}).status_code == 302
    assert Barrier.objects.get(pk=third.pk).theme_id is None


def test_theme_page_lists_barriers_fifty_per_page(world, as_role, make_case, make_barrier):
    """A theme can hold hundreds of barriers: the page shows them 50 at a time."""
    theme = world.wesel.objects["theme"]
    case = make_case()
    for _ in range(55):
        make_barrier(case, theme=theme)
    client = as_role(Role.COORDINATOR)
    first = client.get(url("steering:theme_detail", world, pk=theme.pk))
    assert len(first.context["barriers"]) == 50 and first.context["barriers"].paginator.count == 56
    second = client.get(url("steering:theme_detail", world, pk=theme.pk) + "?page=2")
    assert len(second.context["barriers"]) == 6
    assert client.get(url("steering:theme_detail", world, pk=theme.pk) + "?page=x").status_code == 200


def test_staircase_settings_page(world, as_role):
    client = as_role(Role.COORDINATOR)
    settings_url = url("steering:staircase_settings", world)
    assert client.get(settings_url).status_code == 200
    staircase = StaircaseSettings.objects.get(tenant=world.wesel.tenant)
    data = {
        "version": staircase.version,
        "level_5": "Lenkungsgruppe KIM Wesel",
        "escalate_cases": "5",
        "escalate_providers": "2",
        "escalate_below_level": "5",
    }
    assert client.post(settings_url, data).status_code == 302
    staircase.refresh_from_db()
    assert (staircase.level_5, staircase.escalate_cases, staircase.escalate_below_level) == (
        "Lenkungsgruppe KIM Wesel",
        5,
        5,
    )
    response = client.post(settings_url, {**data, "escalate_cases": "0"})
    assert response.status_code == 200 and "escalate_cases" in response.context["form"].errors
    response = client.post(settings_url, {**data, "level_5": "Alt", "version": 1})  # stale
    assert response.status_code == 200 and response.context["conflict"] is not None
    staircase.refresh_from_db()
    assert staircase.level_5 == "Lenkungsgruppe KIM Wesel"
    assert (
        "Lenkungsgruppe KIM Wesel"
        in client.get(url("steering:theme_move", world, pk=world.wesel.objects["theme"].pk)).content.decode()
    )
