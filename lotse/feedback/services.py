"""Writes of client feedback: an anonymous submission with a one-time token, and the printed
sheet that carries the token.

Abuse resistance. Every POST of the public form is first recorded as an attempt under a keyed
hash of the client address (IPv6 per /64 network, like the sign-in lockout) and only then
checked: more than ``FEEDBACK_MAX_PER_HOUR`` attempts within an hour are refused before the
token is even looked at, so tokens cannot be guessed in bulk, and parallel requests see each
other's attempts. A token is consumed with a conditional UPDATE in the transaction that stores
the response, so a token answers once, however many requests race.

Anonymity. The response keeps provider, month, language and the five answers; nothing names the
token, the case or the client. The audit event of a printed sheet names the case, never the token.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts.lockout import address_key
from lotse.audit.services import audit_record
from lotse.cases.models import CaseStatus
from lotse.cases.services.common import require_not_restricted
from lotse.feedback.models import FeedbackAttempt, FeedbackResponse
from lotse.feedback.texts import LANGUAGES, QUESTIONS, SCALE
from lotse.feedback.tokens import token_consume, token_issue, token_lookup

WINDOW = datetime.timedelta(hours=1)
# Attempts without a usable client address share one key: refused together rather than unlimited.
UNKNOWN_ADDRESS = "unknown"


class RateLimited(Exception):
    """Too many submissions from this client address within the last hour."""


def address_hash(address: str | None) -> str:
    """Keyed hash (HMAC with a key derived from SECRET_KEY) of the address's network key, so the
    table never holds an address and cannot be reversed by hashing all addresses without the key."""
    key = hashlib.sha256(b"lotse-feedback:" + settings.SECRET_KEY.encode()).digest()
    value = address_key(address) or UNKNOWN_ADDRESS
    return hmac.new(key, f"address:{value}".encode(), hashlib.sha256).hexdigest()


def feedback_attempt(*, address: str | None) -> None:
    """Record one submission attempt for ``address``, then refuse it (:class:`RateLimited`) if
    more than ``FEEDBACK_MAX_PER_HOUR`` attempts were made within the hour, this one included.
    Attempts older than an hour are purged on the way. Call it for every POST of the form."""
    now = timezone.now()
    start = now - WINDOW
    key = address_hash(address)
    # Committed at once (no surrounding transaction in the view), so that parallel requests count
    # each other; a refused attempt still counts, or an attacker could keep the window open.
    FeedbackAttempt.objects.create(address_hash=key, created_at=now)
    FeedbackAttempt.objects.filter(created_at__lt=start).delete()
    if FeedbackAttempt.objects.filter(address_hash=key, created_at__gte=start).count() > settings.FEEDBACK_MAX_PER_HOUR:
        raise RateLimited


def clean_answers(answers: dict[str, Any]) -> dict[str, int | None]:
    """The five answers as 1–5 or ``None``; anything else is refused (code ``invalid``)."""
    unknown = set(answers) - set(QUESTIONS)
    if unknown:
        raise ValidationError(_("Unknown question."), code="invalid")
    cleaned: dict[str, int | None] = {}
    for question in QUESTIONS:
        value = answers.get(question)
        if value in (None, ""):
            cleaned[question] = None
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Choose one of the answers offered."), code="invalid") from None
        if number not in SCALE:
            raise ValidationError(_("Choose one of the answers offered."), code="invalid")
        cleaned[question] = number
    return cleaned


def feedback_submit(*, token_raw: str, language: str, answers: dict[str, Any], address: str | None) -> FeedbackResponse:
    """Store one anonymous response for the token's provider and consume the token.

    Raises :class:`RateLimited` (nothing stored) or ``ValidationError`` with the code ``unknown``
    (no such token), ``expired``, ``used`` (already answered, also when a parallel request won),
    ``empty`` (no question answered; the token stays usable) or ``invalid`` (a value outside the
    scale)."""
    feedback_attempt(address=address)
    token = token_lookup(token_raw)
    today = timezone.localdate()
    if token is None:
        raise ValidationError(_("This feedback link does not exist."), code="unknown")
    if token.used:
        raise ValidationError(_("This feedback link was already used."), code="used")
    if token.expires_on < today:
        raise ValidationError(_("This feedback link has expired."), code="expired")
    cleaned = clean_answers(answers)
    if all(value is None for value in cleaned.values()):
        raise ValidationError(_("Answer at least one question."), code="empty")
    if language not in LANGUAGES:
        language = token.language
    with transaction.atomic():
        if not token_consume(token):
            raise ValidationError(_("This feedback link was already used."), code="used")
        return FeedbackResponse.objects.create(
            tenant_id=token.tenant_id,
            provider_id=token.provider_id,
            month=today.replace(day=1),
            language=language,
            **cleaned,
        )


def feedback_sheet_issue(case: Any, *, actor: Any, language: str) -> str:
    """Issue a one-time token for the case's provider and return it raw (for the printed sheet
    only; the server keeps its hash). Audited with the case as object and the language, never
    the token, so no response can be traced back to the case. The audit event carries no
    language either: with provider, month and language on the answer, it could single one out.
    Refused for anonymised and for open cases (the sheet belongs to the closure)."""
    if language not in LANGUAGES:
        raise ValidationError(_("Choose one of the languages offered."), code="language")
    if case.anonymised_at is not None:
        raise ValidationError(_("This case is anonymised; no feedback sheet can be printed for it."), code="anonymised")
    require_not_restricted(case)
    if case.status == CaseStatus.OPEN:
        # handed out at closure: an open case gets none, which also keeps sheets from being
        # printed at will for cases that are still running
        raise ValidationError(
            _("The feedback sheet is handed out at closure. Request the closure of the case first."), code="open"
        )
    with transaction.atomic():
        raw = token_issue(tenant_id=case.tenant_id, provider_id=case.provider_id, language=language)
        audit_record(
            action="feedback.sheet_printed",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=case,
        )
    return raw
