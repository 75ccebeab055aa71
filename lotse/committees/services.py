"""Writes of committee work (Gremienarbeit): bodies and their seats, meetings, attendance,
agenda items with decisions and votes, tasks from decisions.

Every function is atomic and writes its audit event in the same transaction; updates of
versioned records go through :func:`lotse.core.versioning.save_versioned` (a stale version
raises ``StaleObjectError``). Validation lives here as the last line; the forms call the same
checks (:func:`decision_check`, :func:`attendance_check`) to show errors at the fields."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.committees.models import (
    AgendaItem,
    AgendaPart,
    Attendance,
    AttendanceStatus,
    Body,
    BodyKind,
    BodyMember,
    DecisionKind,
    Meeting,
    MeetingStatus,
    MemberRole,
    Task,
)
from lotse.core.versioning import StaleObjectError, save_versioned
from lotse.tenants.models import Tenant

# The fields an editor may set; tenant, body, meeting, version and audit columns never come from input.
BODY_FIELDS = frozenset({"kind", "name", "remit", "is_active"})
MEMBER_FIELDS = frozenset({"organisation", "person", "role", "substitute", "membership", "position", "left_on"})
MEETING_FIELDS = frozenset(
    {"number", "date", "starts_at", "ends_at", "place", "status", "chair", "minute_taker", "guests", "opening"}
)
ITEM_FIELDS = frozenset(
    {
        "part",
        "number",
        "title",
        "paper",
        "theme",
        "report",
        "text",
        "decision_kind",
        "decision_text",
        "votes_yes",
        "votes_no",
        "votes_abstain",
    }
)
VOTE_FIELDS = ("votes_yes", "votes_no", "votes_abstain")


def _strip(fields: Mapping[str, Any], allowed: frozenset[str], what: str) -> dict[str, Any]:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown {what} fields: {sorted(unknown)}")
    return {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}


def _changed(instance: Any, cleaned: Mapping[str, Any]) -> list[str]:
    return sorted(k for k, v in cleaned.items() if getattr(instance, k) != v)


def _require(condition: bool, field: str, message: str) -> None:
    if not condition:
        raise ValidationError({field: message})


# --- Bodies ---------------------------------------------------------------------------------


def _name_taken() -> ValidationError:
    return ValidationError({"name": _("A body with this name already exists.")})


def _check_body(tenant_id: int, cleaned: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    if "name" in cleaned:
        name = cleaned["name"]
        _require(bool(name), "name", _("Enter the name of the body."))
        others = Body.objects.filter(tenant_id=tenant_id)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        # compared in Python: SQLite folds ASCII only
        if any(other.casefold() == name.casefold() for other in others.values_list("name", flat=True)):
            raise _name_taken()
    if "kind" in cleaned:
        _require(cleaned["kind"] in BodyKind.values, "kind", _("Choose the kind of body."))


def body_create(*, actor: Any, tenant: Tenant, kind: str, name: str, remit: str = "", is_active: bool = True) -> Body:
    """Gremium anlegen; the name is unique in the tenant."""
    cleaned = _strip({"kind": kind, "name": name, "remit": remit, "is_active": is_active}, BODY_FIELDS, "body")
    _check_body(tenant.pk, cleaned)
    try:
        with transaction.atomic():
            body = Body.objects.create(tenant=tenant, updated_by=actor, **cleaned)
            audit_record(action="body.created", actor=actor, tenant=tenant, obj=body, details={"kind": body.kind})
    except IntegrityError as exc:  # a concurrent create took the name
        raise _name_taken() from exc
    return body


def body_update(body: Body, *, actor: Any, expected_version: int, **fields: Any) -> Body:
    cleaned = _strip(fields, BODY_FIELDS, "body")
    _check_body(body.tenant_id, cleaned, exclude_pk=body.pk)
    changed = _changed(body, cleaned)
    try:
        with transaction.atomic():
            save_versioned(body, expected_version=expected_version, changes=cleaned, actor=actor)
            audit_record(
                action="body.updated", actor=actor, tenant_id=body.tenant_id, obj=body, details={"fields": changed}
            )
    except IntegrityError as exc:
        raise _name_taken() from exc
    return body


# --- Seats (members) ------------------------------------------------------------------------


def _check_member(body: Body, cleaned: dict[str, Any]) -> None:
    if "organisation" in cleaned:
        _require(bool(cleaned["organisation"]), "organisation", _("Enter the organisation holding the seat."))
    if "role" in cleaned:
        _require(cleaned["role"] in MemberRole.values, "role", _("Choose the role in the body."))
    membership = cleaned.get("membership")
    if membership is not None:
        _require(
            membership.tenant_id == body.tenant_id,
            "membership",
            _("Choose a Lotse account of this district."),
        )


def member_create(
    body: Body,
    *,
    actor: Any,
    organisation: str,
    person: str = "",
    role: str = MemberRole.MEMBER,
    substitute: str = "",
    membership: Any = None,
    position: int | None = None,
    left_on: datetime.date | None = None,
) -> BodyMember:
    """A seat in ``body``; without ``position`` it goes to the end of the list."""
    cleaned = _strip(
        {
            "organisation": organisation,
            "person": person,
            "role": role,
            "substitute": substitute,
            "membership": membership,
            "left_on": left_on,
        },
        MEMBER_FIELDS,
        "member",
    )
    _check_member(body, cleaned)
    with transaction.atomic():
        if position is None:
            last = BodyMember.objects.filter(body=body).aggregate(last=Max("position"))["last"]
            position = (last or 0) + 1
        member = BodyMember.objects.create(body=body, position=position, updated_by=actor, **cleaned)
        audit_record(
            action="body.member_changed",
            actor=actor,
            tenant_id=body.tenant_id,
            obj=member,
            details={"body": body.pk, "change": "added"},
        )
    return member


def member_update(member: BodyMember, *, actor: Any, expected_version: int, **fields: Any) -> BodyMember:
    cleaned = _strip(fields, MEMBER_FIELDS, "member")
    body = member.body
    _check_member(body, cleaned)
    changed = _changed(member, cleaned)
    with transaction.atomic():
        save_versioned(member, expected_version=expected_version, changes=cleaned, actor=actor)
        audit_record(
            action="body.member_changed",
            actor=actor,
            tenant_id=body.tenant_id,
            obj=member,
            details={"body": body.pk, "change": "changed", "fields": changed},
        )
    return member


# --- Meetings -------------------------------------------------------------------------------


def _number_taken() -> ValidationError:
    return ValidationError({"number": _("This number is already used by another meeting of the body.")})


def _check_meeting(body: Body, cleaned: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    if "number" in cleaned:
        number = cleaned["number"]
        _require(number is not None and number >= 1, "number", _("Enter the number of the meeting (1 or more)."))
        others = Meeting.objects.filter(body=body, number=number)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        if others.exists():
            raise _number_taken()
    if "date" in cleaned:
        _require(cleaned["date"] is not None, "date", _("Enter the date of the meeting."))
    if "status" in cleaned:
        _require(cleaned["status"] in MeetingStatus.values, "status", _("Choose the status of the meeting."))
    starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
    if starts is not None and ends is not None and ends <= starts:
        raise ValidationError({"ends_at": _("The meeting must end after it begins.")})


def next_meeting_number(body: Body) -> int:
    last = Meeting.objects.filter(body=body).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def meeting_create(
    body: Body,
    *,
    actor: Any,
    date: datetime.date,
    number: int | None = None,
    starts_at: datetime.time | None = None,
    ends_at: datetime.time | None = None,
    place: str = "",
    chair: str = "",
    minute_taker: str = "",
    guests: str = "",
    opening: str = "",
) -> Meeting:
    """Sitzung planen; without ``number`` it gets the body's next number."""
    cleaned = _strip(
        {
            "number": number if number is not None else next_meeting_number(body),
            "date": date,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "chair": chair,
            "minute_taker": minute_taker,
            "guests": guests,
            "opening": opening,
        },
        MEETING_FIELDS,
        "meeting",
    )
    _check_meeting(body, cleaned)
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(body=body, updated_by=actor, **cleaned)
            audit_record(
                action="meeting.created",
                actor=actor,
                tenant_id=body.tenant_id,
                obj=meeting,
                details={"body": body.pk, "number": meeting.number},
            )
    except IntegrityError as exc:
        raise _number_taken() from exc
    return meeting


