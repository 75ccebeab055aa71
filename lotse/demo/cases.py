"""Demo cases for ``manage.py demo_data``: about 300 cases in Kreis Wesel and Kreis Coesfeld in
every state of the case-management cycle (seed 003 §3(2): intake, assessment, goal agreement,
referral, monitoring, re-assessment, closure).

Everything is written through the case services, so audit events, case numbers, consent and
release rules are the real ones. Two phases keep the result reproducible:

* **plan** (:func:`case_plans`): pure Python from constants and a fixed random seed, no database
  and no "today": which case is in which state, who owns it, how long ago it was opened, and the
  client's (fictitious) identity. :func:`demo_identities` reads the identities from here, so a
  test knows exactly which names must never appear in plain text in the database.
* **build** (:func:`ensure_cases`): turns the plan into cases relative to today, with one random
  generator per case (seeded by tenant and case index).

Where a service stamps "today" on a step of real work (a goal step done, a barrier recorded, a
closure approved) or refuses a date in the past (a follow-up), the demo moves the date afterwards
with a queryset ``update()``: in real use these things happen on the day they are entered; the
demo has to invent a history of 18 months in one run. Each such place says so.

Every client name, birth date, phone number and address is invented (combinations of common
names of the countries of origin, phone numbers in the unassigned-looking block 0151 2345xxxx);
no person from the seeds appears.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from lotse.accounts.models import User
from lotse.audit.services import audit_record
from lotse.cases.domains import SPECIAL_DOMAINS, LifeDomain
from lotse.cases.identity import IdentityData
from lotse.cases.models import (
    Absence,
    Barrier,
    Case,
    CaseSettings,
    ClosureReason,
    ContactKind,
    FollowUp,
    Goal,
    GoalStatus,
    GoalStep,
    HandoverKind,
    HouseholdRelation,
    IntakeChannel,
    ReferralStatus,
    SubstituteNomination,
)
from lotse.cases.services import cases as case_services
from lotse.cases.services import referrals as referral_services
from lotse.cases.services import substitution as substitution_services
from lotse.cases.services import work
from lotse.cases.services.identity import identity_erase, identity_record
from lotse.consent import services as consent_services
from lotse.consent.models import Consent, ConsentPurpose, Release
from lotse.core.versioning import save_versioned
from lotse.demo import data
from lotse.demo.case_texts import (
    ACTIVE,
    ANONYMISED,
    ANONYMOUS,
    BARRIERS,
    CLOSED,
    CLOSED_SCENARIOS,
    CLOSURE_NOTES,
    CLOSURE_REQUESTED,
    CLOSURE_RETURNED,
    COESFELD_AGENCIES,
    CONTACT_NOTES,
    DECLINE_REASONS,
    DEMO_CASE_MANAGER,
    DEMO_COORDINATOR,
    EU_ORIGINS,
    FOLLOW_UP_NOTES,
    GENERAL_NOTES,
    GOAL_OUTCOMES,
    GOALS,
    HANDED_TO_AGENCY,
    HANDED_TO_COLLEAGUE,
    HANDED_TO_PROVIDER,
    HANDOVER_REASON_AGENCY,
    HANDOVER_REASON_PROVIDER,
    HANDOVER_REASONS_COLLEAGUE,
    IDENTITY_ERASED,
    INTAKE,
    OPEN_SCENARIOS,
    ORIGINS,
    OVERRIDE_REASON,
    POSTAL_CODES,
    REFERRAL_NOTES,
    REFERRAL_OUTCOMES,
    REOPEN_NOTE,
    REOPENED,
    RESOURCES,
    SCENARIOS,
    SEED,
    SITUATIONS,
    STREETS,
    UNASSIGNED,
    WESEL_AGENCIES,
    WITHDRAWAL_NOTES,
    AgencySpec,
    D,
    K,
    Origin,
)
from lotse.network.models import Agency
from lotse.tenants.models import Location, Membership, Municipality, Provider, Role, Tenant


class TenantCases(NamedTuple):
    """What the demo creates in one tenant."""

    spec: data.TenantData
    prefix: str
    closure_requires_approval: bool
    mix: dict[str, int]  # scenario → number of cases
    demo_mix: dict[str, int]  # of these, the cases of demo.casemanager
    agencies: tuple[AgencySpec, ...]
    areas: dict[str, tuple[str, ...]]  # provider → municipalities its clients live in
    bezirksregierung: str
    # (absent colleague, substitute), as StaffRef.key; the absence runs today
    substitution: tuple[str, str]
    # further nominations (principal, substitute) and a past absence of the first principal
    nominations: tuple[tuple[str, str], ...]


WESEL_CASES = TenantCases(
    spec=data.WESEL,
    prefix="WES",
    closure_requires_approval=True,
    mix={
        UNASSIGNED: 6,
        INTAKE: 14,
        ANONYMOUS: 14,
        ACTIVE: 88,
        HANDED_TO_COLLEAGUE: 4,
        HANDED_TO_PROVIDER: 1,
        CLOSURE_RETURNED: 1,
        CLOSURE_REQUESTED: 8,
        CLOSED: 38,
        HANDED_TO_AGENCY: 3,
        REOPENED: 1,
        ANONYMISED: 1,
        IDENTITY_ERASED: 1,
    },
    demo_mix={
        INTAKE: 3,
        ANONYMOUS: 3,
        ACTIVE: 19,
        HANDED_TO_COLLEAGUE: 1,
        CLOSURE_RETURNED: 1,
        CLOSURE_REQUESTED: 2,
        CLOSED: 6,
        REOPENED: 1,
        IDENTITY_ERASED: 1,
    },
    agencies=WESEL_AGENCIES,
    areas={
        "Kreis Wesel": (
            "Wesel",
            "Kamp-Lintfort",
            "Hamminkeln",
            "Rheinberg",
            "Neukirchen-Vluyn",
            "Hünxe",
            "Alpen",
            "Schermbeck",
            "Sonsbeck",
        ),
        "Stadt Dinslaken": ("Dinslaken",),
        "Stadt Moers": ("Moers",),
        "Stadt Wesel": ("Wesel",),
        "Stadt Voerde": ("Voerde",),
        "Caritasverband Moers-Xanten e.V.": ("Xanten", "Rheinberg", "Alpen", "Sonsbeck"),
    },
    bezirksregierung="Bezirksregierung Düsseldorf",
    substitution=("Lena Brinkmann", DEMO_CASE_MANAGER),
    nominations=((DEMO_CASE_MANAGER, "Alexander Friesen"), (DEMO_CASE_MANAGER, "Samira El-Amrani")),
)

COESFELD_CASES = TenantCases(
    spec=data.COESFELD,
    prefix="COE",
    closure_requires_approval=False,
    mix={
        UNASSIGNED: 4,
        INTAKE: 9,
        ANONYMOUS: 9,
        ACTIVE: 62,
        HANDED_TO_COLLEAGUE: 3,
        HANDED_TO_PROVIDER: 1,
        CLOSED: 29,
        HANDED_TO_AGENCY: 2,
        ANONYMISED: 1,
    },
    demo_mix={},
    agencies=COESFELD_AGENCIES,
    areas={
        data.COESFELD_DISTRICT: ("Coesfeld", "Ascheberg", "Billerbeck", "Havixbeck", "Nordkirchen", "Rosendahl"),
        "Stadt Dülmen": ("Dülmen",),
        "Stadt Coesfeld": ("Coesfeld",),
        "Stadt Lüdinghausen": ("Lüdinghausen",),
        "Gemeinde Senden": ("Senden",),
        "Gemeinde Nottuln": ("Nottuln",),
        "Stadt Olfen": ("Olfen",),
    },
    bezirksregierung="Bezirksregierung Münster",
    substitution=("Anna Lewandowska", "Tobias Hölscher"),
    nominations=(("Tobias Hölscher", "Anna Lewandowska"), ("Leyla Demir", "Markus Tenbrink")),
)

TENANT_CASES = (WESEL_CASES, COESFELD_CASES)


class StaffRef(NamedTuple):
    """A case manager of the demo world, by name (the account is looked up when building)."""

    first_name: str
    last_name: str
    provider: str
    username: str | None = None  # demo logins

    @property
    def key(self) -> str:
        return self.username or f"{self.first_name} {self.last_name}"


# Follow-up of an open case: overdue, due today, this week, later, or none set.
OVERDUE, TODAY, THIS_WEEK, LATER, NONE = "overdue", "today", "this_week", "later", "none"
# demo.casemanager's work list shows every kind of due date.
DEMO_FOLLOW_UPS = (OVERDUE, TODAY, THIS_WEEK, LATER, OVERDUE, THIS_WEEK, LATER, TODAY, LATER, THIS_WEEK, NONE)

# Special events, each in one case of a tenant: a referral with identity sent by the coordinator
# without a release (logged override), and a release the client revoked.
OVERRIDE, RELEASE_REVOKED = "override", "release_revoked"


@dataclass
class CasePlan:
    """One case as planned: everything that does not depend on today or the database."""

    tenant: str  # slug
    index: int  # in the order of opening (oldest first)
    scenario: str
    owner: StaffRef | None  # responsible case manager at the end (None: unassigned)
    first_owner: StaffRef | None  # before a handover (else the owner)
    provider: str  # provider the case is opened at
    municipality: str  # where the client lives
    opened_ago: int  # days before today
    end_ago: int  # last day of work (closure, handover; 0 for open cases)
    origin: Origin
    female: bool
    family: bool
    identity: IdentityData | None = None
    pseudonym: str = ""
    follow_up: str = NONE
    extras: set[str] = field(default_factory=set)
    to_provider: str = ""  # handover to another provider


def case_managers(spec: data.TenantData) -> list[StaffRef]:
    """Case managers of the tenant: staff of ``lotse.demo.data`` plus the demo login."""
    refs = [StaffRef(p.first_name, p.last_name, p.provider or "") for p in spec.staff if p.role == Role.CASE_MANAGER]
    for login in data.DEMO_LOGINS:
        for membership in login.memberships:
            if membership.tenant == spec.slug and membership.role == Role.CASE_MANAGER:
                refs.append(StaffRef(login.first_name, login.last_name, membership.provider or "", login.username))
    return refs


def _days(rng: random.Random, scenario: str) -> tuple[int, int]:
    """(opened, end of work) in days before today."""
    opened, end = 0, 0
    if scenario == UNASSIGNED:
        opened = rng.randint(0, 9)
    elif scenario == INTAKE:
        opened = rng.randint(0, 13)
    elif scenario == ANONYMOUS:
        opened = rng.randint(25, 420)
    elif scenario == ACTIVE:
        opened = int(rng.triangular(15, 540, 110))
    elif scenario == HANDED_TO_COLLEAGUE:
        opened = rng.randint(120, 480)
    elif scenario == HANDED_TO_PROVIDER:
        opened, end = rng.randint(60, 150), rng.randint(1, 6)
    elif scenario == CLOSURE_RETURNED:
        opened = rng.randint(220, 400)
    elif scenario == CLOSURE_REQUESTED:
        opened, end = rng.randint(160, 540), rng.randint(1, 12)
    elif scenario in (CLOSED, HANDED_TO_AGENCY):
        opened = rng.randint(110, 540)
        end = rng.randint(3, opened - 90)
    elif scenario == REOPENED:
        opened, end = 430, 140
    elif scenario == ANONYMISED:
        opened = 260
    elif scenario == IDENTITY_ERASED:
        opened = 130
    return opened, end


def _origin(rng: random.Random, scenario: str) -> Origin:
    origin = rng.choices(ORIGINS, weights=[o.weight for o in ORIGINS])[0]
    if scenario == REOPENED and origin.key in EU_ORIGINS:  # the reopened case is about a residence permit
        origin = ORIGINS[0]
    return origin


def _is_named(rng: random.Random, scenario: str) -> bool:
    if scenario in (UNASSIGNED, INTAKE, ANONYMOUS):
        return False
    if scenario in (CLOSED, HANDED_TO_PROVIDER):
        return rng.random() < 0.85
    return True


def case_plans(tenant_cases: TenantCases) -> list[CasePlan]:
    """The cases of one tenant in the order they are opened (oldest first). Pure: the same
    every time, whatever the date or the database."""
    rng = random.Random(f"{SEED}:{tenant_cases.spec.slug}")  # noqa: S311 - demo data, not security
    staff = case_managers(tenant_cases.spec)
    demo = [s for s in staff if s.username == DEMO_CASE_MANAGER]
    others = [s for s in staff if s.username != DEMO_CASE_MANAGER]
    district = tenant_cases.spec.providers[0].name
    demo_left = Counter(tenant_cases.demo_mix)
    spread = _cycle_shuffled(rng, others)
    used_names: set[tuple[str, str]] = set()
    plans: list[CasePlan] = []
    for scenario in (s for s in SCENARIOS for _ in range(tenant_cases.mix.get(s, 0))):
        opened_ago, end_ago = _days(rng, scenario)
        owner: StaffRef | None
        first_owner: StaffRef | None
        if scenario == UNASSIGNED:
            owner = first_owner = None
        elif demo and demo_left[scenario] > 0:
            demo_left[scenario] -= 1
            owner = first_owner = demo[0]
            if scenario == HANDED_TO_COLLEAGUE:
                first_owner = next(spread)
        else:
            owner = first_owner = next(spread)
            if scenario == HANDED_TO_COLLEAGUE:
                while first_owner == owner:
                    first_owner = next(spread)
            elif scenario == HANDED_TO_PROVIDER:
                owner = None
        provider = first_owner.provider if first_owner else district
        final_provider = owner.provider if owner else provider
        if scenario == HANDED_TO_PROVIDER:
            final_provider = rng.choice([p.name for p in tenant_cases.spec.providers if p.name != provider])
        plan = CasePlan(
            tenant=tenant_cases.spec.slug,
            index=0,
            scenario=scenario,
            owner=owner,
            first_owner=first_owner,
            provider=provider,
            municipality=rng.choice(tenant_cases.areas[final_provider]),
            to_provider=final_provider if scenario == HANDED_TO_PROVIDER else "",
            opened_ago=opened_ago,
            end_ago=end_ago,
            origin=_origin(rng, scenario),
            female=rng.random() < 0.55,
            family=rng.random() < 0.5,
        )
        if _is_named(rng, scenario):
            plan.identity = _identity(rng, plan, used_names)
        plans.append(plan)
    plans.sort(key=lambda p: (-p.opened_ago, p.scenario))
    _finish(rng, plans)
    return plans


def _cycle_shuffled(rng: random.Random, items: Sequence[StaffRef]) -> Iterator[StaffRef]:
    """Endless even spread: every item once per round, in a new order each round."""
    while True:
        batch = list(items)
        rng.shuffle(batch)
        yield from batch


def _identity(rng: random.Random, plan: CasePlan, used: set[tuple[str, str]]) -> IdentityData:
    """A fictitious client: given and family name of the country of origin (the combination
    unique in the tenant), birth date, address in the municipality. Phone and e-mail follow in
    :func:`_finish`."""
    origin = plan.origin
    while True:
        given = rng.choice(origin.female if plan.female else origin.male)
        family = rng.choice(origin.family)
        if (given, family) not in used:
            used.add((given, family))
            break
    born = datetime.date(rng.randint(1962, 2006), 1, 1) + datetime.timedelta(days=rng.randint(0, 364))
    street = f"{rng.choice(STREETS)} {rng.randint(1, 140)}{rng.choice(['', '', '', 'a', 'b'])}"
    return IdentityData(
        given_name=given,
        family_name=family,
        birth_date=born,
        nationality=origin.nationality,
        street=street,
        postal_code=POSTAL_CODES[plan.municipality],
        city=plan.municipality,
    )


# Phone numbers 0151 2345xxxx: Wesel from 1000, Coesfeld from 5000, by case index.
PHONE_BLOCK = {data.WESEL.slug: 1000, data.COESFELD.slug: 5000}


def _finish(rng: random.Random, plans: list[CasePlan]) -> None:
    """Index, pseudonym ("Familie aus Aleppo 3"), phone number, follow-up and special events,
    in the order of opening."""
    seen: Counter[str] = Counter()
    demo_follow_ups = 0
    others = [
        p for p in plans if p.scenario in OPEN_SCENARIOS and (p.owner is None or p.owner.key != DEMO_CASE_MANAGER)
    ]
    deck = _deck(rng, len(others), ((OVERDUE, 14), (TODAY, 6), (THIS_WEEK, 25), (LATER, 45), (NONE, 10)))
    for index, plan in enumerate(plans):
        plan.index = index
        who = "Familie" if plan.family else ("Frau" if plan.female else "Herr")
        base = f"{who} aus {rng.choice(plan.origin.cities)}"
        seen[base] += 1
        plan.pseudonym = f"{base} {seen[base]}"
        if plan.identity is not None:
            number = PHONE_BLOCK[plan.tenant] + index
            email = f"kontakt{number:04d}@example.org" if rng.random() < 0.4 else ""
            plan.identity = dataclasses.replace(plan.identity, phone=f"0151 2345{number:04d}", email=email)
        if plan.scenario in OPEN_SCENARIOS:
            if plan.owner is not None and plan.owner.username == DEMO_CASE_MANAGER:
                plan.follow_up = DEMO_FOLLOW_UPS[demo_follow_ups % len(DEMO_FOLLOW_UPS)]
                demo_follow_ups += 1
            else:
                plan.follow_up = deck.pop()
    for extra, ages in ((OVERRIDE, (40, 200)), (RELEASE_REVOKED, (90, 300))):
        for plan in plans:
            if (
                plan.scenario == ACTIVE
                and plan.identity is not None
                and not plan.extras
                and ages[0] <= plan.opened_ago <= ages[1]
                and (plan.owner is None or plan.owner.username != DEMO_CASE_MANAGER)
            ):
                plan.extras.add(extra)
                break


def _deck(rng: random.Random, size: int, shares: Sequence[tuple[str, int]]) -> list[str]:
    """``size`` values in the given percentages (rounded), shuffled."""
    deck = [value for value, share in shares for _ in range(round(size * share / 100))]
    deck += [shares[-1][0]] * (size - len(deck))
    rng.shuffle(deck)
    return deck[:size]


def all_plans() -> list[CasePlan]:
    """The plans of every demo tenant (deterministic)."""
    return [plan for tenant_cases in TENANT_CASES for plan in case_plans(tenant_cases)]


def demo_identities() -> list[IdentityData]:
    """Exactly the identities :func:`ensure_cases` records (three are erased again: the cases
    anonymised after the revocation of consent and the case back in anonymous counselling)."""
    return [plan.identity for plan in all_plans() if plan.identity is not None]


# === Building ===============================================================================


def ensure_cases() -> dict[str, int]:
    """Partner directory, case settings, about 300 cases and the substitutions of the demo
    tenants. Idempotent: a tenant that has cases already gets no new ones (its agencies are
    still completed). Returns the number of cases created per tenant slug."""
    today = timezone.localdate()
    plans = all_plans()
    created: dict[str, int] = {}
    for tenant_cases in TENANT_CASES:
        tenant = Tenant.objects.filter(slug=tenant_cases.spec.slug).first()
        if tenant is None:
            continue
        agencies = ensure_agencies(tenant, tenant_cases.agencies)
        if Case.objects.filter(tenant=tenant).exists():
            continue
        configure_case_settings(tenant, tenant_cases)
        world = TenantWorld.load(tenant, tenant_cases, agencies)
        mine = [plan for plan in plans if plan.tenant == tenant.slug]
        for plan in mine:
            # one transaction per case: a case is built completely or not at all
            with transaction.atomic():
                CaseBuilder(world, plan, today).build()
        ensure_substitutions(world, today)
        created[tenant.slug] = len(mine)
    return created


def ensure_agencies(tenant: Tenant, specs: Sequence[AgencySpec]) -> dict[str, Agency]:
    """The partner directory of the tenant, by name; missing agencies are created (audited)."""
    agencies = {agency.name: agency for agency in Agency.objects.filter(tenant=tenant)}
    for spec in specs:
        if spec.name in agencies:
            continue
        agency = Agency.objects.create(
            tenant=tenant,
            name=spec.name,
            kind=spec.kind,
            contact_person=spec.contact_person,
            phone=spec.phone,
            email=spec.email,
            address=spec.address,
            has_own_case_management=spec.own_case_management,
        )
        audit_record(action="agency.created", tenant=tenant, obj=agency, details={"kind": spec.kind})
        agencies[spec.name] = agency
    return agencies


def configure_case_settings(tenant: Tenant, tenant_cases: TenantCases) -> CaseSettings:
    """Case number ``WES-2026-00042``, re-assessment every 180 days, closure approval as the
    tenant wants it. Only before the first case (a tenant admin's later change stays)."""
    settings_ = case_services.case_settings(tenant)
    number_format = "{prefix}-{year}-{seq:05d}"
    wanted: dict[str, Any] = {
        "number_prefix": tenant_cases.prefix,
        "number_format": number_format,
        "reassessment_interval_days": 180,
        "closure_requires_approval": tenant_cases.closure_requires_approval,
    }
    changes = {name: value for name, value in wanted.items() if getattr(settings_, name) != value}
    if changes:
        case_services.validate_number_format(number_format)
        save_versioned(settings_, expected_version=settings_.version, changes=changes, actor=None)
        audit_record(action="case_settings.updated", tenant=tenant, obj=settings_, details={"fields": sorted(changes)})
    return settings_


@dataclass
class TenantWorld:
    """What the builder needs of one tenant, loaded once."""

    tenant: Tenant
    config: TenantCases
    providers: dict[str, Provider]
    locations: dict[int, Location]  # provider id → its Anlaufstelle
    municipalities: dict[str, Municipality]
    agencies: dict[str, Agency]
    staff: dict[str, User]  # StaffRef.key → account
    coordinator: User

    @classmethod
    def load(cls, tenant: Tenant, config: TenantCases, agencies: dict[str, Agency]) -> TenantWorld:
        # imported here: the command module imports this module
        from lotse.demo.management.commands.demo_data import username_for

        staff: dict[str, User] = {}
        for ref in case_managers(config.spec):
            username = ref.username or username_for(ref.first_name, ref.last_name)
            staff[ref.key] = User.objects.get(username=username)
        coordinators = Membership.objects.filter(
            tenant=tenant, role=Role.COORDINATOR, is_active=True, user__is_active=True
        ).select_related("user")
        coordinator = next(
            (m.user for m in coordinators if m.user.username == DEMO_COORDINATOR),
            None,
        ) or min((m.user for m in coordinators), key=lambda u: u.username)
        return cls(
            tenant=tenant,
            config=config,
            providers={p.name: p for p in Provider.objects.filter(tenant=tenant)},
            locations={loc.provider_id: loc for loc in Location.objects.filter(tenant=tenant).order_by("pk")},
            municipalities={m.name: m for m in Municipality.objects.filter(tenant=tenant)},
            agencies=agencies,
            staff=staff,
            coordinator=coordinator,
        )

    def user(self, ref: StaffRef | None) -> User | None:
        return self.staff[ref.key] if ref is not None else None

    def agencies_for(self, topic: str) -> list[tuple[Agency, AgencySpec]]:
        return [(self.agencies[s.name], s) for s in self.config.agencies if topic in s.topics]

    def agency_of_kind(self, kind: str, rng: random.Random) -> Agency | None:
        matching = [self.agencies[s.name] for s in self.config.agencies if s.kind == kind]
        return rng.choice(matching) if matching else None


def ensure_substitutions(world: TenantWorld, today: datetime.date) -> None:
    """Vertretung: the absent colleague named the substitute (in Wesel: demo.casemanager), and
    the absence runs today, so the substitute's work list shows the colleague's cases. Plus a
    few further nominations and a past absence."""
    tenant = world.tenant
    principal_key, substitute_key = world.config.substitution
    pairs = [(principal_key, substitute_key), *world.config.nominations]
    for principal_key_, substitute_key_ in pairs:
        principal, substitute = world.staff[principal_key_], world.staff[substitute_key_]
        if not SubstituteNomination.objects.filter(tenant=tenant, principal=principal, substitute=substitute).exists():
            substitution_services.nomination_add(
                tenant=tenant, actor=principal, principal=principal, substitute_id=substitute.pk
            )
    absent = world.staff[principal_key]
    if not Absence.objects.filter(tenant=tenant, principal=absent).exists():
        substitution_services.absence_add(
            tenant=tenant,
            actor=absent,
            principal=absent,
            starts_on=today - datetime.timedelta(days=3),
            ends_on=today + datetime.timedelta(days=11),
        )
    other = world.staff[world.config.nominations[0][0]]
    if not Absence.objects.filter(tenant=tenant, principal=other).exists():
        substitution_services.absence_add(
            tenant=tenant,
            actor=other,
            principal=other,
            starts_on=today - datetime.timedelta(days=131),
            ends_on=today - datetime.timedelta(days=117),
        )


# Need-level weights (none, low, medium, high) of a new case per life domain.
LEVEL_WEIGHTS: dict[str, tuple[int, int, int, int]] = {
    D.EDUCATION: (5, 2, 2, 1),
    D.WORK: (2, 2, 4, 2),
    D.HOUSING: (3, 2, 3, 2),
    D.HEALTH: (3, 2, 3, 2),
    D.INCOME: (3, 3, 3, 1),
    D.PARTICIPATION: (3, 3, 3, 1),
}

INTAKE_CHANNELS = (
    (IntakeChannel.WALK_IN, 34),
    (IntakeChannel.AGENCY, 26),
    (IntakeChannel.COMMUNITY, 15),
    (IntakeChannel.PHONE, 10),
    (IntakeChannel.OUTREACH, 8),
    (IntakeChannel.ONLINE, 5),
    (IntakeChannel.OTHER, 2),
)
REFERRING_KINDS = (K.JOBCENTER, K.IMMIGRATION_OFFICE, K.MBE, K.SOCIAL_OFFICE, K.YOUTH_OFFICE, K.JMD)
CONTACT_KINDS = (
    (ContactKind.IN_PERSON, 50),
    (ContactKind.PHONE, 25),
    (ContactKind.WRITTEN, 12),
    (ContactKind.OUTREACH, 8),
    (ContactKind.VIDEO, 5),
)
DURATIONS: dict[str, tuple[int, ...]] = {
    ContactKind.IN_PERSON: (30, 45, 45, 60, 60, 75, 90),
    ContactKind.PHONE: (10, 15, 15, 20, 30),
    ContactKind.WRITTEN: (10, 15, 20, 30),
    ContactKind.OUTREACH: (60, 90, 120),
    ContactKind.VIDEO: (30, 45, 60),
}
CLOSURE_REASONS_NAMED = (
    (ClosureReason.GOALS_REACHED, 32),
    (ClosureReason.REGULAR_SERVICES, 20),
    (ClosureReason.NO_CONTACT, 14),
    (ClosureReason.MOVED_AWAY, 12),
    (ClosureReason.CLIENT_ENDED, 10),
    (ClosureReason.NATURALISED, 6),
    (ClosureReason.OTHER, 4),
)
CLOSURE_REASONS_ANONYMOUS = (
    (ClosureReason.GOALS_REACHED, 4),
    (ClosureReason.CLIENT_ENDED, 3),
    (ClosureReason.NO_CONTACT, 3),
    (ClosureReason.MOVED_AWAY, 1),
)
INTAKE_NOTE = "Erstberatung (Clearing): Anliegen aufgenommen, Angebot und Ablauf des Case Managements erklärt."


def _weighted(rng: random.Random, options: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


class CaseBuilder:
    """Builds one planned case through the services, in the order of the case work."""

    def __init__(self, world: TenantWorld, plan: CasePlan, today: datetime.date) -> None:
        self.world = world
        self.plan = plan
        self.today = today
        self.rng = random.Random(f"{SEED}:{plan.tenant}:{plan.index}")  # noqa: S311 - demo data
        self.opened = self.past(plan.opened_ago)
        self.end = max(self.opened, self.past(plan.end_ago))
        self.owner = world.user(plan.owner)
        self.first_owner = world.user(plan.first_owner)
        self.named_on = self.opened  # identity recorded (named counselling)
        self.handover_on: datetime.date | None = None
        if plan.scenario == HANDED_TO_COLLEAGUE:
            span = (self.today - self.opened).days
            self.handover_on = self.past(self.rng.randint(15, max(16, span - 60)))
        self.levels: dict[str, int] = {}  # need now
        self.assessed_levels: dict[str, int] = {}  # need at the last assessment
        self.situations: dict[str, str] = {}
        self.health = False
        self.goals: list[Goal] = []
        self.case: Case

    # --- dates ------------------------------------------------------------------------------

    def past(self, days_ago: int) -> datetime.date:
        """A working day ``days_ago`` before today (weekends move back to Friday)."""
        day = self.today - datetime.timedelta(days=days_ago)
        while day.weekday() >= 5:
            day -= datetime.timedelta(days=1)
        return day

    def later(self, day: datetime.date, days: int, limit: datetime.date | None = None) -> datetime.date:
        """A working day ``days`` after ``day``, not after ``limit`` (default: end of work)."""
        limit = limit or self.end
        result = min(day + datetime.timedelta(days=days), limit)
        while result.weekday() >= 5 and result > day:
            result -= datetime.timedelta(days=1)
        return max(result, day)

    def future(self, days: int) -> datetime.date:
        day = self.today + datetime.timedelta(days=days)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        return day

    def actor_on(self, day: datetime.date) -> User:
        """Who did the work on ``day``: before a handover the first case manager."""
        if self.handover_on is not None and day < self.handover_on and self.first_owner is not None:
            return self.first_owner
        return self.owner or self.first_owner or self.world.coordinator

    # --- the case ---------------------------------------------------------------------------

    def build(self) -> Case:
        plan, rng = self.plan, self.rng
        self.open_case()
        if plan.scenario == UNASSIGNED:
            return self.case
        if plan.identity is not None:
            if rng.random() > 0.6:  # often named only at the second or third conversation
                self.named_on = self.later(self.opened, rng.randint(7, 35))
            self.record_identity(self.named_on)
        self.initial_levels()
        self.household()
        self.contact(self.opened, kind=ContactKind.IN_PERSON, note=INTAKE_NOTE, minutes=rng.choice((45, 60, 90)))
        reason = self.closure_reason()
        if plan.scenario != INTAKE and (self.end - self.opened).days >= 7:
            assessed = self.later(self.opened, rng.randint(3, 21))
            self.assess(assessed, initial=True)
            self.agree_goals(self.later(assessed, rng.randint(0, 14)), reason)
            self.monitor(assessed)
            self.barriers(assessed)
            self.special_events()
        elif plan.scenario == INTAKE and (self.today - self.opened).days >= 5:
            self.contact(self.later(self.opened, rng.randint(2, 5)), kind=ContactKind.PHONE)
        self.history_follow_ups()
        self.finish(reason)
        return self.case

    def open_case(self) -> None:
        plan, rng, world = self.plan, self.rng, self.world
        provider = world.providers[plan.provider]
        channel = _weighted(rng, INTAKE_CHANNELS)
        agency = world.agency_of_kind(rng.choice(REFERRING_KINDS), rng) if channel == IntakeChannel.AGENCY else None
        languages = plan.origin.languages + (", Englisch" if rng.random() < 0.2 else "")
        interpreter = rng.random() < plan.origin.interpreter_share
        self.case = case_services.case_open(
            actor=self.first_owner or world.coordinator,
            tenant=world.tenant,
            case_manager_id=self.first_owner.pk if self.first_owner else None,
            provider=provider,
            location=world.locations.get(provider.pk),
            pseudonym=plan.pseudonym,
            intake_channel=channel,
            intake_agency=agency,
            languages=languages,
            interpreter_needed=interpreter,
            interpreter_language=plan.origin.interpreter_language if interpreter else "",
            opened_on=self.opened,
        )

    def record_identity(self, day: datetime.date) -> None:
        """Named counselling: identity, then the consent to processing (information sheet in the
        client's language), often the contact consent, sometimes the health consent."""
        assert self.plan.identity is not None
        actor = self.actor_on(day)
        identity_record(self.case, actor=actor, data=self.plan.identity, expected_version=0)
        language = self.plan.origin.form_language
        for purpose, share in (
            (ConsentPurpose.PROCESSING, 1.0),
            (ConsentPurpose.CONTACT, 0.65),
            (ConsentPurpose.HEALTH, 0.3),
        ):
            if self.rng.random() < share:
                consent_services.consent_record(
                    self.case, actor=actor, purpose=purpose, language=language, given_on=day
                )
                self.health = self.health or purpose == ConsentPurpose.HEALTH
        self.case.refresh_from_db()

    def initial_levels(self) -> None:
        rng, origin = self.rng, self.plan.origin
        residence_level, residence_text = rng.choice(origin.residence)
        self.levels[D.RESIDENCE] = residence_level
        self.situations[D.RESIDENCE] = residence_text
        language_weights = (2, 3, 3, 2) if origin.key in EU_ORIGINS | {"TR"} else (1, 2, 4, 3)
        self.levels[D.LANGUAGE] = rng.choices((0, 1, 2, 3), weights=language_weights)[0]
        for domain, weights in LEVEL_WEIGHTS.items():
            if domain in SPECIAL_DOMAINS and not self.health:
                continue
            self.levels[domain] = rng.choices((0, 1, 2, 3), weights=weights)[0]
        self.levels[D.FAMILY] = rng.choices((0, 1, 2, 3), weights=(2, 3, 4, 1) if self.plan.family else (8, 1, 1, 0))[0]
        naturalisation = (2, 2, 4, 1) if residence_level == 0 else (8, 1, 1, 0)
        self.levels[D.NATURALISATION] = rng.choices((0, 1, 2, 3), weights=naturalisation)[0]

    def household(self) -> None:
        if not self.plan.family:
            return
        rng = self.rng
        actor = self.actor_on(self.opened)
        year = self.plan.identity.birth_date.year if self.plan.identity and self.plan.identity.birth_date else 1988
        if rng.random() < 0.75:
            work.household_add(
                self.case, actor=actor, relation=HouseholdRelation.PARTNER, birth_year=year + rng.randint(-4, 4)
            )
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            born = rng.randint(max(year + 18, self.today.year - 17), self.today.year - 1)
            age = self.today.year - born
            note = (
                "Kita" if age < 6 else ("Grundschule" if age < 10 else ("Seiteneinsteigerklasse" if age < 16 else ""))
            )
            work.household_add(self.case, actor=actor, relation=HouseholdRelation.CHILD, birth_year=born, note=note)
        if rng.random() < 0.1:
            work.household_add(
                self.case, actor=actor, relation=HouseholdRelation.PARENT, birth_year=year - rng.randint(22, 30)
            )

    # --- assessment, goals, referrals -------------------------------------------------------

    def assess(self, day: datetime.date, *, initial: bool) -> None:
        rng = self.rng
        entries: dict[str, dict[str, Any]] = {}
        for domain in LifeDomain.values:
            if domain not in self.levels:
                continue
            level = self.levels[domain]
            # a new text where the level changed; residence starts with the origin's text
            origin_text = initial and domain == D.RESIDENCE
            if not origin_text and self.assessed_levels.get(domain) != level:
                self.situations[domain] = rng.choice(SITUATIONS[domain][level])
            resources = rng.choice(RESOURCES[domain]) if rng.random() < 0.35 else ""
            entries[domain] = {
                "need_level": level,
                "situation": self.situations.get(domain, ""),
                "resources": resources,
            }
        work.assessment_create(self.case, actor=self.actor_on(day), assessed_on=day, entries=entries)
        self.assessed_levels = dict(self.levels)

    def needs(self, minimum: int = 1) -> list[str]:
        """Domains with at least ``minimum`` need, highest first."""
        ranked = sorted(self.levels.items(), key=lambda item: (-item[1], item[0]))
        return [domain for domain, level in ranked if level >= minimum]

    def agree_goals(self, day: datetime.date, reason: str) -> None:
        rng = self.rng
        needs = [d for d in self.needs(1) if not (d == D.RESIDENCE and self.plan.origin.key in EU_ORIGINS)]
        domains = [d for d in needs if self.levels[d] >= 2][: rng.choice((1, 1, 2, 2, 3))] or needs[:1]
        if reason == ClosureReason.NATURALISED and D.NATURALISATION not in domains:
            domains.append(D.NATURALISATION)
        for domain in domains:
            spec = rng.choice(GOALS[domain])
            if domain == D.RESIDENCE:  # a permit to extend, or first a safe residence at all
                spec = GOALS[domain][1 if self.levels[domain] == 3 else 0]
            goal = work.goal_create(self.case, actor=self.actor_on(day), domain=domain, text=spec.text, agreed_on=day)
            self.goals.append(goal)
            steps = list(spec.steps)
            if len(steps) > 2:  # two steps agreed at a time
                del steps[rng.randrange(1, len(steps))]
            for text, actor_kind in steps:
                due = self.later(day, rng.randint(14, 100), limit=day + datetime.timedelta(days=200))
                step = work.step_add(goal, actor=self.actor_on(day), text=text, actor_kind=actor_kind, due_on=due)
                done_on = self.later(day, (due - day).days - rng.randint(0, 10))
                if due <= self.end and rng.random() < 0.85:
                    work.step_done(step, actor=self.actor_on(done_on))
                    # step_done stamps today; the demo back-dates it to when the step was done
                    GoalStep.objects.filter(pk=step.pk).update(done_on=done_on)
            if rng.random() < 0.65:
                self.refer(domain, self.later(day, rng.randint(0, 21)))

    def refer(self, topic: str, day: datetime.date) -> None:
        """Verweisberatung: with identity when the client is named (release first), else
        without; the status moves on with the age of the referral."""
        rng = self.rng
        options = self.world.agencies_for(topic)
        if not options:
            return
        agency, _spec = rng.choice(options)
        actor = self.actor_on(day)
        with_identity = not self.case.is_anonymous and day >= self.named_on and rng.random() < 0.75
        if with_identity:
            consent_services.release_record(
                self.case,
                actor=actor,
                agency=agency,
                topics=[topic],
                language=self.plan.origin.form_language,
                given_on=day,
                valid_until=day + datetime.timedelta(days=730) if rng.random() < 0.5 else None,
            )
        referral = referral_services.referral_create(
            self.case,
            actor=actor,
            agency=agency,
            topic=topic,
            with_identity=with_identity,
            note=REFERRAL_NOTES[topic],
            sent_on=day,
        )
        self.move_referral(referral, topic, (self.end - day).days)

    def special_events(self) -> None:
        """A coordinator's logged override (identity passed without a release, in a hurry) and
        a release the client revoked."""
        if OVERRIDE in self.plan.extras:
            released = set(Release.objects.filter(case=self.case).values_list("agency_id", flat=True))
            offices = [
                agency for agency, spec in self.world.agencies_for(D.RESIDENCE) if spec.kind == K.IMMIGRATION_OFFICE
            ]
            referral = referral_services.referral_create(
                self.case,
                actor=self.world.coordinator,
                agency=next(agency for agency in offices if agency.pk not in released),
                topic=D.RESIDENCE,
                with_identity=True,
                note=REFERRAL_NOTES[D.RESIDENCE],
                sent_on=max(self.named_on, self.past(self.rng.randint(3, 9))),
                override_reason=OVERRIDE_REASON,
                is_coordinator=True,
            )
            referral_services.referral_transition(
                referral, actor=self.owner, status=ReferralStatus.ACCEPTED, expected_version=referral.version
            )
        if RELEASE_REVOKED in self.plan.extras:
            release = consent_services.release_record(
                self.case,
                actor=self.owner,
                agency=self.world.agency_of_kind(K.JOBCENTER, self.rng),
                topics=[D.WORK, D.INCOME],
                language=self.plan.origin.form_language,
                given_on=self.later(self.named_on, 10, limit=self.today),
            )
            consent_services.release_revoke(release, actor=self.owner)

    def move_referral(self, referral: Any, topic: str, age: int) -> None:
        rng = self.rng
        closing = self.plan.scenario in CLOSED_SCENARIOS or self.plan.scenario == CLOSURE_REQUESTED
        if age < 10 and not closing:
            target = _weighted(rng, ((ReferralStatus.SENT, 7), (ReferralStatus.ACCEPTED, 3)))
        elif age < 45 and not closing:
            target = _weighted(
                rng,
                (
                    (ReferralStatus.SENT, 15),
                    (ReferralStatus.ACCEPTED, 40),
                    (ReferralStatus.DECLINED, 15),
                    (ReferralStatus.DONE, 20),
                    (ReferralStatus.WITHDRAWN, 10),
                ),
            )
        else:
            target = _weighted(
                rng,
                (
                    (ReferralStatus.SENT, 0 if closing else 3),
                    (ReferralStatus.ACCEPTED, 0 if closing else 12),
                    (ReferralStatus.DECLINED, 15),
                    (ReferralStatus.DONE, 58),
                    (ReferralStatus.WITHDRAWN, 12),
                ),
            )
        actor = self.actor_on(self.end)
        path = {
            ReferralStatus.SENT: (),
            ReferralStatus.ACCEPTED: (ReferralStatus.ACCEPTED,),
            ReferralStatus.DECLINED: (ReferralStatus.DECLINED,),
            ReferralStatus.DONE: (ReferralStatus.ACCEPTED, ReferralStatus.DONE),
            ReferralStatus.WITHDRAWN: (ReferralStatus.ACCEPTED, ReferralStatus.WITHDRAWN)
            if rng.random() < 0.5
            else (ReferralStatus.WITHDRAWN,),
        }[target]
        for status in path:
            referral_services.referral_transition(
                referral,
                actor=actor,
                status=status,
                expected_version=referral.version,
                decline_reason=rng.choice(DECLINE_REASONS) if status == ReferralStatus.DECLINED else "",
                outcome=rng.choice(REFERRAL_OUTCOMES[topic])
                if status == ReferralStatus.DONE
                else (rng.choice(WITHDRAWAL_NOTES) if status == ReferralStatus.WITHDRAWN else ""),
            )

    # --- monitoring ---------------------------------------------------------------------------

    def monitor(self, assessed: datetime.date) -> None:
        """Contacts every one to five weeks (denser at the start) and re-assessments about every
        six months, with need levels that mostly fall as goals are reached."""
        rng = self.rng
        day = self.opened
        next_review = self.review_after(assessed)
        while True:
            gap = rng.randint(7, 21) if (day - self.opened).days < 60 else rng.randint(16, 48)
            following = day + datetime.timedelta(days=gap)
            if following > self.end:
                break
            day = self.later(day, gap)
            if next_review <= day:
                self.progress()
                self.assess(next_review, initial=False)
                if rng.random() < 0.35 and self.needs(2):
                    self.refer(rng.choice(self.needs(2)), self.later(next_review, rng.randint(0, 10)))
                next_review = self.review_after(next_review)
            self.contact(day)
        self.goal_progress()

    def review_after(self, day: datetime.date) -> datetime.date:
        """The next re-assessment: mostly on time (180 days), sometimes late, so that the
        dashboards show overdue re-assessments too."""
        review = day + datetime.timedelta(days=self.rng.randint(150, 230))
        while review.weekday() >= 5:
            review += datetime.timedelta(days=1)
        return review

    def progress(self) -> None:
        """Need levels between two assessments: mostly down, sometimes up (a new letter from the
        immigration office, an eviction notice)."""
        rng = self.rng
        goal_domains = {goal.domain for goal in self.goals}
        for domain, level in list(self.levels.items()):
            fall = 0.5 if domain in goal_domains else 0.3
            if domain == D.RESIDENCE and level == 3:
                fall = 0.2
            roll = rng.random()
            if level > 0 and roll < fall:
                self.levels[domain] = level - 1
            elif level < 3 and roll > 0.93:
                self.levels[domain] = level + 1

    def goal_progress(self) -> None:
        """Goals whose steps are all done and that are old enough count as achieved."""
        for goal in self.goals:
            steps = list(goal.steps.all())
            old = (self.end - goal.agreed_on).days > 90
            if steps and old and all(s.done_on for s in steps) and self.rng.random() < 0.6:
                work.goal_update(
                    goal,
                    actor=self.actor_on(self.end),
                    expected_version=goal.version,
                    text=goal.text,
                    status=GoalStatus.ACHIEVED,
                )

    def contact(
        self, day: datetime.date, *, kind: str | None = None, note: str | None = None, minutes: int | None = None
    ) -> None:
        rng = self.rng
        kind = kind or _weighted(rng, CONTACT_KINDS)
        duration = minutes or rng.choice(DURATIONS[kind])
        effort = duration + rng.choice((10, 15, 20, 30, 45)) + (30 if kind == ContactKind.OUTREACH else 0)
        candidates = self.needs(1)[:4] or [D.RESIDENCE]
        topics = rng.sample(candidates, k=min(len(candidates), 1 + int(rng.random() < 0.4)))
        interpreter = (
            self.case.interpreter_needed
            and kind != ContactKind.WRITTEN
            and rng.random() < (0.8 if self.levels.get(D.LANGUAGE, 3) >= 2 else 0.25)
        )
        if note is None:
            pool = CONTACT_NOTES.get(topics[0], ()) if rng.random() < 0.7 else GENERAL_NOTES
            note = rng.choice(pool) if pool and rng.random() < 0.8 else ""
        work.contact_create(
            self.case,
            actor=self.actor_on(day),
            occurred_on=day,
            kind=kind,
            duration_minutes=duration,
            effort_minutes=effort,
            interpreter_used=interpreter,
            topics=topics,
            note=note,
        )

    def barriers(self, assessed: datetime.date) -> None:
        """A structural barrier in about a third of the cases, in the domain of a need."""
        rng = self.rng
        if rng.random() > 0.38:
            return
        needs = set(self.needs(2))
        fitting = [b for b in BARRIERS if b.domain in needs and (b.domain not in SPECIAL_DOMAINS or self.health)]
        pool = fitting or [b for b in BARRIERS if b.domain not in SPECIAL_DOMAINS]
        for _ in range(1 + int(rng.random() < 0.15)):
            spec = rng.choices(pool, weights=[b.weight for b in pool])[0]
            agency = self.world.agency_of_kind(spec.agency_kind, rng) if spec.agency_kind else None
            barrier = work.barrier_create(
                self.case,
                actor=self.actor_on(assessed),
                domain=spec.domain,
                description=spec.text,
                municipality=self.world.municipalities.get(self.plan.municipality),
                agency=agency,
                institution=""
                if agency
                else spec.institution.format(bezirksregierung=self.world.config.bezirksregierung),
            )
            # barrier_create stamps today; the demo dates it back to when the barrier showed
            recorded = self.later(assessed, rng.randint(0, max(0, (self.end - assessed).days)))
            Barrier.objects.filter(pk=barrier.pk).update(recorded_on=recorded)

    # --- follow-ups ---------------------------------------------------------------------------

    def history_follow_ups(self) -> None:
        """Follow-ups done in the past. followup_create refuses a past due date (in real use a
        follow-up is always set for the future), so the demo creates it for today, marks it done
        and then moves both dates back."""
        rng = self.rng
        span = (self.end - self.opened).days
        if span < 40 or self.plan.scenario == UNASSIGNED:
            return
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            due = self.later(self.opened, rng.randint(14, span))
            actor = self.actor_on(due)
            follow_up = work.followup_create(
                self.case, actor=actor, due_on=self.today, note=rng.choice(FOLLOW_UP_NOTES)
            )
            work.followup_done(self.case, actor=actor, follow_up_id=follow_up.pk)
            FollowUp.objects.filter(pk=follow_up.pk).update(due_on=due, done_on=self.later(due, rng.randint(0, 3)))

    def current_follow_up(self) -> None:
        """The open follow-up of an open case: overdue, due today, this week or later. An
        overdue one cannot be created through followup_create (no past dates), so it is created
        for today and moved back; ``Case.next_follow_up_on`` is then recomputed as the service
        does (earliest open due date)."""
        bucket = self.plan.follow_up
        if bucket == NONE:
            return
        rng = self.rng
        actor = self.owner or self.world.coordinator
        due = {
            TODAY: self.today,
            THIS_WEEK: self.today + datetime.timedelta(days=rng.randint(1, 6)),
            LATER: self.future(rng.randint(8, 60)),
        }.get(bucket, self.today)
        follow_up = work.followup_create(self.case, actor=actor, due_on=due, note=rng.choice(FOLLOW_UP_NOTES))
        if bucket == OVERDUE:
            overdue = max(self.past(rng.randint(1, 20)), self.opened)
            if overdue < self.today:
                FollowUp.objects.filter(pk=follow_up.pk).update(due_on=overdue)
                first = FollowUp.objects.filter(case=self.case, done_on__isnull=True).aggregate(d=Min("due_on"))["d"]
                Case.objects.filter(pk=self.case.pk).update(next_follow_up_on=first)
        self.case.refresh_from_db()

    # --- the end of the story ---------------------------------------------------------------------

    def closure_reason(self) -> str:
        pool = CLOSURE_REASONS_NAMED if self.plan.identity is not None else CLOSURE_REASONS_ANONYMOUS
        return _weighted(self.rng, pool)

    def goal_outcomes(self, reason: str) -> dict[int, str]:
        outcomes = GOAL_OUTCOMES[reason]
        return {
            goal.pk: _weighted(self.rng, outcomes)
            for goal in Goal.objects.filter(case=self.case, status=GoalStatus.OPEN)
        }

    def finish(self, reason: str) -> None:
        scenario = self.plan.scenario
        handler = {
            CLOSURE_REQUESTED: self.request_closure,
            CLOSED: self.close,
            HANDED_TO_AGENCY: self.hand_to_agency,
            HANDED_TO_PROVIDER: self.hand_to_provider,
            HANDED_TO_COLLEAGUE: self.hand_to_colleague,
            CLOSURE_RETURNED: self.return_closure,
            REOPENED: self.reopen,
            ANONYMISED: self.anonymise,
            IDENTITY_ERASED: self.erase_identity,
        }.get(scenario)
        if handler is not None:
            handler(reason)
        if scenario in OPEN_SCENARIOS and self.case.is_editable:
            self.current_follow_up()

    def _request(self, reason: str) -> None:
        self.case.refresh_from_db()
        case_services.closure_request(
            self.case,
            actor=self.actor_on(self.end),
            reason=reason,
            note=CLOSURE_NOTES[reason],
            goal_outcomes=self.goal_outcomes(reason),
            expected_version=self.case.version,
        )
        # the request is stamped now; the demo dates it to the end of the work
        requested_at = timezone.make_aware(datetime.datetime.combine(self.end, datetime.time(11, 30)))
        Case.objects.filter(pk=self.case.pk, closure_requested_at__isnull=False).update(
            closure_requested_at=requested_at
        )

    def _closed_on(self, day: datetime.date) -> None:
        # closure services stamp today as the day of closure; the demo dates it back
        Case.objects.filter(pk=self.case.pk).update(closed_on=day)
        self.case.refresh_from_db()

    def request_closure(self, reason: str) -> None:
        self._request(reason)

    def close(self, reason: str) -> None:
        self._request(reason)
        self.case.refresh_from_db()
        if self.world.config.closure_requires_approval:
            case_services.closure_decide(
                self.case, actor=self.world.coordinator, approve=True, expected_version=self.case.version
            )
        self._closed_on(self.later(self.end, self.rng.randint(0, 4), limit=self.today))

    def hand_to_agency(self, reason: str) -> None:
        for goal in Goal.objects.filter(case=self.case, status=GoalStatus.OPEN):
            status = _weighted(self.rng, GOAL_OUTCOMES[ClosureReason.REGULAR_SERVICES])
            work.goal_update(
                goal, actor=self.actor_on(self.end), expected_version=goal.version, text=goal.text, status=status
            )
        self.case.refresh_from_db()
        case_services.case_handover(
            self.case,
            actor=self.actor_on(self.end),
            kind=HandoverKind.AGENCY,
            reason=HANDOVER_REASON_AGENCY,
            expected_version=self.case.version,
            to_agency=self.world.agency_of_kind(K.JOBCENTER, self.rng),
            handed_on=self.end,
        )

    def hand_to_provider(self, reason: str) -> None:
        provider = self.world.providers[self.plan.to_provider]
        self.case.refresh_from_db()
        case_services.case_handover(
            self.case,
            actor=self.actor_on(self.end),
            kind=HandoverKind.PROVIDER,
            reason=HANDOVER_REASON_PROVIDER,
            expected_version=self.case.version,
            to_provider=provider,
            handed_on=self.end,
        )

    def hand_to_colleague(self, reason: str) -> None:
        assert self.handover_on is not None and self.owner is not None
        self.case.refresh_from_db()
        case_services.case_handover(
            self.case,
            actor=self.first_owner or self.world.coordinator,
            kind=HandoverKind.CASE_MANAGER,
            reason=self.rng.choice(HANDOVER_REASONS_COLLEAGUE),
            expected_version=self.case.version,
            to_user_id=self.owner.pk,
            handed_on=self.handover_on,
        )

    def return_closure(self, reason: str) -> None:
        """Fachaufsicht returns a closure request (the goals are not reached yet)."""
        self._request(ClosureReason.GOALS_REACHED)
        self.case.refresh_from_db()
        case_services.closure_decide(
            self.case, actor=self.world.coordinator, approve=False, expected_version=self.case.version
        )
        self.case.refresh_from_db()

    def reopen(self, reason: str) -> None:
        """Closed months ago, reopened now: the client came back with a new letter."""
        self.close(ClosureReason.GOALS_REACHED)
        case_services.case_reopen(self.case, actor=self.owner, expected_version=self.case.version)
        self.case.refresh_from_db()
        self.end = self.past(2)
        self.contact(self.end, kind=ContactKind.IN_PERSON, note=REOPEN_NOTE, minutes=60)
        self.levels[D.RESIDENCE] = 2
        self.assess(self.end, initial=False)
        spec = GOALS[D.RESIDENCE][0]
        goal = work.goal_create(self.case, actor=self.owner, domain=D.RESIDENCE, text=spec.text, agreed_on=self.end)
        for text, actor_kind in spec.steps[:2]:
            work.step_add(goal, actor=self.owner, text=text, actor_kind=actor_kind, due_on=self.future(14))

    def anonymise(self, reason: str) -> None:
        """The client revoked the consent to processing: the case is anonymised and closed."""
        consent = Consent.objects.get(case=self.case, purpose=ConsentPurpose.PROCESSING, revoked_at__isnull=True)
        consent_services.consent_revoke(consent, actor=self.owner)
        self.case.refresh_from_db()

    def erase_identity(self, reason: str) -> None:
        """Back to anonymous counselling on the client's wish: the identity is deleted."""
        self.case.refresh_from_db()
        identity_erase(self.case, actor=self.owner)
        self.case.refresh_from_db()
