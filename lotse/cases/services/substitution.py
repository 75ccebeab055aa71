"""Vertretung: name substitutes (case managers of contracted providers) and enter absences."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.cases.models import Absence, SubstituteNomination
from lotse.cases.services.cases import active_case_manager
from lotse.tenants.models import Tenant


def nomination_add(*, tenant: Tenant, actor: Any, principal: Any, substitute_id: int) -> SubstituteNomination:
    if substitute_id == principal.pk:
        raise ValidationError(_("You cannot name yourself as your substitute."))
    membership = active_case_manager(tenant, substitute_id)
    if not membership.provider or not membership.provider.is_contracted:
        raise ValidationError(_("Substitutes must work for a provider bound by the cooperation contract (seed §3(3))."))
    try:
        with transaction.atomic():
            nomination = SubstituteNomination.objects.create(
                tenant=tenant, principal=principal, substitute_id=substitute_id
            )
            audit_record(
                action="substitution.nominated",
                actor=actor,
                tenant=tenant,
                obj=nomination,
                details={"principal": principal.pk, "substitute": substitute_id},
            )
    except IntegrityError as exc:
        raise ValidationError(_("This person is already named as your substitute.")) from exc
    return nomination


def nomination_remove(*, tenant: Tenant, actor: Any, principal: Any, nomination_id: int) -> None:
    with transaction.atomic():
        nomination = SubstituteNomination.objects.filter(tenant=tenant, principal=principal, pk=nomination_id).first()
        if nomination is None:
            raise ValidationError(_("This substitute is not named (any more)."))
        audit_record(
            action="substitution.removed",
            actor=actor,
            tenant=tenant,
            obj=nomination,
            details={"principal": principal.pk, "substitute": nomination.substitute_id},
        )
        nomination.delete()


def absence_add(
    *, tenant: Tenant, actor: Any, principal: Any, starts_on: datetime.date, ends_on: datetime.date
) -> Absence:
    if ends_on < starts_on:
        raise ValidationError(_("The absence must end on or after its first day."))
    if (ends_on - starts_on).days > 366:
        raise ValidationError(_("An absence can last at most one year; enter a new one afterwards."))
    with transaction.atomic():
        absence = Absence.objects.create(tenant=tenant, principal=principal, starts_on=starts_on, ends_on=ends_on)
        audit_record(
            action="absence.created",
            actor=actor,
            tenant=tenant,
            obj=absence,
            details={"principal": principal.pk, "from": starts_on.isoformat(), "until": ends_on.isoformat()},
        )
    return absence


def absence_end(*, tenant: Tenant, actor: Any, principal: Any, absence_id: int, ends_on: datetime.date) -> Absence:
    """End an absence early (back at work): substitutes lose access from the next day."""
    with transaction.atomic():
        absence = Absence.objects.select_for_update().filter(tenant=tenant, principal=principal, pk=absence_id).first()
        if absence is None:
            raise ValidationError(_("This absence does not exist."))
        if ends_on < absence.starts_on - datetime.timedelta(days=1):
            raise ValidationError(_("The absence cannot end before it starts."))
        absence.ends_on = max(ends_on, absence.starts_on)
        if ends_on < absence.starts_on:
            absence.delete()
        else:
            absence.save(update_fields=["ends_on"])
        audit_record(
            action="absence.updated",
            actor=actor,
            tenant=tenant,
            object_type="cases.absence",
            object_id=absence_id,
            details={"principal": principal.pk, "until": ends_on.isoformat()},
        )
    return absence
