"""The case itself: opening with a case number, details, assignment, handover, closure and
reopening, anonymisation."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.cases.models import (
    Case,
    CaseNumberCounter,
    CaseSettings,
    CaseStatus,
    ClosureReason,
    FollowUp,
    GoalStatus,
    Handover,
    HandoverKind,
    Identity,
)
from lotse.cases.services.common import require_not_restricted, require_open, require_same_tenant
from lotse.core.versioning import save_versioned
from lotse.tenants.models import Membership, Provider, Role, Tenant


def case_settings(tenant: Tenant) -> CaseSettings:
    settings_, _created = CaseSettings.objects.get_or_create(tenant=tenant)
    return settings_


def format_case_number(fmt: str, *, prefix: str, year: int, seq: int) -> str:
    try:
        return fmt.format(prefix=prefix, year=year, seq=seq)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        raise ValidationError(
            _("The case number format is invalid. Use only {prefix}, {year} and {seq}, e.g. {prefix}-{year}-{seq:05d}.")
        ) from exc


def validate_number_format(fmt: str) -> None:
    if "{seq" not in fmt:
        raise ValidationError(_("The case number format needs the running number {seq}."))
    format_case_number(fmt, prefix="X", year=2000, seq=1)


def _next_number(tenant: Tenant, day: datetime.date) -> str:
    """Draw the next running number of the year under a row lock (no gaps under concurrency,
    no duplicates)."""
    settings_ = case_settings(tenant)
    CaseNumberCounter.objects.get_or_create(tenant=tenant, year=day.year)
    counter = CaseNumberCounter.objects.select_for_update().get(tenant=tenant, year=day.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_case_number(settings_.number_format, prefix=settings_.number_prefix, year=day.year, seq=counter.last)


def active_case_manager(tenant: Tenant, user_id: int) -> Membership:
    membership = (
        Membership.objects.filter(
            tenant=tenant,
            user_id=user_id,
            role=Role.CASE_MANAGER,
            is_active=True,
            accepted_at__isnull=False,
            user__is_active=True,
        )
        .select_related("provider", "user")
        .first()
    )
    if membership is None:
        raise ValidationError(_("Choose an active case manager of this tenant."))
    return membership


def case_open(
    *,
    actor: Any,
    tenant: Tenant,
    case_manager_id: int | None,
    provider: Provider,
    pseudonym: str,
    intake_channel: str,
    location: Any = None,
    intake_agency: Any = None,
    languages: str = "",
    interpreter_needed: bool = False,
    interpreter_language: str = "",
    opened_on: datetime.date | None = None,
) -> Case:
    """Erstkontakt: a new case, anonymous until the client wishes otherwise."""
    require_same_tenant(tenant.pk, provider, location, intake_agency)
    if location is not None and location.provider_id != provider.pk:
        raise ValidationError(_("The location belongs to another provider."))
    if case_manager_id is not None:
        membership = active_case_manager(tenant, case_manager_id)
        if membership.provider_id != provider.pk:
            raise ValidationError(_("The case manager works for another provider."))
    opened_on = opened_on or timezone.localdate()
    if opened_on > timezone.localdate():
        raise ValidationError(_("A case cannot be opened in the future."))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    tenant=tenant,
                    number=_next_number(tenant, opened_on),
                    pseudonym=pseudonym.strip(),
                    case_manager_id=case_manager_id,
                    provider=provider,
                    location=location,
                    intake_channel=intake_channel,
                    intake_agency=intake_agency,
                    languages=languages.strip(),
                    interpreter_needed=interpreter_needed,
                    interpreter_language=interpreter_language.strip() if interpreter_needed else "",
                    opened_on=opened_on,
                    updated_by=actor,
                )
                audit_record(action="case.created", actor=actor, tenant=tenant, obj=case)
                return case
        except IntegrityError:
            # a number taken by a case created with another format earlier: draw the next one
            continue
    raise ValidationError(_("No free case number could be drawn; check the case number format."))


CASE_DETAIL_FIELDS = (
    "pseudonym",
    "location",
    "intake_channel",
    "intake_agency",
    "languages",
    "interpreter_needed",
    "interpreter_language",
)


def case_update(case: Case, *, actor: Any, expected_version: int, **fields: Any) -> Case:
    require_open(case)
    unknown = set(fields) - set(CASE_DETAIL_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    require_same_tenant(case.tenant_id, *fields.values())
    location = fields.get("location")
    if location is not None and location.provider_id != case.provider_id:
        raise ValidationError(_("The location belongs to another provider."))
    if not fields.get("interpreter_needed", case.interpreter_needed):
        fields["interpreter_language"] = ""
    with transaction.atomic():
        changed = [k for k, v in fields.items() if getattr(case, k) != v]
        save_versioned(case, expected_version=expected_version, changes=fields, actor=actor)
        audit_record(
            action="case.updated", actor=actor, tenant_id=case.tenant_id, obj=case, details={"fields": changed}
        )
    return case


def case_assign(case: Case, *, actor: Any, case_manager_id: int, expected_version: int) -> Case:
    """Einsatzmanagement: the coordinator gives a case to a case manager (the case moves to
    that case manager's provider)."""
    require_open(case)
    membership = active_case_manager(case.tenant, case_manager_id)
    with transaction.atomic():
        save_versioned(
            case,
            expected_version=expected_version,
            changes={"case_manager_id": membership.user_id, "provider_id": membership.provider_id, "location": None}
            if membership.provider_id != case.provider_id
            else {"case_manager_id": membership.user_id},
            actor=actor,
        )
        audit_record(
            action="case.assigned",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=case,
            details={"case_manager": membership.user_id},
        )
    return case


def case_handover(
    case: Case,
    *,
    actor: Any,
    kind: str,
    reason: str,
    expected_version: int,
    to_user_id: int | None = None,
    to_provider: Provider | None = None,
    to_agency: Any = None,
    handed_on: datetime.date | None = None,
) -> Case:
    """Übergabe der Fallverantwortung: to another case manager (any provider of the tenant),
    to a provider (its coordinator assigns it), or to an agency with its own case management
    (the KIM case then closes, handed to regular services)."""
    require_open(case)
    require_same_tenant(case.tenant_id, to_provider, to_agency)
    handed_on = handed_on or timezone.localdate()
    if not reason.strip():
        raise ValidationError(_("Give a reason for the handover."))
    changes: dict[str, Any]
    if kind == HandoverKind.CASE_MANAGER:
        if to_user_id is None:
            raise ValidationError(_("Choose the case manager who takes over."))
        membership = active_case_manager(case.tenant, to_user_id)
        if membership.user_id == case.case_manager_id:
            raise ValidationError(_("The case manager already holds this case."))
        changes = {"case_manager_id": membership.user_id}
        if membership.provider_id != case.provider_id:
            changes.update(provider_id=membership.provider_id, location=None)
        to_provider = membership.provider
    elif kind == HandoverKind.PROVIDER:
        if to_provider is None or to_provider.pk == case.provider_id:
            raise ValidationError(_("Choose another provider."))
        changes = {"case_manager_id": None, "provider_id": to_provider.pk, "location": None}
    elif kind == HandoverKind.AGENCY:
        if to_agency is None or not to_agency.has_own_case_management:
            raise ValidationError(_("Choose an agency with its own case management."))
        changes = {
            "status": CaseStatus.CLOSED,
            "closure_reason": ClosureReason.REGULAR_SERVICES,
            "closed_on": handed_on,
            "closed_by": actor,
        }
    else:
        raise ValidationError(_("Choose the kind of handover."))
    with transaction.atomic():
        Handover.objects.create(
            case=case,
            kind=kind,
            from_user_id=case.case_manager_id,
            to_user_id=changes.get("case_manager_id"),
            from_provider_id=case.provider_id,
            to_provider=to_provider,
            to_agency=to_agency,
            reason=reason.strip(),
            handed_on=handed_on,
            created_by=actor,
        )
        if kind == HandoverKind.AGENCY:
            FollowUp.objects.filter(case=case, done_on__isnull=True).update(done_on=handed_on)
            changes["next_follow_up_on"] = None
        save_versioned(case, expected_version=expected_version, changes=changes, actor=actor)
        audit_record(action="case.handed_over", actor=actor, tenant_id=case.tenant_id, obj=case, details={"kind": kind})
    return case


def closure_request(
    case: Case,
    *,
    actor: Any,
    reason: str,
    note: str,
    goal_outcomes: dict[int, str],
    expected_version: int,
) -> Case:
    """Abschluss: record reason and the outcome of every open goal. Closes at once, or waits
    for the coordinator's approval when the tenant requires it."""
    require_open(case)
    if reason not in ClosureReason.values:
        raise ValidationError(_("Choose a reason for the closure."))
    open_goals = list(case.goals.filter(status=GoalStatus.OPEN))
    missing = [g for g in open_goals if goal_outcomes.get(g.pk) in (None, "", GoalStatus.OPEN)]
    if missing:
        raise ValidationError(_("Record the outcome of every open goal before closing the case."))
    today = timezone.localdate()
    needs_approval = case_settings(case.tenant).closure_requires_approval
    with transaction.atomic():
        for goal in open_goals:
            if goal_outcomes[goal.pk] not in GoalStatus.values:
                raise ValidationError(_("Unknown goal outcome."))
            type(goal).objects.filter(pk=goal.pk).update(status=goal_outcomes[goal.pk], updated_by=actor)
        changes: dict[str, Any] = {"closure_reason": reason, "closure_note": note.strip()}
        if needs_approval:
            changes.update(
                status=CaseStatus.CLOSURE_REQUESTED, closure_requested_by=actor, closure_requested_at=timezone.now()
            )
            action = "case.closure_requested"
        else:
            changes.update(status=CaseStatus.CLOSED, closed_on=today, closed_by=actor, next_follow_up_on=None)
            FollowUp.objects.filter(case=case, done_on__isnull=True).update(done_on=today)
            action = "case.closed"
        save_versioned(case, expected_version=expected_version, changes=changes, actor=actor)
        audit_record(action=action, actor=actor, tenant_id=case.tenant_id, obj=case, details={"reason": reason})
    return case


def closure_decide(case: Case, *, actor: Any, approve: bool, expected_version: int) -> Case:
    """Fachaufsicht: the coordinator approves the requested closure or returns the case."""
    require_not_restricted(case)
    if case.status != CaseStatus.CLOSURE_REQUESTED:
        raise ValidationError(_("No closure of this case is waiting for a decision."))
    today = timezone.localdate()
    with transaction.atomic():
        if approve:
            FollowUp.objects.filter(case=case, done_on__isnull=True).update(done_on=today)
            changes: dict[str, Any] = {
                "status": CaseStatus.CLOSED,
                "closed_on": today,
                "closed_by": actor,
                "next_follow_up_on": None,
            }
            action = "case.closed"
        else:
            changes = {"status": CaseStatus.OPEN, "closure_requested_by": None, "closure_requested_at": None}
            action = "case.closure_rejected"
        save_versioned(case, expected_version=expected_version, changes=changes, actor=actor)
        audit_record(action=action, actor=actor, tenant_id=case.tenant_id, obj=case)
    return case


def case_reopen(case: Case, *, actor: Any, expected_version: int) -> Case:
    """Wiederaufnahme: a closed case opens again for its case manager; logged."""
    require_not_restricted(case)
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("Only a closed case can be reopened."))
    if case.anonymised_at is not None:
        raise ValidationError(_("An anonymised case cannot be reopened; open a new case."))
    if case.case_manager_id is None:
        raise ValidationError(_("The case has no case manager; the coordinator assigns it first."))
    with transaction.atomic():
        save_versioned(
            case,
            expected_version=expected_version,
            changes={
                "status": CaseStatus.OPEN,
                "closed_on": None,
                "closed_by": None,
                "closure_reason": "",
                "closure_note": "",
                "closure_requested_by": None,
                "closure_requested_at": None,
            },
            actor=actor,
        )
        audit_record(action="case.reopened", actor=actor, tenant_id=case.tenant_id, obj=case)
    return case