def meeting_update(meeting: Meeting, *, actor: Any, expected_version: int, **fields: Any) -> Meeting:
    cleaned = _strip(fields, MEETING_FIELDS, "meeting")
    body = meeting.body
    # begin and end are checked together, also when only one of them changes
    times = {"starts_at": meeting.starts_at, "ends_at": meeting.ends_at}
    times.update({k: cleaned[k] for k in times if k in cleaned})
    _check_meeting(body, {**cleaned, **times}, exclude_pk=meeting.pk)
    changed = _changed(meeting, cleaned)
    try:
        with transaction.atomic():
            save_versioned(meeting, expected_version=expected_version, changes=cleaned, actor=actor)
            audit_record(
                action="meeting.updated",
                actor=actor,
                tenant_id=body.tenant_id,
                obj=meeting,
                details={"fields": changed, "status": meeting.status},
            )
    except IntegrityError as exc:
        raise _number_taken() from exc
    return meeting


# --- Attendance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceEntry:
    """One seat's attendance as entered: status, who represented it, late arrival / early leave."""

    member_id: int
    status: str
    represented_by: str = ""
    arrived_at: datetime.time | None = None
    left_at: datetime.time | None = None


def _hhmm(value: datetime.time) -> str:
    return value.strftime("%H:%M")


