"""Demo data of strategic steering (Module 2), written through the services like real work:

* Kreis Wesel: themes grouped from the demo barriers with their staircase history; the steering
  group with the member list of seed 003 §11(2) (``demo.committee`` holds the seat of the
  Agentur für Arbeit); a project group, the advisory body, the welfare working group, the exchange
  forum and a quality circle (``demo.casemanager`` reviews two cases); one held meeting of the
  steering group with attendance, decisions, votes and tasks, and one planned meeting.
* Kreis Coesfeld: the bodies of seed 004 (Steuerungsgruppe, Koordinierungsgruppe, AG Querschnitt)
  and one theme.
* Client feedback for both districts over the last year.

Idempotent: a district whose steering group exists is left alone. Services stamp "today" on
some records; the demo dates those back with queryset updates, each commented.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from lotse.access.context import TenantAccessContext
from lotse.accounts.models import User
from lotse.cases.models import Barrier, Case, CaseStatus
from lotse.committees import services as committees
from lotse.committees.models import Body, BodyMember, MeetingStatus
from lotse.committees.review import review_case_add
from lotse.demo.steering_data import COMMITTEE_LOGIN_SEAT, THEMES, WESEL_STEERING_GROUP
from lotse.feedback import services as feedback
from lotse.feedback.models import FeedbackResponse
from lotse.feedback.tokens import token_issue
from lotse.steering import services as steering
from lotse.steering.models import Theme
from lotse.tenants.models import Membership, Provider, Tenant

STEERING_GROUP = "Lenkungsgruppe KIM Kreis Wesel"


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _membership(tenant: Tenant, username: str) -> Membership | None:
    return Membership.objects.filter(tenant=tenant, user__username=username, is_active=True).first()


def ensure_steering() -> dict[str, int]:
    wesel = Tenant.objects.get(slug="kreis-wesel")
    coesfeld = Tenant.objects.get(slug="kreis-coesfeld")
    counts = {"themes": 0, "bodies": 0, "feedback": 0}
    if not Body.objects.filter(tenant=wesel, name=STEERING_GROUP).exists():
        _wesel(wesel, counts)
    if not Body.objects.filter(tenant=coesfeld, name="Steuerungsgruppe KIM").exists():
        _coesfeld(coesfeld, counts)
    return counts


# --- Kreis Wesel ----------------------------------------------------------------------------


def _wesel(tenant: Tenant, counts: dict[str, int]) -> None:
    rng = random.Random(4711)  # noqa: S311 - demo data, not security
    actor = _user("demo.coordinator")
    today = timezone.localdate()
    steering.staircase_settings_get(tenant=tenant)

    lg = committees.body_create(
        actor=actor,
        tenant=tenant,
        kind="steering_group",
        name=STEERING_GROUP,
        remit="Strategische Steuerung des KIM (Kooperationsvertrag § 11); Treffen halbjährlich.",
    )
    committee_login = _membership(tenant, "demo.committee")
    seats = []
    for position, seat in enumerate(WESEL_STEERING_GROUP, start=1):
        seats.append(
            committees.member_create(
                lg,
                actor=actor,
                organisation=seat.organisation,
                person=seat.person,
                role=seat.role,
                substitute=seat.substitute,
                membership=committee_login if seat.organisation == COMMITTEE_LOGIN_SEAT else None,
                position=position,
            )
        )
    bodies = {"lg": lg}
    for key, kind, name, remit, members in (
        (
            "pg",
            "project_group",
            "Projektgruppe Sprache",
            "Zugang zu Integrations- und Sprachkursen (Vertrag § 12).",
            (
                ("Kommunales Integrationszentrum", "Becker, Martin", "chair"),
                ("Jobcenter Kreis Wesel", "Berger, Silke", "member"),
                ("VHS Wesel-Hamminkeln-Schermbeck", "Lindner, Eva", "member"),
                ("Caritasverband Moers-Xanten e.V.", "Ahmadi, Reza", "member"),
            ),
        ),
        (
            "ab",
            "advisory_body",
            "Begleitgremium Perspektiven und Partizipation der Zielgruppe",
            "Erfahrungen und Bedarfslagen der Zielgruppe (Konzept, Abschnitt 4).",
            (
                ("Integrationsrat Moers", "Haddad, Rana", "chair"),
                ("Integrationsrat Dinslaken", "Szymańska, Agnieszka", "member"),
                ("Migrantenselbstorganisation Wesel", "Okafor, Grace", "member"),
            ),
        ),
        (
            "wg",
            "working_group",
            "AG Wohlfahrt – Migrationssozialarbeit",
            "Verbindliche Austauschstruktur mit der Migrationssozialarbeit (Konzept, Abschnitt 4).",
            (("AG Wohlfahrt", "Schäfer, Ingrid", "chair"), ("Jugendmigrationsdienst", "Horn, Sebastian", "member")),
        ),
        (
            "ef",
            "exchange_forum",
            "Austauschforum Ausländerwesen und Soziales",
            "Fachlicher Perspektivaustausch zwischen Ausländerbehörden und Sozial-, Jugend- und Bildungsämtern.",
            (("Ausländerbehörde Kreis Wesel", "Winter, Julia", "chair"), ("Stadt Moers", "Schulte, Nadine", "member")),
        ),
    ):
        body = committees.body_create(actor=actor, tenant=tenant, kind=kind, name=name, remit=remit)
        for position, (organisation, person, role) in enumerate(members, start=1):
            committees.member_create(
                body, actor=actor, organisation=organisation, person=person, role=role, position=position
            )
        bodies[key] = body
    qc = committees.body_create(
        actor=actor,
        tenant=tenant,
        kind="quality_circle",
        name="Qualitätszirkel Case Management",
        remit="Revision der Prozesse an beispielhaften, komplexen Fällen (Moerser Modell).",
    )
    reviewer = _membership(tenant, "demo.casemanager")
    committees.member_create(
        qc,
        actor=actor,
        organisation="KIM Case Management",
        person="Demo-Fallmanagerin",
        membership=reviewer,
        position=1,
    )
    committees.member_create(
        qc,
        actor=actor,
        organisation="Kommunales Integrationszentrum",
        person="Wagner, Sabine",
        role="chair",
        position=2,
    )
    counts["bodies"] += 6

    themes = _wesel_themes(tenant, actor, bodies, today)
    counts["themes"] += len(themes)
    _wesel_meetings(tenant, actor, lg, seats, themes, today)

    # quality circle in two weeks, reviewing two closed cases of the district
    qc_meeting = committees.meeting_create(
        qc,
        actor=actor,
        date=today + datetime.timedelta(days=14),
        starts_at=datetime.time(10, 0),
        place="Kreishaus Wesel, Raum 214",
    )
    closed = Case.objects.filter(tenant=tenant, status=CaseStatus.CLOSED, anonymised_at__isnull=True).order_by("pk")[:2]
    membership = Membership.objects.get(tenant=tenant, user=actor, is_active=True)
    ctx = TenantAccessContext(user=actor, tenant=tenant, membership=membership)
    for case in closed:
        review_case_add(ctx, meeting=qc_meeting, number=case.number, actor=actor)

    counts["feedback"] += _feedback(tenant, rng, today, 90)


def _wesel_themes(tenant: Tenant, actor: User, bodies: dict[str, Body], today: datetime.date) -> list[Theme]:
    themes = []
    for index, (title, prefixes, moves) in enumerate(THEMES):
        theme = steering.theme_create(actor=actor, tenant=tenant, title=title)
        ids = [
            pk
            for prefix in prefixes
            for pk in Barrier.objects.filter(
                tenant=tenant, description__startswith=prefix, theme__isnull=True
            ).values_list("pk", flat=True)
        ]
        if ids:
            steering.barriers_assign(actor=actor, tenant=tenant, barrier_ids=ids, theme=theme)
        for level, reason, days_ago in moves:
            theme.refresh_from_db()
            plan = {}
            if level == 4:
                plan = {
                    "responsible_body": bodies["pg"],
                    "next_step": "Bedarfsmeldung an die Lenkungsgruppe",
                    "due_on": today + datetime.timedelta(days=30),
                }
            elif level in (2, 3) and index == 1:
                plan = {
                    "next_step": "Gespräch mit der Leitung der Ausländerbehörde",
                    "due_on": today + datetime.timedelta(days=21),
                }
            steering.theme_move(
                theme,
                actor=actor,
                expected_version=theme.version,
                level=level,
                reason=reason,
                occurred_on=today - datetime.timedelta(days=days_ago),
                **plan,
            )
        theme.refresh_from_db()
        themes.append(theme)
    return themes


def _wesel_meetings(
    tenant: Tenant, actor: User, lg: Body, seats: list[BodyMember], themes: list[Theme], today: datetime.date
) -> None:
    held_on = today - datetime.timedelta(days=63)
    meeting = committees.meeting_create(
        lg,
        actor=actor,
        date=held_on,
        starts_at=datetime.time(14, 0),
        ends_at=datetime.time(16, 30),
        place="Kreishaus Wesel, Sitzungssaal, Reeser Landstraße 31, 46483 Wesel",
        chair=seats[0].person,
        minute_taker="Wagner, Sabine",
        guests="Kommunales Integrationszentrum: Scholz, Anna\nExterne Prozessbegleitung: Dr. Roth, Miriam",
        opening="Die Vorsitzende eröffnet die Sitzung, begrüßt die Mitglieder und stellt die Beschlussfähigkeit fest.",
    )
    entries = []
    for index, seat in enumerate(seats):
        if index in (4, 11):  # two seats sent their substitutes
            entries.append(committees.AttendanceEntry(seat.pk, "represented", represented_by=seat.substitute))
        elif index == 13:
            entries.append(committees.AttendanceEntry(seat.pk, "absent"))
        elif index == 16:
            entries.append(committees.AttendanceEntry(seat.pk, "present", left_at=datetime.time(15, 40)))
        elif index == 7:
            entries.append(committees.AttendanceEntry(seat.pk, "present", arrived_at=datetime.time(14, 25)))
        else:
            entries.append(committees.AttendanceEntry(seat.pk, "present"))
    committees.attendance_record(meeting, actor=actor, entries=entries)
    courses = themes[0]
    top1 = committees.item_create(
        meeting,
        actor=actor,
        title="Bericht der KIM-Koordination: Sachstand Case Management",
        paper="LG-2026-03",
        report="Sachstandsbericht der Koordination",
        text=(
            "Die Koordination berichtet über Fallzahlen, Vermittlungen und die im Case Management erfassten Hemmnisse."
        ),
        decision_kind="noted",
        decision_text="Die Lenkungsgruppe nimmt den Bericht zur Kenntnis.",
    )
    top2 = committees.item_create(
        meeting,
        actor=actor,
        title=courses.title,
        paper="LG-2026-04",
        theme=courses,
        text=(
            "Die Projektgruppe Sprache stellt das generative Thema vor: in vielen Fällen verzögern lange "
            "Wartezeiten den Beginn des Integrationskurses, besonders mit Kinderbetreuung."
        ),
        decision_kind="vote",
        decision_text=(
            "Die Lenkungsgruppe beauftragt die Koordination, mit den Kursträgern und dem BAMF ein "
            "gemeinsames Verfahren zur Kursplatzvergabe mit Kinderbetreuung zu vereinbaren."
        ),
        votes_yes=19,
        votes_no=0,
        votes_abstain=1,
    )
    committees.item_create(meeting, actor=actor, title="Mitteilungen der Vorsitzenden")
    committees.item_create(
        meeting,
        actor=actor,
        part="non_public",
        title="Personalangelegenheiten der Koordinierungsstelle",
        decision_kind="unanimous",
        decision_text="Der Besetzung der Koordinierungsstelle wird zugestimmt.",
    )
    committees.task_create(
        top2,
        actor=actor,
        title="Gespräch mit Kursträgern und BAMF führen",
        owner="KIM-Koordination",
        due_on=today + datetime.timedelta(days=20),
    )
    done = committees.task_create(
        top1,
        actor=actor,
        title="Bericht im Kreistagsinformationssystem veröffentlichen",
        owner="Kommunales Integrationszentrum",
        due_on=held_on + datetime.timedelta(days=14),
    )
    committees.task_done(done, actor=actor, done_on=held_on + datetime.timedelta(days=9))
    meeting.refresh_from_db()
    committees.meeting_update(meeting, actor=actor, expected_version=meeting.version, status=MeetingStatus.HELD)

    planned = committees.meeting_create(
        lg,
        actor=actor,
        date=today + datetime.timedelta(days=40),
        starts_at=datetime.time(14, 0),
        place="Kreishaus Wesel, Sitzungssaal",
        chair=seats[0].person,
        minute_taker="Wagner, Sabine",
    )
    committees.item_create(planned, actor=actor, title="Genehmigung der Niederschrift der letzten Sitzung")
    committees.item_create(planned, actor=actor, title=themes[1].title, theme=themes[1], paper="LG-2026-07")
    committees.item_create(
        planned, actor=actor, title="Bericht des Begleitgremiums Perspektiven und Partizipation der Zielgruppe"
    )


# --- Kreis Coesfeld -------------------------------------------------------------------------


def _coesfeld(tenant: Tenant, counts: dict[str, int]) -> None:
    """Seed 004: Steuerungsgruppe, Koordinierungsgruppe and AG Querschnitt; one theme."""
    rng = random.Random(4812)  # noqa: S311 - demo data, not security
    actor = _user("demo.coordinator")
    today = timezone.localdate()
    steering.staircase_settings_get(tenant=tenant)
    for kind, name, members in (
        (
            "steering_group",
            "Steuerungsgruppe KIM",
            (
                ("Kreis Coesfeld – Dezernat III", "Schütt, Detlef", "chair"),
                ("Kommunales Integrationszentrum", "Mohring, Peter", "member"),
                ("Jobcenter Kreis Coesfeld", "Greve, Bernhard", "member"),
            ),
        ),
        (
            "working_group",
            "Koordinierungsgruppe KIM",
            (
                ("Kommunales Integrationszentrum", "Mohring, Peter", "chair"),
                ("Stadt Dülmen", "Terhaar, Lisa", "member"),
            ),
        ),
        (
            "working_group",
            "AG Querschnitt",
            (
                ("Kommunales Integrationszentrum", "Schröer, Marco", "chair"),
                ("Stadt Coesfeld", "Bünker, Anke", "member"),
            ),
        ),
    ):
        body = committees.body_create(actor=actor, tenant=tenant, kind=kind, name=name)
        for position, (organisation, person, role) in enumerate(members, start=1):
            committees.member_create(
                body, actor=actor, organisation=organisation, person=person, role=role, position=position
            )
        counts["bodies"] += 1
    theme = steering.theme_create(
        actor=actor, tenant=tenant, title="Wartezeiten bei der Anerkennung von Berufsabschlüssen"
    )
    ids = list(Barrier.objects.filter(tenant=tenant, domain="work", theme__isnull=True).values_list("pk", flat=True))
    if ids:
        steering.barriers_assign(actor=actor, tenant=tenant, barrier_ids=ids, theme=theme)
    counts["themes"] += 1
    counts["feedback"] += _feedback(tenant, rng, today, 45)


# --- Client feedback ------------------------------------------------------------------------


def _feedback(tenant: Tenant, rng: random.Random, today: datetime.date, number: int) -> int:
    """Answers spread over the last twelve months. Each goes through the public submission
    service with its own token, from addresses of the documentation range (192.0.2.0/24)."""
    providers = list(Provider.objects.filter(tenant=tenant, cases__isnull=False).distinct()) or list(
        Provider.objects.filter(tenant=tenant)
    )
    languages = ["de", "de", "de", "ar", "uk", "ru", "tr", "fa", "en"]
    made = 0
    for index in range(number):
        provider = rng.choice(providers)
        language = rng.choice(languages)
        raw = token_issue(tenant_id=tenant.pk, provider_id=provider.pk, language=language)
        good = rng.random() < 0.8
        answers = {
            q: (rng.choice([4, 5, 5] if good else [2, 3, 4]) if rng.random() < 0.92 else None)
            for q in ("understood", "helped", "respected", "reachable", "recommend")
        }
        if all(v is None for v in answers.values()):
            answers["helped"] = 4
        response = feedback.feedback_submit(
            token_raw=raw, language=language, answers=answers, address=f"192.0.2.{index % 250 + 1}"
        )
        # the service files an answer under the current month; the demo spreads them over the year
        month = (today.replace(day=1) - datetime.timedelta(days=rng.randint(0, 360))).replace(day=1)
        FeedbackResponse.objects.filter(pk=response.pk).update(month=month)
        made += 1
    return made
