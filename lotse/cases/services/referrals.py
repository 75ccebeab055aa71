"""Verweisberatung: referrals to partner agencies and their status."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.audit.services import audit_record
from lotse.cases.domains import LifeDomain
from lotse.cases.models import REFERRAL_TRANSITIONS, Case, Referral, ReferralStatus
from lotse.cases.services.common import require_open, require_same_tenant
from lotse.core.versioning import StaleObjectError, save_versioned

NO_RELEASE = gettext_lazy(
    "The client's identity may only be passed on with a valid release (Schweigepflichtentbindung) for this "
    "agency and topic. Record the release first, or send the referral without identity."
)


def referral_create(
    case: Case,
    *,
    actor: Any,
    agency: Any,
    topic: str,
    with_identity: bool,
    note: str = "",
    sent_on: datetime.date | None = None,
    override_reason: str = "",
    is_coordinator: bool = False,
) -> Referral:
    """Send a referral. With identity it needs a valid release for agency and topic; only a
    coordinator may override that, and only with a reason, which is logged."""
    from lotse.consent.selectors import release_for

    require_open(case)
    require_same_tenant(case.tenant_id, agency)
    if topic not in LifeDomain.values:
        raise ValidationError(_("Choose the topic of the referral."))
    if not agency.is_active:
        raise ValidationError(_("This agency is no longer active in the directory."))
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        raise ValidationError(_("A referral cannot be sent in the future."))
    release = None
    override = False
    if with_identity:
        if case.is_anonymous:
            raise ValidationError(_("This client is counselled anonymously; there is no identity to pass on."))
        release = release_for(case, agency_id=agency.pk, topic=topic)
        if release is None:
            if not is_coordinator:
                raise ValidationError(NO_RELEASE)
            if not override_reason.strip():
                raise ValidationError(_("Give the reason why the identity is passed on without a release."))
            override = True
    elif override_reason.strip():
        raise ValidationError(_("An override is only needed for a referral with identity."))
    with transaction.atomic():
        if release is not None:
            # the release must still be in force at the moment of writing (revocation wins)
            from lotse.consent.models import Release

            if not Release.objects.select_for_update().filter(pk=release.pk, revoked_at__isnull=True).exists():
                raise ValidationError(NO_RELEASE)
        referral = Referral.objects.create(
            case=case,
            agency=agency,
            topic=topic,
            with_identity=with_identity,
            release=release,
            override_reason=override_reason.strip() if override else "",
            override_by=actor if override else None,
            note=note.strip(),
            sent_on=sent_on,
            created_by=actor,
            updated_by=actor,
        )
        audit_record(
            action="referral.override" if override else "referral.created",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=referral,
            details={"agency": agency.pk, "with_identity": with_identity},
        )
    return referral


def referral_transition(
    referral: Referral,
    *,
    actor: Any,
    status: str,
    expected_version: int,
    decline_reason: str = "",
    outcome: str = "",
) -> Referral:
    require_open(referral.case)
    if referral.version != expected_version:
        # checked before the transition, which would otherwise judge the move from the new state
        current = type(referral).objects.get(pk=referral.pk)
        submitted = {"status": status, "decline_reason": decline_reason.strip(), "outcome": outcome.strip()}
        changed = {name: (value, getattr(current, name)) for name, value in submitted.items()}
        raise StaleObjectError(current, {name: pair for name, pair in changed.items() if pair[0] != pair[1]})
    if status not in REFERRAL_TRANSITIONS.get(referral.status, frozenset()):
        raise ValidationError(
            _("A referral that is %(current)s cannot become %(new)s.")
            % {
                "current": referral.get_status_display(),
                "new": ReferralStatus(status).label if status in ReferralStatus.values else status,
            }
        )
    if status == ReferralStatus.DECLINED and not decline_reason.strip():
        raise ValidationError(_("Give the reason the agency declined."))
    changes: dict[str, Any] = {"status": status}
    if decline_reason.strip():
        changes["decline_reason"] = decline_reason.strip()
    if outcome.strip():
        changes["outcome"] = outcome.strip()
    with transaction.atomic():
        save_versioned(referral, expected_version=expected_version, changes=changes, actor=actor)
        audit_record(
            action="referral.updated",
            actor=actor,
            tenant_id=referral.case.tenant_id,
            obj=referral,
            details={"status": status},
        )
    return referral
