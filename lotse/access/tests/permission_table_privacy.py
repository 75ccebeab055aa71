"""Permission table entries of privacy (merged into :data:`lotse.access.tests.permission_table.TABLE`).

Only the data-protection officer reaches the privacy pages. Each per-request URL gets a request
of the matching kind for the tenant's case, opened lazily through the service the first time the
URL kwargs are built (requests of the other kind answer 404). An empty POST changes nothing: the
forms show their errors, erasure and lifting need ``confirm=1``."""

from __future__ import annotations

from typing import Any

from lotse.access.tests.permission_table import DPO, Entry, Kwargs, tenant

DPO_ONLY = frozenset({DPO})


def privacy_request(kind: str) -> Kwargs:
    def build(world: Any) -> dict[str, Any]:
        key = f"privacy_request_{kind}"
        found = world.objects.get(key)
        if found is None or not type(found).objects.filter(pk=found.pk).exists():
            from lotse.privacy.services import request_open

            found = request_open(
                actor=world.users[DPO],
                tenant=world.tenant,
                case=world.case,
                kind=kind,
                reference="Az. 1",
                reason="Schreiben vom 01.02.",
            )
            world.objects[key] = found
        return {"pk": found.pk}

    return build


PART: dict[str, Entry] = {
    "privacy:overview": tenant(get=DPO_ONLY),
    "privacy:request_create": tenant(get=DPO_ONLY, post=DPO_ONLY),
    "privacy:request_detail": tenant(privacy_request("access"), get=DPO_ONLY),
    "privacy:request_json": tenant(privacy_request("access"), get=DPO_ONLY),
    "privacy:request_pdf": tenant(privacy_request("access"), get=DPO_ONLY),
    "privacy:rectify": tenant(privacy_request("rectification"), get=DPO_ONLY, post=DPO_ONLY),
    "privacy:restrict": tenant(privacy_request("restriction"), get=DPO_ONLY, post=DPO_ONLY),
    "privacy:restriction_lift": tenant(privacy_request("restriction"), get=DPO_ONLY, post=DPO_ONLY),
    "privacy:erase": tenant(privacy_request("erasure"), get=DPO_ONLY, post=DPO_ONLY),
    "privacy:retention": tenant(get=DPO_ONLY, post=DPO_ONLY),
}
