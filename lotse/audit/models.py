"""Append-only, hash-chained audit log.

Each tenant has its own chain (``tenant:<id>``); events outside a tenant (logins, lockouts)
go to the ``platform`` chain. Row *n* of a chain stores the HMAC of its own content and of
row *n-1*'s hash, so altering or removing any row breaks every later link. ``AuditChain`` holds
each chain's head (last sequence number and hash) and is locked while a row is appended.
On PostgreSQL, triggers refuse UPDATE and DELETE on events and any rewind of a chain head.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PLATFORM_CHAIN = "platform"


def tenant_chain(tenant_id: int) -> str:
    return f"tenant:{tenant_id}"


class AuditChain(models.Model):
    key = models.CharField(max_length=40, primary_key=True)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.key} @ {self.last_seq}"


class AuditEvent(models.Model):
    chain = models.CharField(max_length=40, editable=False)
    seq = models.PositiveBigIntegerField(editable=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    tenant = models.ForeignKey("tenants.Tenant", null=True, on_delete=models.PROTECT, related_name="+", editable=False)
    action = models.CharField(_("action"), max_length=64, editable=False)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, editable=False)
    object_id = models.CharField(_("object"), max_length=64, blank=True, editable=False)
    address = models.GenericIPAddressField(_("address"), null=True, editable=False)
    request_id = models.CharField(max_length=32, blank=True, editable=False)
    details = models.JSONField(_("details"), default=dict, editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq")]
        indexes = [
            models.Index(fields=["tenant", "-created_at"]),
            models.Index(fields=["action", "-created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise RuntimeError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("Audit events are append-only.")
