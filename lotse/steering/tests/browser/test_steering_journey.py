"""Acceptance of strategic steering in the browser (issue 4).

A coordinator of Kreis Wesel groups barriers of several cases and providers from the barrier
register into a new generative theme, escalates it on the staircase to level 4 and then 5 with
a reason each, adds a seat with a substitute to the steering group, holds a meeting with the
theme on the agenda, records the attendance (one seat represented by its substitute), records a
decision with the vote 12/0/1 and downloads the minutes; ``pdftotext`` of the PDF shows the
attendance by organisation with the substitute, the agenda item, the decision text and the vote
lines "Ja: 12", "Nein: 0", "Enthaltung: 1".

A committee member (holding a seat in the world's steering group) sees the body, the meeting,
the theme's figures and the minutes – and no case data: case pages, the barrier register and
supervision are refused, and no case number appears on any page they reach.

Every page passes axe-core with zero violations and no Content Security Policy violation
reaches the console. The world (tenant, users, cases, the seats of the steering group) is set
up through the services; everything the coordinator does goes through the real forms.
Selectors use field names and URLs, not texts, so the test holds whatever the catalogue says;
the PDF is a German council document and is read as such."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from lotse.cases.models import Barrier, Case
from lotse.cases.services import work
from lotse.cases.services.cases import case_open
from lotse.committees import services as committees
from lotse.committees.models import AgendaItem, Attendance, AttendanceStatus, BodyMember, DecisionKind, Meeting
from lotse.demo.steering_data import WESEL_STEERING_GROUP
from lotse.steering import services as steering
from lotse.steering.models import Theme, ThemeEventKind
from lotse.tenants.models import Role
from lotse.ui.tests.browser.helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE_NUMBER = re.compile(r"\b[A-Z]+-\d{4}-\d{5}\b")
THEME_TITLE = "Fehlende Plätze in Sprach- und Integrationskursen"
ITEM_TITLE = "Wartezeiten auf Integrationskurse im Kreisgebiet"
DECISION_TEXT = (
    "Die Lenkungsgruppe beauftragt die Projektgruppe Sprache, bis zur nächsten Sitzung "
    "ein Konzept für zusätzliche Kursplätze vorzulegen."
)
NEW_SEAT = {
    "organisation": "Volkshochschule Wesel – Leitung",
    "person": "Brückner, Hanna",
    "substitute": "Ostermann, Lars",
}


# --- Moving through the pages -----------------------------------------------------------------


def _follow(page: Page, check_axe, selector: str) -> None:
    """Click the link (or button) and check the page it leads to."""
    with page.expect_navigation():
        page.locator(selector).first.click()
    check_axe(page)


def _nav(page: Page, check_axe, url_name: str, slug: str) -> None:
    _follow(page, check_axe, f'nav.lotse-nav a[href="{reverse(url_name, kwargs={"tenant": slug})}"]')


def _form(page: Page, field: str):
    """The form in the main area that holds the field ``field``."""
    return page.locator("main form").filter(has=page.locator(f'[name="{field}"]')).first


def _send(page: Page, check_axe, field: str) -> None:
    """Send the form holding ``field``; the answer must be a success (redirect with a message),
    never the form again with errors."""
    with page.expect_navigation():
        _form(page, field).locator("button[type=submit]").first.click()
    check_axe(page)
    expect(page.locator(".lotse-error-summary")).to_have_count(0)
    expect(page.locator(".lotse-messages .kern-alert--success")).to_be_visible()


def _refused(page: Page, check_axe, field: str) -> None:
    """Send the form holding ``field``; it must come back (200) with the errors shown."""
    with page.expect_navigation() as navigation:
        _form(page, field).locator("button[type=submit]").first.click()
    assert navigation.value is not None and navigation.value.status == 200
    check_axe(page)
    expect(page.locator("main .lotse-error-summary")).to_be_visible()


def _filter(page: Page, check_axe, field: str, value: str) -> None:
    """Choose a filter of the barrier register: htmx replaces the results in place."""
    with page.expect_response(lambda r: "/steering/barriers/" in r.url and r.request.method == "GET") as answer:
        page.select_option(f"main form[role=search] [name={field}]", value)
    assert answer.value.status == 200
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")
    check_axe(page)


def _download_pdf(page: Page, selector: str, target: Path) -> str:
    """Download the PDF the link leads to; its text as ``pdftotext`` extracts it."""
    with page.expect_download() as info:
        page.locator(selector).first.click()
    download = info.value
    assert download.failure() is None
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF-")
    result = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def _flat(text: str) -> str:
    """Text with every run of white space as one blank (lines of the PDF may wrap)."""
    return " ".join(text.split())


def _figures(page: Page) -> list[str]:
    values = page.locator("main .lotse-figure__value")
    return [values.nth(i).inner_text().strip() for i in range(values.count())]


def _assert_console_clean(console: Any, *, refused_loads: bool = False) -> None:
    console.assert_no_csp_violations()
    errors = [m for m in console.messages if m.startswith(("[error]", "[pageerror]"))]
    if refused_loads:  # the browser logs the 403/404 answers the test asks for
        errors = [m for m in errors if not re.search(r"status of 40[34]", m)]
    assert not errors, "Errors in the browser console:\n" + "\n".join(errors)


# --- The world --------------------------------------------------------------------------------


def _case(wesel: Any, provider: Any, pseudonym: str, *, days_ago: int) -> Case:
    manager = wesel.users[Role.CASE_MANAGER]
    own = provider.pk == wesel.provider.pk
    return case_open(
        actor=manager,
        tenant=wesel.tenant,
        case_manager_id=manager.pk if own else None,
        provider=provider,
        location=wesel.location if own else None,
        pseudonym=pseudonym,
        intake_channel="walk_in",
        opened_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


def _barriers_in_more_cases(wesel: Any) -> dict[str, Barrier]:
    """Barriers in three more cases of both providers (the world's own barrier is in the world's
    theme already): two on language courses without a theme, one on housing."""
    actor = wesel.users[Role.CASE_MANAGER]
    own = _case(wesel, wesel.provider, "Fall Kursplatz", days_ago=40)
    other = _case(wesel, wesel.other_provider, "Fall Alphakurs", days_ago=20)
    housing = _case(wesel, wesel.other_provider, "Fall Wohnung", days_ago=10)
    return {
        "own": work.barrier_create(
            own,
            actor=actor,
            domain="language",
            institution="BAMF",
            municipality=wesel.municipality,
            description="Kein Platz in einem Integrationskurs vor Ablauf von sechs Monaten",
        ),
        "other": work.barrier_create(
            other,
            actor=actor,
            domain="language",
            institution="Volkshochschule",
            description="Alphabetisierungskurs nur vormittags, ohne Kinderbetreuung",
        ),
        "housing": work.barrier_create(
            housing,
            actor=actor,
            domain="housing",
            institution="Wohnungsamt",
            description="Keine Wohnung für eine Familie mit fünf Kindern",
        ),
    }


def _seats(body: Any, coordinator: Any, count: int) -> list[BodyMember]:
    """Seats of the steering group as in seed 003 §11(2), through the service."""
    return [
        committees.member_create(
            body,
            actor=coordinator,
            organisation=spec.organisation,
            person=spec.person,
            substitute=spec.substitute,
            role=spec.role,
        )
        for spec in WESEL_STEERING_GROUP[:count]
    ]


# --- The journey ------------------------------------------------------------------------------


def test_theme_escalated_put_on_the_agenda_decided_and_minuted(page, console, live_world, check_axe, tmp_path):
    wesel = live_world.wesel
    slug = wesel.tenant.slug
    coordinator = wesel.users[Role.COORDINATOR]
    body = wesel.objects["body"]  # the world's "Lenkungsgruppe KIM", one seat (Jobcenter)
    barriers = _barriers_in_more_cases(wesel)
    seats = _seats(body, coordinator, 13)  # with the world's seat and the one added below: 15
    chair = WESEL_STEERING_GROUP[0]
    today = timezone.localdate()

    sign_in(page, coordinator, confirmed_device(coordinator))
    check_axe(page)

    # 1. The barrier register ("Hemmnisregister"): all barriers of the district, then filtered.
    _nav(page, check_axe, "steering:barrier_register", slug)
    rows = page.locator("#barrier-results tbody input[name=barriers]")
    expect(rows).to_have_count(4)
    _filter(page, check_axe, "domain", "language")
    expect(rows).to_have_count(3)
    _filter(page, check_axe, "theme", "none")  # not grouped yet
    expect(rows).to_have_count(2)
    assert "domain=language" in page.url and "theme=none" in page.url  # the filter is in the address
    expect(page.locator("#barrier-results")).not_to_contain_text(barriers["housing"].description)
    expect(page.locator("#barrier-results")).to_contain_text(wesel.provider.name)
    expect(page.locator("#barrier-results")).to_contain_text(wesel.other_provider.name)

    # 2. Tick both and group them into a new theme.
    page.check(f"#barrier-{barriers['own'].pk}")
    page.check(f"#barrier-{barriers['other'].pk}")
    page.fill("#assign_title", THEME_TITLE)
    _send(page, check_axe, "barriers")
    theme = Theme.objects.get(tenant=wesel.tenant, title=THEME_TITLE)
    assert set(theme.barriers.values_list("pk", flat=True)) == {barriers["own"].pk, barriers["other"].pk}
    assert theme.level == 1
    expect(rows).to_have_count(0)  # the register kept its filter: nothing left without a theme
    _filter(page, check_axe, "theme", str(theme.pk))
    expect(rows).to_have_count(2)
    _follow(page, check_axe, f'#barrier-results a[href$="/steering/themes/{theme.pk}/"]')

    # 3. The theme page: live figures (cases, providers, municipalities, barriers).
    expect(page.locator("main h1")).to_have_text(THEME_TITLE)
    assert _figures(page) == ["2", "2", "1", "2"]

    # 4. Escalate to level 4, with the steering group as the responsible body, then to level 5.
    move = f'main a[href$="/steering/themes/{theme.pk}/move/"]'
    _follow(page, check_axe, move)
    page.select_option("main [name=level]", "4")
    page.fill("main [name=reason]", "Bilaterale Klärung mit dem BAMF ohne Ergebnis")
    page.select_option("main [name=responsible_body]", str(body.pk))
    page.fill("main [name=next_step]", "Vorlage in der Lenkungsgruppe")
    page.fill("main [name=due_on]", (today + datetime.timedelta(days=30)).isoformat())
    _send(page, check_axe, "reason")
    assert page.url.endswith(f"/steering/themes/{theme.pk}/")
    theme.refresh_from_db()
    assert theme.level == 4 and theme.responsible_body_id == body.pk

    _follow(page, check_axe, move)
    page.select_option("main [name=level]", "4")  # the current level: refused
    page.fill("main [name=reason]", "Keine Änderung")
    _refused(page, check_axe, "reason")
    page.select_option("main [name=level]", "5")
    page.fill("main [name=reason]", "Lenkungsgruppe befasst sich, Beschluss erforderlich")
    _send(page, check_axe, "reason")
    theme.refresh_from_db()
    assert theme.level == 5
    moves = list(theme.events.filter(kind=ThemeEventKind.MOVED).order_by("pk").values_list("from_level", "to_level"))
    assert moves == [(1, 4), (4, 5)]
    history = page.locator("main table").last
    expect(history).to_contain_text("Bilaterale Klärung mit dem BAMF ohne Ergebnis")
    expect(history).to_contain_text("Lenkungsgruppe befasst sich, Beschluss erforderlich")
    expect(page.locator("main ol li[aria-current=step]")).to_contain_text("5")

    # 5. The steering group: one more seat, with a substitute, through the form.
    _nav(page, check_axe, "committees:body_list", slug)
    _follow(page, check_axe, f'main a[href$="/committees/{body.pk}/"]')
    _follow(page, check_axe, f'main a[href$="/committees/{body.pk}/members/new/"]')
    for name, value in NEW_SEAT.items():
        page.fill(f"main [name={name}]", value)
    page.select_option("main [name=role]", "member")
    _send(page, check_axe, "organisation")
    assert page.url.endswith(f"/committees/{body.pk}/")
    seat = BodyMember.objects.get(body=body, organisation=NEW_SEAT["organisation"])
    assert seat.substitute == NEW_SEAT["substitute"]
    assert BodyMember.objects.filter(body=body).count() == 15
    expect(page.locator("main")).to_contain_text(NEW_SEAT["person"])

    # 6. A meeting of the steering group (the chair is filled in from the chair's seat).
    _follow(page, check_axe, f'main a[href$="/committees/{body.pk}/meetings/new/"]')
    expect(page.locator("main [name=number]")).to_have_value("2")  # the world's meeting is no. 1
    expect(page.locator("main [name=chair]")).to_have_value(chair.person)
    page.fill("main [name=starts_at]", "14:00")
    page.fill("main [name=ends_at]", "16:00")
    page.fill("main [name=place]", "Wesel, Kreishaus")
    page.fill("main [name=minute_taker]", "Wagner, Sabine")
    _send(page, check_axe, "starts_at")
    match = re.search(r"/committees/meetings/(\d+)/$", page.url)
    assert match, page.url
    meeting = Meeting.objects.get(pk=int(match[1]), body=body)
    assert meeting.number == 2 and meeting.chair == chair.person

    # 7. An agenda item in the public part, linked to the theme.
    _follow(page, check_axe, f'main a[href$="/committees/meetings/{meeting.pk}/items/new/?part=public"]')
    page.fill("main [name=title]", ITEM_TITLE)
    page.fill("main [name=paper]", "SV-10-1126")
    page.select_option("main [name=theme]", str(theme.pk))
    page.fill("main [name=text]", "Die Koordination berichtet über die Wartezeiten in den Kursen.")
    _send(page, check_axe, "title")
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.theme_id == theme.pk and item.part == "public" and item.number == 1
    expect(page.locator("main")).to_contain_text(ITEM_TITLE)

    # 8. Attendance: the new seat represented by its substitute, everyone else present.
    _follow(page, check_axe, f'main a[href$="/committees/meetings/{meeting.pk}/attendance/"]')
    expect(page.locator("main select[name$=_status]")).to_have_count(15)
    page.select_option(f"main [name=m{seat.pk}_status]", "represented")
    expect(page.locator(f"main [name=m{seat.pk}_represented_by]")).to_have_value(NEW_SEAT["substitute"])
    _send(page, check_axe, f"m{seat.pk}_status")
    records = {a.member_id: a for a in Attendance.objects.filter(meeting=meeting)}
    assert len(records) == 15
    assert records[seat.pk].status == AttendanceStatus.REPRESENTED
    assert records[seat.pk].represented_by == NEW_SEAT["substitute"]
    assert all(r.status == AttendanceStatus.PRESENT for pk, r in records.items() if pk != seat.pk)
    expect(page.locator("main")).to_contain_text(NEW_SEAT["substitute"])

    # 9. The decision: a vote. More votes than seats present or represented are refused.
    _follow(page, check_axe, f'main a[href$="/committees/meetings/{meeting.pk}/items/{item.pk}/edit/"]')
    expect(page.locator("main [name=theme]")).to_have_value(str(theme.pk))
    page.select_option("main [name=decision_kind]", DecisionKind.VOTE.value)
    page.fill("main [name=decision_text]", DECISION_TEXT)
    page.fill("main [name=votes_yes]", "12")
    page.fill("main [name=votes_no]", "0")
    page.fill("main [name=votes_abstain]", "9")  # 21 votes, 15 voters
    _refused(page, check_axe, "decision_text")
    page.fill("main [name=votes_abstain]", "1")
    _send(page, check_axe, "decision_text")
    item.refresh_from_db()
    assert (item.decision_kind, item.votes_yes, item.votes_no, item.votes_abstain) == ("vote", 12, 0, 1)
    assert item.decision_text == DECISION_TEXT

    # 10. A task from the decision.
    _follow(page, check_axe, f'main a[href$="/committees/meetings/{meeting.pk}/items/{item.pk}/tasks/new/"]')
    page.fill("main [name=title]", "Konzept für zusätzliche Kursplätze")
    page.fill("main [name=owner]", "Projektgruppe Sprache")
    page.fill("main [name=due_on]", (today + datetime.timedelta(days=60)).isoformat())
    _send(page, check_axe, "owner")
    assert item.tasks.count() == 1

    # 11. The minutes as PDF, read as text.
    text = _download_pdf(page, f'main a[href$="/committees/meetings/{meeting.pk}/minutes.pdf"]', tmp_path / "m.pdf")
    flat = _flat(text)
    lines = [line.strip() for line in text.splitlines()]
    assert body.name in flat
    # attendance by organisation, with the substitute "Vertretung für" the seat holder
    assert NEW_SEAT["organisation"] in flat
    assert f"{NEW_SEAT['substitute']} Vertretung für {NEW_SEAT['person']}" in flat, flat
    assert chair.organisation in flat and chair.person in flat
    assert seats[5].organisation in flat and seats[5].person in flat
    # the agenda item, its decision and the vote, one line each
    assert ITEM_TITLE in flat
    assert THEME_TITLE in flat
    assert DECISION_TEXT in flat
    for line in ("Ja: 12", "Nein: 0", "Enthaltung: 1"):
        assert line in lines, f"{line!r} is not a line of the minutes:\n{text}"
    assert "Konzept für zusätzliche Kursplätze" in flat
    assert chair.person in flat and "Wagner, Sabine" in flat  # signatures
    # minutes of a body never show case data
    assert not CASE_NUMBER.search(text), CASE_NUMBER.search(text)

    _assert_console_clean(console)


# --- The committee member ---------------------------------------------------------------------


def _visit(page: Page, check_axe, url: str, *, status: int = 200) -> str:
    response = page.goto(url)
    assert response is not None
    assert response.status == status, f"{url} answered {response.status}"
    check_axe(page)
    return page.content()


def test_committee_member_sees_bodies_and_themes_but_no_case_data(page, console, live_world, check_axe, tmp_path):
    wesel = live_world.wesel
    slug = wesel.tenant.slug
    member = wesel.users[Role.COMMITTEE_MEMBER]
    coordinator = wesel.users[Role.COORDINATOR]
    objects = wesel.objects
    body, meeting, theme = objects["body"], objects["meeting"], objects["theme"]
    # a second barrier in the world's theme: another case, another provider, a municipality
    other = _case(wesel, wesel.other_provider, "Fall Träger B", days_ago=5)
    barrier = work.barrier_create(
        other,
        actor=wesel.users[Role.CASE_MANAGER],
        domain="language",
        institution="BAMF",
        municipality=wesel.municipality,
        description="Integrationskurs erst in acht Monaten",
    )
    steering.barriers_assign(actor=coordinator, tenant=wesel.tenant, barrier_ids=[barrier.pk], theme=theme)
    case_data = [wesel.case.number, other.number, wesel.case.pseudonym, other.pseudonym, "Testfall", "Amina"]
    assert CASE_NUMBER.fullmatch(wesel.case.number) and CASE_NUMBER.fullmatch(other.number)  # the control works

    def url(name: str, **kwargs: Any) -> str:
        return reverse(name, kwargs={"tenant": slug, **kwargs})

    sign_in(page, member, confirmed_device(member))
    check_axe(page)
    seen = [page.content()]

    # The bodies in which the member holds a seat, the meeting, the tasks.
    _nav(page, check_axe, "committees:body_list", slug)
    seen.append(page.content())
    links = page.locator('main a[href*="/committees/"][href$="/"]:not([href$="/tasks/"])')
    expect(links).to_have_count(1)  # the steering group only, not the quality circle
    _follow(page, check_axe, f'main a[href$="/committees/{body.pk}/"]')
    seen.append(page.content())
    expect(page.locator("main h1")).to_have_text(body.name)
    expect(page.locator("main")).to_contain_text(theme.title)
    expect(page.locator(f'main a[href$="/committees/{body.pk}/edit/"]')).to_have_count(0)
    _follow(page, check_axe, f'main a[href$="/committees/meetings/{meeting.pk}/"]')
    seen.append(page.content())
    expect(page.locator("main")).to_contain_text(objects["item"].title)
    expect(page.locator(f'main a[href$="/committees/meetings/{meeting.pk}/edit/"]')).to_have_count(0)
    expect(page.locator(f'main a[href$="/committees/meetings/{meeting.pk}/attendance/"]')).to_have_count(0)
    text = _download_pdf(page, f'main a[href$="/committees/meetings/{meeting.pk}/minutes.pdf"]', tmp_path / "m.pdf")
    assert objects["item"].title in _flat(text) and body.name in _flat(text)
    seen.append(text)
    seen.append(_visit(page, check_axe, url("committees:task_list")))
    expect(page.locator("main")).to_contain_text(objects["task"].title)

    # The theme with its figures: two cases, two providers, one municipality, two barriers.
    _nav(page, check_axe, "steering:theme_list", slug)
    seen.append(page.content())
    expect(page.locator(f'main a[href$="/steering/themes/{theme.pk}/"]')).to_have_count(1)
    expect(page.locator(f'main a[href$="{url("steering:theme_create")}"]')).to_have_count(0)
    _follow(page, check_axe, f'main a[href$="/steering/themes/{theme.pk}/"]')
    seen.append(page.content())
    expect(page.locator("main h1")).to_have_text(theme.title)
    assert _figures(page) == ["2", "2", "1", "2"]
    expect(page.locator("main input[name=barriers]")).to_have_count(0)  # no barrier rows
    expect(page.locator(f'main a[href$="/steering/themes/{theme.pk}/move/"]')).to_have_count(0)

    # Case data, the register and supervision are refused.
    for refused in (
        url("cases:detail", pk=wesel.case.pk),
        url("cases:detail", pk=other.pk),
        url("cases:barrier_list", pk=wesel.case.pk),
        url("cases:list"),
        url("steering:barrier_register"),
        url("supervision:dashboard"),
        url("supervision:feedback"),
        url("committees:review_list", pk=objects["qc_meeting"].pk),
        url("committees:review_case", pk=objects["qc_meeting"].pk, review=objects["review"].pk),
    ):
        response = page.goto(refused)
        assert response is not None and response.status in (403, 404), f"{refused} answered {response.status}"
        check_axe(page)
        seen.append(page.content())

    for content in seen:
        for value in case_data:
            assert value not in content, f"case data {value!r} shown to a committee member"
        assert not CASE_NUMBER.search(content), CASE_NUMBER.search(content)

    _assert_console_clean(console, refused_loads=True)
