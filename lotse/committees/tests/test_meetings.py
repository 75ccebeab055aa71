"""Meetings: creation with suggested number and chair, attendance with substitutes (all or
nothing), agenda items with decisions and the vote rules, tasks, stale edits, confirmed deletion,
bounded queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from lotse.audit.models import AuditEvent
from lotse.committees import services
from lotse.committees.models import AgendaItem, Attendance, Meeting, Task
from lotse.committees.tests.helpers import url
from lotse.steering.models import Theme
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db

CO, CMB = Role.COORDINATOR, Role.COMMITTEE_MEMBER


def attendance_data(council: Any, **rows: dict[str, str]) -> dict[str, str]:
    """Everyone present, except the rows given by seat index (``s4={"status": "absent"}``)."""
    data: dict[str, str] = {}
    for index, seat in enumerate(council.seats):
        row = {"status": "present", "represented_by": "", "arrived_at": "", "left_at": ""}
        row.update(rows.get(f"s{index}", {}))
        data.update({f"m{seat.pk}_{key}": value for key, value in row.items()})
    return data


def item_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "part": "public",
        "number": "1",
        "title": "Wartezeiten Integrationskurs",
        "paper": "LG-2025-03",
        "theme": "",
        "report": "Sachstandsbericht 1/2025",
        "text": "Die Koordinierung berichtet.",
        "decision_kind": "",
        "decision_text": "",
        "votes_yes": "",
        "votes_no": "",
        "votes_abstain": "",
    }
    data.update(overrides)
    return data


def test_new_meeting_suggests_number_chair_and_minute_taker(world, council, as_role):
    client = as_role(CO)
    response = client.get(url(world, "meeting_create", pk=council.body.pk))
    form = response.context["form"]
    assert form.initial["number"] == 2
    assert form.initial["chair"] == "Vorstand, Vera" and form.initial["minute_taker"] == "Koordination, Karin"

    data = {
        "number": "2",
        "date": "2025-09-10",
        "starts_at": "16:30",
        "ends_at": "18:00",
        "place": "Wesel",
        "chair": "Vorstand, Vera",
        "minute_taker": "",
        "guests": "",
        "opening": "",
    }
    response = client.post(url(world, "meeting_create", pk=council.body.pk), data)
    meeting = Meeting.objects.get(body=council.body, number=2)
    assert response.status_code == 302 and response["Location"] == url(world, "meeting_detail", pk=meeting.pk)
    assert meeting.status == "planned" and meeting.starts_at == datetime.time(16, 30)
    assert AuditEvent.objects.filter(action="meeting.created", object_id=str(meeting.pk)).exists()

    # the number is taken now; an end before the beginning is refused
    response = client.post(url(world, "meeting_create", pk=council.body.pk), data)
    assert response.status_code == 200 and "number" in response.context["form"].errors
    response = client.post(
        url(world, "meeting_create", pk=council.body.pk), {**data, "number": "3", "ends_at": "16:00"}
    )
    assert response.status_code == 200 and "ends_at" in response.context["form"].errors
    assert Meeting.objects.filter(body=council.body).count() == 2


def test_stale_meeting_edit_is_refused(world, council, as_role):
    meeting = council.meeting
    services.meeting_update(meeting, actor=council.coordinator, expected_version=1, place="Moers")
    data = {
        "number": "1",
        "date": "2025-03-12",
        "starts_at": "16:30",
        "ends_at": "19:00",
        "place": "Dinslaken",
        "chair": "Vorstand, Vera",
        "minute_taker": "Koordination, Karin",
        "guests": "",
        "opening": "",
        "status": "held",
        "version": "1",
    }
    response = as_role(CO).post(url(world, "meeting_edit", pk=meeting.pk), data)
    assert response.status_code == 200
    conflict = response.context["conflict"]
    assert any(row["mine"] == "Dinslaken" and row["theirs"] == "Moers" for row in conflict)
    meeting.refresh_from_db()
    assert meeting.place == "Moers" and meeting.status == "planned" and meeting.version == 2
    # saving again with the new version is a conscious decision and goes through
    response = as_role(CO).post(url(world, "meeting_edit", pk=meeting.pk), {**data, "version": "2"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Dinslaken" and meeting.status == "held"


def test_attendance_with_one_substitute(world, council, as_role):
    client = as_role(CO)
    page = client.get(url(world, "attendance", pk=council.meeting.pk))
    form = page.context["form"]
    # the substitute is filled in for every seat that has one
    assert form[f"m{council.seats[4].pk}_represented_by"].initial == "Moers, Mia"

    data = attendance_data(
        council,
        s4={"status": "represented", "represented_by": "Moers, Mia"},
        s6={"status": "absent"},
        s7={"arrived_at": "17:05"},
        s9={"left_at": "18:52"},
    )
    response = client.post(url(world, "attendance", pk=council.meeting.pk), data)
    assert response.status_code == 302
    records = {a.member_id: a for a in Attendance.objects.filter(meeting=council.meeting)}
    assert len(records) == 13
    assert records[council.seats[4].pk].status == "represented"
    assert records[council.seats[4].pk].represented_by == "Moers, Mia"
    # a present seat keeps no substitute's name (the field was prefilled)
    assert records[council.seats[0].pk].represented_by == ""
    assert records[council.seats[6].pk].status == "absent"
    assert records[council.seats[7].pk].arrived_at == datetime.time(17, 5)
    assert records[council.seats[9].pk].left_at == datetime.time(18, 52)
    event = AuditEvent.objects.get(action="meeting.attendance_recorded", object_id=str(council.meeting.pk))
    assert event.details == {"present": 11, "represented": 1, "absent": 1}

    detail = client.get(url(world, "meeting_detail", pk=council.meeting.pk)).content.decode()
    assert "represented by Moers, Mia" in detail and "absent from 18:52" in detail


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"status": "represented", "represented_by": "  "}, "represented_by"),
        ({"arrived_at": "18:00", "left_at": "17:00"}, "left_at"),
        ({"arrived_at": "16:00"}, "arrived_at"),  # before the beginning (16:30)
        ({"left_at": "19:30"}, "left_at"),  # after the end (19:00)
        ({"status": "absent", "arrived_at": "17:00"}, "arrived_at"),
        ({"status": "maybe"}, "status"),
    ],
)
def test_invalid_attendance_saves_nothing(world, council, as_role, row, field):
    data = attendance_data(council, s1=row)
    response = as_role(CO).post(url(world, "attendance", pk=council.meeting.pk), data)
    assert response.status_code == 200
    assert f"m{council.seats[1].pk}_{field}" in response.context["form"].errors
    assert not Attendance.objects.filter(meeting=council.meeting).exists()


def test_attendance_service_is_all_or_nothing(world, council):
    good = services.AttendanceEntry(member_id=council.seats[0].pk, status="present")
    bad = services.AttendanceEntry(member_id=council.seats[1].pk, status="represented")
    with pytest.raises(ValidationError) as error:
        services.attendance_record(council.meeting, actor=council.coordinator, entries=[good, bad])
    assert "Leitung, Lars" in str(error.value)
    other_body_seat = world.wesel.objects["member"]
    with pytest.raises(ValidationError):
        services.attendance_record(
            council.meeting,
            actor=council.coordinator,
            entries=[good, services.AttendanceEntry(member_id=other_body_seat.pk, status="present")],
        )
    assert not Attendance.objects.filter(meeting=council.meeting).exists()


def _record_attendance(council: Any, absent: int = 0) -> None:
    entries = [
        services.AttendanceEntry(
            member_id=seat.pk,
            status="absent" if index < absent else ("represented" if index == 4 else "present"),
            represented_by="Moers, Mia" if index == 4 else "",
        )
        for index, seat in enumerate(council.seats)
    ]
    services.attendance_record(council.meeting, actor=council.coordinator, entries=entries)


def test_agenda_item_with_vote_12_0_1(world, council, as_role):
    _record_attendance(council)
    theme = world.wesel.objects["theme"]
    client = as_role(CO)
    page = client.get(url(world, "item_create", pk=council.meeting.pk))
    assert page.context["form"].initial["number"] == 1
    assert theme in page.context["form"].fields["theme"].queryset

    data = item_data(
        theme=str(theme.pk),
        decision_kind="vote",
        decision_text="Die Lenkungsgruppe beauftragt die Koordinierung mit einem Gespräch mit dem BAMF.",
        votes_yes="12",
        votes_no="0",
        votes_abstain="1",
    )
    response = client.post(url(world, "item_create", pk=council.meeting.pk), data)
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=council.meeting)
    assert (item.votes_yes, item.votes_no, item.votes_abstain) == (12, 0, 1) and item.theme == theme
    assert AuditEvent.objects.filter(action="agenda.created", object_id=str(item.pk)).exists()
    # the next item of the public part is suggested as number 2, of the non-public part as 1
    assert client.get(url(world, "item_create", pk=council.meeting.pk)).context["form"].initial["number"] == 2
    page = client.get(url(world, "item_create", pk=council.meeting.pk) + "?part=non_public")
    assert page.context["form"].initial == {"part": "non_public", "number": 1}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decision_kind": "vote", "votes_yes": "12", "votes_no": "0"}, "votes_abstain"),  # a count missing
        ({"decision_kind": "vote", "votes_yes": "12", "votes_no": "1", "votes_abstain": "1"}, "__all__"),  # 14 > 13
        ({"decision_kind": "noted", "votes_yes": "3"}, "votes_yes"),  # counts only with a vote
        ({"decision_kind": "", "votes_no": "1"}, "votes_no"),
        ({"decision_kind": "unanimous", "votes_yes": "13", "votes_no": "0"}, "votes_no"),
        (
            {"decision_kind": "vote", "votes_yes": "1", "votes_no": "0", "votes_abstain": "0", "decision_text": ""},
            "decision_text",
        ),
        ({"decision_kind": "vote", "votes_yes": "-1", "votes_no": "0", "votes_abstain": "0"}, "votes_yes"),
    ],
)
def test_vote_rules(world, council, as_role, overrides, field):
    _record_attendance(council)
    data = item_data(**{"decision_text": "Beschluss", **overrides})
    response = as_role(CO).post(url(world, "item_create", pk=council.meeting.pk), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not AgendaItem.objects.filter(meeting=council.meeting).exists()


def test_vote_sum_counts_present_and_represented_only(world, council):
    _record_attendance(council, absent=2)  # 11 attend, one of them represented
    decision = {"decision_kind": "vote", "decision_text": "Beschluss"}
    with pytest.raises(ValidationError) as error:
        services.item_create(
            council.meeting,
            actor=council.coordinator,
            title="TOP",
            votes_yes=12,
            votes_no=0,
            votes_abstain=0,
            **decision,
        )
    assert "12 votes were cast, but only 11 members" in str(error.value)
    item = services.item_create(
        council.meeting, actor=council.coordinator, title="TOP", votes_yes=10, votes_no=0, votes_abstain=1, **decision
    )
    assert item.number == 1
    # a unanimous decision may carry the yes count, or none; "noted" needs none
    services.item_create(
        council.meeting,
        actor=council.coordinator,
        title="U",
        decision_kind="unanimous",
        decision_text="Ja",
        votes_yes=11,
    )
    services.item_create(council.meeting, actor=council.coordinator, title="N", decision_kind="noted")
    # without recorded attendance there is no upper limit
    other = services.meeting_create(council.body, actor=council.coordinator, date=datetime.date(2025, 9, 1))
    services.item_create(
        other, actor=council.coordinator, title="TOP", votes_yes=20, votes_no=0, votes_abstain=0, **decision
    )


def test_stale_item_edit_and_numbers(world, council, as_role):
    item = services.item_create(council.meeting, actor=council.coordinator, title="Bericht")
    services.item_create(council.meeting, actor=council.coordinator, title="Verschiedenes")
    services.item_update(item, actor=council.coordinator, expected_version=1, title="Bericht der Koordinierung")
    client = as_role(CO)
    edit = url(world, "item_edit", pk=council.meeting.pk, item=item.pk)
    response = client.post(edit, item_data(title="Mein Titel", version="1"))
    assert response.status_code == 200 and response.context["conflict"]
    item.refresh_from_db()
    assert item.title == "Bericht der Koordinierung"
    # the number of another item of the same part is taken
    response = client.post(edit, item_data(number="2", version="2"))
    assert response.status_code == 200 and "number" in response.context["form"].errors
    response = client.post(edit, item_data(number="1", part="non_public", version="2"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.part == "non_public" and item.version == 3


def test_theme_choices_are_active_themes_of_the_tenant(world, council, as_role):
    theme = world.wesel.objects["theme"]
    resolved = Theme.objects.create(
        tenant=world.wesel.tenant, title="Erledigt", status="resolved", created_by=council.coordinator
    )
    foreign = world.coesfeld.objects["theme"]
    queryset = (
        as_role(CO).get(url(world, "item_create", pk=council.meeting.pk)).context["form"].fields["theme"].queryset
    )
    assert theme in queryset and resolved not in queryset and foreign not in queryset
    response = as_role(CO).post(url(world, "item_create", pk=council.meeting.pk), item_data(theme=str(foreign.pk)))
    assert response.status_code == 200 and "theme" in response.context["form"].errors
    with pytest.raises(ValidationError):
        services.item_create(council.meeting, actor=council.coordinator, title="X", theme=foreign)


def test_delete_requires_confirmation(world, council, as_role):
    item = services.item_create(council.meeting, actor=council.coordinator, title="Verschiedenes")
    services.task_create(item, actor=council.coordinator, title="Einladung", owner="KI")
    client = as_role(CO)
    delete = url(world, "item_delete", pk=council.meeting.pk, item=item.pk)
    assert client.get(delete).status_code == 200
    response = client.post(delete, {})
    assert response.status_code == 200 and response.context["error"]
    assert AgendaItem.objects.filter(pk=item.pk).exists() and Task.objects.filter(item=item).exists()
    response = client.post(delete, {"confirm": "1"})
    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists() and not Task.objects.filter(item_id=item.pk).exists()
    assert AuditEvent.objects.filter(action="agenda.deleted", object_id=str(item.pk)).exists()
    assert client.post(delete, {"confirm": "1"}).status_code == 404


def test_tasks_from_decisions(world, council, as_role):
    item = services.item_create(council.meeting, actor=council.coordinator, title="Wohnen")
    client = as_role(CO)
    create = url(world, "task_create", pk=council.meeting.pk, item=item.pk)
    assert client.post(create, {"title": "", "owner": ""}).status_code == 200
    today = datetime.date.today()
    response = client.post(
        create, {"title": "Wohnraumkonzept", "owner": "FD 40-2", "due_on": str(today + datetime.timedelta(days=30))}
    )
    assert response.status_code == 302
    late = services.task_create(
        item,
        actor=council.coordinator,
        title="Bericht an den Ausschuss",
        owner="KI",
        due_on=today - datetime.timedelta(days=3),
    )
    assert AuditEvent.objects.filter(action="task.created", object_id=str(late.pk)).exists()

    # the committee member (a seat in the world's steering group and in this council) sees the
    # open tasks of both, overdue first, without a done button
    response = as_role(CMB).get(url(world, "task_list"))
    titles = [task.title for task in response.context["tasks"]]
    assert titles[0] == "Bericht an den Ausschuss" and "Wohnraumkonzept" in titles
    assert "Gespräch mit dem BAMF" in titles  # the world's task, no due date: last
    assert titles[-1] == "Gespräch mit dem BAMF"
    assert b"Mark done" not in response.content
    assert as_role(CMB).post(url(world, "task_done", pk=late.pk)).status_code == 403

    response = client.post(url(world, "task_done", pk=late.pk))
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.done_on == today and late.version == 2
    assert "Bericht an den Ausschuss" not in [t.title for t in client.get(url(world, "task_list")).context["tasks"]]
    # again: nothing changes, a message says so
    assert client.post(url(world, "task_done", pk=late.pk)).status_code == 302
    late.refresh_from_db()
    assert late.version == 2
    # another tenant's task is 404
    foreign = world.coesfeld.objects["task"]
    assert client.post(url(world, "task_done", pk=foreign.pk)).status_code == 404


def test_meeting_detail_shows_the_agenda(world, council, as_role):
    _record_attendance(council)
    theme = world.wesel.objects["theme"]
    item = services.item_create(
        council.meeting,
        actor=council.coordinator,
        title="Wartezeiten Integrationskurs",
        theme=theme,
        decision_kind="vote",
        decision_text="Gespräch mit dem BAMF führen.",
        votes_yes=12,
        votes_no=0,
        votes_abstain=1,
    )
    services.item_create(council.meeting, actor=council.coordinator, title="Personalangelegenheit", part="non_public")
    services.task_create(item, actor=council.coordinator, title="Termin vereinbaren", owner="KI")
    for role in (CO, CMB):
        response = as_role(role).get(url(world, "meeting_detail", pk=council.meeting.pk))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Wartezeiten Integrationskurs" in page and "Personalangelegenheit" in page
        assert "yes 12, no 0, abstentions 1" in page and "Termin vereinbaren" in page
        assert theme.title in page and "level 1" in page
        assert url(world, "minutes_pdf", pk=council.meeting.pk) in page
        assert (url(world, "attendance", pk=council.meeting.pk) in page) == (role == CO)
    # only a quality circle's meeting links to the review list
    assert as_role(CO).get(url(world, "meeting_detail", pk=council.meeting.pk)).context["review_url"] is None
    qc = world.wesel.objects["qc_meeting"]
    review_url = as_role(CO).get(url(world, "meeting_detail", pk=qc.pk)).context["review_url"]
    assert review_url is None or review_url.endswith(f"/meetings/{qc.pk}/review/")


def test_meeting_detail_queries_are_bounded(world, council, as_role, django_assert_max_num_queries):
    _record_attendance(council)
    theme = world.wesel.objects["theme"]
    client = as_role(CO)
    detail = url(world, "meeting_detail", pk=council.meeting.pk)
    services.item_create(council.meeting, actor=council.coordinator, title="TOP", theme=theme)
    client.get(detail)
    with django_assert_max_num_queries(16) as few:
        assert client.get(detail).status_code == 200
    for number in range(2, 20):
        item = services.item_create(council.meeting, actor=council.coordinator, title=f"TOP {number}", theme=theme)
        services.task_create(item, actor=council.coordinator, title="Aufgabe", owner="KI")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(detail).status_code == 200
