"""Permission table entries of strategic steering, committees, supervision and client feedback
(merged into :data:`lotse.access.tests.permission_table.TABLE`).

The test world (``conftest._steering_world``) gives the committee member a seat in the steering
group (responsible for the world's theme, with a meeting, agenda item and task) and the case
manager a seat in a quality circle whose meeting reviews the world's case."""

from __future__ import annotations

from typing import Any

from lotse.access.tests.permission_table import (
    ALL_ROLES,
    CM,
    CM_ONLY,
    CMB,
    CO,
    PL,
    Entry,
    Kwargs,
    case,
    tenant,
)

CO_ONLY = frozenset({CO})
THEME_READERS = frozenset({CO, CMB})
SEAT_HOLDERS = frozenset({CO, CMB, CM, PL})  # roles that can hold a seat in a body
STEERING_SEAT = frozenset({CO, CMB})  # the world's steering group: coordinators and its member
CIRCLE_SEAT = frozenset({CO, CM})  # the world's quality circle: coordinators and its reviewer
SUPERVISORS = frozenset({CO, PL})


def obj(key: str, kwarg: str = "pk") -> Kwargs:
    def build(world: Any) -> dict[str, Any]:
        return {kwarg: world.objects[key].pk}

    return build


def meeting_and(key: str, kwarg: str, meeting: str = "meeting") -> Kwargs:
    def build(world: Any) -> dict[str, Any]:
        return {"pk": world.objects[meeting].pk, kwarg: world.objects[key].pk}

    return build


def body_and(key: str, kwarg: str) -> Kwargs:
    def build(world: Any) -> dict[str, Any]:
        return {"pk": world.objects["body"].pk, kwarg: world.objects[key].pk}

    return build


def feedback_token(world: Any) -> dict[str, Any]:
    return {"token": world.wesel.objects["feedback_token"]}


PART: dict[str, Entry] = {
    # barrier register and themes
    "steering:barrier_register": tenant(get=CO_ONLY),
    "steering:barrier_assign": tenant(post=CO_ONLY),
    "steering:theme_list": tenant(get=THEME_READERS),
    "steering:theme_create": tenant(get=CO_ONLY, post=CO_ONLY),
    "steering:theme_detail": tenant(obj("theme"), get=THEME_READERS),
    "steering:theme_edit": tenant(obj("theme"), get=CO_ONLY, post=CO_ONLY),
    "steering:theme_move": tenant(obj("theme"), get=CO_ONLY, post=CO_ONLY),
    "steering:theme_merge": tenant(obj("theme"), get=CO_ONLY, post=CO_ONLY),
    "steering:theme_split": tenant(obj("theme"), get=CO_ONLY, post=CO_ONLY),
    "steering:theme_barriers_remove": tenant(obj("theme"), post=CO_ONLY),
    "steering:staircase_settings": tenant(get=CO_ONLY, post=CO_ONLY),
    # committees
    "committees:body_list": tenant(get=SEAT_HOLDERS),
    "committees:body_create": tenant(get=CO_ONLY, post=CO_ONLY),
    "committees:body_detail": tenant(obj("body"), get=STEERING_SEAT),
    "committees:body_edit": tenant(obj("body"), get=CO_ONLY, post=CO_ONLY),
    "committees:member_create": tenant(obj("body"), get=CO_ONLY, post=CO_ONLY),
    "committees:member_edit": tenant(body_and("member", "member"), get=CO_ONLY, post=CO_ONLY),
    "committees:meeting_create": tenant(obj("body"), get=CO_ONLY, post=CO_ONLY),
    "committees:meeting_detail": tenant(obj("meeting"), get=STEERING_SEAT),
    "committees:meeting_edit": tenant(obj("meeting"), get=CO_ONLY, post=CO_ONLY),
    "committees:attendance": tenant(obj("meeting"), get=CO_ONLY, post=CO_ONLY),
    "committees:item_create": tenant(obj("meeting"), get=CO_ONLY, post=CO_ONLY),
    "committees:item_edit": tenant(meeting_and("item", "item"), get=CO_ONLY, post=CO_ONLY),
    "committees:item_delete": tenant(meeting_and("item", "item"), get=CO_ONLY, post=CO_ONLY),
    "committees:task_create": tenant(meeting_and("item", "item"), get=CO_ONLY, post=CO_ONLY),
    "committees:task_list": tenant(get=SEAT_HOLDERS),
    "committees:task_done": tenant(obj("task"), post=CO_ONLY),
    "committees:minutes_pdf": tenant(obj("meeting"), get=STEERING_SEAT),
    # quality circle: reviewers see picked cases pseudonymised
    "committees:review_list": tenant(obj("qc_meeting"), get=CIRCLE_SEAT),
    "committees:review_add": tenant(obj("qc_meeting"), post=CO_ONLY),
    "committees:review_case": tenant(meeting_and("review", "review", "qc_meeting"), get=CIRCLE_SEAT),
    "committees:review_remove": tenant(meeting_and("review", "review", "qc_meeting"), post=CO_ONLY),
    # supervision (Fachaufsicht)
    "supervision:dashboard": tenant(get=SUPERVISORS),
    "supervision:feedback": tenant(get=SUPERVISORS),
    # client feedback: the public form, and the sheet the case manager prints
    "feedback:form": Entry("public", {"GET": ALL_ROLES, "POST": ALL_ROLES}, feedback_token),
    "feedback:thanks": Entry("public", {"GET": ALL_ROLES}),
    "feedback_staff:sheet": tenant(case, post=CM_ONLY),
}
