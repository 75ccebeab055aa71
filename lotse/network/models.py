"""Partner directory (Netzwerk): the agencies case managers refer clients to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lotse.core.versioning import VersionedModel
from lotse.tenants.models import Tenant


class AgencyKind(models.TextChoices):
    IMMIGRATION_OFFICE = "immigration_office", _("Immigration office (Ausländerbehörde)")
    NATURALISATION_OFFICE = "naturalisation_office", _("Naturalisation office (Einbürgerungsbehörde)")
    JOBCENTER = "jobcenter", _("Jobcenter")
    EMPLOYMENT_AGENCY = "employment_agency", _("Employment agency (Agentur für Arbeit)")
    YOUTH_OFFICE = "youth_office", _("Youth welfare office (Jugendamt)")
    SCHOOL_OFFICE = "school_office", _("School office (Schulamt)")
    MBE = "mbe", _("Migration counselling for adults (MBE)")
    JMD = "jmd", _("Youth migration service (JMD)")
    COURSE_PROVIDER = "course_provider", _("Course provider")
    COUNSELLING = "counselling", _("Counselling service")
    SOCIAL_OFFICE = "social_office", _("Social welfare office (Sozialamt)")
    HEALTH = "health", _("Health service")
    OTHER = "other", _("Other")


class Agency(VersionedModel):
    """Partner agency (Kooperationspartner) in the tenant's directory."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=40, choices=AgencyKind.choices)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    has_own_case_management = models.BooleanField(
        _("has its own case management"),
        default=False,
        help_text=_("e.g. Jobcenter (SGB II), Agentur für Arbeit (SGB III), Jugendamt (SGB VIII)"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name
