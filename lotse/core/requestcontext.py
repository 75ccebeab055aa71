"""Per-request facts that deep layers need without threading the request through every call:
the client address and request id (written into audit rows). Set by RequestLogMiddleware."""

from __future__ import annotations

import contextvars
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest


@dataclass(frozen=True)
class RequestMeta:
    address: str | None
    request_id: str


_current: contextvars.ContextVar[RequestMeta | None] = contextvars.ContextVar("lotse_request_meta", default=None)


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address. With ``LOTSE_TRUSTED_PROXY_COUNT = n`` the n-th entry from the
    right of X-Forwarded-For is used (the one our own proxy appended); otherwise REMOTE_ADDR."""
    candidate = request.META.get("REMOTE_ADDR")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate)) if candidate else None
    except ValueError:
        return None


def set_current(meta: RequestMeta | None) -> contextvars.Token:
    return _current.set(meta)


def reset_current(token: contextvars.Token) -> None:
    _current.reset(token)


def current() -> RequestMeta | None:
    return _current.get()
