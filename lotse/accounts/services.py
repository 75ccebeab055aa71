"""Account writes: the sign-in flow (password, second factor, lockout, session start and end)
and account administration by tenant admins. Each function is atomic and audited."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from lotse.accounts import lockout, sessions, totp
from lotse.accounts.models import TotpDevice, User
from lotse.audit.services import audit_record
from lotse.core.requestcontext import client_address

SESSION_PREAUTH = "lotse_preauth"
SESSION_AUTH_AT = "lotse_auth_at"
SESSION_SEEN_AT = "lotse_seen_at"
# A password-only ("pre-authenticated") session must finish the second factor within this time.
PREAUTH_SECONDS = 300
_BACKEND = "django.contrib.auth.backends.ModelBackend"


class LockedOut(Exception):
    """Too many failures for this account or address; answer with HTTP 429."""


class NextStep(StrEnum):
    DONE = "done"
    VERIFY = "verify"
    ENROL = "enrol"


@dataclass(frozen=True)
class PasswordResult:
    ok: bool
    next_step: NextStep | None = None


def _user_by_name(username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip()).first()


def password_step(request: HttpRequest, *, username: str, password: str) -> PasswordResult:
    """First factor. Raises :class:`LockedOut` before checking anything when locked."""
    address = client_address(request)
    if lockout.lock_state(username=username, address=address).locked:
        raise LockedOut
    user = authenticate(request, username=username.strip(), password=password)
    if user is None:
        with transaction.atomic():
            state = lockout.record_failure(username=username, address=address)
            target = _user_by_name(username)
            if target is not None:
                audit_record(action="auth.login_failed", obj=target, details={"factor": "password"})
                if state.account_locked:
                    audit_record(action="auth.lockout", obj=target, details={"scope": "account"})
        return PasswordResult(ok=False)
    lockout.clear_account(username)
    if not settings.TOTP_REQUIRED:
        complete_login(request, user, method="password")
        return PasswordResult(ok=True, next_step=NextStep.DONE)
    request.session[SESSION_PREAUTH] = {"user_id": user.pk, "at": time.time()}
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    return PasswordResult(ok=True, next_step=NextStep.VERIFY if device else NextStep.ENROL)


def preauth_user(request: HttpRequest) -> User | None:
    """The user who passed the password step in this session, if still within time."""
    data = request.session.get(SESSION_PREAUTH)
    if not data or time.time() - data.get("at", 0) > PREAUTH_SECONDS:
        return None
    return User.objects.filter(pk=data.get("user_id"), is_active=True).first()


def clear_preauth(request: HttpRequest) -> None:
    request.session.pop(SESSION_PREAUTH, None)


def second_factor_step(request: HttpRequest, *, user: User, code: str) -> bool:
    """Verify a code of the confirmed authenticator; on success the session is signed in."""
    address = client_address(request)
    if lockout.lock_state(username=user.username, address=address).locked:
        raise LockedOut
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is not None and totp.verify_and_consume(device, code):
        lockout.clear_account(user.username)
        complete_login(request, user, method="totp")
        return True
    with transaction.atomic():
        state = lockout.record_failure(username=user.username, address=address)
        audit_record(action="auth.totp_failed", obj=user)
        if state.account_locked:
            audit_record(action="auth.lockout", obj=user, details={"scope": "account"})
    return False


def enrolment_device(user: User) -> TotpDevice:
    """The unconfirmed authenticator being set up (created on first call)."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is None or device.is_confirmed:
        device = totp.new_device(user)
    return device


def enrol_step(request: HttpRequest, *, user: User, code: str) -> bool:
    """Confirm the new authenticator with its first code; on success the session is signed in."""
    address = client_address(request)
    if lockout.lock_state(username=user.username, address=address).locked:
        raise LockedOut
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is not None and totp.verify_and_consume(device, code):
        with transaction.atomic():
            TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
            audit_record(action="auth.totp_enrolled", actor=user, obj=user)
        complete_login(request, user, method="totp")
        return True
    lockout.record_failure(username=user.username, address=address)
    return False


def complete_login(request: HttpRequest, user: User, *, method: str) -> None:
    """Start the authenticated session: new session key, timestamps, registry, audit."""
    clear_preauth(request)
    login(request, user, backend=_BACKEND)
    now = time.time()
    request.session[SESSION_AUTH_AT] = now
    request.session[SESSION_SEEN_AT] = now
    request.session.save()
    with transaction.atomic():
        sessions.register(user, request.session.session_key or "")
        audit_record(action="auth.login", actor=user, obj=user, details={"method": method})


def logout_user(request: HttpRequest, *, reason: str = "logout") -> None:
    user = request.user
    if user.is_authenticated:
        with transaction.atomic():
            sessions.forget(request.session.session_key)
            action = "auth.logout" if reason == "logout" else "auth.session_expired"
            audit_record(action=action, actor=user, obj=user, details={"reason": reason})
    logout(request)


def password_change(request: HttpRequest, *, user: User, new_password: str) -> None:
    """Set a new password chosen by the user; every other session of the user ends."""
    old_key = request.session.session_key
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        sessions.end_all(user, except_key=old_key)
        audit_record(action="auth.password_changed", actor=user, obj=user)
    update_session_auth_hash(request, user)
    sessions.rekey(old_key, request.session.session_key or "")


# --- Administration by tenant admins ------------------------------------------------------

_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def temporary_password() -> str:
    """Four groups of four characters without look-alikes (0/O, 1/l/I): ~95 bits."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


def account_create(
    *, actor: User | None, tenant: Any, username: str, first_name: str, last_name: str, email: str
) -> tuple[User, str]:
    """Create an account with a temporary password that must be replaced at first sign-in."""
    password = temporary_password()
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        must_change_password=True,
        updated_by=actor,
    )
    audit_record(action="account.created", actor=actor, tenant=tenant, obj=user)
    return user, password


@transaction.atomic
def account_password_reset(*, actor: User, tenant: Any, user: User) -> str:
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    ended = sessions.end_all(user)
    audit_record(
        action="account.password_reset",
        actor=actor,
        tenant=tenant,
        obj=user,
        details={"sessions_ended": ended},
    )
    return password


@transaction.atomic
def account_totp_reset(*, actor: User, tenant: Any, user: User) -> None:
    TotpDevice.objects.filter(user=user).delete()
    ended = sessions.end_all(user)
    audit_record(
        action="account.totp_reset",
        actor=actor,
        tenant=tenant,
        obj=user,
        details={"sessions_ended": ended},
    )


@transaction.atomic
def account_set_active(*, actor: User, tenant: Any, user: User, active: bool) -> None:
    """Deactivation ends every session of the user at once; sign-in is refused from then on."""
    User.objects.filter(pk=user.pk).update(is_active=active, updated_by=actor, updated_at=timezone.now())
    user.is_active = active
    details: dict[str, Any] = {}
    if not active:
        details["sessions_ended"] = sessions.end_all(user)
    audit_record(
        action="account.deactivated" if not active else "account.reactivated",
        actor=actor,
        tenant=tenant,
        obj=user,
        details=details,
    )