def attendance_check(meeting: Meeting, entry: AttendanceEntry) -> AttendanceEntry:
    """The entry as it will be stored (the substitute's name only kept for a represented seat),
    or ``ValidationError`` keyed by ``status``, ``represented_by``, ``arrived_at``, ``left_at``."""
    errors: dict[str, str] = {}
    if entry.status not in AttendanceStatus.values:
        errors["status"] = _("Choose present, represented or absent.")
    represented_by = entry.represented_by.strip()
    if entry.status == AttendanceStatus.REPRESENTED and not represented_by:
        errors["represented_by"] = _("Enter who represented the member.")
    arrived, left = entry.arrived_at, entry.left_at
    if entry.status == AttendanceStatus.ABSENT and (arrived or left):
        errors["arrived_at"] = _("An absent member has no times of presence; clear them or change the status.")
    if arrived and left and left <= arrived:
        errors["left_at"] = _("“Present until” must be later than “present from”.")
    begins, ends = meeting.starts_at, meeting.ends_at
    for field, value in (("arrived_at", arrived), ("left_at", left)):
        if value is None or field in errors:
            continue
        if begins and value < begins:
            errors[field] = _("The time lies before the beginning of the meeting (%(time)s).") % {"time": _hhmm(begins)}
        elif ends and value > ends:
            errors[field] = _("The time lies after the end of the meeting (%(time)s).") % {"time": _hhmm(ends)}
    if errors:
        raise ValidationError(errors)
    return AttendanceEntry(
        member_id=entry.member_id,
        status=entry.status,
        represented_by=represented_by if entry.status == AttendanceStatus.REPRESENTED else "",
        arrived_at=arrived,
        left_at=left,
    )


def attendance_record(
    meeting: Meeting, *, actor: Any, entries: Sequence[AttendanceEntry], expected_version: int | None = None
) -> list[Attendance]:
    """Record the attendance of the meeting's seats, all or nothing: one invalid entry (or a
    seat of another body) and nothing is saved. With ``expected_version`` (the form's), a save
    after someone else changed the meeting or its attendance is refused; the attendance also may
    not leave fewer seats present or represented than the votes already recorded."""
    members = {m.pk: m for m in BodyMember.objects.filter(body_id=meeting.body_id)}
    checked: list[AttendanceEntry] = []
    problems: list[str] = []
    seen: set[int] = set()
    for entry in entries:
        member = members.get(entry.member_id)
        if member is None or entry.member_id in seen:
            raise ValidationError(_("The attendance lists a seat that does not belong to this body."))
        seen.add(entry.member_id)
        try:
            checked.append(attendance_check(meeting, entry))
        except ValidationError as exc:
            problems.extend(f"{member}: {message}" for message in exc.messages)
    if problems:
        raise ValidationError(problems)
    voters = sum(1 for e in checked if e.status in (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED))
    for item in meeting.items.exclude(decision_kind=DecisionKind.NONE):
        cast = sum(v or 0 for v in (item.votes_yes, item.votes_no, item.votes_abstain))
        if cast > voters:
            raise ValidationError(
                _(
                    "TOP %(number)s records %(cast)s votes, but only %(voters)s seats would be present or "
                    "represented. Correct the vote of that item first."
                )
                % {"number": item.number, "cast": cast, "voters": voters}
            )
    records = []
    with transaction.atomic():
        if expected_version is not None:
            try:
                save_versioned(meeting, expected_version=expected_version, changes={}, actor=actor)
            except StaleObjectError:
                raise ValidationError(
                    _(
                        "Someone else changed this meeting or its attendance after you opened the form. "
                        "Reload the page to see the current attendance, then enter your changes again."
                    )
                ) from None
        for entry in checked:
            record, _created = Attendance.objects.update_or_create(
                meeting=meeting,
                member_id=entry.member_id,
                defaults={
                    "status": entry.status,
                    "represented_by": entry.represented_by,
                    "arrived_at": entry.arrived_at,
                    "left_at": entry.left_at,
                },
            )
            records.append(record)
        counts = {status: sum(1 for e in checked if e.status == status) for status in AttendanceStatus.values}
        audit_record(
            action="meeting.attendance_recorded",
            actor=actor,
            tenant_id=meeting.body.tenant_id,
            obj=meeting,
            details=counts,
        )
    return records


