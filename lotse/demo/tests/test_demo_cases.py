"""Demo cases (``lotse.demo.cases``): about 300 cases in every state of the case-management cycle,
built once per module, idempotent, and — the acceptance test — a raw dump of the whole database
contains none of the demo clients' names, birth dates or phone numbers.

Runs on SQLite and on PostgreSQL (``DATABASE_URL``); nothing here is skipped on either."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.utils import timezone

from lotse.access.cases import CaseAccess
from lotse.audit.models import AuditEvent
from lotse.cases.identity import IdentityData, unseal
from lotse.cases.models import (
    Absence,
    Assessment,
    Barrier,
    Case,
    CaseStatus,
    Contact,
    FollowUp,
    Goal,
    GoalStatus,
    Handover,
    HandoverKind,
    Identity,
    Referral,
    ReferralStatus,
    SubstituteNomination,
)
from lotse.cases.services.identity import identity_read
from lotse.consent.models import Consent, ConsentPurpose, Release
from lotse.demo import cases as demo_cases
from lotse.demo.management.commands.demo_data import ensure_all
from lotse.network.models import Agency
from lotse.tenants.models import Tenant

pytestmark = pytest.mark.django_db

WESEL, COESFELD = "kreis-wesel", "kreis-coesfeld"


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The demo world with its cases, built once for the module inside a transaction that is
    rolled back at the end (each test runs in a savepoint within it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_all()
        yield
        transaction.set_rollback(True)


def tenant_cases(slug: str):  # type: ignore[no-untyped-def]
    return Case.objects.filter(tenant__slug=slug)


def erased() -> int:
    """Identities recorded and erased again (consent revoked; back to anonymous counselling)."""
    return AuditEvent.objects.filter(action__in=("case.anonymised", "identity.erased")).count()


# --- Plan -----------------------------------------------------------------------------------


def test_plan_is_deterministic_and_fictitious() -> None:
    first, second = demo_cases.demo_identities(), demo_cases.demo_identities()
    assert first == second
    assert 200 <= len(first) <= 260
    phones = [identity.phone for identity in first]
    assert len(set(phones)) == len(phones)
    assert all(phone.startswith("0151 2345") and len(phone) == 13 for phone in phones)
    assert all(identity.email in ("", f"kontakt{identity.phone[-4:]}@example.org") for identity in first)
    today = datetime.date.today()
    for identity in first:
        assert identity.birth_date is not None
        assert 16 <= (today - identity.birth_date).days // 365 <= 80
        assert identity.postal_code in demo_cases.POSTAL_CODES.values()


# --- The data -------------------------------------------------------------------------------


def test_about_300_cases_in_both_tenants(demo_world: None) -> None:
    wesel, coesfeld = tenant_cases(WESEL), tenant_cases(COESFELD)
    assert wesel.count() == sum(demo_cases.WESEL_CASES.mix.values()) == 180
    assert coesfeld.count() == sum(demo_cases.COESFELD_CASES.mix.values()) == 120
    assert wesel.filter(number__regex=r"^WES-20\d\d-\d{5}$").count() == 180
    assert coesfeld.filter(number__regex=r"^COE-20\d\d-\d{5}$").count() == 120
    today = timezone.localdate()
    oldest = Case.objects.order_by("opened_on").first()
    assert oldest is not None and 450 <= (today - oldest.opened_on).days <= 560
    assert not Case.objects.filter(opened_on__gt=today).exists()
    # spread over the case managers; demo.casemanager has a full work list
    demo = wesel.filter(case_manager__username=demo_cases.DEMO_CASE_MANAGER)
    assert 30 <= demo.count() <= 40
    assert wesel.values("case_manager").distinct().count() >= 10
    assert coesfeld.values("case_manager").distinct().count() >= 10
    assert wesel.values("provider").distinct().count() >= 5


def test_every_state_of_the_cycle(demo_world: None) -> None:
    for slug in (WESEL, COESFELD):
        cases = tenant_cases(slug)
        open_ = cases.filter(status=CaseStatus.OPEN)
        assert open_.filter(is_anonymous=True, case_manager__isnull=False).count() >= 10, slug
        assert open_.filter(is_anonymous=False).count() >= 50, slug
        assert open_.filter(case_manager__isnull=True).count() >= 4, slug  # for the coordinator
        closed = cases.filter(status=CaseStatus.CLOSED)
        assert closed.count() >= 25, slug
        assert closed.exclude(closure_reason="").count() == closed.count()
        assert len(set(closed.values_list("closure_reason", flat=True))) >= 5, slug
        assert cases.filter(anonymised_at__isnull=False, closure_reason="consent_revoked").count() == 1, slug
        assert Handover.objects.filter(case__in=cases, kind=HandoverKind.AGENCY).exists(), slug
        assert Handover.objects.filter(case__in=cases, kind=HandoverKind.CASE_MANAGER).exists(), slug
        assert Handover.objects.filter(case__in=cases, kind=HandoverKind.PROVIDER).exists(), slug
    wesel = tenant_cases(WESEL)
    assert wesel.filter(status=CaseStatus.CLOSURE_REQUESTED).count() == 8
    assert not tenant_cases(COESFELD).filter(status=CaseStatus.CLOSURE_REQUESTED).exists()
    for action in ("case.reopened", "case.closure_rejected", "identity.erased", "referral.override"):
        assert AuditEvent.objects.filter(action=action, tenant_id=wesel.first().tenant_id).exists(), action  # type: ignore[union-attr]
    reopened = AuditEvent.objects.get(action="case.reopened")
    assert Case.objects.get(pk=reopened.object_id).status == CaseStatus.OPEN
    # closed cases: goals all have an outcome, dates in order
    closed = Case.objects.filter(status=CaseStatus.CLOSED)
    # (the anonymised cases closed at once when the consent was revoked: their goals stay as they were)
    assert not Goal.objects.filter(case__in=closed, case__anonymised_at=None, status=GoalStatus.OPEN).exists()
    assert not FollowUp.objects.filter(case__in=closed, done_on__isnull=True).exists()
    for case in closed:
        assert case.closed_on is not None and case.opened_on <= case.closed_on <= timezone.localdate()


def test_identity_consent_and_releases(demo_world: None) -> None:
    named = Case.objects.filter(is_anonymous=False)
    assert Identity.objects.count() == named.count() == len(demo_cases.demo_identities()) - erased()
    assert not Identity.objects.filter(case__is_anonymous=True).exists()
    consents = Counter(Consent.objects.filter(case__in=named).values_list("purpose", flat=True))
    assert consents[ConsentPurpose.PROCESSING] == named.count()
    assert consents[ConsentPurpose.CONTACT] > 50 and consents[ConsentPurpose.HEALTH] > 20
    assert {"ar", "uk", "fa", "tr"} <= set(Consent.objects.values_list("language", flat=True))
    assert Release.objects.count() > 100 and Release.objects.filter(revoked_at__isnull=False).exists()
    # every referral with identity has a release (or the coordinator's logged override)
    with_identity = Referral.objects.filter(with_identity=True)
    assert with_identity.filter(release__isnull=True).exclude(override_reason="").count() >= 1
    assert not with_identity.filter(release__isnull=True, override_reason="").exists()
    assert not Referral.objects.filter(case__is_anonymous=True, with_identity=True, case__anonymised_at=None).exists()
    # health only where the client consented
    health_goals = Goal.objects.filter(domain="health")
    assert not health_goals.exclude(case__consents__purpose=ConsentPurpose.HEALTH).exists()


def test_assessments_goals_contacts_barriers(demo_world: None) -> None:
    assert Assessment.objects.count() > 300
    reassessed = Assessment.objects.filter(is_initial=False).values("case").distinct().count()
    assert reassessed > 60
    # need levels change plausibly: mostly down between the first and the last assessment
    down = up = 0
    for case in Case.objects.filter(assessments__is_initial=False).distinct()[:80]:
        assessments = list(case.assessments.prefetch_related("entries"))
        first = {e.domain: e.need_level for e in assessments[0].entries.all()}
        last = {e.domain: e.need_level for e in assessments[-1].entries.all()}
        down += sum(1 for d in first if last.get(d, first[d]) < first[d])
        up += sum(1 for d in first if last.get(d, first[d]) > first[d])
    assert down > 2 * up > 0
    assert Goal.objects.filter(status=GoalStatus.ACHIEVED).count() > 50
    assert Goal.objects.filter(steps__done_on__isnull=False).exists()
    contacts = Contact.objects.all()
    assert contacts.count() > 2000
    assert len(set(contacts.values_list("kind", flat=True))) == 5
    assert contacts.filter(interpreter_used=True).count() > 200
    assert not contacts.filter(occurred_on__gt=timezone.localdate()).exists()
    barriers = Barrier.objects.all()
    assert barriers.count() > 80
    assert not barriers.filter(municipality__isnull=True).exists()
    assert len(set(barriers.values_list("domain", flat=True))) >= 7
    assert barriers.filter(description__contains="Integrationskurs").exists()


def test_referrals_in_every_status(demo_world: None) -> None:
    for slug in (WESEL, COESFELD):
        referrals = Referral.objects.filter(case__tenant__slug=slug, case__anonymised_at=None)
        assert set(referrals.values_list("status", flat=True)) == set(ReferralStatus.values), slug
        assert not referrals.filter(status=ReferralStatus.DECLINED, decline_reason="").exists()
        assert not referrals.filter(status=ReferralStatus.DONE, outcome="").exists()
        agencies = Agency.objects.filter(tenant__slug=slug)
        assert agencies.count() >= 15
        assert {"immigration_office", "jobcenter", "employment_agency", "youth_office", "mbe", "jmd"} <= set(
            agencies.values_list("kind", flat=True)
        )
    assert Agency.objects.filter(name="Ausländerbehörde Kreis Wesel").exists()
    assert AuditEvent.objects.filter(action="agency.created").count() == Agency.objects.count()


def test_follow_ups_overdue_today_this_week(demo_world: None) -> None:
    today = timezone.localdate()
    week = today + datetime.timedelta(days=7)
    demo = tenant_cases(WESEL).filter(case_manager__username=demo_cases.DEMO_CASE_MANAGER)
    for cases in (tenant_cases(WESEL), tenant_cases(COESFELD), demo):
        open_ = cases.filter(status=CaseStatus.OPEN)
        assert open_.filter(next_follow_up_on__lt=today).exists()
        assert open_.filter(next_follow_up_on=today).exists()
        assert open_.filter(next_follow_up_on__gt=today, next_follow_up_on__lte=week).exists()
        assert open_.filter(next_follow_up_on__gt=week).exists()
    # the stored next follow-up is the earliest open one, as the service keeps it
    for case in Case.objects.all():
        first = FollowUp.objects.filter(case=case, done_on__isnull=True).order_by("due_on").first()
        assert case.next_follow_up_on == (first.due_on if first else None), case.number
    assert tenant_cases(WESEL).filter(status=CaseStatus.OPEN, next_reassessment_on__lt=today).exists()


def test_settings_and_substitution(demo_world: None) -> None:
    wesel = Tenant.objects.get(slug=WESEL)
    coesfeld = Tenant.objects.get(slug=COESFELD)
    assert (wesel.case_settings.number_prefix, wesel.case_settings.closure_requires_approval) == ("WES", True)
    assert (coesfeld.case_settings.number_prefix, coesfeld.case_settings.closure_requires_approval) == ("COE", False)
    assert wesel.case_settings.reassessment_interval_days == 180
    today = timezone.localdate()
    nomination = SubstituteNomination.objects.get(tenant=wesel, substitute__username=demo_cases.DEMO_CASE_MANAGER)
    assert Absence.objects.filter(
        tenant=wesel, principal=nomination.principal, starts_on__lte=today, ends_on__gte=today
    ).exists()
    assert Case.objects.filter(case_manager=nomination.principal, status=CaseStatus.OPEN).count() >= 5


def test_second_run_changes_nothing(demo_world: None) -> None:
    models = (Case, Identity, Contact, Referral, FollowUp, Agency, Barrier, Consent, Release, AuditEvent)
    before = {model.__name__: model.objects.count() for model in models}
    assert demo_cases.ensure_cases() == {}
    ensure_all()
    assert {model.__name__: model.objects.count() for model in models} == before


# --- Acceptance: no plain identity in the database --------------------------------------------


def raw_dump() -> str:
    """Every row of every table as the database stores it: SQLite's own dump (binary columns
    as X'…' hex), on PostgreSQL each row cast to text (bytea as \\x… hex)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT t::text FROM {connection.ops.quote_name(table)} t")  # noqa: S608 - table names
            lines.extend(row[0] for row in cursor.fetchall())
    return "\n".join(lines)


