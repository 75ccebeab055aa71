"""Lockout after repeated failures (OWASP ASVS 6.3, BSI ORP.4): per account and per client
address, counted over a sliding window.

Every attempt is *recorded before it is checked* (:func:`begin`), and the decision counts the
attempts already recorded, the current one included. Parallel guesses therefore see each other:
however many arrive at once, at most ``LOTSE_LOCKOUT_FAILURES`` wrong ones are evaluated per
window. A successful check removes its own record (:func:`succeeded`). Keys are stored only as
keyed hashes; the account key is the user's id where the name exists, so every spelling that
signs in to an account counts against that account; IPv6 addresses count per /64 network.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from lotse.accounts.models import FailureKind, LoginFailure, User, normalize_username


@dataclass(frozen=True)
class LockState:
    account_failures: int
    address_failures: int


@dataclass(frozen=True)
class Attempt:
    """An attempt recorded in advance. ``refused`` means the limit was already reached."""

    row_ids: tuple[int, ...]
    refused: bool
    # failures counted *with* this attempt, should it fail
    state: LockState


def account_key(username: str, user: User | None) -> str:
    """``user`` is the account ``username`` names, if any: then every spelling that signs in
    to it counts against the same key."""
    return user_key(user) if user is not None else f"name:{normalize_username(username)}"


def user_key(user: User) -> str:
    return f"user:{user.pk}"


def address_key(address: str | None) -> str | None:
    if not address:
        return None
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))  # one subscriber, one key
    return str(ip)


def _hash(kind: str, value: str) -> str:
    key = hashlib.sha256(b"lotse-lockout:" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES)


def _count(kind: str, value: str | None) -> int:
    if not value:
        return 0
    return LoginFailure.objects.filter(kind=kind, key_hash=_hash(kind, value), created_at__gte=_window_start()).count()


def begin(*, account: str | None, address: str | None) -> Attempt:
    """Record an attempt, then decide whether it may be checked at all."""
    network = address_key(address)
    rows = []
    if account:
        rows.append(LoginFailure.objects.create(kind=FailureKind.ACCOUNT, key_hash=_hash(FailureKind.ACCOUNT, account)))
    if network:
        rows.append(LoginFailure.objects.create(kind=FailureKind.ADDRESS, key_hash=_hash(FailureKind.ADDRESS, network)))
    state = LockState(
        account_failures=_count(FailureKind.ACCOUNT, account),
        address_failures=_count(FailureKind.ADDRESS, network),
    )
    ids = tuple(row.pk for row in rows)
    refused = (
        state.account_failures > settings.LOCKOUT_FAILURES or state.address_failures > settings.LOCKOUT_ADDRESS_FAILURES
    )
    if refused:
        # a refused attempt is not checked, so it is no failure and does not prolong the lock
        LoginFailure.objects.filter(pk__in=ids).delete()
    return Attempt(row_ids=ids, refused=refused, state=state)


def succeeded(attempt: Attempt) -> None:
    """The checked secret was right: this attempt is no failure."""
    LoginFailure.objects.filter(pk__in=attempt.row_ids).delete()


def clear_account(account: str) -> None:
    """After a complete sign-in (both factors) the account's count starts again; the address
    count stays, so that an attacker cannot reset it with an account of their own."""
    LoginFailure.objects.filter(kind=FailureKind.ACCOUNT, key_hash=_hash(FailureKind.ACCOUNT, account)).delete()


def purge_expired() -> int:
    deleted, _ = LoginFailure.objects.filter(created_at__lt=_window_start()).delete()
    return deleted
