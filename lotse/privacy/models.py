"""Privacy operations (Datenschutz): the data-protection officer's requests about one case
(Art. 15/16/17/18/20 GDPR), the history of rectifications and the retention rule per tenant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.versioning import VersionedModel
from lotse.tenants.models import Tenant

DEFAULT_RETENTION_MONTHS = 36


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access and data portability (Art. 15 and 20 GDPR)")
    RECTIFICATION = "rectification", _("Rectification (Art. 16 GDPR)")
    RESTRICTION = "restriction", _("Restriction of processing (Art. 18 GDPR)")
    ERASURE = "erasure", _("Erasure (Art. 17 GDPR)")


class PrivacyRequest(models.Model):
    """Betroffenenanfrage: the logged reason why the data-protection officer may look at one
    case. Every download and change made through it names it in the audit trail."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="privacy_requests")
    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    reference = models.CharField(
        _("reference"),
        max_length=120,
        help_text=_("File reference or date of the client's request. Do not enter the client's name."),
    )
    reason = models.TextField(
        _("reason"), help_text=_("Why the case is looked at, e.g. the client's letter. Do not enter the client's name.")
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("privacy request")
        verbose_name_plural = _("privacy requests")
        indexes = [models.Index(fields=["tenant", "-opened_at"], name="privacy_request_tenant")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.reference})"


class Rectification(models.Model):
    """Berichtigung: one corrected field. The old value is kept encrypted (bound to this row),
    so the data-protection officer can show what was corrected; erasure wipes it."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="rectifications")
    request = models.ForeignKey(PrivacyRequest, on_delete=models.PROTECT, related_name="rectifications")
    field = models.CharField(_("field"), max_length=40)
    is_identity = models.BooleanField(default=False)
    old_value_ciphertext = models.BinaryField(editable=False, null=True)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field} ({self.changed_at:%Y-%m-%d})"


class RetentionRule(VersionedModel):
    """Löschfrist: closed cases are anonymised this many months after their closure (0: never
    automatically). Statistics stay: codes, dates and counts are kept."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="retention_rule")
    months = models.PositiveIntegerField(
        _("months after closure"),
        default=DEFAULT_RETENTION_MONTHS,
        help_text=_("Closed cases are anonymised this many months after closure. 0 switches the rule off."),
    )

    class Meta:
        verbose_name = _("retention rule")
