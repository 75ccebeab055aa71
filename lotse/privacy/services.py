"""Writes of the privacy operations: opening a request, rectification with history,
restriction and its lifting, erasure, the retention rule and the retention run. Keyword-only,
atomic, each with its audit event in the same transaction. Details name ids and codes only."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.cases.identity import FIELDS as IDENTITY_FIELDS
from lotse.cases.identity import IdentityData, duplicate_key, seal, unseal
from lotse.cases.models import Case, CaseStatus, FollowUp, Handover, Identity, Referral
from lotse.core import crypto
from lotse.core.versioning import StaleObjectError, save_versioned
from lotse.privacy.models import PrivacyRequest, Rectification, RequestKind, RetentionRule
from lotse.tenants.models import Tenant

# What erasure and retention leave in place of the pseudonym (it was chosen by people and may
# point to the client).
NEUTRAL_PSEUDONYM = "–"
MAX_RETENTION_MONTHS = 600

# Free-text fields of the case that may be rectified (identity fields: IdentityData).
CASE_TEXT_FIELDS = ("pseudonym", "languages", "interpreter_language", "closure_note")


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message)
    return value


def _require_kind(request: PrivacyRequest, kind: str) -> None:
    if request.kind != kind:
        raise ValidationError(_("This request does not cover this operation. Open a request of the matching kind."))


# --- requests -------------------------------------------------------------------------------


def request_open(
    *, actor: Any, tenant: Tenant, case: Case | None, kind: str, reference: str, reason: str
) -> PrivacyRequest:
    """Open a logged request for one case. ``case`` comes from
    :func:`lotse.access.privacy.case_for_request` (``None``: no case with that number)."""
    if case is None or case.tenant_id != tenant.pk:
        raise ValidationError({"number": _("No case of this tenant has this case number. Check the number.")})
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose the kind of request.")})
    reference = _text(reference, _("Enter the reference of the request."))
    reason = _text(reason, _("Enter the reason for the request."))
    with transaction.atomic():
        request = PrivacyRequest.objects.create(
            tenant=tenant, case=case, kind=kind, reference=reference[:120], reason=reason, opened_by=actor
        )
        audit_record(
            action="privacy.request_opened",
            actor=actor,
            tenant=tenant,
            obj=case,
            details={"request": request.pk, "kind": kind},
        )
    return request


# --- rectification (Art. 16) ----------------------------------------------------------------


def _history_ad(case_id: int) -> bytes:
    return f"privacy.rectification:{case_id}".encode()


def identity_version(case: Case) -> int:
    return Identity.objects.filter(case=case).values_list("version", flat=True).first() or 0


def rectify(
    request: PrivacyRequest,
    *,
    actor: Any,
    reason: str,
    case_fields: dict[str, str],
    identity: IdentityData | None,
    expected_version: int,
    expected_identity_version: int,
) -> list[str]:
    """Correct free-text case fields and the identity. Every changed field keeps its old value
    (encrypted) in the history. Works on restricted and closed cases (correcting contested data
    is what a restriction waits for); not on anonymised ones. Returns the changed fields."""
    _require_kind(request, RequestKind.RECTIFICATION)
    reason = _text(reason, _("Enter the reason for the rectification."))
    unknown = set(case_fields) - set(CASE_TEXT_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=request.case_id)
        if case.anonymised_at is not None:
            raise ValidationError(_("This case is anonymised; there is nothing left to rectify."))
        if case.version != expected_version:
            raise StaleObjectError(case, {})
        row = Identity.objects.select_for_update().filter(case=case).first()
        if (row.version if row else 0) != expected_identity_version:
            raise StaleObjectError(case, {})
        changed: list[tuple[str, str, bool]] = []
        new_case = {k: v.strip() for k, v in case_fields.items()}
        if "pseudonym" in new_case and not new_case["pseudonym"]:
            raise ValidationError({"pseudonym": _("The case needs a pseudonym.")})
        for name, value in new_case.items():
            old = getattr(case, name)
            if old != value:
                changed.append((name, old, False))
        new_identity = None
        if identity is not None:
            if row is None:
                raise ValidationError(_("This case has no identity recorded (anonymous counselling)."))
            if not identity.given_name.strip() or not identity.family_name.strip():
                raise ValidationError(_("Enter given name and family name."))
            if identity.birth_date and identity.birth_date > timezone.localdate():
                raise ValidationError(_("The birth date lies in the future."))
            current = unseal(bytes(row.ciphertext), case_id=case.pk)
            for name in IDENTITY_FIELDS:
                old, new = getattr(current, name), getattr(identity, name)
                if old != new:
                    changed.append((name, old.isoformat() if isinstance(old, datetime.date) else (old or ""), True))
            new_identity = identity
        if not changed:
            raise ValidationError(_("Nothing was changed."))
        for name, old, is_identity in changed:
            Rectification.objects.create(
                tenant_id=case.tenant_id,
                case=case,
                request=request,
                field=name,
                is_identity=is_identity,
                old_value_ciphertext=crypto.encrypt_text(str(old), associated_data=_history_ad(case.pk)),
                reason=reason,
                changed_by=actor,
            )
        case_changes = {n: new_case[n] for n, _old, is_id in changed if not is_id}
        if case_changes:
            save_versioned(case, expected_version=expected_version, changes=case_changes, actor=actor)
        if new_identity is not None and any(is_id for _n, _o, is_id in changed):
            Identity.objects.filter(case=case).update(
                ciphertext=seal(new_identity, case_id=case.pk),
                duplicate_key=duplicate_key(
                    given_name=new_identity.given_name,
                    family_name=new_identity.family_name,
                    birth_date=new_identity.birth_date,
                ),
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
        fields = [n for n, _o, _i in changed]
        audit_record(
            action="privacy.rectified",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=case,
            details={"request": request.pk, "fields": fields},
        )
    return fields


@dataclass(frozen=True)
class HistoryRow:
    field: str
    is_identity: bool
    old_value: str | None  # None: wiped by erasure
    reason: str
    changed_by: str
    changed_at: datetime.datetime


def rectification_history(request: PrivacyRequest, *, actor: Any) -> list[HistoryRow]:
    """The case's rectifications with their old values (decrypted). Showing old identity
    values is an identity read: it is audited."""
    rows = list(Rectification.objects.filter(case_id=request.case_id).select_related("changed_by"))
    result = []
    for row in rows:
        old = None
        if row.old_value_ciphertext is not None:
            old = crypto.decrypt_text(bytes(row.old_value_ciphertext), associated_data=_history_ad(row.case_id))
        result.append(
            HistoryRow(
                field=row.field,
                is_identity=row.is_identity,
                old_value=old,
                reason=row.reason,
                changed_by=row.changed_by.get_full_name() or row.changed_by.get_username(),
                changed_at=row.changed_at,
            )
        )
    if any(r.is_identity and r.old_value is not None for r in result):
        audit_record(
            action="privacy.history_viewed",
            actor=actor,
            tenant_id=request.tenant_id,
            obj=request.case,
            details={"request": request.pk},
        )
    return result


# --- restriction (Art. 18) ------------------------------------------------------------------


def restrict(request: PrivacyRequest, *, actor: Any, reason: str, expected_version: int) -> Case:
    """Freeze the case: stored only, every processing service refuses it (``require_open``)."""
    _require_kind(request, RequestKind.RESTRICTION)
    reason = _text(reason, _("Enter the reason for the restriction."))
    case = request.case
    if case.restricted_at is not None:
        raise ValidationError(_("Processing of this case is already restricted."))
    if case.anonymised_at is not None:
        raise ValidationError(_("This case is anonymised; there is nothing left to restrict."))
    with transaction.atomic():
        save_versioned(
            case,
            expected_version=expected_version,
            changes={"restricted_at": timezone.now(), "restriction_reason": reason[:300]},
            actor=actor,
        )
        audit_record(
            action="privacy.restricted",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=case,
            details={"request": request.pk},
        )
    return case


def restriction_lift(request: PrivacyRequest, *, actor: Any, expected_version: int) -> Case:
    _require_kind(request, RequestKind.RESTRICTION)
    case = request.case
    if case.restricted_at is None:
        raise ValidationError(_("Processing of this case is not restricted."))
    with transaction.atomic():
        save_versioned(
            case,
            expected_version=expected_version,
            changes={"restricted_at": None, "restriction_reason": ""},
            actor=actor,
        )
        audit_record(
            action="privacy.restriction_lifted",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=case,
            details={"request": request.pk},
        )
    return case


# --- erasure (Art. 17) and anonymisation ----------------------------------------------------


def anonymise_fully(case: Case, *, actor: Any) -> Case:
    """:func:`lotse.cases.services.cases.case_anonymise` (identity, free texts and documents
    go; codes, dates and counts stay) plus what it leaves that could still point to the client:
    the pseudonym, follow-up notes, handover reasons, override reasons of referrals and the old
    values in the rectification history. Barriers stay: they describe a structure, not the
    client, and feed the themes."""
    from lotse.cases.services.cases import case_anonymise

    with transaction.atomic():
        if case.anonymised_at is None:
            case_anonymise(case, actor=actor)
        FollowUp.objects.filter(case=case).update(note="")
        Handover.objects.filter(case=case).update(reason="")
        Referral.objects.filter(case=case).update(override_reason="")
        Rectification.objects.filter(case=case).update(old_value_ciphertext=None)
        Case.objects.filter(pk=case.pk).update(pseudonym=NEUTRAL_PSEUDONYM, languages="", interpreter_language="")
        case.refresh_from_db()
    return case


def erase(request: PrivacyRequest, *, actor: Any, expected_version: int) -> Case:
    """Irreversible. Refused while the case is restricted: a restriction often exists precisely
    to keep the data (Art. 18(1)(b)/(c)); the data-protection officer lifts it first."""
    _require_kind(request, RequestKind.ERASURE)
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=request.case_id)
        if case.version != expected_version:
            raise StaleObjectError(case, {})
        if case.restricted_at is not None:
            raise ValidationError(_("Processing of this case is restricted. Lift the restriction before erasing."))
        if case.anonymised_at is not None and case.pseudonym == NEUTRAL_PSEUDONYM:
            raise ValidationError(_("The personal data of this case are already erased."))
        anonymise_fully(case, actor=actor)
        audit_record(
            action="privacy.erased", actor=actor, tenant_id=case.tenant_id, obj=case, details={"request": request.pk}
        )
    return case


# --- retention ------------------------------------------------------------------------------


def retention_rule(tenant: Tenant) -> RetentionRule:
    rule, _created = RetentionRule.objects.get_or_create(tenant=tenant)
    return rule


def retention_rule_update(rule: RetentionRule, *, actor: Any, months: int, expected_version: int) -> RetentionRule:
    if months < 0 or months > MAX_RETENTION_MONTHS:
        raise ValidationError(
            {"months": _("Enter a number of months between 0 and %(max)d.") % {"max": MAX_RETENTION_MONTHS}}
        )
    with transaction.atomic():
        save_versioned(rule, expected_version=expected_version, changes={"months": months}, actor=actor)
        audit_record(
            action="privacy.retention_updated",
            actor=actor,
            tenant_id=rule.tenant_id,
            obj=rule,
            details={"months": months},
        )
    return rule


def months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class RetentionPlan:
    """What a retention run does in one tenant: cases due (number, closed on) and restricted
    cases held back."""

    tenant: Tenant
    months: int
    cutoff: datetime.date | None
    due: list[Case] = field(default_factory=list)
    held_back: list[Case] = field(default_factory=list)


def retention_plan(tenant: Tenant, *, today: datetime.date | None = None, cases: Any = None) -> RetentionPlan:
    """Closed cases not yet fully anonymised whose closure lies ``months`` or more back. ``cases``:
    the queryset to plan from (the access layer's scope in views; all cases in the command)."""
    today = today or timezone.localdate()
    months = retention_rule(tenant).months
    if months == 0:
        return RetentionPlan(tenant, 0, None)
    cutoff = months_before(today, months)
    # also cases anonymised earlier (consent revoked): that leaves the pseudonym and some
    # notes, which only the full anonymisation removes
    not_finished = Q(anonymised_at__isnull=True) | ~Q(pseudonym=NEUTRAL_PSEUDONYM)
    qs = (cases if cases is not None else Case.objects).filter(
        not_finished, tenant=tenant, status=CaseStatus.CLOSED, closed_on__lte=cutoff
    )
    plan = RetentionPlan(tenant, months, cutoff)
    for case in qs.only("pk", "number", "closed_on", "restricted_at", "tenant_id", "version").order_by(
        "closed_on", "pk"
    ):
        (plan.held_back if case.restricted_at is not None else plan.due).append(case)
    return plan


def retention_execute(plan: RetentionPlan) -> list[Case]:
    """Anonymise the due cases of a plan, each in its own transaction with its audit entry,
    then one summary entry for the run (only if something was done: a run without work leaves
    no trace, so running twice changes nothing)."""
    done = []
    for planned in plan.due:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=planned.pk)
            finished = case.anonymised_at is not None and case.pseudonym == NEUTRAL_PSEUDONYM
            if finished or case.restricted_at is not None or case.status != CaseStatus.CLOSED:
                continue  # changed since the plan was made
            anonymise_fully(case, actor=None)
            audit_record(
                action="privacy.retention_anonymised",
                tenant_id=case.tenant_id,
                obj=case,
                details={"months": plan.months},
            )
            done.append(case)
    if done:
        with transaction.atomic():
            audit_record(
                action="privacy.retention_run",
                tenant=plan.tenant,
                details={"anonymised": len(done), "held_back": len(plan.held_back), "months": plan.months},
            )
    return done
