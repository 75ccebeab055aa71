"""Case work: household, assessment, goal agreement, contacts, follow-ups, barriers."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.cases.domains import SPECIAL_DOMAINS, LifeDomain
from lotse.cases.models import (
    Assessment,
    AssessmentEntry,
    Barrier,
    Case,
    Contact,
    FollowUp,
    Goal,
    GoalStatus,
    GoalStep,
    HouseholdMember,
)
from lotse.cases.services.cases import case_settings
from lotse.cases.services.common import require_not_restricted, require_open, require_same_tenant
from lotse.core.versioning import save_versioned


def _not_future(day: datetime.date | None, message: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError(message)


def has_health_consent(case: Case) -> bool:
    from lotse.consent.selectors import consent_valid

    return consent_valid(case, "health")


def household_add(case: Case, *, actor: Any, relation: str, birth_year: int | None, note: str = "") -> HouseholdMember:
    require_open(case)
    if birth_year is not None and not 1900 <= birth_year <= timezone.localdate().year:
        raise ValidationError(_("Enter a year of birth between 1900 and this year."))
    with transaction.atomic():
        member = HouseholdMember.objects.create(case=case, relation=relation, birth_year=birth_year, note=note.strip())
        audit_record(action="household.changed", actor=actor, tenant_id=case.tenant_id, obj=case)
    return member


def household_remove(case: Case, *, actor: Any, member_id: int) -> None:
    require_open(case)
    with transaction.atomic():
        deleted, _rows = HouseholdMember.objects.filter(case=case, pk=member_id).delete()
        if not deleted:
            raise ValidationError(_("This household member does not exist (any more)."))
        audit_record(action="household.changed", actor=actor, tenant_id=case.tenant_id, obj=case)


def assessment_create(
    case: Case, *, actor: Any, assessed_on: datetime.date, entries: dict[str, dict[str, Any]]
) -> Assessment:
    """A dated assessment over the life domains. ``entries`` maps domain → need_level,
    situation, resources. Health is recorded only with the explicit health consent."""
    require_open(case)
    _not_future(assessed_on, _("An assessment cannot lie in the future."))
    if assessed_on < case.opened_on:
        raise ValidationError(_("An assessment cannot lie before the opening of the case."))
    unknown = set(entries) - set(LifeDomain.values)
    if unknown:
        raise ValidationError(_("Unknown life domain."))
    special = [d for d in entries if d in SPECIAL_DOMAINS and _has_content(entries[d])]
    if special and not has_health_consent(case):
        raise ValidationError(
            _("Health is a special category of data: record the client's explicit consent for health data first.")
        )
    with transaction.atomic():
        is_initial = not case.assessments.exists()
        assessment = Assessment.objects.create(
            case=case, assessed_on=assessed_on, is_initial=is_initial, created_by=actor
        )
        AssessmentEntry.objects.bulk_create(
            AssessmentEntry(
                assessment=assessment,
                domain=domain,
                need_level=int(values.get("need_level") or 0),
                situation=(values.get("situation") or "").strip(),
                resources=(values.get("resources") or "").strip(),
            )
            for domain, values in entries.items()
        )
        latest = case.assessments.order_by("-assessed_on").values_list("assessed_on", flat=True).first() or assessed_on
        interval = case_settings(case.tenant).reassessment_interval_days
        Case.objects.filter(pk=case.pk).update(next_reassessment_on=latest + datetime.timedelta(days=interval))
        audit_record(action="assessment.created", actor=actor, tenant_id=case.tenant_id, obj=assessment)
    case.refresh_from_db()
    return assessment


def _has_content(values: dict[str, Any]) -> bool:
    return bool(int(values.get("need_level") or 0) or values.get("situation") or values.get("resources"))


def goal_create(case: Case, *, actor: Any, domain: str, text: str, agreed_on: datetime.date | None = None) -> Goal:
    require_open(case)
    agreed_on = agreed_on or timezone.localdate()
    _not_future(agreed_on, _("A goal cannot be agreed in the future."))
    if domain in SPECIAL_DOMAINS and not has_health_consent(case):
        raise ValidationError(
            _("Health is a special category of data: record the client's explicit consent for health data first.")
        )
    with transaction.atomic():
        goal = Goal.objects.create(
            case=case, domain=domain, text=text.strip(), agreed_on=agreed_on, created_by=actor, updated_by=actor
        )
        audit_record(action="goal.created", actor=actor, tenant_id=case.tenant_id, obj=goal)
    return goal


def goal_update(goal: Goal, *, actor: Any, expected_version: int, text: str, status: str) -> Goal:
    require_open(goal.case)
    if status not in GoalStatus.values:
        raise ValidationError(_("Unknown goal status."))
    with transaction.atomic():
        save_versioned(
            goal, expected_version=expected_version, changes={"text": text.strip(), "status": status}, actor=actor
        )
        audit_record(action="goal.updated", actor=actor, tenant_id=goal.case.tenant_id, obj=goal)
    return goal


def step_add(goal: Goal, *, actor: Any, text: str, actor_kind: str, due_on: datetime.date | None) -> GoalStep:
    require_open(goal.case)
    with transaction.atomic():
        step = GoalStep.objects.create(goal=goal, text=text.strip(), actor=actor_kind, due_on=due_on)
        audit_record(action="goal.step_added", actor=actor, tenant_id=goal.case.tenant_id, obj=goal)
    return step


def step_done(step: GoalStep, *, actor: Any) -> GoalStep:
    require_open(step.goal.case)
    if step.done_on is not None:
        raise ValidationError(_("This step is already done."))
    with transaction.atomic():
        step.done_on = timezone.localdate()
        step.save(update_fields=["done_on"])
        audit_record(action="goal.step_done", actor=actor, tenant_id=step.goal.case.tenant_id, obj=step.goal)
    return step


def contact_create(
    case: Case,
    *,
    actor: Any,
    occurred_on: datetime.date,
    kind: str,
    duration_minutes: int,
    effort_minutes: int,
    interpreter_used: bool,
    topics: list[str],
    note: str = "",
) -> Contact:
    require_open(case)
    _not_future(occurred_on, _("A contact cannot lie in the future."))
    if occurred_on < case.opened_on:
        raise ValidationError(_("A contact cannot lie before the opening of the case."))
    if effort_minutes < duration_minutes:
        raise ValidationError(_("The total effort includes the contact itself and cannot be shorter."))
    if set(topics) - set(LifeDomain.values):
        raise ValidationError(_("Unknown topic."))
    with transaction.atomic():
        contact = Contact.objects.create(
            case=case,
            occurred_on=occurred_on,
            kind=kind,
            duration_minutes=duration_minutes,
            effort_minutes=effort_minutes,
            interpreter_used=interpreter_used,
            topics=sorted(set(topics)),
            note=note.strip(),
            created_by=actor,
        )
        audit_record(action="contact.created", actor=actor, tenant_id=case.tenant_id, obj=contact)
    return contact


def _refresh_next_follow_up(case: Case) -> None:
    nxt = FollowUp.objects.filter(case=case, done_on__isnull=True).aggregate(d=Min("due_on"))["d"]
    Case.objects.filter(pk=case.pk).update(next_follow_up_on=nxt)
    case.next_follow_up_on = nxt


def followup_create(case: Case, *, actor: Any, due_on: datetime.date, note: str) -> FollowUp:
    require_open(case)
    if due_on < timezone.localdate():
        raise ValidationError(_("A follow-up date cannot lie in the past."))
    with transaction.atomic():
        follow_up = FollowUp.objects.create(case=case, due_on=due_on, note=note.strip(), created_by=actor)
        _refresh_next_follow_up(case)
        audit_record(action="followup.created", actor=actor, tenant_id=case.tenant_id, obj=follow_up)
    return follow_up


def followup_done(case: Case, *, actor: Any, follow_up_id: int) -> None:
    require_open(case)
    with transaction.atomic():
        updated = FollowUp.objects.filter(case=case, pk=follow_up_id, done_on__isnull=True).update(
            done_on=timezone.localdate()
        )
        if not updated:
            raise ValidationError(_("This follow-up is already done."))
        _refresh_next_follow_up(case)
        audit_record(
            action="followup.done",
            actor=actor,
            tenant_id=case.tenant_id,
            object_type="cases.followup",
            object_id=follow_up_id,
        )


def barrier_create(
    case: Case,
    *,
    actor: Any,
    domain: str,
    description: str,
    municipality: Any = None,
    agency: Any = None,
    institution: str = "",
) -> Barrier:
    """Hemmnis from a case; works on closed cases too (barriers are often seen at the end)."""
    require_same_tenant(case.tenant_id, municipality, agency)
    require_not_restricted(case)
    if case.anonymised_at is not None:
        raise ValidationError(_("This case is anonymised."))
    if not description.strip():
        raise ValidationError(_("Describe the barrier."))
    if agency is None and not institution.strip():
        raise ValidationError(_("Name the institution concerned: choose it from the directory or type its name."))
    with transaction.atomic():
        barrier = Barrier.objects.create(
            tenant_id=case.tenant_id,
            case=case,
            provider_id=case.provider_id,
            municipality=municipality,
            domain=domain,
            agency=agency,
            institution=institution.strip(),
            description=description.strip(),
            created_by=actor,
        )
        audit_record(action="barrier.created", actor=actor, tenant_id=case.tenant_id, obj=barrier)
    return barrier
