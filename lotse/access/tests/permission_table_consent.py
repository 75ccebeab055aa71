"""Permission table entries for the consent part of case management (merged into
:data:`lotse.access.tests.permission_table.TABLE`)."""

from __future__ import annotations

from lotse.access.tests.permission_table import CASE_READERS, CM_ONLY, Entry, case, case_object, tenant

PART: dict[str, Entry] = {
    # coordinators see the status pseudonymised; everything else is case work
    "consent:case_overview": tenant(case, get=CASE_READERS),
    "consent:sheet_pdf": tenant(case, get=CM_ONLY),
    "consent:consent_record": tenant(case, get=CM_ONLY, post=CM_ONLY),
    "consent:consent_revoke": tenant(case_object("consent", "consent"), get=CM_ONLY, post=CM_ONLY),
    "consent:release_record": tenant(case, get=CM_ONLY, post=CM_ONLY),
    "consent:release_revoke": tenant(case_object("release", "release"), get=CM_ONLY, post=CM_ONLY),
}
