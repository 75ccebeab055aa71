"""Verweisberatung: referrals to partner agencies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.cases.domains import LifeDomain
from lotse.cases.models.case import Case
from lotse.core.versioning import VersionedModel


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("sent")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    DONE = "done", _("done")
    WITHDRAWN = "withdrawn", _("withdrawn")


# Allowed moves: sent → accepted / declined / withdrawn; accepted → done / withdrawn.
REFERRAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.DONE, ReferralStatus.WITHDRAWN}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.DONE: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}


class Referral(VersionedModel):
    """Vermittlung an einen Kooperationspartner. ``with_identity`` referrals pass the client's
    identity and need a valid release (Schweigepflichtentbindung) for the agency and topic, or a
    coordinator's logged override."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(
        "network.Agency", verbose_name=_("partner agency"), on_delete=models.PROTECT, related_name="referrals"
    )
    topic = models.CharField(_("topic"), max_length=20, choices=LifeDomain.choices)
    with_identity = models.BooleanField(_("pass on the client's identity"), default=False)
    release = models.ForeignKey(
        "consent.Release", null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    override_reason = models.TextField(_("reason for the override"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    note = models.TextField(_("note"), blank=True)
    sent_on = models.DateField(_("sent on"), default=timezone.localdate)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-sent_on", "-pk"]
        indexes = [models.Index(fields=["agency", "status"], name="referral_agency_status")]
