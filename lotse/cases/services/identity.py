"""Anonymous counselling and identity: record, change, read (audited) and erase the client's
identity; the search before create."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.cases import CaseAccess
from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.audit.services import audit_record
from lotse.cases.identity import IdentityData, duplicate_key, seal, unseal
from lotse.cases.models import Case, Identity
from lotse.cases.services.common import require_open
from lotse.core.versioning import StaleObjectError, save_versioned


def identity_read(access: CaseAccess, *, actor: Any) -> IdentityData | None:
    """The identity for display. Every call that returns one writes ``identity.viewed``."""
    if not access.identity:
        raise PermissionError("This role never sees identity data.")
    row = Identity.objects.filter(case=access.case).first()
    if row is None:
        return None
    data = unseal(bytes(row.ciphertext), case_id=access.case.pk)
    audit_record(
        action="identity.viewed",
        actor=actor,
        tenant_id=access.case.tenant_id,
        obj=access.case,
        details={"as_substitute": access.as_substitute},
    )
    return data


def identity_version(case: Case) -> int:
    return Identity.objects.filter(case=case).values_list("version", flat=True).first() or 0


def identity_record(case: Case, *, actor: Any, data: IdentityData, expected_version: int) -> Identity:
    """Switch to named counselling (``expected_version`` 0) or change the identity. A stale
    version (someone changed it meanwhile) raises :class:`StaleObjectError`."""
    require_open(case)
    if not data.given_name.strip() or not data.family_name.strip():
        raise ValidationError(_("Enter given name and family name."))
    if data.birth_date and data.birth_date > timezone.localdate():
        raise ValidationError(_("The birth date lies in the future."))
    key = duplicate_key(given_name=data.given_name, family_name=data.family_name, birth_date=data.birth_date)
    with transaction.atomic():
        row = Identity.objects.select_for_update().filter(case=case).first()
        current = row.version if row else 0
        if current != expected_version:
            raise StaleObjectError(case, {})
        if row is None:
            row = Identity.objects.create(
                case=case, tenant_id=case.tenant_id, ciphertext=seal(data, case_id=case.pk), duplicate_key=key
            )
            save_versioned(case, expected_version=case.version, changes={"is_anonymous": False}, actor=actor)
            action = "identity.recorded"
        else:
            Identity.objects.filter(case=case).update(
                ciphertext=seal(data, case_id=case.pk),
                duplicate_key=key,
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
            action = "identity.updated"
        audit_record(action=action, actor=actor, tenant_id=case.tenant_id, obj=case)
    row.refresh_from_db()
    return row


def identity_erase(case: Case, *, actor: Any) -> None:
    """Back to anonymous counselling on the client's wish: the identity is deleted, not kept."""
    require_open(case)
    with transaction.atomic():
        deleted, _rows = Identity.objects.filter(case=case).delete()
        if not deleted:
            raise ValidationError(_("This case has no identity recorded."))
        save_versioned(case, expected_version=case.version, changes={"is_anonymous": True}, actor=actor)
        audit_record(action="identity.erased", actor=actor, tenant_id=case.tenant_id, obj=case)


@dataclass(frozen=True)
class DuplicateHit:
    """A known client. ``case`` is set only when the searcher may open it; otherwise only the
    responsible person (whom to ask) and their provider are named."""

    case: Case | None
    contact_name: str
    provider_name: str
    is_closed: bool


def duplicate_check(
    ctx: AccessContext, *, given_name: str, family_name: str, birth_date: datetime.date | None
) -> list[DuplicateHit]:
    """Search before create over the whole tenant by keyed hash. Another case manager's client
    is never shown: the hit says whom to ask, nothing about the case."""
    from lotse.access.cases import cases_scope

    if not ctx.has(Perm.CASE_WORK) or ctx.tenant is None:
        raise PermissionError("Only case managers search before creating a case.")
    key = duplicate_key(given_name=given_name, family_name=family_name, birth_date=birth_date)
    matches = list(
        Case.objects.filter(tenant=ctx.tenant, identity__duplicate_key=key).select_related("case_manager", "provider")
    )
    visible = set(cases_scope(ctx).filter(pk__in=[c.pk for c in matches]).values_list("pk", flat=True))
    audit_record(
        action="identity.duplicate_check",
        actor=ctx.user,
        tenant=ctx.tenant,
        details={"hits": len(matches)},
    )
    hits = []
    for case in matches:
        person = case.case_manager.get_full_name() if case.case_manager else _("the KIM coordination")
        hits.append(
            DuplicateHit(
                case=case if case.pk in visible else None,
                contact_name=person,
                provider_name=case.provider.name,
                is_closed=case.status == "closed",
            )
        )
    return hits
