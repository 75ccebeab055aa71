"""Funding control (Module 3): the positions a district funds, the programmes and flat rates they
are funded from, payment calls, the base-rate table for interest on repayment claims, and the
proof of use (Verwendungsnachweis, seed 003, Anlage 3).

No model here refers to a case or a client: the funding clerk works on these records only.
Money is ``Decimal`` throughout; the arithmetic lives in :mod:`lotse.funding.calc`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.versioning import VersionedModel
from lotse.tenants.models import Provider, Tenant

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class PositionType(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case management")
    COORDINATOR = "coordinator", _("Coordination")
    ADMIN_ASSISTANT = "admin_assistant", _("Administrative assistance")
    IMMIGRATION_OFFICE = "immigration_office", _("Immigration office")


# Seed 003 §3 and §4(3): flat rates per full-time equivalent and year.
DEFAULT_RATES: dict[str, Decimal] = {
    PositionType.CASE_MANAGER: Decimal("55000.00"),
    PositionType.COORDINATOR: Decimal("55000.00"),
    PositionType.ADMIN_ASSISTANT: Decimal("22500.00"),
}


class MonthRule(models.TextChoices):
    """Which months of a position count for the pro-rata grant."""

    ANY_DAY = "any_day", _("Every month in which the position is active on at least one day")
    FULL_MONTH = "full_month", _("Only months in which the position is active on every day")
    FROM_15TH = "from_15th", _("Months in which the position is active on at least 15 days")


class FundingProgramme(VersionedModel):
    """A grant a tenant receives and passes on, e.g. "KIM Baustein 2 – Case Management"."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="funding_programmes")
    name = models.CharField(_("name"), max_length=200)
    reference = models.CharField(_("file reference"), max_length=100, blank=True)
    grantor = models.CharField(_("grant authority"), max_length=200, blank=True)
    starts_on = models.DateField(_("funding from"))
    ends_on = models.DateField(_("funding until"))
    month_rule = models.CharField(
        _("counting of months"), max_length=20, choices=MonthRule.choices, default=MonthRule.ANY_DAY
    )
    repayment_months = models.PositiveSmallIntegerField(
        _("unspent funds to repay within (months after the end of the period)"),
        default=1,
        validators=[MaxValueValidator(12)],
    )
    interest_points = models.DecimalField(
        _("interest on claims: percentage points above the base rate"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=NON_NEGATIVE,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="funding_programme_unique_name"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="funding_programme_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class FundingRate(models.Model):
    """Flat rate per full-time equivalent and year for one position type in one year."""

    programme = models.ForeignKey(FundingProgramme, on_delete=models.CASCADE, related_name="rates")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    position_type = models.CharField(_("position type"), max_length=30, choices=PositionType.choices)
    annual_amount = models.DecimalField(_("EUR per FTE and year"), validators=NON_NEGATIVE, **MONEY)

    class Meta:
        ordering = ["year", "position_type"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "position_type"], name="funding_rate_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.position_type}: {self.annual_amount}"


class Position(VersionedModel):
    """A funded position (Stelle) at a provider."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="positions")
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="positions"
    )
    programme = models.ForeignKey(
        FundingProgramme, verbose_name=_("funding programme"), on_delete=models.PROTECT, related_name="positions"
    )
    position_type = models.CharField(_("position type"), max_length=30, choices=PositionType.choices)
    fte = models.DecimalField(
        _("full-time equivalents"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    person = models.CharField(_("person (optional)"), max_length=200, blank=True)
    additional_staff = models.BooleanField(_("declared as additional staff"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["provider__name", "position_type", "starts_on"]
        indexes = [models.Index(fields=["tenant", "programme"], name="position_tenant_programme")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")), name="position_dates"
            ),
            models.CheckConstraint(condition=Q(fte__gt=0), name="position_fte_positive"),
        ]


class PaymentCall(VersionedModel):
    """A planned call of funds (e.g. 01.05. and 01.10., seed 003 §14(2)) and what arrived."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(FundingProgramme, on_delete=models.PROTECT, related_name="payments")
    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("call on"))
    planned_amount = models.DecimalField(_("planned amount (EUR)"), validators=NON_NEGATIVE, **MONEY)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_amount = models.DecimalField(
        _("received amount (EUR)"), null=True, blank=True, validators=NON_NEGATIVE, **MONEY
    )

    class Meta:
        ordering = ["due_on", "provider__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True, received_amount__isnull=True)
                | Q(received_on__isnull=False, received_amount__isnull=False),
                name="payment_received_both",
            ),
        ]