def needles(identity: IdentityData) -> set[str]:
    """What must not occur: names, birth date (ISO and German), phone (as entered and digits)."""
    assert identity.birth_date is not None
    values = {
        identity.given_name,
        identity.family_name,
        identity.birth_date.isoformat(),
        identity.birth_date.strftime("%d.%m.%Y"),
        identity.phone,
        identity.phone.replace(" ", ""),
    }
    # JSON columns may hold text with non-ASCII characters escaped
    return values | {json.dumps(value)[1:-1] for value in values}


def test_raw_database_dump_contains_no_client_identity(demo_world: None) -> None:
    identities = demo_cases.demo_identities()
    # not vacuous: the identities are stored, and the service decrypts them
    stored = {unseal(row.ciphertext, case_id=row.case_id) for row in Identity.objects.all()}
    assert stored <= set(identities) and len(stored) == len(identities) - erased()
    case = Case.objects.filter(is_anonymous=False, status=CaseStatus.OPEN).order_by("pk").first()
    assert case is not None
    access = CaseAccess(case=case, identity=True, work=True, oversight=False, as_substitute=False)
    shown = identity_read(access, actor=case.case_manager)
    assert shown is not None and shown in identities and shown.full_name in {i.full_name for i in identities}

    dump = raw_dump()
    folded = dump.casefold()
    # the dump holds the case data, the search finds it, and binary columns appear as hex
    assert case.number in dump and "Ausländerbehörde Kreis Wesel" in dump
    assert case.pseudonym.casefold() in folded
    assert bytes(Identity.objects.get(case=case).ciphertext).hex() in folded
    leaks = []
    for identity in identities:
        for needle in needles(identity):
            if needle.casefold() in folded:
                leaks.append(needle)
            if needle.encode().hex() in folded:  # binary columns are dumped as hex
                leaks.append(f"hex:{needle}")
    assert not leaks, sorted(set(leaks))


