"""Vertretung (seed 003 §3(3)): each case manager names substitutes from contracted providers;
a substitute works the cases only while an absence period of the case manager runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.tenants.models import Tenant


class SubstituteNomination(models.Model):
    """Benannte Vertretung."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("substitute"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "principal", "substitute"], name="nomination_once"),
            models.CheckConstraint(condition=~Q(principal=F("substitute")), name="nomination_not_self"),
        ]


class Absence(models.Model):
    """Abwesenheit: the period in which the named substitutes may work the principal's cases."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="+")
    principal = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="absence_ordered")]
        indexes = [models.Index(fields=["tenant", "principal", "ends_on"], name="absence_lookup")]
