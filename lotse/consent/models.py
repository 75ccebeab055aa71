"""Consent (Einwilligung) per purpose and data-sharing releases (Schweigepflichtentbindung) per
recipient agency and topic, each with form version, language and date (seed 003 §9(3))."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.cases.domains import ClientLanguage


class ConsentPurpose(models.TextChoices):
    PROCESSING = "processing", _("Processing of personal data in the case management")
    HEALTH = "health", _("Processing of health data (special category, Art. 9 GDPR)")
    CONTACT = "contact", _("Contact by phone, e-mail or messenger")


class Consent(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    form_version = models.CharField(_("form version"), max_length=20)
    language = models.CharField(_("language of the form"), max_length=5, choices=ClientLanguage.choices)
    given_on = models.DateField(_("signed on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["case", "purpose", "revoked_at"], name="consent_valid")]


class Release(models.Model):
    """Schweigepflichtentbindung for one recipient agency and the listed topics."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="releases")
    agency = models.ForeignKey(
        "network.Agency", verbose_name=_("recipient agency"), on_delete=models.PROTECT, related_name="releases"
    )
    topics = models.JSONField(_("topics"), default=list)
    form_version = models.CharField(_("form version"), max_length=20)
    language = models.CharField(_("language of the form"), max_length=5, choices=ClientLanguage.choices)
    given_on = models.DateField(_("signed on"), default=timezone.localdate)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]

    def is_valid_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return (
            self.revoked_at is None and self.given_on <= day and (self.valid_until is None or day <= self.valid_until)
        )
