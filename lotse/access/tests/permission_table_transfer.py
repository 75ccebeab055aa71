"""Permission table entries of transfer (merged into :data:`lotse.access.tests.permission_table.TABLE`).

Coordinators import case lists (``Perm.CASE_IMPORT``); the review and report pages redirect to
the upload page while no upload waits in the session. Case managers and coordinators export
the lists of what they may see."""

from __future__ import annotations

from lotse.access.tests.permission_table import CASE_READERS, CO, Entry, tenant

IMPORTERS = frozenset({CO})

PART: dict[str, Entry] = {
    "transfer:import_start": tenant(get=IMPORTERS, post=IMPORTERS),
    "transfer:import_review": tenant(get=IMPORTERS, post=IMPORTERS),
    "transfer:import_report": tenant(get=IMPORTERS),
    "transfer:import_template": tenant(get=IMPORTERS),
    "transfer:export_index": tenant(get=CASE_READERS),
    "transfer:export_cases": tenant(get=CASE_READERS),
    "transfer:export_contacts": tenant(get=CASE_READERS),
    "transfer:export_barriers": tenant(get=CASE_READERS),
}
