"""Lockout after repeated failures (OWASP ASVS 6.3, BSI ORP.4): per account and per client
address, counted over a sliding window. Keys are stored as keyed hashes only."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from lotse.accounts.models import FailureKind, LoginFailure


@dataclass(frozen=True)
class LockState:
    account_locked: bool
    address_locked: bool

    @property
    def locked(self) -> bool:
        return self.account_locked or self.address_locked


def _hash(kind: str, value: str) -> str:
    key = hashlib.sha256(b"lotse-lockout:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{kind}:{value.strip().lower()}".encode(), hashlib.sha256).hexdigest()


def _window_start():  # type: ignore[no-untyped-def]
    return timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)


def _count(kind: str, value: str | None) -> int:
    if not value:
        return 0
    return LoginFailure.objects.filter(kind=kind, key_hash=_hash(kind, value), created_at__gte=_window_start()).count()


def lock_state(*, username: str | None, address: str | None) -> LockState:
    return LockState(
        account_locked=_count(FailureKind.ACCOUNT, username) >= settings.LOCKOUT_FAILURES,
        address_locked=_count(FailureKind.ADDRESS, address) >= settings.LOCKOUT_ADDRESS_FAILURES,
    )


def record_failure(*, username: str | None, address: str | None) -> LockState:
    """Count one failure for the account and the address; returns the state after it."""
    rows = []
    if username:
        rows.append(LoginFailure(kind=FailureKind.ACCOUNT, key_hash=_hash(FailureKind.ACCOUNT, username)))
    if address:
        rows.append(LoginFailure(kind=FailureKind.ADDRESS, key_hash=_hash(FailureKind.ADDRESS, address)))
    LoginFailure.objects.bulk_create(rows)
    return lock_state(username=username, address=address)


def clear_account(username: str) -> None:
    """After a successful sign-in the account's count starts again; the address count stays,
    so that an attacker cannot reset it with an account of their own."""
    LoginFailure.objects.filter(kind=FailureKind.ACCOUNT, key_hash=_hash(FailureKind.ACCOUNT, username)).delete()


def purge_expired() -> int:
    deleted, _ = LoginFailure.objects.filter(created_at__lt=_window_start()).delete()
    return deleted
