"""Permission table entries for the monitoring part of case management (merged into
:data:`lotse.access.tests.permission_table.TABLE`)."""

from __future__ import annotations

from lotse.access.tests.permission_table import CASE_READERS, CM_ONLY, Entry, case, case_object, tenant

PART: dict[str, Entry] = {
    "cases:contact_list": tenant(case, get=CASE_READERS),
    "cases:contact_create": tenant(case, get=CM_ONLY, post=CM_ONLY),
    "cases:followup_create": tenant(case, get=CM_ONLY, post=CM_ONLY),
    "cases:followup_done": tenant(case_object("follow_up", "follow_up"), post=CM_ONLY),
    "cases:due_list": tenant(get=CM_ONLY),
    "cases:barrier_list": tenant(case, get=CASE_READERS),
    "cases:barrier_create": tenant(case, get=CM_ONLY, post=CM_ONLY),
}
