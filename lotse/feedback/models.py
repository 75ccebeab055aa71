"""Client feedback (concept §8): anonymous, multilingual, reached by link or QR code handed out at
closure. Nothing links a response to a case: a token knows only its provider, the month it was
issued and (to the month) when it expires, the response only its provider and month, and a
token's hash is all the server keeps. Day-precise dates on either would let someone match the
audit event of printing a sheet (case, day) to an answer when a provider prints few sheets."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from lotse.tenants.models import Provider, Tenant


class FeedbackToken(models.Model):
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=5)
    issued_month = models.DateField(help_text="first day of the month the sheet was printed")
    expires_on = models.DateField(help_text="last day of the month in which the link expires")
    used = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"feedback token {self.pk}"


class FeedbackResponse(models.Model):
    """Answers on a five-point scale (1 = not at all … 5 = fully); ``None`` = not answered."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="first day of the month of the answer")
    language = models.CharField(max_length=5)
    understood = models.PositiveSmallIntegerField(null=True, blank=True)
    helped = models.PositiveSmallIntegerField(null=True, blank=True)
    respected = models.PositiveSmallIntegerField(null=True, blank=True)
    reachable = models.PositiveSmallIntegerField(null=True, blank=True)
    recommend = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "month", "provider"], name="feedback_period")]

    def __str__(self) -> str:
        return f"feedback {self.month:%Y-%m}"


class FeedbackAttempt(models.Model):
    """One submission attempt per row, keyed by a keyed hash of the client address (never the
    address itself), for the hourly limit; rows older than an hour are purged."""

    address_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["address_hash", "created_at"], name="feedback_attempt")]

    def __str__(self) -> str:
        return f"attempt {self.created_at:%Y-%m-%d %H:%M}"
