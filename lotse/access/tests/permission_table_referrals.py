"""Permission table entries for the referrals part of case management and the partner
directory (merged into :data:`lotse.access.tests.permission_table.TABLE`)."""

from __future__ import annotations

from lotse.access.tests.permission_table import CASE_READERS, CM_ONLY, CO, Entry, case, case_object, tenant

COORDINATOR = frozenset({CO})


def agency(world):  # type: ignore[no-untyped-def]
    """The tenant's partner agency."""
    return {"pk": world.agency.pk}


PART: dict[str, Entry] = {
    # Partner directory: case managers and coordinators look up, coordinators keep it
    "network:agency_list": tenant(get=CASE_READERS),
    "network:agency_create": tenant(get=COORDINATOR, post=COORDINATOR),
    "network:agency_edit": tenant(agency, get=COORDINATOR, post=COORDINATOR),
    # Referrals of a case: case managers of the case and coordinators read and send (coordinators
    # may override a missing release); the status is the case manager's
    "cases:referral_list": tenant(case, get=CASE_READERS),
    "cases:referral_create": tenant(case, get=CASE_READERS, post=CASE_READERS),
    "cases:referral_update": tenant(case_object("referral", "referral"), get=CM_ONLY, post=CM_ONLY),
}
