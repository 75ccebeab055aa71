"""Shared fixtures: a small two-tenant world with one user per role, and signed-in clients."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from lotse.accounts.models import User
from lotse.accounts.services import SESSION_AUTH_AT, SESSION_SEEN_AT
from lotse.accounts.tests.factories import UserFactory
from lotse.tenants.models import Role, Tenant, TenantKind
from lotse.tenants.tests.factories import (
    LocationFactory,
    MembershipFactory,
    MunicipalityFactory,
    ProviderFactory,
    TenantFactory,
)

TENANT_ROLES = [r for r in Role if r != Role.STATE_ANALYST]


@dataclass
class TenantWorld:
    tenant: Tenant
    provider: Any
    other_provider: Any
    municipality: Any
    location: Any
    users: dict[str, User] = field(default_factory=dict)
    memberships: dict[str, Any] = field(default_factory=dict)
    # case management: one named, open case of the tenant's case manager with one of everything
    agency: Any = None
    case: Any = None
    objects: dict[str, Any] = field(default_factory=dict)


@dataclass
class World:
    wesel: TenantWorld
    coesfeld: TenantWorld
    state: Tenant
    analyst: User
    invitation: Any = None

    def user(self, role: str, tenant: str = "wesel") -> User:
        if role == Role.STATE_ANALYST:
            return self.analyst
        return getattr(self, tenant).users[role]


def _tenant_world(name: str, slug: str, prefix: str) -> TenantWorld:
    tenant = TenantFactory(name=name, slug=slug)
    municipality = MunicipalityFactory(tenant=tenant, name=f"{name} Stadt")
    provider = ProviderFactory(tenant=tenant, name=f"{name} Träger A", municipality=municipality)
    other = ProviderFactory(tenant=tenant, name=f"{name} Träger B")
    location = LocationFactory(tenant=tenant, provider=provider, municipality=municipality, name=f"{name} Anlaufstelle")
    world = TenantWorld(tenant, provider, other, municipality, location)
    for role in TENANT_ROLES:
        user = UserFactory(username=f"{prefix}-{role}")
        provider_for_role = provider if role in (Role.CASE_MANAGER, Role.PROVIDER_LEAD) else None
        world.users[role] = user
        world.memberships[role] = MembershipFactory(user=user, tenant=tenant, role=role, provider=provider_for_role)
    _case_world(world)
    return world


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _case_world(world: TenantWorld) -> None:
    """A named open case with consent, release, assessment, goal, contact, follow-up, referral,
    barrier and household member, built through the services like real work."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from lotse.cases.identity import IdentityData
    from lotse.cases.services import cases, documents, identity, referrals, work
    from lotse.consent import services as consent
    from lotse.network.models import Agency

    actor = world.users[Role.CASE_MANAGER]
    today = datetime.date.today()
    world.agency = Agency.objects.create(tenant=world.tenant, name=f"Jobcenter {world.tenant.name}", kind="jobcenter")
    case = cases.case_open(
        actor=actor,
        tenant=world.tenant,
        case_manager_id=actor.pk,
        provider=world.provider,
        location=world.location,
        pseudonym="Fall Test",
        intake_channel="walk_in",
        opened_on=today - datetime.timedelta(days=30),
    )
    identity.identity_record(
        case,
        actor=actor,
        data=IdentityData(given_name="Amina", family_name="Testfall", birth_date=datetime.date(1990, 5, 17)),
        expected_version=0,
    )
    o = world.objects
    o["consent"] = consent.consent_record(
        case, actor=actor, purpose="processing", language="de", given_on=today - datetime.timedelta(days=29)
    )
    o["release"] = consent.release_record(
        case, actor=actor, agency=world.agency, topics=["work"], language="de", given_on=today
    )
    o["assessment"] = work.assessment_create(
        case, actor=actor, assessed_on=today - datetime.timedelta(days=28), entries={"work": {"need_level": 2}}
    )
    o["goal"] = work.goal_create(case, actor=actor, domain="work", text="Arbeitsstelle finden")
    o["step"] = work.step_add(o["goal"], actor=actor, text="Lebenslauf schreiben", actor_kind="client", due_on=today)
    o["contact"] = work.contact_create(
        case,
        actor=actor,
        occurred_on=today,
        kind="in_person",
        duration_minutes=30,
        effort_minutes=45,
        interpreter_used=False,
        topics=["work"],
    )
    o["follow_up"] = work.followup_create(case, actor=actor, due_on=today, note="Rückruf")
    o["referral"] = referrals.referral_create(case, actor=actor, agency=world.agency, topic="work", with_identity=True)
    o["barrier"] = work.barrier_create(
        case, actor=actor, domain="language", description="Wartezeit Integrationskurs", institution="BAMF"
    )
    o["household"] = work.household_add(case, actor=actor, relation="child", birth_year=2015)
    o["document"] = documents.document_upload(
        case,
        actor=actor,
        upload=SimpleUploadedFile("Bescheid.pdf", MINIMAL_PDF, content_type="application/pdf"),
        title="Bescheid",
    )
    case.refresh_from_db()
    world.case = case
    _steering_world(world)


