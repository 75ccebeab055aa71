"""Audit actions of committee work and quality circles."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "body.created": _("Body created"),
    "body.updated": _("Body changed"),
    "body.member_changed": _("Body membership changed"),
    "meeting.created": _("Meeting created"),
    "meeting.updated": _("Meeting changed"),
    "meeting.attendance_recorded": _("Attendance recorded"),
    "meeting.minutes_printed": _("Minutes printed"),
    "agenda.created": _("Agenda item added"),
    "agenda.updated": _("Agenda item changed"),
    "agenda.deleted": _("Agenda item removed"),
    "task.created": _("Task from a decision created"),
    "task.updated": _("Task changed"),
    "review.case_added": _("Case picked for a quality circle"),
    "review.case_removed": _("Case removed from a quality circle"),
    "review.case_viewed": _("Quality-circle case viewed"),
}
