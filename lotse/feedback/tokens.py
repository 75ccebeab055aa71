"""One-time feedback tokens. The raw token exists only on the printed sheet (link and QR code);
the database keeps its SHA-256 hash, the provider, the language, and dates to the month only."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lotse.feedback.models import FeedbackToken


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month: expiry is kept to the month, like everything else."""
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(*, tenant_id: int, provider_id: int, language: str) -> str:
    """Create a token and return its raw value (shown once, on the sheet)."""
    raw = secrets.token_urlsafe(24)
    today = timezone.localdate()
    FeedbackToken.objects.create(
        tenant_id=tenant_id,
        provider_id=provider_id,
        token_hash=token_hash(raw),
        language=language,
        issued_month=today.replace(day=1),
        expires_on=month_end(today + datetime.timedelta(days=settings.FEEDBACK_TOKEN_DAYS)),
    )
    return raw


def token_lookup(raw: str) -> FeedbackToken | None:
    """The token if it exists (used or not); ``None`` for unknown values."""
    if not raw or len(raw) > 100:
        return None
    return FeedbackToken.objects.filter(token_hash=token_hash(raw)).first()


def token_usable(token: FeedbackToken | None, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return token is not None and not token.used and token.expires_on >= today


def token_consume(token: FeedbackToken) -> bool:
    """Mark the token used, once: a conditional UPDATE, so two parallel submissions with the
    same token cannot both succeed. Call inside the transaction that stores the response."""
    assert transaction.get_connection().in_atomic_block
    return FeedbackToken.objects.filter(pk=token.pk, used=False).update(used=True) == 1
