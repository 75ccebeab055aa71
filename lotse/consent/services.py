"""Record and revoke consents and releases. Revocation acts at once: a revoked release stops
identity-bearing referrals to its agency; revoking the processing consent anonymises the case."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.cases.domains import ClientLanguage, LifeDomain
from lotse.cases.models import Case, CaseStatus
from lotse.cases.services.common import require_not_restricted, require_same_tenant
from lotse.consent.models import Consent, ConsentPurpose, Release

# Version of the information sheet and consent form (lotse/consent/sheets); printed on the form.
FORM_VERSION = "2026-11"


def _check_form(case: Case, language: str, given_on: datetime.date) -> None:
    # Recording is processing (Art. 18 GDPR); revoking stays possible: it only stops processing.
    require_not_restricted(case)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed and can no longer be changed. Reopen it first."))
    if language not in ClientLanguage.values:
        raise ValidationError(_("Choose the language of the form the client signed."))
    if given_on > timezone.localdate():
        raise ValidationError(_("The date of signature cannot lie in the future."))


def consent_record(
    case: Case,
    *,
    actor: Any,
    purpose: str,
    language: str,
    given_on: datetime.date,
    form_version: str = FORM_VERSION,
) -> Consent:
    _check_form(case, language, given_on)
    if purpose not in ConsentPurpose.values:
        raise ValidationError(_("Choose the purpose of the consent."))
    if (
        purpose != ConsentPurpose.PROCESSING
        and not Consent.objects.filter(case=case, purpose=ConsentPurpose.PROCESSING, revoked_at__isnull=True).exists()
    ):
        raise ValidationError(_("Record the consent to processing in the case management first."))
    with transaction.atomic():
        if Consent.objects.select_for_update().filter(case=case, purpose=purpose, revoked_at__isnull=True).exists():
            raise ValidationError(_("A consent for this purpose is already in force."))
        consent = Consent.objects.create(
            case=case,
            purpose=purpose,
            language=language,
            given_on=given_on,
            form_version=form_version,
            recorded_by=actor,
        )
        audit_record(
            action="consent.recorded",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=consent,
            details={"purpose": purpose, "language": language, "form_version": form_version},
        )
    return consent


def consent_revoke(consent: Consent, *, actor: Any) -> Consent:
    """Widerruf in one step. Revoking the processing consent revokes everything else too and
    anonymises the case (statistics stay)."""
    from lotse.cases.services.cases import case_anonymise

    if consent.revoked_at is not None:
        raise ValidationError(_("This consent is already revoked."))
    now = timezone.now()
    case = consent.case
    with transaction.atomic():
        Consent.objects.filter(pk=consent.pk).update(revoked_at=now, revoked_by=actor)
        audit_record(
            action="consent.revoked",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=consent,
            details={"purpose": consent.purpose},
        )
        if consent.purpose == ConsentPurpose.PROCESSING:
            Consent.objects.filter(case=case, revoked_at__isnull=True).update(revoked_at=now, revoked_by=actor)
            case_anonymise(Case.objects.get(pk=case.pk), actor=actor)
    consent.refresh_from_db()
    return consent


def release_record(
    case: Case,
    *,
    actor: Any,
    agency: Any,
    topics: list[str],
    language: str,
    given_on: datetime.date,
    valid_until: datetime.date | None = None,
    form_version: str = FORM_VERSION,
) -> Release:
    """Schweigepflichtentbindung for one agency and the given topics."""
    _check_form(case, language, given_on)
    require_same_tenant(case.tenant_id, agency)
    if not topics or set(topics) - set(LifeDomain.values):
        raise ValidationError(_("Choose at least one topic the release covers."))
    if valid_until is not None and valid_until < given_on:
        raise ValidationError(_("The release cannot end before it was signed."))
    if case.is_anonymous:
        raise ValidationError(_("A release only makes sense for a named client: record the identity first."))
    with transaction.atomic():
        release = Release.objects.create(
            case=case,
            agency=agency,
            topics=sorted(set(topics)),
            language=language,
            given_on=given_on,
            valid_until=valid_until,
            form_version=form_version,
            recorded_by=actor,
        )
        audit_record(
            action="release.recorded",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=release,
            details={"agency": agency.pk, "topics": release.topics},
        )
    return release


def release_revoke(release: Release, *, actor: Any) -> Release:
    if release.revoked_at is not None:
        raise ValidationError(_("This release is already revoked."))
    with transaction.atomic():
        Release.objects.filter(pk=release.pk).update(revoked_at=timezone.now(), revoked_by=actor)
        audit_record(
            action="release.revoked",
            actor=actor,
            tenant_id=release.case.tenant_id,
            obj=release,
            details={"agency": release.agency_id},
        )
    release.refresh_from_db()
    return release
