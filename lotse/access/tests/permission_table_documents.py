"""Permission table entries for the documents part of case management (merged into
:data:`lotse.access.tests.permission_table.TABLE`). Documents are for the case managers of the
case only: coordinators never see them (pseudonymised view)."""

from __future__ import annotations

from lotse.access.tests.permission_table import CM_ONLY, Entry, case, case_object, tenant

PART: dict[str, Entry] = {
    "cases:document_list": tenant(case, get=CM_ONLY, post=CM_ONLY),
    "cases:document_download": tenant(case_object("document", "document"), get=CM_ONLY),
    "cases:document_delete": tenant(case_object("document", "document"), get=CM_ONLY, post=CM_ONLY),
}
