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
from lotse.accounts.models import TotpDevice, User, normalize_username
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
    return User.objects.filter(username=normalize_username(username)).first()


def _record_failure(attempt: lockout.Attempt, *, user: User | None, action: str, details: dict[str, Any]) -> None:
    """Audit a failed check (its lockout row is already stored) and the lockout it may cause."""
    if user is None:
        return
    with transaction.atomic():
        audit_record(action=action, obj=user, details=details)
        if attempt.state.account_failures == settings.LOCKOUT_FAILURES:
            audit_record(action="auth.lockout", obj=user, details={"scope": "account"})


def password_step(request: HttpRequest, *, username: str, password: str) -> PasswordResult:
    """First factor. The attempt is recorded before the password is checked, so parallel
    guesses count against each other; raises :class:`LockedOut` when the limit is reached."""
    target = _user_by_name(username)
    attempt = lockout.begin(account=lockout.account_key(username, target), address=client_address(request))
    if attempt.refused:
        raise LockedOut
    user = authenticate(request, username=normalize_username(username), password=password)
    if user is None:
        _record_failure(attempt, user=target, action="auth.login_failed", details={"factor": "password"})
        return PasswordResult(ok=False)
    lockout.succeeded(attempt)
    # The account counter also counts wrong codes: it is cleared only after both factors.
    # A new session key for the pre-authenticated state defeats a session planted beforehand.
    request.session.cycle_key()
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
    attempt = lockout.begin(account=lockout.user_key(user), address=client_address(request))
    if attempt.refused:
        raise LockedOut
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is not None and totp.verify_and_consume(device, code):
        lockout.succeeded(attempt)
        complete_login(request, user, method="totp")
        return True
    _record_failure(attempt, user=user, action="auth.totp_failed", details={})
    return False


def enrolment_device(user: User) -> TotpDevice:
    """The unconfirmed authenticator being set up (created on first call)."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is None or device.is_confirmed:
        device = totp.new_device(user)
    return device


def enrol_step(request: HttpRequest, *, user: User, code: str) -> bool:
    """Confirm the new authenticator with its first code; on success the session is signed in."""
    attempt = lockout.begin(account=lockout.user_key(user), address=client_address(request))
    if attempt.refused:
        raise LockedOut
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
    if device is not None and totp.verify_and_consume(device, code):
        lockout.succeeded(attempt)
        with transaction.atomic():
            TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
            audit_record(action="auth.totp_enrolled", actor=user, obj=user)
        complete_login(request, user, method="totp")
        return True
    _record_failure(attempt, user=user, action="auth.totp_failed", details={"setup": True})
    return False


def complete_login(request: HttpRequest, user: User, *, method: str) -> None:
    """Start the authenticated session: new session key, timestamps, registry, audit."""
    clear_preauth(request)
    lockout.clear_account(lockout.user_key(user))
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


def begin_old_password_check(request: HttpRequest, *, user: User) -> lockout.Attempt:
    """The old password on the change form is a password guess too: same lockout."""
    attempt = lockout.begin(account=lockout.user_key(user), address=client_address(request))
    if attempt.refused:
        raise LockedOut
    return attempt


def end_old_password_check(attempt: lockout.Attempt, *, user: User, correct: bool) -> None:
    if correct:
        lockout.succeeded(attempt)
    else:
        _record_failure(attempt, user=user, action="auth.login_failed", details={"factor": "password_change"})


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


def _issue_temporary_password(user: User) -> str:
    password = temporary_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password


def audit_account_event(*, action: str, actor: User | None, user: User, details: dict[str, Any] | None = None) -> None:
    """An account is shared by every tenant its person works in: write the event into each of
    their chains, so that every tenant's data-protection officer sees changes to it."""
    from lotse.tenants.models import Membership

    tenant_ids = sorted(set(Membership.objects.filter(user=user).values_list("tenant_id", flat=True)))
    if not tenant_ids:
        audit_record(action=action, actor=actor, obj=user, details=details)
    for tenant_id in tenant_ids:
        audit_record(action=action, actor=actor, tenant_id=tenant_id, obj=user, details=details)


def _reset_credentials(*, action: str, actor: User, user: User) -> str:
    """The account may be in wrong hands: a temporary password to hand over in person, every
    session ended and every API token revoked, one audit event."""
    from lotse.api.tokens import revoke_all_of_user

    password = _issue_temporary_password(user)
    ended = sessions.end_all(user)
    revoked = revoke_all_of_user(user)
    audit_account_event(
        action=action, actor=actor, user=user, details={"sessions_ended": ended, "tokens_revoked": revoked}
    )
    return password


@transaction.atomic
def account_password_reset(*, actor: User, user: User) -> str:
    """A new temporary password (to hand over in person); every session of the user ends."""
    return _reset_credentials(action="account.password_reset", actor=actor, user=user)


@transaction.atomic
def account_totp_reset(*, actor: User, user: User) -> str:
    """Lost phone: the authenticator is removed and, with it, the password replaced by a
    temporary one handed over in person. Otherwise whoever knows (or watched) the old password
    could set up their own authenticator at the next sign-in."""
    TotpDevice.objects.filter(user=user).delete()
    return _reset_credentials(action="account.totp_reset", actor=actor, user=user)


@transaction.atomic
def account_set_active(*, actor: User, user: User, active: bool) -> None:
    """Deactivation ends every session of the user at once; sign-in is refused from then on."""
    User.objects.filter(pk=user.pk).update(is_active=active, updated_by=actor, updated_at=timezone.now())
    user.is_active = active
    details: dict[str, Any] = {}
    if not active:
        details["sessions_ended"] = sessions.end_all(user)
    audit_account_event(
        action="account.deactivated" if not active else "account.reactivated",
        actor=actor,
        user=user,
        details=details,
    )
