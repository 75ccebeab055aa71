"""``manage.py accounts_cleanup``: daily housekeeping — expired sessions, the registry rows of
sessions that no longer exist, and login failures older than the lockout window."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from lotse.accounts import lockout
from lotse.accounts.models import UserSession


class Command(BaseCommand):
    help = "Remove expired sessions and stale login-failure counters (run daily)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        call_command("clearsessions")
        live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        stale, _ = UserSession.objects.exclude(session_key__in=live).delete()
        failures = lockout.purge_expired()
        self.stdout.write(f"removed {stale} stale session link(s), {failures} old login failure(s)")
