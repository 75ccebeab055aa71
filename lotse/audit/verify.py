"""Verifying the audit chains: every row's hash, every link, no gaps, and the chain head."""

from __future__ import annotations

from dataclasses import dataclass

from lotse.audit import hashing
from lotse.audit.models import AuditChain, AuditEvent, tenant_chain


@dataclass(frozen=True)
class ChainReport:
    chain: str
    rows: int
    ok: bool
    problem: str = ""
    broken_row_id: int | None = None


def verify_chain(key: str) -> ChainReport:
    """Check the chain up to the head as read at the start: rows appended while the check runs
    (the platform chain grows with every sign-in) are left for the next check."""
    head = AuditChain.objects.filter(key=key).first()
    expected_seq = 1
    prev_hash = hashing.GENESIS
    rows = 0
    events = (
        AuditEvent.objects.filter(chain=key, seq__lte=head.last_seq if head else 0)
        .order_by("seq")
        .only(
            "id",
            "chain",
            "seq",
            "created_at",
            "actor_id",
            "tenant_id",
            "action",
            "object_type",
            "object_id",
            "address",
            "request_id",
            "details",
            "prev_hash",
            "hash",
        )
    )
    for event in events.iterator(chunk_size=2000):
        rows += 1
        if event.seq != expected_seq:
            return ChainReport(
                key,
                rows,
                False,
                f"row id={event.id}: sequence {event.seq} follows {expected_seq - 1} "
                f"(row(s) {expected_seq}..{event.seq - 1} removed)",
                event.id,
            )
        if event.prev_hash != prev_hash:
            return ChainReport(
                key,
                rows,
                False,
                f"row id={event.id} (seq {event.seq}): link to the previous row is broken",
                event.id,
            )
        if hashing.event_hash(event) != event.hash:
            return ChainReport(
                key,
                rows,
                False,
                f"row id={event.id} (seq {event.seq}): content was altered",
                event.id,
            )
        prev_hash = event.hash
        expected_seq += 1
    last_seq = expected_seq - 1
    if head is None:
        if AuditEvent.objects.filter(chain=key).exists():
            return ChainReport(key, rows, False, "the chain head is missing")
        return ChainReport(key, 0, True)
    if head.last_seq != last_seq or head.last_hash != prev_hash:
        return ChainReport(
            key,
            rows,
            False,
            f"the chain head records sequence {head.last_seq}, the last row is {last_seq} "
            "(rows at the end were removed)",
        )
    return ChainReport(key, rows, True)


def chain_keys() -> list[str]:
    keys = set(AuditChain.objects.values_list("key", flat=True))
    keys |= set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    return sorted(keys)


def verify_all() -> list[ChainReport]:
    """Every chain, plus one report per tenant whose chain is gone altogether: each tenant's
    chain starts with its creation, so a tenant without a chain lost it."""
    from lotse.tenants.models import Tenant

    keys = chain_keys()
    reports = [verify_chain(key) for key in keys]
    for tenant_id in Tenant.objects.order_by("pk").values_list("pk", flat=True):
        if tenant_chain(tenant_id) not in keys:
            reports.append(
                ChainReport(tenant_chain(tenant_id), 0, False, f"the whole chain of tenant {tenant_id} is missing")
            )
    return reports
