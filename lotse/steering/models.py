"""Strategic steering (Baustein 1): generative themes grouped from the barriers of many cases,
and the five-step staircase model (seed 004) by which a theme climbs from the single case to
the steering group."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.versioning import VersionedModel
from lotse.tenants.models import Tenant

LEVELS = (1, 2, 3, 4, 5)

# PRODUCT.md, Module 2: the default names of the five steps
DEFAULT_LEVEL_NAMES = {
    1: _("Solved in the single case"),
    2: _("Bilateral clarification with the responsible office"),
    3: _("Case conference / quality circle"),
    4: _("Working or project group"),
    5: _("Steering group decision or cooperation agreement"),
}


class StaircaseSettings(VersionedModel):
    """Per tenant: names of the five levels and the escalation rule (≥ N cases or ≥ M
    providers marks a theme below the target level for escalation)."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="staircase")
    level_1 = models.CharField(_("level 1"), max_length=120, blank=True)
    level_2 = models.CharField(_("level 2"), max_length=120, blank=True)
    level_3 = models.CharField(_("level 3"), max_length=120, blank=True)
    level_4 = models.CharField(_("level 4"), max_length=120, blank=True)
    level_5 = models.CharField(_("level 5"), max_length=120, blank=True)
    escalate_cases = models.PositiveIntegerField(
        _("escalate from this many cases"), default=10, validators=[MinValueValidator(1)]
    )
    escalate_providers = models.PositiveIntegerField(
        _("escalate from this many providers"), default=3, validators=[MinValueValidator(1)]
    )
    escalate_below_level = models.PositiveSmallIntegerField(
        _("suggest escalation while the theme is below level"),
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(5)],
    )

    class Meta:
        verbose_name = _("staircase settings")

    def level_name(self, level: int) -> str:
        return str(getattr(self, f"level_{level}", "") or DEFAULT_LEVEL_NAMES[level])

    def level_choices(self) -> list[tuple[int, str]]:
        return [(level, f"{level} – {self.level_name(level)}") for level in LEVELS]


class ThemeStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    RESOLVED = "resolved", _("resolved")
    MERGED = "merged", _("merged into another theme")


class Theme(VersionedModel):
    """Generatives Thema: a structural problem that affects many cases."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="themes")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ThemeStatus.choices, default=ThemeStatus.ACTIVE)
    level = models.PositiveSmallIntegerField(
        _("level"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    responsible_body = models.ForeignKey(
        "committees.Body",
        verbose_name=_("responsible body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="themes",
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-level", "title", "pk"]
        indexes = [models.Index(fields=["tenant", "status", "level"], name="theme_tenant_status")]
        verbose_name = _("generative theme")

    def __str__(self) -> str:
        return self.title


class ThemeEventKind(models.TextChoices):
    CREATED = "created", _("created")
    RENAMED = "renamed", _("renamed")
    MOVED = "moved", _("moved on the staircase")
    BARRIERS_ADDED = "barriers_added", _("barriers added")
    BARRIERS_REMOVED = "barriers_removed", _("barriers removed")
    MERGED_IN = "merged_in", _("another theme merged in")
    MERGED_INTO = "merged_into", _("merged into another theme")
    SPLIT_OFF = "split_off", _("barriers split off into a new theme")
    SPLIT_FROM = "split_from", _("split off from another theme")
    STATUS = "status", _("status changed")


class ThemeEvent(models.Model):
    """The history of a theme: every move on the staircase with reason and date, and every
    regrouping (merge, split, barriers added or removed)."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=ThemeEventKind.choices)
    from_level = models.PositiveSmallIntegerField(null=True, blank=True)
    to_level = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    other_theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    barrier_count = models.PositiveIntegerField(null=True, blank=True)
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_on}"