def voters_count(meeting: Meeting) -> int | None:
    """Seats recorded present or represented; ``None`` while no attendance is recorded."""
    rows = list(Attendance.objects.filter(meeting=meeting).values_list("status", flat=True))
    if not rows:
        return None
    return sum(1 for status in rows if status in (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED))


# --- Agenda items and decisions -------------------------------------------------------------


def decision_check(
    meeting: Meeting,
    *,
    decision_kind: str,
    decision_text: str,
    votes_yes: int | None,
    votes_no: int | None,
    votes_abstain: int | None,
) -> None:
    """A vote needs all three counts; counts only with a vote (a unanimous decision may carry
    the yes count); the votes cast cannot exceed the seats present or represented, once the
    attendance is recorded. ``ValidationError`` keyed by the field names."""
    votes = {"votes_yes": votes_yes, "votes_no": votes_no, "votes_abstain": votes_abstain}
    errors: dict[str, str] = {}
    if decision_kind not in DecisionKind.values:
        errors["decision_kind"] = _("Choose the kind of decision.")
    elif decision_kind == DecisionKind.VOTE:
        for field, value in votes.items():
            if value is None:
                errors[field] = _("A vote needs the number of yes votes, no votes and abstentions (0 if none).")
    elif decision_kind == DecisionKind.UNANIMOUS:
        for field in ("votes_no", "votes_abstain"):
            if votes[field] is not None:
                errors[field] = _("A unanimous decision has no no votes or abstentions; leave the field empty.")
    else:
        for field, value in votes.items():
            if value is not None:
                errors[field] = _("Vote counts belong to a vote only; choose “vote” or leave the counts empty.")
    if decision_kind in (DecisionKind.VOTE, DecisionKind.UNANIMOUS) and not decision_text.strip():
        errors["decision_text"] = _("Enter the text of the decision.")
    if decision_kind == DecisionKind.NONE and decision_text.strip():
        errors["decision_kind"] = _("Choose the kind of decision for the decision text.")
    if not errors:
        cast = sum(value or 0 for value in votes.values())
        allowed = voters_count(meeting)
        if allowed is not None and cast > allowed:
            errors[NON_FIELD_ERRORS] = _(
                "%(cast)s votes were cast, but only %(allowed)s members were recorded present or represented."
            ) % {"cast": cast, "allowed": allowed}
    if errors:
        raise ValidationError(errors)


def _number_in_part_taken() -> ValidationError:
    return ValidationError({"number": _("This part of the agenda already has an item with this number.")})


