"""The minutes of a meeting (Niederschrift) as PDF, in the structure of council minutes (seed
``000_dad157790ffa1fa4.txt``): header with number, body, date and place; begin and end;
attendance by organisation with substitutes ("Vertretung für …"), late arrival and early leave;
the excused members; further attendees; the opening; the agenda in a public and a non-public
part; each item with paper, title, text, decision and vote result (one line each: "Ja: 12",
"Nein: 0", "Enthaltung: 1"), tasks; the signature lines of chair and minute-taker.

Minutes are a German council document: they are rendered in German whatever the reader's
language (the strings are English msgids translated to German)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lotse.audit.services import audit_record
from lotse.committees.models import (
    AgendaItem,
    AgendaPart,
    AttendanceStatus,
    DecisionKind,
    Meeting,
)
from lotse.committees.selectors import agenda_items, attendance_of, level_names, members_on, theme_summary
from lotse.core.pdf import render_pdf

TEMPLATE = "committees/pdf/minutes.html"
LANGUAGE = "de"

# Bodies whose name is feminine in German ("der Lenkungsgruppe"); the others take "des".


def _time(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def heading(meeting: Meeting) -> str:
    """ "über die 3. Sitzung – Lenkungsgruppe KIM – am Mittwoch, 28.02.2024". The body's name is
    free text, so the heading names it without a German article (der/des would need its
    grammatical gender and case); the place follows on a line of its own (:func:`place_line`)."""
    values = {"number": meeting.number, "body": meeting.body.name, "date": date_format(meeting.date, "l, d.m.Y")}
    return _("on meeting no. %(number)s – %(body)s – on %(date)s") % values


def place_line(meeting: Meeting) -> str:
    return _("Place: %(place)s") % {"place": meeting.place} if meeting.place else ""


@dataclass
class AttendeeLine:
    name: str
    note: str = ""
    extra: tuple[str, ...] = ()


def _grouped(pairs: list[tuple[str, AttendeeLine]]) -> list[dict[str, Any]]:
    """Lines grouped by organisation in the order of first appearance."""
    groups: dict[str, list[AttendeeLine]] = {}
    for organisation, line in pairs:
        groups.setdefault(organisation, []).append(line)
    return [{"organisation": organisation, "lines": lines} for organisation, lines in groups.items()]


def attendance_section(meeting: Meeting) -> dict[str, Any]:
    """Present and represented seats by organisation, the excused, whether it was recorded."""
    records = attendance_of(meeting)
    members = members_on(meeting)
    attending: list[tuple[str, AttendeeLine]] = []
    excused: list[str] = []
    for member in members:
        record = records.get(member.pk)
        holder = member.person or member.organisation
        if record is None:
            if not records:  # nothing recorded yet: list the seats as they are
                attending.append((member.organisation, AttendeeLine(member.person or "–")))
            continue
        if record.status == AttendanceStatus.ABSENT:
            excused.append(f"{member.person} ({member.organisation})" if member.person else member.organisation)
            continue
        extra = []
        if record.arrived_at:
            extra.append(_("Present from %(time)s") % {"time": _time(record.arrived_at)})
        if record.left_at:
            extra.append(_("Absent from %(time)s") % {"time": _time(record.left_at)})
        if record.status == AttendanceStatus.REPRESENTED:
            line = AttendeeLine(
                record.represented_by, _("Substitute for %(person)s") % {"person": holder}, tuple(extra)
            )
        else:
            line = AttendeeLine(member.person or "–", "", tuple(extra))
        attending.append((member.organisation, line))
    return {"recorded": bool(records), "groups": _grouped(attending), "excused": excused}


def guest_groups(guests: str) -> list[dict[str, Any]]:
    """Further attendees, one per line; "Verwaltung: Schenk, Stefan" groups under "Verwaltung"."""
    pairs: list[tuple[str, AttendeeLine]] = []
    for raw in guests.splitlines():
        line = raw.strip()
        if not line:
            continue
        group, sep, name = line.partition(":")
        if sep and group.strip() and name.strip():
            pairs.append((group.strip(), AttendeeLine(name.strip())))
        else:
            pairs.append(("", AttendeeLine(line)))
    return _grouped(pairs)


def part_heading(part: str) -> str:
    return _("Public part") if part == AgendaPart.PUBLIC else _("Non-public part")


def item_heading(item: AgendaItem) -> str:
    """ "TOP 1 öffentlicher Teil"."""
    if item.part == AgendaPart.PUBLIC:
        return _("Item %(number)s, public part") % {"number": item.number}
    return _("Item %(number)s, non-public part") % {"number": item.number}


def paper_line(item: AgendaItem) -> str:
    """ "Vorlage: SV-10-1126"."""
    return _("Paper: %(paper)s") % {"paper": item.paper} if item.paper else ""


def vote_lines(item: AgendaItem) -> list[str]:
    """The vote result, one line each: "Ja: 12", "Nein: 0", "Enthaltung: 1"; or "einstimmig"."""
    if item.decision_kind == DecisionKind.VOTE:
        return [
            pgettext("minutes vote result", "Yes: %(count)s") % {"count": item.votes_yes or 0},
            pgettext("minutes vote result", "No: %(count)s") % {"count": item.votes_no or 0},
            pgettext("minutes vote result", "Abstentions: %(count)s") % {"count": item.votes_abstain or 0},
        ]
    if item.decision_kind == DecisionKind.UNANIMOUS:
        lines = [pgettext("minutes vote result", "unanimous")]
        if item.votes_yes is not None:
            lines.append(pgettext("minutes vote result", "Yes: %(count)s") % {"count": item.votes_yes})
        return lines
    return []


def _item(item: AgendaItem, names: dict[int, str], show_themes: bool) -> dict[str, Any]:
    theme = theme_summary(item.theme, names) if item.theme and show_themes else None
    tasks = []
    for task in item.tasks.all():
        parts = [task.title, _("responsible: %(owner)s") % {"owner": task.owner}]
        if task.due_on:
            parts.append(_("due %(date)s") % {"date": _date(task.due_on)})
        if task.done_on:
            parts.append(_("done %(date)s") % {"date": _date(task.done_on)})
        tasks.append(" – ".join(parts))
    return {
        "heading": item_heading(item),
        "paper": paper_line(item),
        "title": item.title,
        "theme": (
            _("Generative theme: %(title)s (level %(level)s – %(name)s)")
            % {"title": theme["title"], "level": theme["level"], "name": theme["level_name"]}
            if theme
            else ""
        ),
        "report": _("Report: %(report)s") % {"report": item.report} if item.report else "",
        "text": item.text,
        "has_decision": item.decision_kind != DecisionKind.NONE,
        "decision_text": item.decision_text,
        "noted": item.decision_kind == DecisionKind.NOTED,
        "votes": vote_lines(item),
        "tasks": tasks,
    }


def minutes_context(meeting: Meeting, *, show_themes: bool = True) -> dict[str, Any]:
    """Template context of the minutes; call under ``translation.override("de")``. Themes are
    named only for readers who may see themes (``Perm.THEME_VIEW``), as on the meeting page."""
    items = agenda_items(meeting)
    names = level_names(meeting.body.tenant_id) if show_themes and any(i.theme_id for i in items) else {}
    parts = []
    for part in AgendaPart:
        part_items = [item for item in items if item.part == part]
        if part_items:
            parts.append(
                {
                    "heading": part_heading(part),
                    "items": [
                        {"number": item.number, "title": item.title, "paper": paper_line(item)} for item in part_items
                    ],
                }
            )
    title = _("Minutes")
    return {
        "pdf_title": f"{title} – {meeting.body.name}, {meeting.number}.",
        "title": title,
        "heading": heading(meeting),
        "place": place_line(meeting),
        "footer": f"{title} · {meeting.body.name} · {meeting.number}. · {_date(meeting.date)}",
        "cancelled": meeting.status == "cancelled",
        "begins": _("Begins: %(time)s") % {"time": _time(meeting.starts_at)} if meeting.starts_at else "",
        "ends": _("Ends: %(time)s") % {"time": _time(meeting.ends_at)} if meeting.ends_at else "",
        "attendance": attendance_section(meeting),
        "guests": guest_groups(meeting.guests),
        "opening": meeting.opening,
        "agenda": parts,
        "items": [_item(item, names, show_themes) for item in items],
        "chair": meeting.chair,
        "minute_taker": meeting.minute_taker,
        "labels": {
            "attendance": _("Attendance:"),
            "not_recorded": _("The attendance was not recorded."),
            "excused": _("Excused:"),
            "guests": _("Further attendees:"),
            "agenda": _("Agenda:"),
            "decision": _("Decision:"),
            "vote_result": _("Vote result:"),
            "noted": pgettext("minutes decision", "Noted"),
            "tasks": _("Tasks from the decision:"),
            "cancelled": _("The meeting was cancelled."),
            "chair": _("%(name)s (chair)") % {"name": meeting.chair or "…"},
            "minute_taker": _("%(name)s (minute-taker)") % {"name": meeting.minute_taker or "…"},
            "no_items": _("No agenda items."),
        },
    }


def minutes_filename(meeting: Meeting) -> str:
    name = slugify(meeting.body.name) or "gremium"
    return f"niederschrift-{name}-{meeting.number}-{meeting.date:%Y-%m-%d}.pdf"


def minutes_pdf(meeting: Meeting, *, actor: Any, show_themes: bool = True) -> bytes:
    """The minutes as PDF (German); printing is audited."""
    with translation.override(LANGUAGE):
        pdf = render_pdf(TEMPLATE, minutes_context(meeting, show_themes=show_themes), language=LANGUAGE)
    with transaction.atomic():
        audit_record(
            action="meeting.minutes_printed",
            actor=actor,
            tenant_id=meeting.body.tenant_id,
            obj=meeting,
        )
    return pdf