def case_anonymise(case: Case, *, actor: Any) -> Case:
    """After the processing consent is revoked: the identity and every free text go, the case
    closes; codes, dates and counts stay for the statistics."""
    from lotse.cases.models import AssessmentEntry, Contact, Document, Goal, GoalStep, HouseholdMember
    from lotse.consent.models import Release

    now = timezone.now()
    with transaction.atomic():
        Identity.objects.filter(case=case).delete()
        HouseholdMember.objects.filter(case=case).update(note="")
        AssessmentEntry.objects.filter(assessment__case=case).update(situation="", resources="")
        Goal.objects.filter(case=case).update(text="–")
        Goal.objects.filter(case=case, status=GoalStatus.OPEN).update(status=GoalStatus.DROPPED)
        GoalStep.objects.filter(goal__case=case).update(text="–")
        Contact.objects.filter(case=case).update(note="")
        case.referrals.update(note="", outcome="", decline_reason="")
        from lotse.cases import storage

        for name in Document.objects.filter(case=case).values_list("storage_name", flat=True):
            transaction.on_commit(functools.partial(storage.delete, name), robust=True)
        Document.objects.filter(case=case).delete()
        Release.objects.filter(case=case, revoked_at__isnull=True).update(revoked_at=now, revoked_by=actor)
        FollowUp.objects.filter(case=case, done_on__isnull=True).update(done_on=now.date())
        changes: dict[str, Any] = {
            "is_anonymous": True,
            "anonymised_at": now,
            "closure_note": "",
            "next_follow_up_on": None,
        }
        if case.status != CaseStatus.CLOSED:
            changes.update(
                status=CaseStatus.CLOSED,
                closure_reason=ClosureReason.CONSENT_REVOKED,
                closed_on=now.date(),
                closed_by=actor,
            )
        save_versioned(case, expected_version=case.version, changes=changes, actor=actor)
        audit_record(action="case.anonymised", actor=actor, tenant_id=case.tenant_id, obj=case)
    return case
