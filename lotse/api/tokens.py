"""Writes and the check of API tokens. A token reads ``lotse_<prefix>_<secret>``: the prefix
finds the row, the SHA-256 hash of the whole token is compared in constant time."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.api.models import ApiToken
from lotse.audit.services import audit_record
from lotse.tenants.models import Membership

TOKEN_PREFIX = "lotse"  # noqa: S105 (the visible start of every token, not a secret)
# last_used_at is written at most this often per token (spares a write per request)
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the whole token string; shown once, never stored


def token_create(*, actor: Any, membership: Membership, name: str, days: int | None = None) -> IssuedToken:
    """A new token for the acting user's own membership, valid ``days`` (default and maximum
    from the settings)."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name, e.g. the system that will use it."))
    if len(name) > 80:
        raise ValidationError(_("The name may have at most 80 characters."))
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    maximum = settings.API_TOKEN_MAX_DAYS
    if not 1 <= days <= maximum:
        raise ValidationError(_("A token is valid for 1 to %(max)d days.") % {"max": maximum})
    if membership.user_id != actor.pk or not membership.is_active or membership.accepted_at is None:
        raise ValidationError(_("Tokens can only be created for your own active membership."))
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            membership=membership,
            tenant_id=membership.tenant_id,
            name=name,
            prefix=prefix,
            token_hash=hash_token(raw),
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
        audit_record(
            action="api_token.created",
            actor=actor,
            tenant_id=membership.tenant_id,
            obj=token,
            details={"days": days},
        )
    return IssuedToken(token, raw)


def token_revoke(token: ApiToken, *, actor: Any) -> ApiToken:
    """Revoke at once; revoking twice changes nothing."""
    if token.user_id != actor.pk:
        raise ValidationError(_("You can only revoke your own tokens."))
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)
        audit_record(action="api_token.revoked", actor=actor, tenant_id=token.tenant_id, obj=token)
    return token


def token_check(raw: str) -> ApiToken | None:
    """The token row if ``raw`` is a valid, unexpired, unrevoked token whose user, membership
    and tenant are all active; otherwise ``None``."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "membership__tenant", "membership__provider")
        .filter(prefix=parts[1])
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(raw)):
        return None
    membership = token.membership
    now = timezone.now()
    if (
        token.revoked_at is not None
        or token.expires_at <= now
        or not token.user.is_active
        or token.user.must_change_password  # a temporary password handed over: not yet theirs
        or membership.user_id != token.user_id
        or membership.tenant_id != token.tenant_id
        or not membership.is_active
        or membership.accepted_at is None
        or not membership.tenant.is_active
    ):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def revoke_all_of_user(user: Any) -> int:
    """Revoke every live token of a person (an account reset: the account may be in wrong
    hands). Returns how many were revoked; the caller writes the audit event."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
