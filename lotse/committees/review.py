"""Quality circle (Qualitätszirkel, seed 003 §8, Moerser Modell): coordinators pick exemplary
complex cases for a meeting; the circle's seat holders revise the processes of case management
on them – pseudonymised, under a label (“Case A”), never by case number or name.

Reads start from :func:`lotse.access.steering.meetings_scope` and ``review_cases_scope``;
picking a case goes through :func:`lotse.access.cases.cases_scope` (coordinators: every case of
the tenant). The reviewers' summary is built here as plain data (:class:`ReviewSummary`): no
``Case`` object reaches a template, so no field can leak by accident.

Shown: intake channel, interpreter needed, status, duration in months, need levels per life
domain (first and latest assessment), goals (domain and status), contacts by kind with total
effort, referrals (agency, topic, status), barriers (domain, institution), handovers by kind,
closure reason. Left out on purpose: case number, pseudonym, identity, household, provider,
location, case manager, every date, languages, every free text (goal texts and steps, notes,
situation and resources, barrier descriptions, referral outcomes, closure note), and whatever is
recorded under a special-category life domain (health, Art. 9 GDPR)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.access.cases import cases_scope
from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.access.steering import meetings_scope, review_cases_scope
from lotse.audit.services import audit_record
from lotse.cases.domains import SPECIAL_DOMAINS, LifeDomain, NeedLevel
from lotse.cases.models import (
    Assessment,
    AssessmentEntry,
    Barrier,
    Case,
    CaseStatus,
    ClosureReason,
    Contact,
    ContactKind,
    Goal,
    GoalStatus,
    Handover,
    HandoverKind,
    IntakeChannel,
    Referral,
    ReferralStatus,
)
from lotse.committees.models import BodyKind, Meeting, ReviewCase

# Life domains whose entries never reach the circle (special categories of personal data).
HIDDEN_DOMAINS: frozenset[str] = frozenset(SPECIAL_DOMAINS)

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# --- labels ---------------------------------------------------------------------------------------


def label_for(index: int) -> str:
    """The ``index``-th label (1-based): A … Z, AA … AZ, BA …"""
    if index < 1:
        raise ValueError("labels count from 1")
    label = ""
    while index:
        index, rest = divmod(index - 1, 26)
        label = _LETTERS[rest] + label
    return label


def label_index(label: str) -> int:
    """Inverse of :func:`label_for`; 0 for anything that is not such a label."""
    if not label or any(ch not in _LETTERS for ch in label):
        return 0
    index = 0
    for ch in label:
        index = index * 26 + _LETTERS.index(ch) + 1
    return index


def next_label(used: list[str]) -> str:
    """The label after the highest one in use (a removed pick's label in between is not reused,
    so that notes on “Case B” never come to mean another case)."""
    return label_for(max((label_index(label) for label in used), default=0) + 1)


def label_sort_key(label: str) -> tuple[int, str]:
    return (len(label), label)


# --- reading -------------------------------------------------------------------------------------


def review_meeting(ctx: AccessContext, pk: int) -> Meeting:
    """A quality-circle meeting the acting person may attend, or 404."""
    meeting = meetings_scope(ctx).select_related("body").filter(pk=pk, body__kind=BodyKind.QUALITY_CIRCLE).first()
    if meeting is None:
        raise Http404
    return meeting


def review_get(ctx: AccessContext, meeting: Meeting, pk: int) -> ReviewCase:
    """One pick of ``meeting`` through the scope, or 404."""
    review = review_cases_scope(ctx).select_related("case").filter(meeting=meeting, pk=pk).first()
    if review is None:
        raise Http404
    return review


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from ``start`` to ``end`` (0 if less than one)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)
    return max(months, 0)


def _duration_months(case: Case) -> int:
    return months_between(case.opened_on, case.closed_on or timezone.localdate())


@dataclass(frozen=True)
class ReviewRow:
    """One pick in the meeting's list. ``case_number`` and ``case_id`` are filled for
    coordinators only; reviewers never get them."""

    pk: int
    label: str
    status: str
    duration_months: int
    available: bool  # False once the case is anonymised (consent revoked)
    case_number: str = ""
    case_id: int | None = None


def review_rows(ctx: AccessContext, meeting: Meeting) -> list[ReviewRow]:
    """The picks of ``meeting`` with short, non-identifying facts, in label order."""
    coordinator = ctx.has(Perm.STEERING_MANAGE)
    statuses = dict(CaseStatus.choices)
    picks = review_cases_scope(ctx).filter(meeting=meeting).select_related("case")
    rows = [
        ReviewRow(
            pk=pick.pk,
            label=pick.label,
            status=str(statuses.get(pick.case.status, pick.case.status)),
            duration_months=_duration_months(pick.case),
            available=pick.case.anonymised_at is None,
            case_number=pick.case.number if coordinator else "",
            case_id=pick.case_id if coordinator else None,
        )
        for pick in picks
    ]
    return sorted(rows, key=lambda row: label_sort_key(row.label))


@dataclass(frozen=True)
class NeedRow:
    domain: str
    first: str
    latest: str | None  # None with a single assessment
    change: int | None  # latest − first need level


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int


@dataclass(frozen=True)
class ContactRow:
    kind: str
    count: int
    effort_minutes: int
    with_interpreter: int


@dataclass(frozen=True)
class GoalRow:
    domain: str
    status: str


@dataclass(frozen=True)
class ReferralRow:
    agency: str
    topic: str
    status: str


@dataclass(frozen=True)
class BarrierRow:
    domain: str
    institution: str


@dataclass(frozen=True)
class ReviewSummary:
    """What the quality circle sees of a picked case (see the module docstring)."""

    label: str
    status: str
    duration_months: int
    intake_channel: str
    interpreter_needed: bool
    closure_reason: str
    assessments: int
    needs: list[NeedRow]
    goals: list[GoalRow]
    contacts: list[ContactRow]
    contacts_total: int
    effort_minutes_total: int
    referrals: list[ReferralRow]
    barriers: list[BarrierRow]
    handovers: list[CountRow]

    @property
    def effort_hours(self) -> float:
        """Total effort in hours (display: ``|floatformat:1``)."""
        return self.effort_minutes_total / 60


def _labels(choices: Any) -> dict[Any, str]:
    return {value: str(label) for value, label in choices}


def _needs(case: Case) -> tuple[int, list[NeedRow]]:
    assessments = list(Assessment.objects.filter(case=case).order_by("assessed_on", "pk").values_list("pk", flat=True))
    if not assessments:
        return 0, []
    first_pk, latest_pk = assessments[0], assessments[-1]
    levels: dict[tuple[int, str], int] = {
        (assessment_id, domain): level
        for assessment_id, domain, level in AssessmentEntry.objects.filter(
            assessment_id__in={first_pk, latest_pk}
        ).values_list("assessment_id", "domain", "need_level")
    }
    level_labels = _labels(NeedLevel.choices)
    single = first_pk == latest_pk
    rows = []
    for domain in LifeDomain:
        if domain.value in HIDDEN_DOMAINS:
            continue
        first = levels.get((first_pk, domain.value))
        latest = None if single else levels.get((latest_pk, domain.value))
        if first is None and latest is None:
            continue
        rows.append(
            NeedRow(
                domain=str(domain.label),
                first=level_labels[first] if first is not None else "–",
                latest=None if single else (level_labels[latest] if latest is not None else "–"),
                change=latest - first if first is not None and latest is not None else None,
            )
        )
    return len(assessments), rows


def review_summary(review: ReviewCase) -> ReviewSummary:
    """The pseudonymised summary of a pick (``review.case`` loaded through the scope)."""
    case = review.case
    domains = _labels(LifeDomain.choices)
    assessments, needs = _needs(case)

    goal_statuses = _labels(GoalStatus.choices)
    goals = [
        GoalRow(domain=domains.get(domain, domain), status=goal_statuses.get(status, status))
        for domain, status in Goal.objects.filter(case=case)
        .exclude(domain__in=HIDDEN_DOMAINS)
        .order_by("agreed_on", "pk")
        .values_list("domain", "status")
    ]

    kinds = _labels(ContactKind.choices)
    contact_rows = (
        Contact.objects.filter(case=case)
        .values("kind")
        .annotate(n=Count("pk"), effort=Sum("effort_minutes"), interpreter=Count("pk", filter=Q(interpreter_used=True)))
        .order_by("kind")
    )
    contacts = [
        ContactRow(
            kind=kinds.get(row["kind"], row["kind"]),
            count=row["n"],
            effort_minutes=row["effort"] or 0,
            with_interpreter=row["interpreter"],
        )
        for row in contact_rows
    ]

    referral_statuses = _labels(ReferralStatus.choices)
    referrals = [
        ReferralRow(agency=agency, topic=domains.get(topic, topic), status=referral_statuses.get(status, status))
        for agency, topic, status in Referral.objects.filter(case=case)
        .exclude(topic__in=HIDDEN_DOMAINS)
        .order_by("sent_on", "pk")
        .values_list("agency__name", "topic", "status")
    ]

    barriers = [
        BarrierRow(domain=domains.get(domain, domain), institution=agency or institution or "–")
        for domain, agency, institution in Barrier.objects.filter(case=case)
        .exclude(domain__in=HIDDEN_DOMAINS)
        .order_by("recorded_on", "pk")
        .values_list("domain", "agency__name", "institution")
    ]

    handover_kinds = _labels(HandoverKind.choices)
    handovers = [
        CountRow(label=handover_kinds.get(row["kind"], row["kind"]), count=row["n"])
        for row in Handover.objects.filter(case=case).values("kind").annotate(n=Count("pk")).order_by("kind")
    ]

    closure = ""
    if case.status == CaseStatus.CLOSED and case.closure_reason:
        closure = _labels(ClosureReason.choices).get(case.closure_reason, case.closure_reason)
    return ReviewSummary(
        label=review.label,
        status=_labels(CaseStatus.choices).get(case.status, case.status),
        duration_months=_duration_months(case),
        intake_channel=_labels(IntakeChannel.choices).get(case.intake_channel, case.intake_channel),
        interpreter_needed=case.interpreter_needed,
        closure_reason=closure,
        assessments=assessments,
        needs=needs,
        goals=goals,
        contacts=contacts,
        contacts_total=sum(row.count for row in contacts),
        effort_minutes_total=sum(row.effort_minutes for row in contacts),
        referrals=referrals,
        barriers=barriers,
        handovers=handovers,
    )


def review_case_read(ctx: AccessContext, *, meeting: Meeting, pk: int, actor: Any) -> ReviewSummary:
    """The summary of one pick for display; writes ``review.case_viewed`` (ids only). An
    anonymised case (consent revoked) is no longer shown: 404."""
    review = review_get(ctx, meeting, pk)
    if review.case.anonymised_at is not None:
        raise Http404
    with transaction.atomic():
        summary = review_summary(review)
        audit_record(
            action="review.case_viewed",
            actor=actor,
            tenant_id=review.case.tenant_id,
            obj=review.case,
            details={"meeting": meeting.pk, "review": review.pk},
        )
    return summary


# --- writing -------------------------------------------------------------------------------------


def _require_manager(ctx: AccessContext) -> None:
    if not ctx.has(Perm.STEERING_MANAGE):
        raise PermissionDenied


def _find_case(ctx: AccessContext, number: str) -> Case | None:
    scope = cases_scope(ctx)
    case = scope.filter(number=number).first()
    if case is None:
        matches = list(scope.filter(number__iexact=number)[:2])
        case = matches[0] if len(matches) == 1 else None
    return case


def review_case_add(ctx: AccessContext, *, meeting: Meeting, number: str, actor: Any) -> ReviewCase:
    """Pick the case with ``number`` for ``meeting`` under the next free label. Refuses unknown
    numbers (and those of other tenants alike), anonymised cases and a second pick of a case."""
    _require_manager(ctx)
    number = number.strip()
    if not number:
        raise ValidationError(_("Enter the case number."))
    case = _find_case(ctx, number)
    if case is None:
        raise ValidationError(_("There is no case with this number. Check the number in the case list."))
    if case.anonymised_at is not None:
        raise ValidationError(_("This case is anonymised and can no longer be reviewed."))
    with transaction.atomic():
        # one pick at a time per meeting: the label is drawn under the meeting's row lock
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        picks = ReviewCase.objects.filter(meeting=meeting)
        if picks.filter(case=case).exists():
            raise ValidationError(_("This case is already picked for this meeting."))
        label = next_label(list(picks.values_list("label", flat=True)))
        try:
            with transaction.atomic():
                review = ReviewCase.objects.create(meeting=meeting, case=case, label=label, added_by=actor)
        except IntegrityError as exc:
            raise ValidationError(_("The case could not be picked; please try again.")) from exc
        audit_record(
            action="review.case_added",
            actor=actor,
            tenant_id=case.tenant_id,
            obj=case,
            details={"meeting": meeting.pk, "review": review.pk, "label": label},
        )
    return review


def review_case_remove(ctx: AccessContext, *, review: ReviewCase, actor: Any) -> None:
    """Take a pick off its meeting (the case itself stays untouched)."""
    _require_manager(ctx)
    with transaction.atomic():
        deleted, _rows = ReviewCase.objects.filter(pk=review.pk).delete()
        if not deleted:
            raise ValidationError(_("This case is no longer picked for the meeting."))
        audit_record(
            action="review.case_removed",
            actor=actor,
            tenant_id=review.case.tenant_id,
            obj=review.case,
            details={"meeting": review.meeting_id, "review": review.pk, "label": review.label},
        )
