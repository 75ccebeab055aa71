"""Permission table entries for the substitution part of case management and the tenant's case
settings (merged into :data:`lotse.access.tests.permission_table.TABLE`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from lotse.access.tests.permission_table import CASE_SETTINGS, CM, CM_ONLY, PL, Entry, tenant


def own_nomination(world: Any) -> dict[str, Any]:
    """A substitute named by the tenant's case manager (created on first use, inside the
    test's transaction). Remove acts on the acting user's own nominations only: for anyone
    else, and through the other tenant, the id does not exist (404)."""
    from lotse.cases.models import SubstituteNomination

    nomination, _created = SubstituteNomination.objects.get_or_create(
        tenant=world.tenant, principal=world.users[CM], substitute=world.users[PL]
    )
    return {"nomination": nomination.pk}


def own_absence(world: Any) -> dict[str, Any]:
    """A planned absence of the tenant's case manager (far ahead, so it changes no access)."""
    from lotse.cases.models import Absence

    start = timezone.localdate() + datetime.timedelta(days=300)
    absence, _created = Absence.objects.get_or_create(
        tenant=world.tenant,
        principal=world.users[CM],
        starts_on=start,
        defaults={"ends_on": start + datetime.timedelta(days=14)},
    )
    return {"absence": absence.pk}


PART: dict[str, Entry] = {
    "cases:substitution": tenant(get=CM_ONLY),
    "cases:substitution_nominate": tenant(post=CM_ONLY),
    "cases:substitution_remove": tenant(own_nomination, post=CM_ONLY),
    "cases:absence_add": tenant(post=CM_ONLY),
    "cases:absence_end": tenant(own_absence, post=CM_ONLY),
    "cases:case_settings": tenant(get=CASE_SETTINGS, post=CASE_SETTINGS),
}