def _steering_world(world: TenantWorld) -> None:
    """Module 2: a theme holding the world's barrier, a steering group in which the committee
    member holds a seat (responsible for the theme; one meeting with the theme on the agenda and
    a task), a quality circle in which the case manager reviews the world's case, and an unused
    feedback token."""
    import datetime

    from lotse.cases.models import Barrier
    from lotse.committees.models import AgendaItem, Body, BodyMember, Meeting, ReviewCase, Task
    from lotse.feedback.tokens import token_issue
    from lotse.steering.models import Theme

    o = world.objects
    coordinator = world.users[Role.COORDINATOR]
    today = datetime.date.today()
    o["body"] = Body.objects.create(tenant=world.tenant, kind="steering_group", name="Lenkungsgruppe KIM")
    o["member"] = BodyMember.objects.create(
        body=o["body"],
        organisation="Jobcenter",
        person="Mitglied, Maria",
        substitute="Vertretung, Volker",
        membership=world.memberships[Role.COMMITTEE_MEMBER],
        position=1,
    )
    o["theme"] = Theme.objects.create(
        tenant=world.tenant, title="Wartezeiten Integrationskurs", created_by=coordinator, responsible_body=o["body"]
    )
    Barrier.objects.filter(pk=o["barrier"].pk).update(theme=o["theme"])
    o["meeting"] = Meeting.objects.create(body=o["body"], number=1, date=today, place="Kreishaus")
    o["item"] = AgendaItem.objects.create(meeting=o["meeting"], number=1, title="Wartezeiten", theme=o["theme"])
    o["task"] = Task.objects.create(item=o["item"], title="Gespräch mit dem BAMF", owner="KI")
    qc_body = Body.objects.create(tenant=world.tenant, kind="quality_circle", name="Qualitätszirkel")
    BodyMember.objects.create(
        body=qc_body, organisation="Case Management", membership=world.memberships[Role.CASE_MANAGER], position=1
    )
    o["qc_meeting"] = Meeting.objects.create(body=qc_body, number=1, date=today)
    o["review"] = ReviewCase.objects.create(meeting=o["qc_meeting"], case=world.case, label="A", added_by=coordinator)
    o["feedback_token"] = token_issue(tenant_id=world.tenant.pk, provider_id=world.provider.pk, language="de")
    _funding_world(world)


