"""Every view declares who may reach it. :class:`AccessMiddleware` refuses any view without a
declaration, so a forgotten decorator fails closed (403), never open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from lotse.access.permissions import Perm

V = TypeVar("V", bound=Callable[..., object])


@dataclass(frozen=True)
class AccessRule:
    kind: Literal["public", "authenticated", "tenant", "api"]
    perms: tuple[Perm, ...] = ()
    # Reachable while the user still has to replace an initial password.
    allow_pending_password: bool = False


def _mark(view: V, rule: AccessRule) -> V:
    view.lotse_access = rule  # type: ignore[attr-defined]
    return view


def public(view: V) -> V:
    """No sign-in needed (login page, health check, language switch)."""
    return _mark(view, AccessRule("public"))


def authenticated(*, allow_pending_password: bool = False) -> Callable[[V], V]:
    """Signed in with every required factor; no tenant needed (tenant choice, password)."""

    def wrap(view: V) -> V:
        return _mark(view, AccessRule("authenticated", allow_pending_password=allow_pending_password))

    return wrap


def tenant_view(*perms: Perm) -> Callable[[V], V]:
    """URL carries ``<tenant>``; the user needs an active membership there with all ``perms``."""

    def wrap(view: V) -> V:
        return _mark(view, AccessRule("tenant", perms=tuple(perms)))

    return wrap


def api_endpoint(view: V) -> V:
    """A REST API view (``/api/v1/``): the middleware lets it through; Django REST framework's
    token authentication (``lotse.api.authentication``) decides and builds the access context."""
    return _mark(view, AccessRule("api"))
