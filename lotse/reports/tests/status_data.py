"""A hand-built district for the committee status report tests: cases opened and closed in known
months of 2024, goals, contacts, referrals to two agencies, themes on known levels and positions
of two types at two providers – plus data outside the period and in Kreis Coesfeld that must not
count. Every expected figure is written out in :data:`EXPECTED` (computed by hand below)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from lotse.cases.models import Case, CaseStatus, Contact, Goal, Referral
from lotse.cases.services.cases import case_open
from lotse.funding.models import Position
from lotse.network.models import Agency
from lotse.steering.models import StaircaseSettings, Theme, ThemeStatus
from lotse.tenants.models import Role

PERIOD = (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
D = datetime.date

# Free texts and names that must never reach a report.
SECRETS = (
    "Vertraulicher Vermerk",
    "Ziel mit Namen",
    "Erika Musterfrau",
    "Bericht über die Ablehnung",
    "Amina",
    "Testfall",
)


@dataclass
class Built:
    cases: list[Case] = field(default_factory=list)
    immigration_office: Any = None

    def pseudonyms_and_numbers(self) -> list[str]:
        return [text for case in Case.objects.all() for text in (case.number, case.pseudonym) if text]


def _case(part: Any, provider: Any, opened: datetime.date, closed: datetime.date | None, name: str) -> Case:
    case = case_open(
        actor=part.users[Role.CASE_MANAGER],
        tenant=part.tenant,
        case_manager_id=None,
        provider=provider,
        pseudonym=name,
        intake_channel="walk_in",
        opened_on=opened,
    )
    if closed is not None:
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=closed)
        case.refresh_from_db()
    return case


def _goal(case: Case, domain: str, user: Any) -> None:
    Goal.objects.create(case=case, domain=domain, text="Ziel mit Namen", created_by=user)


def _contact(case: Case, on: datetime.date, user: Any) -> None:
    Contact.objects.create(
        case=case,
        occurred_on=on,
        kind="in_person",
        duration_minutes=30,
        effort_minutes=40,
        note="Vertraulicher Vermerk",
        created_by=user,
    )


def _referral(case: Case, agency: Any, on: datetime.date, user: Any) -> None:
    Referral.objects.create(
        case=case,
        agency=agency,
        topic="work",
        sent_on=on,
        outcome="Bericht über die Ablehnung",
        created_by=user,
    )


def build(world: Any) -> Built:
    """The district Kreis Wesel of :data:`EXPECTED` (and noise in Kreis Coesfeld)."""
    part = world.wesel
    user = part.users[Role.CASE_MANAGER]
    a, b = part.provider, part.other_provider  # "Kreis Wesel Träger A" / "… B"
    built = Built()
    # provider A: opened 3 (Jan, Jan, Mar), closed 1 (Mar), active 3
    a1 = _case(part, a, D(2024, 1, 10), D(2024, 3, 15), "Anna Eins")
    a2 = _case(part, a, D(2024, 1, 20), None, "Anna Zwei")
    a3 = _case(part, a, D(2024, 3, 5), None, "Anna Drei")
    # provider B: opened 6 (5 × Feb, Jun), closed 3 (Feb, Jun, Dec), active 7
    b0 = _case(part, b, D(2023, 11, 1), D(2024, 2, 10), "Bert Null")
    bs = [_case(part, b, D(2024, 2, day), None, f"Bert {day}") for day in (1, 2, 3, 4, 5)]
    b6 = _case(part, b, D(2024, 6, 10), None, "Bert Sechs")
    Case.objects.filter(pk=bs[0].pk).update(status=CaseStatus.CLOSED, closed_on=D(2024, 6, 20))
    Case.objects.filter(pk=bs[1].pk).update(status=CaseStatus.CLOSED, closed_on=D(2024, 12, 31))
    # neither counts: closed before the period, opened after it
    _case(part, b, D(2023, 5, 1), D(2023, 12, 31), "Bert Alt")
    _case(part, b, D(2025, 1, 1), None, "Bert Neu")
    built.cases = [a1, a2, a3, b0, *bs, b6]

    # life domains of active cases: language 2 (a2, b1), work 2 (b1, b3 with two goals),
    # housing 5 (b1 … b5)
    _goal(a2, "language", user)
    _goal(bs[0], "language", user)
    _goal(bs[0], "work", user)
    _goal(bs[2], "work", user)
    _goal(bs[2], "work", user)
    for case in bs:
        _goal(case, "housing", user)

    # contacts in the period: 4 (one more in 2025)
    for on in (D(2024, 1, 15), D(2024, 2, 1), D(2024, 3, 1)):
        _contact(a1, on, user)
    _contact(bs[0], D(2024, 7, 1), user)
    _contact(bs[0], D(2025, 1, 2), user)

    # referrals in the period: Jobcenter 6, Ausländerbehörde 2 (one more in 2025)
    jobcenter = part.agency  # "Jobcenter Kreis Wesel"
    office = Agency.objects.create(tenant=part.tenant, name="Ausländerbehörde Kreis Wesel", kind="immigration_office")
    built.immigration_office = office
    for case in (a1, a2, a3, bs[0], bs[1], bs[2]):
        _referral(case, jobcenter, D(2024, 4, 1), user)
    _referral(b6, office, D(2024, 6, 15), user)
    _referral(bs[3], office, D(2024, 9, 1), user)
    _referral(bs[4], office, D(2025, 2, 1), user)

    # themes: level 2: 1, level 4: 2 (one resolved); merged and later ones do not count
    coordinator = part.users[Role.COORDINATOR]
    StaircaseSettings.objects.create(tenant=part.tenant, level_4="AG Querschnitt")

    def theme(title: str, level: int, created: datetime.date, status: str = ThemeStatus.ACTIVE) -> Theme:
        at = timezone.make_aware(datetime.datetime.combine(created, datetime.time(12)))
        return Theme.objects.create(
            tenant=part.tenant, title=title, level=level, status=status, created_by=coordinator, created_at=at
        )

    theme("Wartezeiten Integrationskurs", 2, D(2024, 2, 1))
    theme("Anerkennung ausländischer Abschlüsse", 4, D(2024, 3, 1))
    theme("Wohnraummangel", 4, D(2024, 4, 1), ThemeStatus.RESOLVED)
    theme("Zusammengelegt", 1, D(2024, 4, 2), ThemeStatus.MERGED)
    theme("Später", 3, D(2025, 1, 5))

    # positions active in 2024: A case management 2 (1.00 + 0.50), A coordination 1 (1.00),
    # B case management 1 (1.00); one ended in 2023, one starts in 2025
    programme = part.objects["programme"]

    def position(provider: Any, kind: str, fte: str, start: datetime.date, end: datetime.date | None) -> None:
        Position.objects.create(
            tenant=part.tenant,
            provider=provider,
            programme=programme,
            position_type=kind,
            fte=Decimal(fte),
            starts_on=start,
            ends_on=end,
            person="Erika Musterfrau",
        )

    position(a, "case_manager", "1.00", D(2023, 1, 1), None)
    position(a, "case_manager", "0.50", D(2024, 7, 1), D(2024, 12, 31))
    position(b, "case_manager", "1.00", D(2024, 2, 16), None)
    position(b, "coordinator", "0.75", D(2022, 1, 1), D(2023, 12, 31))
    position(a, "coordinator", "1.00", D(2024, 1, 1), D(2025, 6, 30))
    position(b, "case_manager", "1.00", D(2025, 1, 1), None)

    # Kreis Coesfeld: a case, a referral and a position in 2024 that Kreis Wesel never sees
    other = world.coesfeld
    c1 = _case(other, other.provider, D(2024, 5, 5), None, "Coesfeld Fall")
    _referral(c1, other.agency, D(2024, 5, 6), other.users[Role.CASE_MANAGER])
    Position.objects.create(
        tenant=other.tenant,
        provider=other.provider,
        programme=other.objects["programme"],
        position_type="admin_assistant",
        fte=Decimal("2.00"),
        starts_on=D(2024, 1, 1),
    )
    return built


def extra_cases(world: Any, count: int) -> None:
    """More cases in the period, each with a goal, a contact and a referral (query-count tests)."""
    part = world.wesel
    user = part.users[Role.CASE_MANAGER]
    for index in range(count):
        case = _case(part, part.other_provider, D(2024, 1 + index % 12, 3), None, f"Extra {index}")
        _goal(case, "income", user)
        _contact(case, D(2024, 8, 1), user)
        _referral(case, part.agency, D(2024, 8, 2), user)
