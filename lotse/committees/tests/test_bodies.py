"""Bodies and seats: coordinators keep them; seat holders see only the bodies in which they hold
a seat (404 elsewhere, also across tenants); committee members never see case data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lotse.audit.models import AuditEvent
from lotse.committees import services
from lotse.committees.models import Body, BodyMember
from lotse.committees.tests.helpers import url
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db

CO, CMB, CM, PL = Role.COORDINATOR, Role.COMMITTEE_MEMBER, Role.CASE_MANAGER, Role.PROVIDER_LEAD


def body_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Projektgruppe Wohnen",
        "kind": "project_group",
        "remit": "Wohnraum für Geflüchtete",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_and_edits_a_body(world, as_role):
    client = as_role(CO)
    response = client.post(url(world, "body_create"), body_data())
    body = Body.objects.get(name="Projektgruppe Wohnen")
    assert response.status_code == 302 and response["Location"] == url(world, "body_detail", pk=body.pk)
    assert body.tenant == world.wesel.tenant and body.kind == "project_group"
    assert AuditEvent.objects.filter(action="body.created", object_id=str(body.pk)).exists()

    response = client.post(url(world, "body_edit", pk=body.pk), body_data(name="PG Wohnen", version=body.version))
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.name == "PG Wohnen" and body.version == 2
    assert AuditEvent.objects.get(action="body.updated", object_id=str(body.pk)).details == {"fields": ["name"]}


def test_body_names_are_unique_per_tenant(world, as_role):
    client = as_role(CO)
    taken = world.wesel.objects["body"].name
    response = client.post(url(world, "body_create"), body_data(name=taken.upper()))
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert Body.objects.filter(tenant=world.wesel.tenant).count() == 2
    # the same name in another tenant is fine
    services.body_create(
        actor=world.user(CO, "coesfeld"), tenant=world.coesfeld.tenant, kind="project_group", name="PG"
    )
    assert client.post(url(world, "body_create"), body_data(name=" PG ")).status_code == 302
    with pytest.raises(ValidationError):
        services.body_create(actor=world.user(CO), tenant=world.wesel.tenant, kind="project_group", name="pg")


def test_stale_body_edit_is_refused(world, as_role):
    body = world.wesel.objects["body"]
    services.body_update(body, actor=world.user(CO), expected_version=1, remit="Strategische Steuerung")
    response = as_role(CO).post(url(world, "body_edit", pk=body.pk), body_data(name=body.name, remit="Alt", version=1))
    assert response.status_code == 200 and response.context["conflict"]
    body.refresh_from_db()
    assert body.remit == "Strategische Steuerung" and body.version == 2


def test_coordinator_adds_and_edits_a_seat_with_a_lotse_account(world, as_role):
    body = world.wesel.objects["body"]
    client = as_role(CO)
    lead = world.wesel.memberships[PL]
    data = {
        "organisation": "AG Wohlfahrt",
        "person": "Wohlfahrt, Wilma",
        "role": "member",
        "substitute": "Wohl, Werner",
        "membership": str(lead.pk),
        "position": "",
        "left_on": "",
    }
    response = client.post(url(world, "member_create", pk=body.pk), data)
    assert response.status_code == 302
    seat = BodyMember.objects.get(body=body, organisation="AG Wohlfahrt")
    assert seat.membership == lead and seat.position == 2  # after the existing seat
    assert AuditEvent.objects.filter(action="body.member_changed", object_id=str(seat.pk)).exists()

    # another tenant's account is not offered, and the service refuses it as well
    foreign = world.coesfeld.memberships[PL]
    response = client.post(
        url(world, "member_edit", pk=body.pk, member=seat.pk), {**data, "membership": str(foreign.pk), "version": "1"}
    )
    assert response.status_code == 200 and "membership" in response.context["form"].errors
    with pytest.raises(ValidationError):
        services.member_update(seat, actor=world.user(CO), expected_version=1, membership=foreign)

    response = client.post(
        url(world, "member_edit", pk=body.pk, member=seat.pk), {**data, "left_on": "2025-01-31", "version": "1"}
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert str(seat.left_on) == "2025-01-31" and seat.version == 2


def test_a_seat_of_another_body_is_404(world, as_role):
    body = world.wesel.objects["body"]
    qc_seat = BodyMember.objects.exclude(body=body).filter(body__tenant=world.wesel.tenant).first()
    assert as_role(CO).get(url(world, "member_edit", pk=body.pk, member=qc_seat.pk)).status_code == 404


def test_body_list_shows_the_bodies_in_scope(world, as_role):
    steering = world.wesel.objects["body"]
    response = as_role(CO).get(url(world, "body_list"))
    page = response.content.decode()
    assert response.status_code == 200 and steering.name in page and "Qualitätszirkel" in page
    assert "New body" in page

    # the committee member: the steering group (a seat), not the quality circle
    response = as_role(CMB).get(url(world, "body_list"))
    page = response.content.decode()
    assert steering.name in page and "Qualitätszirkel" not in page and "New body" not in page
    bodies = response.context["bodies"]
    assert [b.pk for b in bodies] == [steering.pk] and bodies[0].member_count == 1
    assert bodies[0].next_meeting == world.wesel.objects["meeting"].date

    # the case manager: the quality circle only; a provider lead without a seat: nothing
    names = [b.name for b in as_role(CM).get(url(world, "body_list")).context["bodies"]]
    assert names == ["Qualitätszirkel"]
    assert list(as_role(PL).get(url(world, "body_list")).context["bodies"]) == []


def test_committee_member_without_a_seat_gets_404(world, as_role):
    client = as_role(CMB)
    qc_meeting = world.wesel.objects["qc_meeting"]
    qc_body = qc_meeting.body
    assert client.get(url(world, "body_detail", pk=qc_body.pk)).status_code == 404
    assert client.get(url(world, "meeting_detail", pk=qc_meeting.pk)).status_code == 404
    assert client.get(url(world, "minutes_pdf", pk=qc_meeting.pk)).status_code == 404
    # a seat that ended yesterday opens nothing any more
    seat = world.wesel.objects["member"]
    BodyMember.objects.filter(pk=seat.pk).update(left_on="2000-01-01")
    assert client.get(url(world, "body_detail", pk=seat.body_id)).status_code == 404


def test_other_tenant_gets_404(world, as_role):
    body = world.wesel.objects["body"]
    meeting = world.wesel.objects["meeting"]
    coesfeld = as_role(CO, "coesfeld")
    # Wesel objects addressed through Coesfeld
    for name, pk in (("body_detail", body.pk), ("meeting_detail", meeting.pk), ("minutes_pdf", meeting.pk)):
        assert coesfeld.get(url(world, name, tenant="coesfeld", pk=pk)).status_code == 404
    assert coesfeld.post(url(world, "body_edit", tenant="coesfeld", pk=body.pk), body_data()).status_code == 404
    # Coesfeld objects addressed through Wesel
    wesel = as_role(CO)
    assert wesel.get(url(world, "body_detail", pk=world.coesfeld.objects["body"].pk)).status_code == 404
    assert wesel.get(url(world, "meeting_detail", pk=world.coesfeld.objects["meeting"].pk)).status_code == 404


def test_committee_member_reads_the_body_without_case_data(world, as_role):
    body = world.wesel.objects["body"]
    meeting = world.wesel.objects["meeting"]
    lead = world.wesel.memberships[PL]
    services.member_create(body, actor=world.user(CO), organisation="AG Wohlfahrt", person="Wohl, W.", membership=lead)
    client = as_role(CMB)
    case_number = world.wesel.case.number
    pages = [
        client.get(url(world, "body_list")),
        client.get(url(world, "body_detail", pk=body.pk)),
        client.get(url(world, "meeting_detail", pk=meeting.pk)),
        client.get(url(world, "task_list")),
    ]
    for response in pages:
        assert response.status_code == 200
        page = response.content.decode()
        assert case_number not in page and "Fall Test" not in page and "Testfall" not in page
    detail = pages[1].content.decode()
    # seats and themes: title and level, no account names, no edit links
    assert "Mitglied, Maria" in detail and "Vertretung, Volker" in detail
    assert "Wartezeiten Integrationskurs" in detail
    assert ">Lotse account</th>" not in detail and lead.user.get_full_name() not in detail
    assert url(world, "body_edit", pk=body.pk) not in detail
    # writes are refused
    assert client.get(url(world, "body_edit", pk=body.pk)).status_code == 403
    assert client.post(url(world, "meeting_create", pk=body.pk), {}).status_code == 403


def test_coordinator_sees_the_linked_account(world, as_role):
    body = world.wesel.objects["body"]
    lead = world.wesel.memberships[PL]
    services.member_create(body, actor=world.user(CO), organisation="AG Wohlfahrt", person="Wohl, W.", membership=lead)
    page = as_role(CO).get(url(world, "body_detail", pk=body.pk)).content.decode()
    assert ">Lotse account</th>" in page and lead.user.get_full_name() in page


def test_body_detail_queries_are_bounded(world, as_role, django_assert_max_num_queries):
    body = world.wesel.objects["body"]
    coordinator = world.user(CO)
    client = as_role(CO)
    client.get(url(world, "body_detail", pk=body.pk))  # warm up sessions and caches
    with django_assert_max_num_queries(14) as few:
        assert client.get(url(world, "body_detail", pk=body.pk)).status_code == 200
    for index in range(15):
        services.member_create(body, actor=coordinator, organisation=f"Organisation {index}", person=f"Person {index}")
        services.meeting_create(body, actor=coordinator, date=body.meetings.first().date)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url(world, "body_detail", pk=body.pk)).status_code == 200