def _funding_world(world: TenantWorld) -> None:
    """Module 3: a programme with flat rates, one case-management position at provider A, a
    payment call, a base rate, a repayment claim and a proof of use with one staff line."""
    import datetime
    from decimal import Decimal

    from lotse.funding.models import (
        BaseRate,
        FundingProgramme,
        FundingRate,
        PaymentCall,
        Position,
        ProofOfUse,
        RepaymentClaim,
        StaffCostLine,
    )

    o = world.objects
    clerk = world.users[Role.FUNDING_CLERK]
    year = datetime.date.today().year
    o["programme"] = FundingProgramme.objects.create(
        tenant=world.tenant,
        name="KIM Baustein 2 – Case Management",
        starts_on=datetime.date(year, 1, 1),
        ends_on=datetime.date(year, 12, 31),
    )
    for position_type, amount in (("case_manager", "55000"), ("coordinator", "55000"), ("admin_assistant", "22500")):
        FundingRate.objects.create(
            programme=o["programme"], year=year, position_type=position_type, annual_amount=Decimal(amount)
        )
    o["position"] = Position.objects.create(
        tenant=world.tenant,
        provider=world.provider,
        programme=o["programme"],
        position_type="case_manager",
        fte=Decimal("1.00"),
        starts_on=datetime.date(year, 1, 1),
        additional_staff=True,
    )
    o["payment"] = PaymentCall.objects.create(
        tenant=world.tenant,
        programme=o["programme"],
        provider=world.provider,
        due_on=datetime.date(year, 5, 1),
        planned_amount=Decimal("27500.00"),
    )
    o["base_rate"] = BaseRate.objects.create(
        tenant=world.tenant, valid_from=datetime.date(2026, 1, 1), rate=Decimal("1.27")
    )
    o["claim"] = RepaymentClaim.objects.create(
        tenant=world.tenant,
        programme=o["programme"],
        provider=world.provider,
        reason="Nicht verbrauchte Mittel",
        amount=Decimal("1000.00"),
        due_on=datetime.date(2026, 2, 1),
        interest_from=datetime.date(2026, 2, 1),
    )
    o["proof"] = ProofOfUse.objects.create(
        tenant=world.tenant,
        programme=o["programme"],
        provider=world.provider,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
        created_by=clerk,
    )
    StaffCostLine.objects.create(
        proof=o["proof"], position=o["position"], planned_total=Decimal("55000.00"), actual_total=Decimal("60000.00")
    )


def build_world() -> World:
    wesel = _tenant_world("Kreis Wesel", "kreis-wesel", "we")
    coesfeld = _tenant_world("Kreis Coesfeld", "kreis-coesfeld", "coe")
    state = TenantFactory(name="Land NRW", slug="land-nrw", kind=TenantKind.STATE)
    analyst = UserFactory(username="state-analyst")
    MembershipFactory(user=analyst, tenant=state, role=Role.STATE_ANALYST, provider=None)
    return World(wesel, coesfeld, state, analyst)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The test database is emptied between live-server tests with TRUNCATE, which the audit
    tables refuse in every other database (lotse/audit/migrations/0003_no_truncate.py)."""
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            cursor.execute(f"ALTER DATABASE {name} SET lotse.allow_audit_truncate = 'on'")
            cursor.execute("SET lotse.allow_audit_truncate = 'on'")


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def sign_in(client: Client, user: User) -> Client:
    """A fully signed-in session (both factors) without going through the login pages."""
    client.force_login(user)
    session = client.session
    now = time.time()
    session[SESSION_AUTH_AT] = now
    session[SESSION_SEEN_AT] = now
    session.save()
    return client


@pytest.fixture
def signed_in():  # type: ignore[no-untyped-def]
    def make(user: User) -> Client:
        return sign_in(Client(), user)

    return make


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI (LOTSE_FORBID_SKIPS=1) a skipped test fails the run: a test that could not run
    for lack of a service (PostgreSQL, Chromium) must never pass as green."""
    if os.environ.get("LOTSE_FORBID_SKIPS") != "1":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        if reporter:
            reporter.write_line(f"LOTSE_FORBID_SKIPS=1: {skipped} test(s) skipped – failing the run.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
