"""The chain's hash function: HMAC-SHA256 (key ``LOTSE_AUDIT_KEY``) over a canonical JSON
encoding of a row's content and its predecessor's hash. Without the key nobody can recompute
a valid chain after editing a row."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

GENESIS = "0" * 64


def canonical(
    *,
    chain: str,
    seq: int,
    created_at: datetime,
    actor_id: int | None,
    tenant_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    address: str | None,
    request_id: str,
    details: dict[str, Any],
    prev_hash: str,
) -> bytes:
    payload = [
        chain,
        seq,
        created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        actor_id,
        tenant_id,
        action,
        object_type,
        object_id,
        address,
        request_id,
        details,
        prev_hash,
    ]
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def digest(message: bytes) -> str:
    key = settings.AUDIT_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def event_hash(event: Any) -> str:
    """Recompute the hash of a stored ``AuditEvent``."""
    return digest(
        canonical(
            chain=event.chain,
            seq=event.seq,
            created_at=event.created_at,
            actor_id=event.actor_id,
            tenant_id=event.tenant_id,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            address=event.address,
            request_id=event.request_id,
            details=event.details,
            prev_hash=event.prev_hash,
        )
    )