# --- Module 2: strategic steering on the demo data --------------------------------------------


def test_wesel_steering_group_has_the_members_of_the_contract(demo_world: None) -> None:
    """Seed 003 §11(2): every organisation of the member list holds a seat, with chair and vice
    chair; the demo committee login holds the seat of the Agentur für Arbeit."""
    from lotse.committees.models import Body, MeetingStatus
    from lotse.demo.steering import STEERING_GROUP
    from lotse.demo.steering_data import COMMITTEE_LOGIN_SEAT, WESEL_STEERING_GROUP

    body = Body.objects.get(tenant__slug=WESEL, name=STEERING_GROUP)
    seats = list(body.members.order_by("position"))
    assert [s.organisation for s in seats] == [spec.organisation for spec in WESEL_STEERING_GROUP]
    assert len(seats) == 23
    assert {s.role for s in seats[:2]} == {"chair", "vice_chair"}
    linked = [s for s in seats if s.membership_id]
    assert [(s.organisation, s.membership.user.username) for s in linked] == [(COMMITTEE_LOGIN_SEAT, "demo.committee")]
    held = body.meetings.get(status=MeetingStatus.HELD)
    assert held.attendance.filter(status="represented").count() == 2
    vote = held.items.get(decision_kind="vote")
    assert (vote.votes_yes, vote.votes_no, vote.votes_abstain) == (19, 0, 1)
    assert vote.theme is not None and vote.tasks.exists()


