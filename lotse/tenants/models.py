"""Tenants (Kreise, kreisfreie Städte), their municipalities, providers, locations, and the
memberships that give a user one role in one tenant."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.versioning import VersionedModel

# Paths directly under "/" that a tenant slug may not take.
RESERVED_SLUGS = frozenset(
    {"accounts", "api", "healthz", "i18n", "invitations", "static", "media", "select-tenant", "admin", "feedback"}
)


class TenantKind(models.TextChoices):
    DISTRICT = "district", _("District (Kreis)")
    CITY = "city", _("District-free city (kreisfreie Stadt)")
    STATE = "state", _("State (Land)")


class Tenant(VersionedModel):
    """Mandant: a Kreis or kreisfreie Stadt running KIM; the state ministry is a tenant of kind
    ``state`` whose analysts see aggregates of all tenants."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TenantKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self) -> str:
        return self.name


class Municipality(VersionedModel):
    """Kreisangehörige Stadt oder Gemeinde."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField(_("name"), max_length=200)
    ags = models.CharField(
        _("official municipality key (AGS)"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^\d{8}$", _("The AGS has exactly eight digits."))],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="municipality_unique_name")]

    def __str__(self) -> str:
        return self.name


class ProviderKind(models.TextChoices):
    DISTRICT = "district", _("District administration")
    MUNICIPALITY = "municipality", _("Municipality")
    WELFARE = "welfare", _("Welfare organisation")
    OTHER = "other", _("Other")


class Provider(VersionedModel):
    """Träger / Anstellungsträger: employer of case managers or coordinators."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="providers")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="providers",
    )
    is_contracted = models.BooleanField(
        _("bound by the cooperation contract"),
        default=True,
        help_text=_("Only case managers of contracted providers may substitute for each other."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="provider_unique_name")]

    def __str__(self) -> str:
        return self.name


class Location(VersionedModel):
    """Anlaufstelle: a place where clients meet case management."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="locations")
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="locations"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="locations",
    )
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("A German postal code has five digits."))],
    )
    city = models.CharField(_("town"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="location_unique_name")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    COORDINATOR = "coordinator", _("Coordinator")
    PROVIDER_LEAD = "provider_lead", _("Provider lead")
    FUNDING_CLERK = "funding_clerk", _("Funding clerk")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data-protection officer")
    TENANT_ADMIN = "tenant_admin", _("Tenant administrator")
    STATE_ANALYST = "state_analyst", _("State analyst")


# Roles that work for one provider and therefore need it on their membership.
PROVIDER_ROLES = frozenset({Role.CASE_MANAGER, Role.PROVIDER_LEAD})
# Roles a state tenant can hold; all other roles belong to districts and cities.
STATE_ROLES = frozenset({Role.STATE_ANALYST, Role.TENANT_ADMIN})


class Membership(VersionedModel):
    """A user's role in one tenant (one role per tenant; a user may work in several tenants)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # A person who already has an account elsewhere is *invited*: the membership opens the
    # tenant only after they accepted it themselves (``accepted_at``).
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["user__sort_name", "pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "tenant"], name="membership_one_per_tenant"),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in PROVIDER_ROLES)) | Q(provider__isnull=False),
                name="membership_provider_required",
            ),
        ]
        indexes = [models.Index(fields=["tenant", "role", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.tenant})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None
