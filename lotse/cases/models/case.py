"""The case (Fall), its settings per tenant, the encrypted identity kept apart from it, the
household and the handovers of responsibility."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.versioning import VersionedModel
from lotse.tenants.models import Location, Provider, Tenant

DEFAULT_NUMBER_FORMAT = "{prefix}-{year}-{seq:05d}"


class CaseSettings(VersionedModel):
    """Per-tenant rules of case work, edited by the tenant admin."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="case_settings")
    number_prefix = models.CharField(_("case number prefix"), max_length=10, default="KIM")
    number_format = models.CharField(
        _("case number format"),
        max_length=60,
        default=DEFAULT_NUMBER_FORMAT,
        help_text=_("Placeholders: {prefix}, {year} and {seq} (running number per year), e.g. {seq:05d}."),
    )
    reassessment_interval_days = models.PositiveIntegerField(_("re-assessment interval (days)"), default=180)
    closure_requires_approval = models.BooleanField(_("closure needs the coordinator's approval"), default=True)

    class Meta:
        verbose_name = _("case settings")
        verbose_name_plural = _("case settings")


class CaseNumberCounter(models.Model):
    """Running number per tenant and year; rows are locked while a number is drawn."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "year"], name="case_counter_unique")]


class CaseStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSURE_REQUESTED = "closure_requested", _("closure requested")
    CLOSED = "closed", _("closed")


class IntakeChannel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    AGENCY = "agency", _("Referred by an agency")
    OUTREACH = "outreach", _("Outreach")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online or e-mail")
    COMMUNITY = "community", _("Community or acquaintances")
    OTHER = "other", _("Other")


class ClosureReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("Goals reached")
    MOVED_AWAY = "moved_away", _("Moved away")
    CLIENT_ENDED = "client_ended", _("Client ended the counselling")
    REGULAR_SERVICES = "regular_services", _("Handed to regular services")
    NATURALISED = "naturalised", _("Naturalised")
    NO_CONTACT = "no_contact", _("No contact any more")
    CONSENT_REVOKED = "consent_revoked", _("Consent revoked")
    OTHER = "other", _("Other")


class Case(VersionedModel):
    """Fall: one client's case management, from first contact to closure. Holds no identity;
    the client is known here by case number and pseudonym only."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="cases")
    number = models.CharField(_("case number"), max_length=40)
    pseudonym = models.CharField(
        _("pseudonym"), max_length=80, help_text=_("A name for the case that does not identify the client.")
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    is_anonymous = models.BooleanField(_("anonymous counselling"), default=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # Art. 18 GDPR: while restricted, the case is stored only; nobody works on it.
    restricted_at = models.DateTimeField(_("processing restricted since"), null=True, blank=True, editable=False)
    restriction_reason = models.CharField(_("reason for the restriction"), max_length=300, blank=True, editable=False)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_cases",
    )
    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="cases")
    location = models.ForeignKey(
        Location, verbose_name=_("location"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    intake_channel = models.CharField(_("intake channel"), max_length=20, choices=IntakeChannel.choices)
    intake_agency = models.ForeignKey(
        "network.Agency",
        verbose_name=_("referring agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=100, blank=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True, editable=False)
    next_reassessment_on = models.DateField(_("next re-assessment"), null=True, blank=True, editable=False)
    closure_reason = models.CharField(_("reason for closure"), max_length=30, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(_("note on the closure"), blank=True)
    closure_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    closure_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="case_unique_number")]
        indexes = [
            models.Index(fields=["tenant", "case_manager", "status", "next_follow_up_on"], name="case_worklist"),
            models.Index(fields=["tenant", "status", "opened_on"], name="case_tenant_status"),
            models.Index(fields=["tenant", "provider", "status"], name="case_provider_status"),
            # the coordinator's list of all cases, in work-list order
            models.Index(
                fields=["tenant", "next_follow_up_on", "next_reassessment_on", "-opened_on", "-id"],
                name="case_tenant_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.pseudonym})"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    @property
    def is_restricted(self) -> bool:
        """Einschränkung der Verarbeitung (Art. 18 DSGVO): stored, not processed."""
        return self.restricted_at is not None

    @property
    def is_editable(self) -> bool:
        """Closed cases are read-only; a requested closure waits for the coordinator; a
        restricted case is frozen."""
        return self.status == CaseStatus.OPEN and self.restricted_at is None


class Identity(models.Model):
    """The client's identity, apart from the case content and encrypted as one AES-GCM value
    bound to its case (associated data ``cases.identity:<case id>``). ``duplicate_key`` is a
    keyed hash (HMAC) of normalised name and birth date for the search before create."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="identity")
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    ciphertext = models.BinaryField()
    duplicate_key = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["tenant", "duplicate_key"], name="identity_duplicate")]


class HouseholdRelation(models.TextChoices):
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative or person")


class HouseholdMember(models.Model):
    """Haushaltsangehörige: recorded without names (relation and birth year suffice for the work
    and the statistics)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="household")
    relation = models.CharField(_("relation"), max_length=20, choices=HouseholdRelation.choices)
    birth_year = models.PositiveIntegerField(_("year of birth"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]


class HandoverKind(models.TextChoices):
    CASE_MANAGER = "case_manager", _("to another case manager")
    PROVIDER = "provider", _("to another provider")
    AGENCY = "agency", _("to an agency with its own case management")


class Handover(models.Model):
    """Übergabe der Fallverantwortung."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    kind = models.CharField(_("handover"), max_length=20, choices=HandoverKind.choices)
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="+")
    to_provider = models.ForeignKey(Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("network.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    handed_on = models.DateField(_("date"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-handed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_user__isnull=False) | Q(to_provider__isnull=False) | Q(to_agency__isnull=False),
                name="handover_has_recipient",
            )
        ]