def test_demo_themes_hold_barriers_and_show_the_escalation_rule(demo_world: None) -> None:
    from lotse.steering.models import Theme
    from lotse.steering.selectors import decorate, staircase_for, theme_counts

    wesel = Tenant.objects.get(slug=WESEL)
    themes = list(theme_counts(Theme.objects.filter(tenant=wesel)))
    decorate(themes, staircase_for(wesel))
    assert len(themes) == 4 and all(t.barrier_count > 0 for t in themes)
    assert {t.level for t in themes} == {1, 2, 3, 4}
    # the rule (≥ 10 cases or ≥ 3 providers below level 4) marks some themes, not the one at 4
    assert any(t.to_escalate for t in themes)
    assert not any(t.to_escalate for t in themes if t.level >= 4)
    assert all(t.events.filter(kind="moved").count() == t.level - 1 for t in themes)


def test_supervision_and_committee_dashboards_on_demo_data_are_bounded(
    demo_world: None, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """Acceptance: the dashboards render on the demo data in a bounded number of queries."""
    from django.test import Client

    from conftest import sign_in
    from lotse.accounts.models import User

    pages = {
        "demo.coordinator": ["/kreis-wesel/supervision/", "/kreis-wesel/supervision/feedback/", "/kreis-wesel/"],
        "demo.providerlead": ["/kreis-wesel/supervision/", "/kreis-wesel/"],
        "demo.committee": ["/kreis-wesel/", "/kreis-wesel/steering/themes/", "/kreis-wesel/committees/"],
    }
    for username, urls in pages.items():
        client = sign_in(Client(), User.objects.get(username=username))
        for url in urls:
            with django_assert_max_num_queries(25):
                response = client.get(url)
            assert response.status_code == 200, (username, url)


# --- Module 3: funding demo ---------------------------------------------------------------------


def test_demo_funding_reproduces_the_voerde_cost_comparison(demo_world: None) -> None:
    """Stadt Voerde's proof of use 2025 is the seed's comparison: 63,500 staff + 10,000 material
    − 55,000 grant = 18,500 own share; Dinslaken's vacancy became a repayment claim."""
    from decimal import Decimal

    from lotse.access.context import TenantAccessContext
    from lotse.funding.models import FundingProgramme, Position, ProofOfUse, RepaymentClaim
    from lotse.funding.proof import load_document, proofs_with_lines
    from lotse.tenants.models import Membership, Role

    wesel = Tenant.objects.get(slug=WESEL)
    assert FundingProgramme.objects.filter(tenant=wesel).count() == 2
    coordinators = Position.objects.filter(tenant=wesel, position_type="coordinator", ends_on__isnull=True)
    assert sum(p.fte for p in coordinators) == Decimal("6.50")  # seed 003 §4(1): 6.5 coordinator posts
    clerk = Membership.objects.get(tenant=wesel, role=Role.FUNDING_CLERK, user__username="demo.funding")
    ctx = TenantAccessContext(user=clerk.user, tenant=wesel, membership=clerk)
    voerde = proofs_with_lines(ctx).get(provider__name="Stadt Voerde")
    statement = load_document(ctx, voerde, with_activity=False).statement
    assert statement.expenses_settled == Decimal("73500.00")
    assert statement.grant_settled == Decimal("55000.00")
    assert statement.income_row("own_share").settled == Decimal("18500.00")
    dinslaken = ProofOfUse.objects.get(tenant=wesel, provider__name="Stadt Dinslaken")
    claim = RepaymentClaim.objects.get(proof=dinslaken)
    # 2 FTE × 55,000 = 110,000 paid; settled staff 96,250 (eligible) → 13,750 unspent
    assert claim.amount == Decimal("13750.00")
    assert claim.due_on == datetime.date(2026, 1, 31)


def test_funding_pages_on_demo_data_are_bounded(demo_world: None, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    """The funding clerk's and the coordinator's Module 3 pages render on the demo data in a
    bounded number of queries, and the clerk's pages name no client."""
    from django.test import Client

    from conftest import sign_in
    from lotse.accounts.models import User
    from lotse.funding.models import ProofOfUse

    proof = ProofOfUse.objects.filter(tenant__slug=WESEL).order_by("pk").first()
    assert proof is not None
    clerk_pages = [
        "/kreis-wesel/",
        "/kreis-wesel/funding/",
        "/kreis-wesel/funding/positions/",
        "/kreis-wesel/funding/payments/",
        "/kreis-wesel/funding/claims/",
        "/kreis-wesel/funding/proofs/",
        f"/kreis-wesel/funding/proofs/{proof.pk}/",
    ]
    pages = {
        "demo.funding": clerk_pages,
        "demo.coordinator": ["/kreis-wesel/reports/controlling/", "/kreis-wesel/reports/status/"],
    }
    pseudonyms = set(Case.objects.filter(tenant__slug=WESEL).values_list("pseudonym", flat=True)[:50]) - {""}
    for username, urls in pages.items():
        client = sign_in(Client(), User.objects.get(username=username))
        for url in urls:
            with django_assert_max_num_queries(30):
                response = client.get(url)
            assert response.status_code == 200, (username, url)
            if username == "demo.funding":
                html = response.content.decode()
                assert not [p for p in pseudonyms if p in html], url
