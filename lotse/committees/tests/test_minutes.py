"""The minutes (Niederschrift) as PDF in the structure of seed 000: read back with ``pdftotext``.

The minutes are German; the expected texts are the German translations of the msgids (``de``),
so the test holds before and after the translation pass."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import time

import pytest
from django.utils import translation

from lotse.audit.models import AuditEvent
from lotse.committees import services
from lotse.committees.minutes import LANGUAGE, heading, minutes_context, minutes_filename
from lotse.committees.tests.helpers import de, url
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db

DECISION = (
    "Die Lenkungsgruppe beauftragt die Koordinierung, mit dem BAMF über zusätzliche Integrationskurse zu sprechen."
)
VOTE = "minutes vote result"


def pdftotext(pdf: bytes) -> str:
    """The text of a PDF (poppler-utils). Waits for a pending installation; never skips."""
    for _attempt in range(60):
        if shutil.which("pdftotext"):
            break
        time.sleep(5)
    binary = shutil.which("pdftotext")
    assert binary, "pdftotext (poppler-utils) is needed for this test"
    return subprocess.run([binary, "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def held_meeting(world, council):
    """The council's meeting, held: attendance with one substitute, a late arrival and an early
    leave, one excused member; a public item with a vote 12/0/1 and a task, a non-public item."""
    actor = council.coordinator
    excused = services.member_create(
        council.body, actor=actor, organisation="Gleichstellungsbeauftragte", person="Gleich, Greta", role="advisory"
    )
    entries = [services.AttendanceEntry(excused.pk, "absent")]
    for index, seat in enumerate(council.seats):
        status, represented_by, arrived, left = "present", "", None, None
        if index == 4:
            status, represented_by = "represented", "Moers, Mia"
        elif index == 7:
            arrived = datetime.time(17, 10)
        elif index == 9:
            left = datetime.time(18, 52)
        entries.append(services.AttendanceEntry(seat.pk, status, represented_by, arrived, left))
    services.attendance_record(council.meeting, actor=actor, entries=entries)
    item = services.item_create(
        council.meeting,
        actor=actor,
        title="Wartezeiten bei Integrationskursen",
        paper="LG-2025-07",
        theme=world.wesel.objects["theme"],
        report="Sachstandsbericht 1/2025",
        text="Die Koordinierung berichtet über 42 Fälle mit Wartezeiten.",
        decision_kind="vote",
        decision_text=DECISION,
        votes_yes=12,
        votes_no=0,
        votes_abstain=1,
    )
    services.task_create(
        item, actor=actor, title="Gespräch mit dem BAMF", owner="Koordination, Karin", due_on=datetime.date(2025, 4, 30)
    )
    services.item_create(council.meeting, actor=actor, title="Bericht der Verwaltung", decision_kind="noted")
    services.item_create(
        council.meeting,
        actor=actor,
        title="Haushaltsfragen",
        part="non_public",
        decision_kind="unanimous",
        decision_text="Zugestimmt.",
    )
    return council.meeting


def test_minutes_pdf(world, council, held_meeting, as_role):
    response = as_role(Role.COORDINATOR).get(url(world, "minutes_pdf", pk=held_meeting.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert (
        disposition.startswith("attachment;")
        and "niederschrift-lenkungsgruppe-kim-wesel-1-2025-03-12.pdf" in disposition
    )
    text = pdftotext(response.content)
    lines = [line.strip() for line in text.splitlines()]
    flat = " ".join(text.split())  # paragraphs may wrap

    # header: number, body, date, place, begin and end
    assert de("Minutes") in text
    assert "Lenkungsgruppe KIM Wesel" in flat and "12.03.2025" in flat and "Kreishaus Wesel, Sitzungssaal" in flat
    assert de("Begins: %(time)s") % {"time": "16:30"} in lines
    assert de("Ends: %(time)s") % {"time": "19:00"} in lines
    # attendance by organisation, the substitute "Vertretung für" the seat holder
    for organisation in ("Kreis Wesel, Vorstand", "Stadt Moers", "Jobcenter Kreis Wesel", "AG Wohlfahrt"):
        assert organisation in lines
    assert f"Moers, Mia {de('Substitute for %(person)s') % {'person': 'Moers, Mats'}}" in text
    assert de("Present from %(time)s") % {"time": "17:10"} in lines
    assert de("Absent from %(time)s") % {"time": "18:52"} in lines
    assert de("Excused:") in lines and "Gleich, Greta (Gleichstellungsbeauftragte)" in lines
    # further attendees, grouped; the opening
    assert "Verwaltung" in lines and "Schenk, Stefan" in lines and "Presse" in lines
    assert "Die Vorsitzende eröffnet die Sitzung." in text
    # agenda in two parts, the paper
    assert de("Agenda:") in lines and de("Public part") in lines and de("Non-public part") in lines
    assert "1 Wartezeiten bei Integrationskursen" in lines
    assert de("Paper: %(paper)s") % {"paper": "LG-2025-07"} in lines
    # the item with its decision and the vote result, one line each
    assert de("Item %(number)s, public part") % {"number": 1} in lines
    assert de("Item %(number)s, non-public part") % {"number": 1} in lines
    assert DECISION in flat
    assert de("Decision:") in lines and de("Vote result:") in lines
    assert de("Yes: %(count)s", VOTE) % {"count": 12} in lines
    assert de("No: %(count)s", VOTE) % {"count": 0} in lines
    assert de("Abstentions: %(count)s", VOTE) % {"count": 1} in lines
    assert de("unanimous", VOTE) in lines
    assert de("Noted", "minutes decision") in lines
    assert "Wartezeiten Integrationskurs" in text  # the theme (title and level)
    assert "Gespräch mit dem BAMF" in text and "30.04.2025" in text
    # signatures
    assert de("%(name)s (chair)") % {"name": "Vorstand, Vera"} in text
    assert de("%(name)s (minute-taker)") % {"name": "Koordination, Karin"} in text
    # nothing of the world's case
    assert world.wesel.case.number not in text
    assert AuditEvent.objects.filter(action="meeting.minutes_printed", object_id=str(held_meeting.pk)).exists()


def test_minutes_in_german_once_translated(council, held_meeting):
    """With the German catalogue the seed's wording appears ("Ja: 12", "Vertretung für")."""
    with translation.override(LANGUAGE):
        context = minutes_context(held_meeting)
    item = context["items"][0]
    assert item["votes"] == [
        de("Yes: %(count)s", VOTE) % {"count": 12},
        de("No: %(count)s", VOTE) % {"count": 0},
        de("Abstentions: %(count)s", VOTE) % {"count": 1},
    ]
    if de("Yes: %(count)s", VOTE) != "Yes: %(count)s":  # the lead's translation pass is done
        assert item["votes"] == ["Ja: 12", "Nein: 0", "Enthaltung: 1"]
    # the weekday is German whatever the reader's language
    with translation.override("en"), translation.override(LANGUAGE):
        assert "Mittwoch, 12.03.2025" in heading(held_meeting)


def test_minutes_without_attendance_list_the_seats(world, as_role):
    meeting = world.wesel.objects["meeting"]
    client = as_role(Role.COMMITTEE_MEMBER)
    response = client.get(url(world, "minutes_pdf", pk=meeting.pk))
    assert response.status_code == 200
    text = pdftotext(response.content)
    assert de("The attendance was not recorded.") in text and "Mitglied, Maria" in text
    assert world.wesel.case.number not in text and "Fall Test" not in text
    assert minutes_filename(meeting).endswith(f"-1-{meeting.date:%Y-%m-%d}.pdf")
