"""Session lifetime: 30 minutes idle and 12 hours absolute (configurable). An expired session
is signed out and sent to the login page with a note why."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from lotse.accounts.services import SESSION_AUTH_AT, SESSION_SEEN_AT, logout_user
from lotse.core.http import redirect_to

# Refresh the idle timestamp at most this often, to spare a session write per request.
SEEN_RESOLUTION_SECONDS = 30


class SessionLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            auth_at = request.session.get(SESSION_AUTH_AT)
            seen_at = request.session.get(SESSION_SEEN_AT)
            reason = None
            if auth_at is None or now - auth_at > settings.SESSION_MAX_SECONDS:
                reason = "absolute"
            elif seen_at is None or now - seen_at > settings.SESSION_IDLE_SECONDS:
                reason = "idle"
            if reason:
                logout_user(request, reason=reason)
                query = urlencode({"expired": reason, "next": request.get_full_path()})
                url = f"{reverse('accounts:login')}?{query}"
                return redirect_to(request, url)
            if seen_at is not None and now - seen_at >= SEEN_RESOLUTION_SECONDS:
                request.session[SESSION_SEEN_AT] = now
        return self.get_response(request)
