"""Permission table entries for the cases part of case management (merged into
:data:`lotse.access.tests.permission_table.TABLE`)."""

from __future__ import annotations

from lotse.access.tests.permission_table import Entry

PART: dict[str, Entry] = {}

from lotse.access.tests.permission_table import (  # noqa: E402
    CASE_READERS,
    CM_ONLY,
    CO,
    case,
    case_object,
    tenant,
)

CO_ONLY = frozenset({CO})


def household_member(world):  # type: ignore[no-untyped-def]
    return {"pk": world.case.pk, "member": world.objects["household"].pk}


PART.update(
    {
        "cases:list": tenant(get=CASE_READERS),
        "cases:create": tenant(get=CASE_READERS, post=CASE_READERS),
        "cases:duplicate_check": tenant(get=CM_ONLY, post=CM_ONLY),
        "cases:detail": tenant(case, get=CASE_READERS),
        "cases:edit": tenant(case, get=CM_ONLY, post=CM_ONLY),
        "cases:identity": tenant(case, get=CM_ONLY),
        "cases:identity_edit": tenant(case, get=CM_ONLY, post=CM_ONLY),
        "cases:identity_erase": tenant(case, get=CM_ONLY, post=CM_ONLY),
        "cases:household": tenant(case, get=CM_ONLY, post=CM_ONLY),
        "cases:household_remove": tenant(household_member, post=CM_ONLY),
        "cases:assessment_list": tenant(case, get=CASE_READERS),
        "cases:assessment_create": tenant(case, get=CM_ONLY, post=CM_ONLY),
        "cases:goal_list": tenant(case, get=CASE_READERS),
        "cases:goal_create": tenant(case, get=CM_ONLY, post=CM_ONLY),
        "cases:goal_edit": tenant(case_object("goal", "goal"), get=CM_ONLY, post=CM_ONLY),
        "cases:step_add": tenant(case_object("goal", "goal"), get=CM_ONLY, post=CM_ONLY),
        "cases:step_done": tenant(case_object("step", "step"), post=CM_ONLY),
        "cases:goal_plan_pdf": tenant(case, get=CM_ONLY),
        "cases:handover": tenant(case, get=CM_ONLY, post=CM_ONLY),
        "cases:close": tenant(case, get=CM_ONLY, post=CM_ONLY),
        "cases:closure_decision": tenant(case, get=CO_ONLY, post=CO_ONLY),
        "cases:reopen": tenant(case, get=CM_ONLY, post=CM_ONLY),
        "cases:assign": tenant(case, get=CO_ONLY, post=CO_ONLY),
        "cases:caseload": tenant(get=CO_ONLY),
    }
)