class BaseRate(models.Model):
    """Basiszinssatz (§ 247 BGB) valid from a date until the next entry, per tenant so a
    clerk's correction never changes another district's figures."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateField(_("valid from"))
    rate = models.DecimalField(
        _("base rate (percent)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("-10")), MaxValueValidator(Decimal("20"))],
    )

    class Meta:
        ordering = ["valid_from"]
        constraints = [models.UniqueConstraint(fields=["tenant", "valid_from"], name="base_rate_unique_date")]

    def __str__(self) -> str:
        return f"{self.valid_from.isoformat()}: {self.rate} %"


class RepaymentClaim(VersionedModel):
    """A claim to repay funds (unspent, or not used as agreed), with interest from
    ``interest_from`` until it is paid (seed 003 §17)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(FundingProgramme, on_delete=models.PROTECT, related_name="claims")
    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    amount = models.DecimalField(_("amount (EUR)"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY)
    due_on = models.DateField(_("to be repaid by"))
    interest_from = models.DateField(_("interest from"))
    paid_on = models.DateField(_("repaid on"), null=True, blank=True)
    proof = models.ForeignKey(
        "ProofOfUse", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="claims"
    )

    class Meta:
        ordering = ["due_on"]


class MaterialCategory(models.TextChoices):
    """Sachausgaben gem. Nr. 5.4.1.2 der RL (the rows of the seed's form)."""

    WORKPLACE = "workplace", _("Setting up a workplace")
    OFFICE = "office", _("Furnishing of office rooms")
    OTHER = "other", _("Other material costs of the activity")


class ProofOfUse(VersionedModel):
    """Verwendungsnachweis of one provider for one programme and period. Planned figures come
    from positions and flat rates, the settlement from the costs entered here; the consolidated
    proof of the tenant is the sum of the providers' proofs of the same programme and period."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        FundingProgramme, verbose_name=_("funding programme"), on_delete=models.PROTECT, related_name="proofs"
    )
    provider = models.ForeignKey(Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    contract_date = models.DateField(_("cooperation contract of"), null=True, blank=True)
    activity_report = models.TextField(_("I. Activity report"), blank=True)
    third_party_planned = models.DecimalField(
        _("third-party funds, planned (EUR)"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY
    )
    third_party_actual = models.DecimalField(
        _("third-party funds, settled (EUR)"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY
    )
    public_grant_name = models.CharField(_("other public funding by"), max_length=200, blank=True)
    public_grant_planned = models.DecimalField(
        _("other public funding, planned (EUR)"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY
    )
    public_grant_actual = models.DecimalField(
        _("other public funding, settled (EUR)"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY
    )
    # IV. Bestätigung – the six boxes of the seed's form
    confirm_conditions = models.BooleanField(
        _("the conditions of the grant and the contract were observed"), default=False
    )
    confirm_economy = models.BooleanField(
        _("the expenses were necessary, economical, and match the books and vouchers"), default=False
    )
    confirm_no_other_funds = models.BooleanField(_("no further public funds were used for this measure"), default=False)
    confirm_attached_ki = models.BooleanField(
        _("the coordination posts are attached to the Kommunales Integrationszentrum"), default=False
    )
    confirm_exception = models.BooleanField(
        _("an exception to that rule was requested from and allowed by the ministry"), default=False
    )
    confirm_additional_staff = models.BooleanField(_("the positions are additional positions"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-period_start", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "provider", "period_start", "period_end"], name="proof_unique_period"
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="proof_dates"),
        ]


class StaffCostLine(models.Model):
    """Actual staff costs (employer gross) of one position in the proof's period."""

    proof = models.ForeignKey(ProofOfUse, on_delete=models.CASCADE, related_name="staff_lines")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    planned_total = models.DecimalField(_("planned costs (EUR)"), validators=NON_NEGATIVE, **MONEY)
    actual_total = models.DecimalField(_("actual costs (EUR)"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY)

    class Meta:
        ordering = ["position__position_type", "position__starts_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["proof", "position"], name="staff_line_unique")]

    def __str__(self) -> str:
        return f"{self.proof_id}/{self.position_id}"


class MaterialCostLine(models.Model):
    """Material costs of one category: planned and settled, each with its eligible part."""

    proof = models.ForeignKey(ProofOfUse, on_delete=models.CASCADE, related_name="material_lines")
    category = models.CharField(_("category"), max_length=20, choices=MaterialCategory.choices)
    planned_total = models.DecimalField(_("planned (EUR)"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY)
    planned_eligible = models.DecimalField(
        _("planned, eligible (EUR)"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY
    )
    actual_total = models.DecimalField(_("settled (EUR)"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY)
    actual_eligible = models.DecimalField(
        _("settled, eligible (EUR)"), default=Decimal("0"), validators=NON_NEGATIVE, **MONEY
    )

    class Meta:
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(fields=["proof", "category"], name="material_line_unique"),
            models.CheckConstraint(
                condition=Q(planned_eligible__lte=models.F("planned_total")), name="material_planned_eligible"
            ),
            models.CheckConstraint(
                condition=Q(actual_eligible__lte=models.F("actual_total")), name="material_actual_eligible"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proof_id}/{self.category}"
