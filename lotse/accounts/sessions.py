"""Registry of each user's sessions, so that deactivation, password resets and authenticator
resets end every session at once (not only the one in the acting browser)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings

from lotse.accounts.models import User, UserSession


def _store(session_key: str):  # type: ignore[no-untyped-def]
    engine = import_module(settings.SESSION_ENGINE)
    return engine.SessionStore(session_key=session_key)


def register(user: User, session_key: str) -> None:
    UserSession.objects.update_or_create(session_key=session_key, defaults={"user": user})


def rekey(old_key: str | None, new_key: str) -> None:
    if old_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def forget(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def end_all(user: User, *, except_key: str | None = None) -> int:
    """Delete every session of ``user`` from the session store. Returns how many ended."""
    rows = UserSession.objects.filter(user=user)
    if except_key:
        rows = rows.exclude(session_key=except_key)
    count = 0
    for entry in list(rows):
        _store(entry.session_key).delete()
        entry.delete()
        count += 1
    return count
