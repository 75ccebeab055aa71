"""Fixtures of committee work: Kreis Wesel's steering group (Lenkungsgruppe, seed 003 §11(2))
with thirteen seats, one of them the committee member's, and a meeting with times."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from lotse.committees import services
from lotse.committees.models import Body, BodyMember, Meeting, MemberRole
from lotse.tenants.models import Role

# (organisation, person, role, substitute) – a part of the member list of seed 003 §11(2)
SEATS: list[tuple[str, str, str, str]] = [
    ("Kreis Wesel, Vorstand", "Vorstand, Vera", MemberRole.CHAIR, "Vize, Viktor"),
    ("Kreis Wesel, FD 40-2", "Leitung, Lars", MemberRole.VICE_CHAIR, ""),
    ("Kreis Wesel, FD 40-2-3", "Koordination, Karin", MemberRole.MANAGING_OFFICE, ""),
    ("Kommunales Integrationszentrum", "Fachlich, Frieda", MemberRole.MEMBER, ""),
    ("Stadt Moers", "Moers, Mats", MemberRole.MEMBER, "Moers, Mia"),
    ("Ausländerbehörde Kreis Wesel", "Behörde, Bernd", MemberRole.MEMBER, "Behörde, Berta"),
    ("Jugendamt Kreis Wesel", "Jugend, Jana", MemberRole.MEMBER, ""),
    ("Gesundheitsamt Kreis Wesel", "Gesund, Gerd", MemberRole.MEMBER, ""),
    ("Jobcenter Kreis Wesel", "Job, Johanna", MemberRole.MEMBER, "Center, Carl"),
    ("Agentur für Arbeit Wesel", "Arbeit, Anton", MemberRole.MEMBER, ""),
    ("AG Wohlfahrt", "Wohlfahrt, Wilma", MemberRole.MEMBER, "Wohl, Werner"),
    ("AG Wohlfahrt", "Fahrt, Fritz", MemberRole.MEMBER, ""),
    ("Jugendmigrationsdienst", "Migration, Mona", MemberRole.MEMBER, ""),
]


@dataclass
class Council:
    body: Body
    seats: list[BodyMember]
    meeting: Meeting
    coordinator: Any


@pytest.fixture
def council(world: Any) -> Council:
    w = world.wesel
    coordinator = w.users[Role.COORDINATOR]
    body = services.body_create(
        actor=coordinator, tenant=w.tenant, kind="steering_group", name="Lenkungsgruppe KIM Wesel"
    )
    seats = []
    for index, (organisation, person, role, substitute) in enumerate(SEATS):
        seats.append(
            services.member_create(
                body,
                actor=coordinator,
                organisation=organisation,
                person=person,
                role=role,
                substitute=substitute,
                membership=w.memberships[Role.COMMITTEE_MEMBER] if index == 8 else None,
            )
        )
    meeting = services.meeting_create(
        body,
        actor=coordinator,
        date=datetime.date(2025, 3, 12),
        starts_at=datetime.time(16, 30),
        ends_at=datetime.time(19, 0),
        place="Kreishaus Wesel, Sitzungssaal",
        chair="Vorstand, Vera",
        minute_taker="Koordination, Karin",
        guests="Verwaltung: Schenk, Stefan\nPresse",
        opening="Die Vorsitzende eröffnet die Sitzung.",
    )
    return Council(body, seats, meeting, coordinator)


@pytest.fixture
def as_role(world, signed_in):  # type: ignore[no-untyped-def]
    """A signed-in client of the role (Kreis Wesel unless ``tenant``), English pages (msgids)."""

    def make(role: str, tenant: str = "wesel") -> Client:
        client = signed_in(world.user(role, tenant))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make