def next_item_number(meeting: Meeting, part: str) -> int:
    last = AgendaItem.objects.filter(meeting=meeting, part=part).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _check_item(meeting: Meeting, merged: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    _require(bool(merged["title"]), "title", _("Enter the title of the agenda item."))
    _require(merged["part"] in AgendaPart.values, "part", _("Choose the public or the non-public part."))
    number = merged["number"]
    _require(number is not None and number >= 1, "number", _("Enter the number of the item (1 or more)."))
    others = AgendaItem.objects.filter(meeting=meeting, part=merged["part"], number=number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise _number_in_part_taken()
    theme = merged.get("theme")
    if theme is not None:
        _require(theme.tenant_id == meeting.body.tenant_id, "theme", _("Choose a theme of this district."))
    decision_check(meeting, **{k: merged[k] for k in ("decision_kind", "decision_text", *VOTE_FIELDS)})


ITEM_DEFAULTS: dict[str, Any] = {
    "part": AgendaPart.PUBLIC,
    "number": None,
    "paper": "",
    "theme": None,
    "report": "",
    "text": "",
    "decision_kind": DecisionKind.NONE,
    "decision_text": "",
    "votes_yes": None,
    "votes_no": None,
    "votes_abstain": None,
}


def item_create(meeting: Meeting, *, actor: Any, title: str, **fields: Any) -> AgendaItem:
    """Tagesordnungspunkt; without ``number`` it gets the next number of its part. Fields as
    ``ITEM_FIELDS``; the decision is checked by :func:`decision_check`."""
    cleaned = {**ITEM_DEFAULTS, **_strip({"title": title, **fields}, ITEM_FIELDS, "agenda item")}
    if cleaned["number"] is None:
        cleaned["number"] = next_item_number(meeting, cleaned["part"])
    _check_item(meeting, cleaned)
    try:
        with transaction.atomic():
            item = AgendaItem.objects.create(meeting=meeting, updated_by=actor, **cleaned)
            audit_record(
                action="agenda.created",
                actor=actor,
                tenant_id=meeting.body.tenant_id,
                obj=item,
                details={"meeting": meeting.pk, "part": item.part, "number": item.number},
            )
    except IntegrityError as exc:
        raise _number_in_part_taken() from exc
    return item


def item_update(item: AgendaItem, *, actor: Any, expected_version: int, **fields: Any) -> AgendaItem:
    cleaned = _strip(fields, ITEM_FIELDS, "agenda item")
    meeting = item.meeting
    merged = {name: getattr(item, name) for name in ITEM_FIELDS} | cleaned
    _check_item(meeting, merged, exclude_pk=item.pk)
    changed = _changed(item, cleaned)
    try:
        with transaction.atomic():
            save_versioned(item, expected_version=expected_version, changes=cleaned, actor=actor)
            audit_record(
                action="agenda.updated",
                actor=actor,
                tenant_id=meeting.body.tenant_id,
                obj=item,
                details={"meeting": meeting.pk, "fields": changed},
            )
    except IntegrityError as exc:
        raise _number_in_part_taken() from exc
    return item


def item_delete(item: AgendaItem, *, actor: Any) -> None:
    """Remove an agenda item with its tasks."""
    meeting = item.meeting
    details = {"meeting": meeting.pk, "part": item.part, "number": item.number}
    with transaction.atomic():
        audit_record(action="agenda.deleted", actor=actor, tenant_id=meeting.body.tenant_id, obj=item, details=details)
        item.delete()


# --- Tasks from decisions -------------------------------------------------------------------


def task_create(item: AgendaItem, *, actor: Any, title: str, owner: str, due_on: datetime.date | None = None) -> Task:
    """Arbeitsauftrag aus einem Beschluss: what, who is responsible, by when."""
    title, owner = title.strip(), owner.strip()
    _require(bool(title), "title", _("Enter the task."))
    _require(bool(owner), "owner", _("Enter who is responsible."))
    with transaction.atomic():
        task = Task.objects.create(item=item, title=title, owner=owner, due_on=due_on, updated_by=actor)
        audit_record(
            action="task.created",
            actor=actor,
            tenant_id=item.meeting.body.tenant_id,
            obj=task,
            details={"item": item.pk},
        )
    return task


def task_done(task: Task, *, actor: Any, done_on: datetime.date | None = None) -> Task:
    """Mark a task done (today unless ``done_on``); a task already done stays as it is."""
    if task.done_on is not None:
        raise ValidationError(_("This task is already done."))
    with transaction.atomic():
        save_versioned(
            task,
            expected_version=task.version,
            changes={"done_on": done_on or timezone.localdate()},
            actor=actor,
        )
        audit_record(
            action="task.updated",
            actor=actor,
            tenant_id=task.item.meeting.body.tenant_id,
            obj=task,
            details={"fields": ["done_on"]},
        )
    return task
