"""Writing audit events. Call :func:`audit_record` inside the transaction of the change it
describes: the event commits with the change or not at all."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from lotse.audit import hashing
from lotse.audit.actions import ACTIONS
from lotse.audit.models import PLATFORM_CHAIN, AuditChain, AuditEvent, tenant_chain
from lotse.core import requestcontext

# Detail values are identifiers and codes only: no free text, hence no personal data.
_CODE = re.compile(r"\A[A-Za-z0-9_.:\-]{0,64}\Z")


class AuditDetailError(ValueError):
    """A detail value could carry personal data (free text, floats, nested objects)."""


_ADDRESS_FIELD = AuditEvent._meta.get_field("address")


def _check_details(details: dict[str, Any]) -> dict[str, Any]:
    def ok(value: Any) -> bool:
        if value is None or isinstance(value, bool | int):
            return True
        if isinstance(value, str):
            return bool(_CODE.match(value))
        if isinstance(value, list | tuple):
            return all(ok(item) for item in value) and len(value) <= 50
        return False

    for key, value in details.items():
        if not _CODE.match(key) or not ok(value):
            raise AuditDetailError(f"Audit detail {key!r} is not an identifier or code.")
    return {k: list(v) if isinstance(v, tuple) else v for k, v in details.items()}


def _lock_head(key: str) -> AuditChain:
    try:
        return AuditChain.objects.select_for_update().get(key=key)
    except AuditChain.DoesNotExist:
        try:
            with transaction.atomic():
                AuditChain.objects.create(key=key)
        except IntegrityError:
            pass  # created concurrently
        return AuditChain.objects.select_for_update().get(key=key)


def audit_record(
    *,
    action: str,
    actor: Any = None,
    tenant: Any = None,
    tenant_id: int | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the tenant's chain (or the platform chain without a tenant)."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}; add it to lotse.audit.actions.")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    clean_details = _check_details(details or {})
    if not _CODE.match(str(object_type)) or not _CODE.match(str(object_id)):
        raise AuditDetailError("Audit objects are named by type and id only.")
    meta = requestcontext.current()
    actor_id = getattr(actor, "pk", None)
    if tenant is not None:
        tenant_id = tenant.pk
    key = tenant_chain(tenant_id) if tenant_id is not None else PLATFORM_CHAIN
    with transaction.atomic():
        head = _lock_head(key)
        seq = head.last_seq + 1
        event = AuditEvent(
            chain=key,
            seq=seq,
            created_at=timezone.now(),
            actor_id=actor_id,
            tenant_id=tenant_id,
            action=action,
            object_type=str(object_type),
            object_id=str(object_id),
            address=_ADDRESS_FIELD.get_prep_value(meta.address) if meta else None,
            request_id=meta.request_id if meta else "",
            details=clean_details,
            prev_hash=head.last_hash,
        )
        digest = hashing.event_hash(event)
        event.hash = digest
        event.save(force_insert=True)
        AuditChain.objects.filter(key=key).update(last_seq=seq, last_hash=digest)
    return event
