"""Hand-built supervision data on top of the test world: cases, closures, referrals,
assessments and feedback whose figures the tests know by heart."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from lotse.accounts.models import User
from lotse.accounts.tests.factories import UserFactory
from lotse.cases.models import Assessment, AssessmentEntry, Case, CaseStatus, Referral
from lotse.feedback.models import FeedbackResponse
from lotse.network.models import Agency
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

TODAY = datetime.date.today()
_numbers = itertools.count(1)


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def this_month(months_back: int = 0) -> datetime.date:
    month = TODAY.replace(day=1)
    for _ in range(months_back):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return month


def make_case(
    part: Any,
    *,
    provider: Any = None,
    case_manager: User | None = None,
    opened: int = 50,
    closed: int | None = None,
    follow_up: datetime.date | None = None,
    reassessment: datetime.date | None = None,
) -> Case:
    """A case straight into the database (``opened``/``closed`` in days before today)."""
    return Case.objects.create(
        tenant=part.tenant,
        number=f"SUP-{next(_numbers):06d}",
        pseudonym="Statistik",
        provider=provider or part.provider,
        case_manager=case_manager,
        intake_channel="walk_in",
        opened_on=days_ago(opened),
        status=CaseStatus.CLOSED if closed is not None else CaseStatus.OPEN,
        closed_on=days_ago(closed) if closed is not None else None,
        next_follow_up_on=follow_up,
        next_reassessment_on=reassessment,
    )


def assess(case: Case, actor: User, days_back: int, levels: dict[str, int], *, initial: bool = False) -> Assessment:
    assessment = Assessment.objects.create(
        case=case, assessed_on=days_ago(days_back), is_initial=initial, created_by=actor
    )
    AssessmentEntry.objects.bulk_create(
        AssessmentEntry(assessment=assessment, domain=domain, need_level=level) for domain, level in levels.items()
    )
    return assessment


def refer(case: Case, agency: Agency, actor: User, status: str, days_back: int = 5) -> Referral:
    return Referral.objects.create(
        case=case, agency=agency, topic="work", status=status, sent_on=days_ago(days_back), created_by=actor
    )


def feedback(part: Any, provider: Any, month: datetime.date, **answers: int | None) -> FeedbackResponse:
    return FeedbackResponse.objects.create(tenant=part.tenant, provider=provider, month=month, language="de", **answers)


@dataclass
class Dataset:
    cm1: User
    cm2: User
    cm3: User
    abh: Agency


def build(part: Any) -> Dataset:
    """Provider A (``part.provider``) and provider B (``part.other_provider``) of one tenant.

    Open cases: CM1 3 (the world's case, one overdue follow-up, one overdue re-assessment),
    CM2 2, CM3 (provider B) 1 with an overdue follow-up, 1 unassigned at A.
    Closed in the period: A 10, 20 and 60 days long (median 20, mean 30), B 100 days; one closed
    at A two years ago (outside the period).
    Referrals in the period: Jobcenter sent 1 (the world's) + accepted 1 + declined 1 at A and
    done 1 at B; Ausländerbehörde done 2 at A; one at A sent two years ago.
    Need (initial → latest re-assessment): work at A 2 → 1 (world case) and 3 → 1; language 2 → 2.
    Feedback at A this month: 6 answers, "understood" 5,5,4,4,3 and one blank (mean 4.2),
    "recommend" only twice; at B 2 answers; one at A two years ago."""
    cm1 = part.users[Role.CASE_MANAGER]
    cm2 = UserFactory(username=f"{part.tenant.slug}-cm2", first_name="Bert", last_name="Zweit")
    MembershipFactory(user=cm2, tenant=part.tenant, role=Role.CASE_MANAGER, provider=part.provider)
    cm3 = UserFactory(username=f"{part.tenant.slug}-cm3", first_name="Clara", last_name="Dritt")
    MembershipFactory(user=cm3, tenant=part.tenant, role=Role.CASE_MANAGER, provider=part.other_provider)
    a, b = part.provider, part.other_provider

    make_case(part, case_manager=cm1, follow_up=days_ago(3), reassessment=days_ago(-30))
    make_case(part, case_manager=cm1, follow_up=days_ago(-3), reassessment=days_ago(1))
    second = make_case(part, case_manager=cm2, opened=100)
    make_case(part, provider=b, case_manager=cm3, follow_up=days_ago(2))
    make_case(part, case_manager=None)

    for length in (10, 20, 60):
        make_case(part, case_manager=cm1, opened=length + 5, closed=5)
    make_case(part, provider=b, case_manager=cm3, opened=110, closed=10)
    make_case(part, case_manager=cm1, opened=800, closed=750)

    abh = Agency.objects.create(tenant=part.tenant, name="Ausländerbehörde", kind="immigration_office")
    world_case = part.case
    refer(world_case, part.agency, cm1, "accepted")
    refer(world_case, part.agency, cm1, "declined")
    refer(world_case, abh, cm1, "done")
    refer(second, abh, cm2, "done")
    refer(world_case, abh, cm1, "sent", days_back=720)
    b_case = Case.objects.filter(provider=b, status=CaseStatus.OPEN).get()
    refer(b_case, part.agency, cm3, "done")

    # the world's case: initial assessment work=2 (conftest); a re-assessment rates work 1 and
    # language 3 (language has no initial rating: left out)
    assess(world_case, cm1, 3, {"work": 1, "language": 3})
    assess(second, cm2, 90, {"work": 3, "language": 2}, initial=True)
    assess(second, cm2, 40, {"work": 3, "language": 3})
    assess(second, cm2, 10, {"work": 1, "language": 2})
    # only an initial assessment: no change to measure
    only_initial = make_case(part, case_manager=cm2, opened=20)
    assess(only_initial, cm2, 19, {"work": 3}, initial=True)
    # provider B: counted for the coordinator only
    assess(b_case, cm3, 40, {"work": 3}, initial=True)
    assess(b_case, cm3, 4, {"work": 3})

    for value in (5, 5, 4, 4, 3, None):
        feedback(part, a, this_month(), understood=value, helped=4, recommend=5 if value == 5 else None)
    feedback(part, b, this_month(), understood=1, helped=1)
    feedback(part, b, this_month(), understood=2, helped=1)
    feedback(part, a, this_month(24), understood=1, helped=1)
    return Dataset(cm1, cm2, cm3, abh)
