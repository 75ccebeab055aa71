"""Benchmark of the case manager's case list, the case page and the coordinator's list of all
cases at state-wide scale (PRODUCT.md, "Figures to reach"), on PostgreSQL.

Creates its own database (default ``lotse_bench_cases`` on 127.0.0.1:5432, user postgres),
migrates it, fills it with synthetic data (default 54 tenants, ~1,500 case managers,
1,000,000 cases), runs ANALYZE and measures in-process through Django's test client, like
``shell_pages.py``: server-side time per request (routing, session, access layer, queries,
template rendering) without network or WSGI server. Drops the database at the end unless
``--keep``.

    .venv/bin/python bench/cases.py [--cases 1000000] [--runs 200] [--keep] [--reuse]

Measured:

* the case manager's case list ``/<tenant>/cases/`` (50 per page, due dates first) for a case
  manager with a realistic caseload, against the raw SQL of the same selector (the COUNT and
  the page query the view issues, executed directly on a cursor) — target p95 ≤ 50 ms and
  ≤ 2× the raw SQL; the same for a case manager who substitutes an absent colleague;
* the case page ``/<tenant>/cases/<pk>/`` of a large case (500 contacts, 40 goals, 60
  follow-ups) and of a small one — target ≤ 15 queries whatever the size, p95 ≤ 80 ms;
* the coordinator's list of all cases of a tenant with 20,000 cases (open ones and "all");
* EXPLAIN ANALYZE of the case manager's list query, and whether it uses ``case_worklist``.

Prints Markdown tables; the figures in docs/benchmarks.md come from this script.
"""

from __future__ import annotations

import argparse
import datetime
import enum
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOMAINS = ["residence", "language", "education", "work", "housing", "health", "family", "income", "participation"]
CHANNELS = ["walk_in", "agency", "outreach", "phone", "online", "community", "other"]
CLOSURE_REASONS = ["goals_reached", "moved_away", "client_ended", "regular_services", "no_contact", "other"]
CONTACT_KINDS = ["in_person", "phone", "outreach", "video", "written"]
GIVEN = ["Amina", "Yusuf", "Olena", "Mohammed", "Fatma", "Dmytro", "Aylin", "Samir", "Irina", "Hassan"]
FAMILY = ["Haddad", "Yilmaz", "Kovalenko", "Rahimi", "Öztürk", "Petrenko", "Nasser", "Kaya", "Ahmadi", "Bauer"]
OPEN, REQUESTED, CLOSED = 0, 1, 2
STATUSES = ("open", "closure_requested", "closed")
BIG_CASE = "Bench: großer Fall"
SMALL_CASE = "Bench: kleiner Fall"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# --------------------------------------------------------------------------------------------
# Database lifecycle


def admin_connection(server: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True)


def database_exists(server: str, name: str) -> bool:
    with admin_connection(server) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def recreate_database(server: str, name: str) -> None:
    with admin_connection(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(server: str, name: str) -> None:
    from django.db import connections

    connections.close_all()
    with admin_connection(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --------------------------------------------------------------------------------------------
# Synthetic data
#
# The data is written directly with bulk_create (small tables) and PostgreSQL COPY (cases and
# everything per case), NOT through the services (lotse.cases.services): the services run
# several queries, an audit record and a version check per object, which for 1,000,000 cases
# would take hours. The generator therefore keeps the denormalised fields consistent itself
# (Case.next_follow_up_on = earliest open follow-up, is_anonymous = no identity, closed cases
# without a next follow-up). COPY runs with session_replication_role = replica, which skips
# the foreign-key triggers (the generator assigns every id itself, so the rows are consistent),
# as pg_restore --disable-triggers does.


class TableCopy:
    """One COPY stream into a model's table on its own connection. ``columns`` are attnames
    given per row; every other concrete column gets the field's default (so new columns with
    a default do not break the generator)."""

    def __init__(self, server: str, dbname: str, model: Any, columns: list[str]):
        import psycopg
        from django.db.models import JSONField

        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise SystemExit(f"{model.__name__} has no column(s) {sorted(unknown)}")
        rest = [f for f in model._meta.concrete_fields if f.attname not in columns]
        defaults = []
        for f in rest:
            value = f.get_default()
            if isinstance(f, JSONField):
                value = json.dumps(value)
            elif isinstance(value, enum.Enum):  # a TextChoices member
                value = value.value
            defaults.append(value)
        self.defaults = tuple(defaults)
        names = ", ".join(f'"{fields[c].column}"' for c in columns) + "".join(f', "{f.column}"' for f in rest)
        self.table = model._meta.db_table
        self.conn = psycopg.connect(f"{server}/{dbname}")
        self.conn.execute("SET session_replication_role = replica")
        self.conn.execute("SET synchronous_commit = off")
        self.cursor = self.conn.cursor()
        self._cm = self.cursor.copy(f'COPY "{self.table}" ({names}) FROM STDIN')
        self._copy = self._cm.__enter__()
        self.count = 0
        self.started = time.perf_counter()

    def add(self, *values: Any) -> None:
        self._copy.write_row(values + self.defaults)
        self.count += 1

    def close(self) -> float:
        self._cm.__exit__(None, None, None)
        self.conn.commit()
        self.conn.close()
        return time.perf_counter() - self.started


def reset_sequences(tables: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            # table names come from the models, not from input
            sql = f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE(MAX(id), 0) + 1, false) "
            cursor.execute(sql + f'FROM "{table}"')


def next_id(model: Any) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


class Generator:
    def __init__(self, args: argparse.Namespace, server: str, dbname: str):
        self.args = args
        self.server = server
        self.dbname = dbname
        self.rng = random.Random(20261121)
        from django.utils import timezone

        self.today = timezone.localdate()
        self.now = timezone.now()
        self.days = [self.today - datetime.timedelta(days=d) for d in range(0, 2400)]  # days[n] = n days ago
        self.ahead = [self.today + datetime.timedelta(days=d) for d in range(0, 400)]
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}

    def date_from_offset(self, offset: int) -> datetime.date:
        """today + offset days (offset may be negative)."""
        return self.ahead[offset] if offset >= 0 else self.days[-offset]

    # -- structure: tenants, providers, users, memberships, substitution ----------------------

    def structure(self) -> None:
        from django.contrib.auth.hashers import make_password

        from lotse.accounts.models import User, sort_key
        from lotse.cases.models import Absence, CaseSettings, SubstituteNomination
        from lotse.tenants.models import Location, Membership, Municipality, Provider, Role, Tenant

        started = time.perf_counter()
        a = self.args
        password = make_password("Bench-Passwort-2026")
        tenants = Tenant.objects.bulk_create(
            [
                Tenant(name=f"Bench Kreis {i + 1:02d}", slug=f"bench-{i + 1:02d}", kind="district")
                for i in range(a.tenants)
            ]
        )
        CaseSettings.objects.bulk_create([CaseSettings(tenant=t) for t in tenants])
        municipalities = Municipality.objects.bulk_create(
            [Municipality(tenant=t, name=f"{t.name} Stadt") for t in tenants]
        )
        providers = Provider.objects.bulk_create(
            [
                Provider(tenant=t, name=f"{t.name} Träger {p + 1}", kind="welfare", municipality=m)
                for t, m in zip(tenants, municipalities, strict=True)
                for p in range(a.providers_per_tenant)
            ]
        )
        locations = Location.objects.bulk_create(
            [
                Location(tenant=p.tenant, provider=p, municipality=p.municipality, name=f"{p.name} Anlaufstelle")
                for p in providers
            ]
        )
        location_of = {loc.provider_id: loc.pk for loc in locations}

        # case managers spread evenly over the tenants (1,500 over 54: 27 or 28 each)
        per_tenant = [
            a.case_managers // a.tenants + (1 if i < a.case_managers % a.tenants else 0) for i in range(a.tenants)
        ]
        users: list[User] = []
        plan: list[tuple[int, str, int | None]] = []  # (tenant index, role, provider pk)
        for ti, tenant in enumerate(tenants):
            tenant_providers = [p for p in providers if p.tenant_id == tenant.pk]
            for j in range(per_tenant[ti]):
                first, last = GIVEN[j % len(GIVEN)], f"Fallmanager{j:03d}"
                users.append(
                    User(
                        username=f"{tenant.slug}-cm-{j:03d}",
                        first_name=first,
                        last_name=last,
                        sort_name=sort_key(last, first),
                        password=password,
                        email=f"{tenant.slug}-cm-{j:03d}@example.org",
                    )
                )
                plan.append((ti, Role.CASE_MANAGER, tenant_providers[j % len(tenant_providers)].pk))
            users.append(
                User(
                    username=f"{tenant.slug}-coordinator",
                    first_name="Koordination",
                    last_name=tenant.name,
                    sort_name=sort_key(tenant.name, "Koordination"),
                    password=password,
                )
            )
            plan.append((ti, Role.COORDINATOR, None))
        users = User.objects.bulk_create(users, batch_size=2000)
        Membership.objects.bulk_create(
            [
                Membership(user=u, tenant=tenants[ti], role=role, provider_id=provider, accepted_at=self.now)
                for u, (ti, role, provider) in zip(users, plan, strict=True)
            ],
            batch_size=2000,
        )

        # Substitution: every case manager names the next two colleagues of the tenant; two
        # past absences each; every 30th (from the 6th) is absent today. The measured case
        # manager (cm-000 of the first tenant) substitutes for colleagues who are not absent,
        # so his list shows his own cases; cm-006 substitutes for the absent cm-005.
        self.tenant_cms: list[list[tuple[int, int]]] = []  # per tenant: (user pk, provider pk)
        nominations, absences = [], []
        for ti, tenant in enumerate(tenants):
            cms = [
                (u.pk, p)
                for u, (t, role, p) in zip(users, plan, strict=True)
                if t == ti and role == Role.CASE_MANAGER and p is not None
            ]
            self.tenant_cms.append(cms)
            n = len(cms)
            for j, (uid, _p) in enumerate(cms):
                for step in (1, 2):
                    if n > step:
                        nominations.append(
                            SubstituteNomination(tenant=tenant, principal_id=uid, substitute_id=cms[(j + step) % n][0])
                        )
                for back in (400, 150):
                    start = self.days[back + self.rng.randint(0, 60)]
                    absences.append(
                        Absence(
                            tenant=tenant,
                            principal_id=uid,
                            starts_on=start,
                            ends_on=start + datetime.timedelta(days=14),
                        )
                    )
                if j % 30 == 5 and j not in (n - 1, n - 2):
                    absences.append(
                        Absence(tenant=tenant, principal_id=uid, starts_on=self.days[3], ends_on=self.ahead[7])
                    )
        SubstituteNomination.objects.bulk_create(nominations, batch_size=5000)
        Absence.objects.bulk_create(absences, batch_size=5000)

        self.tenants = tenants
        self.coordinator_of = [next(u.pk for u in users if u.username == f"{t.slug}-coordinator") for t in tenants]
        self.providers_of = {t.pk: [p.pk for p in providers if p.tenant_id == t.pk] for t in tenants}
        self.location_of = location_of
        self.counts.update(
            tenants=len(tenants),
            providers=len(providers),
            case_managers=sum(per_tenant),
            users=len(users),
            substitute_nominations=len(nominations),
            absences=len(absences),
        )
        self.timings["structure (bulk_create)"] = time.perf_counter() - started

    # -- cases and everything per case (COPY) -------------------------------------------------

    def cases(self) -> None:
        from lotse.cases.identity import IdentityData, duplicate_key, seal
        from lotse.cases.models import Case, Contact, FollowUp, Goal, GoalStep, Identity

        a = self.args
        rng = self.rng
        started = time.perf_counter()
        n_tenants = len(self.tenants)
        measured = min(a.measured_tenant_cases, a.cases)
        rest = a.cases - measured
        sizes = [measured] + [
            rest // (n_tenants - 1) + (1 if i < rest % (n_tenants - 1) else 0) for i in range(n_tenants - 1)
        ]

        case_id, contact_id, follow_id, goal_id, step_id = (
            next_id(m) for m in (Case, Contact, FollowUp, Goal, GoalStep)
        )
        cases = TableCopy(
            self.server,
            self.dbname,
            Case,
            [
                "id", "tenant_id", "number", "pseudonym", "status", "is_anonymous", "case_manager_id", "provider_id",
                "location_id", "intake_channel", "opened_on", "next_follow_up_on", "next_reassessment_on",
                "closure_reason", "closure_requested_by_id", "closure_requested_at", "closed_on", "closed_by_id",
                "created_at", "updated_at",
            ],
        )  # fmt: skip
        identities = TableCopy(
            self.server, self.dbname, Identity, ["case_id", "tenant_id", "ciphertext", "duplicate_key", "updated_at"]
        )
        follow_ups = TableCopy(
            self.server, self.dbname, FollowUp, ["id", "case_id", "due_on", "note", "done_on", "created_by_id"]
        )
        goals = TableCopy(
            self.server,
            self.dbname,
            Goal,
            ["id", "case_id", "domain", "text", "status", "agreed_on", "created_by_id", "updated_at"],
        )
        steps = TableCopy(self.server, self.dbname, GoalStep, ["id", "goal_id", "text", "due_on", "actor", "done_on"])
        contacts = TableCopy(
            self.server,
            self.dbname,
            Contact,
            ["id", "case_id", "occurred_on", "kind", "duration_minutes", "effort_minutes", "topics", "note",
             "created_by_id", "created_at"],
        )  # fmt: skip
        topics = [json.dumps([d]) for d in DOMAINS]
        identity_every = round(1 / a.identity_share) if a.identity_share > 0 else 0
        self.special: dict[str, int] = {}

        # Every tenant's cases, each with its opening date drawn first; then all are written in
        # the order of opening, so that — as in a real installation — ids grow with time and the
        # cases of a tenant or a case manager are spread over the whole table, not stored together.
        # (days ago, tenant, rank of the case manager, case manager, provider, status)
        slots: list[tuple[int, int, int, int | None, int | None, int]] = []
        for ti in range(n_tenants):
            cms = self.tenant_cms[ti]
            size = sizes[ti]
            unassigned = size // 100
            # per case manager: an open caseload of 60–100 (the measured one: --caseload), two
            # closures awaiting approval, the rest closed over the past six years
            assigned = size - unassigned
            share = [assigned // len(cms) + (1 if j < assigned % len(cms) else 0) for j in range(len(cms))]
            for j, (cm_id, cm_provider) in enumerate(cms):
                caseload = a.caseload if (ti == 0 and j == 0) else rng.randint(60, 100)
                n_open = min(share[j], caseload)
                n_req = min(share[j] - n_open, 2)
                n_closed = share[j] - n_open - n_req
                slots += [(rng.randint(0, 730), ti, j, cm_id, cm_provider, OPEN) for _ in range(n_open)]
                slots += [(rng.randint(200, 900), ti, j, cm_id, cm_provider, REQUESTED) for _ in range(n_req)]
                slots += [(rng.randint(60, 2190), ti, j, cm_id, cm_provider, CLOSED) for _ in range(n_closed)]
            slots += [(rng.randint(0, 60), ti, -1, None, None, OPEN) for _ in range(unassigned)]
        slots.sort(key=lambda slot: -slot[0])
        seqs = [0] * n_tenants

        for opened_ago, ti, rank, uid, slot_provider, status_code in slots:
            tenant = self.tenants[ti]
            seqs[ti] += 1
            seq = seqs[ti]
            status = STATUSES[status_code]
            if slot_provider is None:
                providers = self.providers_of[tenant.pk]
                provider = providers[seq % len(providers)]
            else:
                provider = slot_provider
            contacts_here = a.contacts_per_case if (a.contacts_scope == "all" or ti == 0) else 0
            pk = case_id
            case_id += 1
            if pk % 100_000 == 0:
                print(f"  {pk:,} cases after {time.perf_counter() - started:.0f} s", file=sys.stderr)
            actor = uid or self.coordinator_of[ti]
            follow = reassess = closed_on = closed_by = reason = None
            req_by = req_at = None
            end_ago = 0
            if status == "open":
                if rng.random() < 0.85:
                    follow = rng.randint(-30, 90)  # offset from today; some overdue
                if rng.random() < 0.9:
                    reassess = self.date_from_offset(rng.randint(-20, 180))
            elif status == "closure_requested":
                req_by, req_at = uid, self.now - datetime.timedelta(days=rng.randint(1, 20))
            else:
                end_ago = max(0, opened_ago - rng.randint(30, 700))
                closed_on, closed_by, reason = self.days[end_ago], uid, CLOSURE_REASONS[seq % len(CLOSURE_REASONS)]
            opened_on = self.days[opened_ago]
            pseudonym = f"Fall {tenant.slug} {seq}"
            if ti == 0 and rank == 0 and status == "open":
                if "small" not in self.special and follow is not None:
                    pseudonym, self.special["small"] = SMALL_CASE, pk
                elif "big" not in self.special and follow is not None:
                    pseudonym, self.special["big"] = BIG_CASE, pk
            named = identity_every and (pk % identity_every == 0 or pseudonym == BIG_CASE)

            # follow-ups: the open ones (earliest = next_follow_up_on) and two done ones
            if status == "open":
                for _ in range(2):
                    due = self.days[rng.randint(opened_ago // 2, opened_ago) if opened_ago else 0]
                    follow_ups.add(follow_id, pk, due, "Unterlagen nachfragen", due, actor)
                    follow_id += 1
                if follow is not None:
                    for k in range(rng.randint(1, 3)):
                        follow_ups.add(follow_id, pk, self.date_from_offset(follow + 14 * k), "Rückruf", None, actor)
                        follow_id += 1
                # goal agreement: one open goal and one achieved, two steps each
                for gstatus in ("open", "achieved"):
                    domain = DOMAINS[(pk + (gstatus == "open")) % len(DOMAINS)]
                    agreed = self.days[max(0, opened_ago - 7)]
                    goals.add(goal_id, pk, domain, "Ziel der Zielvereinbarung", gstatus, agreed, actor, self.now)
                    for k in range(2):
                        done = agreed if gstatus == "achieved" or k == 0 else None
                        steps.add(
                            step_id,
                            goal_id,
                            "Handlungsschritt",
                            self.date_from_offset(rng.randint(-60, 60)),
                            "client",
                            done,
                        )
                        step_id += 1
                    goal_id += 1
            for k in range(contacts_here):
                occurred = self.days[end_ago + (opened_ago - end_ago) * k // max(1, contacts_here)]
                contacts.add(
                    contact_id, pk, occurred, CONTACT_KINDS[k % 5], 30 + 15 * (k % 4), 45 + 15 * (k % 4),
                    topics[(pk + k) % len(topics)], "", actor, self.now,
                )  # fmt: skip
                contact_id += 1
            if named:
                given, family = GIVEN[pk % 10], FAMILY[(pk // 10) % 10]
                born = datetime.date(1960 + pk % 45, 1 + pk % 12, 1 + pk % 28)
                data = IdentityData(given_name=given, family_name=f"{family}{pk}", birth_date=born, city="Wesel")
                identities.add(
                    pk, tenant.pk, seal(data, case_id=pk),
                    duplicate_key(given_name=given, family_name=f"{family}{pk}", birth_date=born), self.now,
                )  # fmt: skip
            cases.add(
                pk, tenant.pk, f"B{ti + 1:02d}-{opened_on.year}-{seq:06d}", pseudonym, status, not named, uid,
                provider, self.location_of[provider], CHANNELS[seq % len(CHANNELS)], opened_on,
                self.date_from_offset(follow) if follow is not None else None, reassess, reason or "",
                req_by, req_at, closed_on, closed_by, self.now, self.now,
            )  # fmt: skip
        for name, stream in (
            ("cases", cases),
            ("identities", identities),
            ("follow_ups", follow_ups),
            ("goals", goals),
            ("goal_steps", steps),
            ("contacts", contacts),
        ):
            stream.close()
            self.counts[name] = stream.count
        reset_sequences([t.table for t in (cases, follow_ups, goals, steps, contacts)])
        self.timings["cases and per-case rows (COPY)"] = time.perf_counter() - started

    def big_case(self) -> None:
        """The large case of the case-page measurement, via bulk_create: 500 contacts, 40 goals
        (20 open with 5 steps each, 20 achieved with 2), 60 follow-ups (30 open, 30 done), six
        household members."""
        from lotse.cases.models import Case, Contact, FollowUp, Goal, GoalStep, HouseholdMember

        started = time.perf_counter()
        a = self.args
        case = Case.objects.get(pk=self.special["big"])
        actor = case.case_manager_id
        assert actor is not None
        opened = case.opened_on
        Contact.objects.bulk_create(
            [
                Contact(
                    case=case,
                    occurred_on=max(opened, self.days[k % 700]),
                    kind=CONTACT_KINDS[k % 5],
                    duration_minutes=45,
                    effort_minutes=60,
                    topics=[DOMAINS[k % len(DOMAINS)]],
                    note="Gespräch über die nächsten Schritte",
                    created_by_id=actor,
                )
                for k in range(a.big_case_contacts)
            ],
            batch_size=1000,
        )
        goals = Goal.objects.bulk_create(
            [
                Goal(
                    case=case,
                    domain=DOMAINS[k % len(DOMAINS)],
                    text=f"Ziel {k}",
                    status="open" if k < 20 else "achieved",
                    created_by_id=actor,
                )
                for k in range(40)
            ]
        )
        GoalStep.objects.bulk_create(
            [
                GoalStep(goal=g, text=f"Schritt {s}", due_on=self.date_from_offset(s * 10), actor="client")
                for g in goals
                for s in range(5 if g.status == "open" else 2)
            ]
        )
        follow = [
            FollowUp(
                case=case, due_on=self.days[100 + k], note="erledigt", done_on=self.days[99 + k], created_by_id=actor
            )
            for k in range(30)
        ]
        follow += [
            FollowUp(case=case, due_on=self.ahead[k * 3], note=f"Wiedervorlage {k}", created_by_id=actor)
            for k in range(30)
        ]
        FollowUp.objects.bulk_create(follow)
        Case.objects.filter(pk=case.pk).update(next_follow_up_on=self.today)
        HouseholdMember.objects.bulk_create(
            [HouseholdMember(case=case, relation="child", birth_year=2010 + k) for k in range(6)]
        )
        self.counts["contacts"] += a.big_case_contacts
        self.timings["large case (bulk_create)"] = time.perf_counter() - started

    def analyze(self) -> None:
        """VACUUM (ANALYZE): planner statistics, and the visibility map that a production
        database's autovacuum keeps current (index-only scans depend on it; autovacuum may be
        off on a development server and would anyway run at an arbitrary moment)."""
        from django.db import connection

        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        self.timings["VACUUM (ANALYZE)"] = time.perf_counter() - started


# --------------------------------------------------------------------------------------------
# Measurement


def sign_in(user: Any):  # type: ignore[no-untyped-def]
    """A fully signed-in session (both factors), as conftest.sign_in does."""
    from django.test import Client

    from lotse.accounts.services import SESSION_AUTH_AT, SESSION_SEEN_AT

    client = Client()
    client.force_login(user)
    session = client.session
    now = time.time()
    session[SESSION_AUTH_AT] = now
    session[SESSION_SEEN_AT] = now
    session.save()
    return client


class Scenario:
    """One measured thing; all scenarios run interleaved, one run each per round, so that they
    share the same conditions (the development machine is busy with other work)."""

    def __init__(
        self, label: str, path: str, fn: Callable[[], Any], queries: int, note: str, statements: list[str]
    ) -> None:
        self.label, self.path, self.fn, self.queries, self.note = label, path, fn, queries, note
        self.statements = statements  # the case queries among them (for the raw SQL and EXPLAIN)
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def run(self) -> None:
        """Wall-clock and CPU time (of this process: Django's share, not PostgreSQL's), ms."""
        started, started_cpu = time.perf_counter(), time.process_time()
        self.fn()
        self.wall.append((time.perf_counter() - started) * 1000)
        self.cpu.append((time.process_time() - started_cpu) * 1000)


def page_queries(client: Any, path: str) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return [q["sql"] for q in captured.captured_queries]


def case_queries(queries: list[str]) -> list[str]:
    """The selector's statements among a list page's queries: the COUNT and the page."""
    return [q for q in queries if 'FROM "cases_case"' in q and q.lstrip().upper().startswith("SELECT")]


def run_raw(statements: list[str]) -> Callable[[], Any]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def indexes_in(plan: str) -> list[str]:
    """Names of the indexes a plan scans (and a sequential scan of the cases, if any)."""
    found: list[str] = []
    for name in re.findall(r"Index (?:Only )?Scan(?: Backward)? using (\w+)|Bitmap Index Scan on (\w+)", plan):
        index = name[0] or name[1]
        if index not in found:
            found.append(index)
    if "Seq Scan on cases_case" in plan:
        found.append("sequential scan of cases_case")
    return found


def candidate_statements(user: Any, tenant: str) -> list[str]:
    """The list queries of the selector (``selectors.case_list`` with the list page's default
    filters) with one change: the scope written as ``case_manager_id IN (own id, substituted
    principals' ids)`` — the principals looked up first in one small query — instead of
    ``case_manager_id = own OR case_manager_id IN (subquery)``. Not what the code does today:
    a candidate for the lead, measured as raw SQL."""
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lotse.access.cases import substituted_principal_ids
    from lotse.access.context import AccessContext
    from lotse.cases import selectors
    from lotse.cases.models import Case
    from lotse.tenants.models import Membership

    membership = Membership.objects.select_related("tenant").get(user=user, tenant__slug=tenant)
    ctx = AccessContext(user=user, tenant=membership.tenant, membership=membership)

    def candidate_scope(ctx: AccessContext) -> Any:
        ids = [ctx.user.pk, *substituted_principal_ids(ctx)]
        return Case.objects.filter(tenant=ctx.tenant, case_manager_id__in=ids)

    with CaptureQueriesContext(connection) as captured, mock.patch.object(selectors, "cases_scope", candidate_scope):
        qs = selectors.case_list(ctx)
        qs.count()
        list(qs[:50])
    return [q["sql"] for q in captured.captured_queries]


def worklist_use(plan: str) -> str:
    """Whether a plan reaches the case manager's rows through ``case_worklist`` (its index
    condition names the case manager), merely scans it for the whole tenant, or not at all."""
    lines = plan.splitlines()
    scans = [i for i, line in enumerate(lines) if "case_worklist" in line and "Scan" in line]
    if not scans:
        return "NO (not used)"
    for i in scans:
        conditions = [line for line in lines[i + 1 : i + 4] if "Index Cond" in line]
        if conditions and "case_manager_id" in conditions[0]:
            return "yes (index condition on the case manager)"
    return "NO (scanned for the whole tenant, the case manager only filtered)"


CANDIDATE_INDEXES = {
    "case_open_due": "(tenant_id, status, next_follow_up_on, next_reassessment_on, opened_on DESC, id DESC)",
    "case_all_due": "(tenant_id, next_follow_up_on, next_reassessment_on, opened_on DESC, id DESC)",
}


def index_experiment(statements: dict[str, list[str]]) -> None:
    """Server execution time (EXPLAIN ANALYZE, best of five) of the list queries as they are and
    with the candidate indexes, created inside a transaction that is rolled back."""
    from django.db import connection, transaction

    def best(sql: str) -> tuple[float, list[str]]:
        with connection.cursor() as cursor:
            times = []
            for _ in range(5):
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                times.append(cursor.fetchone()[0][0]["Execution Time"])
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        return min(times), indexes_in(plan)

    before = {(label, i): best(sql) for label, sqls in statements.items() for i, sql in enumerate(sqls)}
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name, columns in CANDIDATE_INDEXES.items():
                cursor.execute(f"CREATE INDEX {name} ON cases_case {columns}")
            cursor.execute("ANALYZE cases_case")
        after = {(label, i): best(sql) for label, sqls in statements.items() for i, sql in enumerate(sqls)}
        transaction.set_rollback(True)
    print("\nCandidate indexes (rolled back afterwards):")
    for name, columns in CANDIDATE_INDEXES.items():
        print(f"  {name} ON cases_case {columns}")
    print("\n| list | query | ms now | indexes now | ms with candidates | indexes with candidates |")
    print("| --- | --- | ---: | --- | ---: | --- |")
    for (label, i), (ms, used) in before.items():
        kind = "COUNT" if "COUNT(" in statements[label][i].upper() else "page"
        ms2, used2 = after[(label, i)]
        print(f"| {label} | {kind} | {ms:.2f} | {', '.join(used)} | {ms2:.2f} | {', '.join(used2)} |")


def measure(args: argparse.Namespace) -> None:
    from django.db import connection

    from lotse.accounts.models import User
    from lotse.cases.models import Case, Contact

    runs, warmup = args.runs, args.warmup
    tenant = "bench-01"
    cm = User.objects.get(username=f"{tenant}-cm-000")
    substitute = User.objects.get(username=f"{tenant}-cm-006")
    coordinator = User.objects.get(username=f"{tenant}-coordinator")
    big = Case.objects.get(tenant__slug=tenant, pseudonym=BIG_CASE)
    small = Case.objects.get(tenant__slug=tenant, pseudonym=SMALL_CASE)

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('cases_case')) FROM cases_case")
        total_cases, case_size = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM cases_contact")
        total_contacts = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM cases_case c JOIN tenants_tenant t ON t.id = c.tenant_id WHERE t.slug = %s", [tenant]
        )
        tenant_cases = cursor.fetchone()[0]
        cursor.execute("SELECT version()")
        server_version = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"\nDatabase: {server_version}; {total_cases:,} cases ({case_size} with indexes), {total_contacts:,} contacts; "
        f"measured tenant {tenant} with {tenant_cases:,} cases. {runs} runs of each after {warmup} warm-up runs."
    )

    scenarios: list[Scenario] = []
    plans: dict[str, str] = {}

    def count_of(statements: list[str]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(next(s for s in statements if "COUNT(" in s.upper()))
            return cursor.fetchone()[0]

    def page(label: str, user: Any, path: str, note: str = "") -> Scenario:
        client = sign_in(user)
        client.get(path)  # the first request stores the tenant in the session (one write)
        queries = page_queries(client, path)
        statements = case_queries(queries)
        if path.split("?")[0].endswith("/cases/"):
            note = f"{count_of(statements)} cases in the list"
            plans[label] = "\n\n".join(explain(s) for s in statements)

        def get() -> None:
            assert client.get(path).status_code == 200

        scenarios.append(Scenario(label, f"`{path}`", get, len(queries), note, statements))
        return scenarios[-1]

    def raw(label: str, statements: list[str], note: str, *, plan: bool = False) -> Scenario:
        scenarios.append(Scenario(label, "–", run_raw(statements), len(statements), note, statements))
        if plan:
            plans[label] = "\n\n".join(explain(s) for s in statements)
        return scenarios[-1]

    pairs: list[tuple[Scenario, Scenario]] = []
    for who, user in (("case manager", cm), ("case manager, substituting", substitute)):
        listing = page(f"{who}: case list", user, f"/{tenant}/cases/")
        rawsql = raw(f"{who}: raw SQL of the list", listing.statements, "the COUNT and the page of 50, on a cursor")
        pairs.append((listing, rawsql))
        raw(
            f"{who}: candidate raw SQL",
            candidate_statements(user, tenant),
            "substituted principals first, then `case_manager_id IN (…)`: lookup, COUNT, page",
            plan=True,
        )
    big_contacts = Contact.objects.filter(case=big).count()
    small_contacts = Contact.objects.filter(case=small).count()
    page(
        "case manager: large case page",
        cm,
        f"/{tenant}/cases/{big.pk}/",
        f"{big_contacts} contacts, 40 goals (20 open), 60 follow-ups (30 open), 6 household",
    )
    page("case manager: small case page", cm, f"/{tenant}/cases/{small.pk}/", f"{small_contacts} contacts, 2 goals")
    page("coordinator: large case page", coordinator, f"/{tenant}/cases/{big.pk}/", "pseudonymised view")
    page("coordinator: open cases", coordinator, f"/{tenant}/cases/")
    page("coordinator: all cases", coordinator, f"/{tenant}/cases/?status=all")

    for scenario in scenarios:
        for _ in range(warmup):
            scenario.fn()
    loads = []
    started = time.perf_counter()
    for _ in range(runs):
        for scenario in scenarios:
            scenario.run()
        loads.append(os.getloadavg()[0])
    print(
        f"Measured in {time.perf_counter() - started:.0f} s, the scenarios interleaved round by round; "
        f"1-minute load average during the runs {min(loads):.1f}–{max(loads):.1f} "
        f"(median {statistics.median(loads):.1f}; 2 cores: above 2, runs waited for a CPU).\n"
    )
    print("| what | path | p50 ms | p95 ms | max ms | CPU p50 ms | queries | note |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for sc in scenarios:
        print(
            f"| {sc.label} | {sc.path} | {statistics.median(sc.wall):.1f} | {percentile(sc.wall, 0.95):.1f} "
            f"| {max(sc.wall):.1f} | {statistics.median(sc.cpu):.1f} | {sc.queries} | {sc.note} |"
        )
    print("\nCPU = this process's CPU time per run (Django's share; PostgreSQL works in its own process).\n")
    for listing, rawsql in pairs:
        ratio = percentile(listing.wall, 0.95) / percentile(rawsql.wall, 0.95)
        print(f"{listing.label}: p95 / raw SQL p95 = {ratio:.1f}×")
    print()
    for label, plan in plans.items():
        used = indexes_in(plan)
        print(f"Indexes used by {label}: {', '.join(used) or 'none'}")
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the case manager's list queries (COUNT, then the page):\n")
    print(plans["case manager: case list"])
    print(f"\nThe case manager's list uses case_worklist: {worklist_use(plans['case manager: case list'])}")
    print(f"The candidate query uses case_worklist: {worklist_use(plans['case manager: candidate raw SQL'])}")
    if args.try_indexes:
        index_experiment({sc.label: sc.statements for sc in scenarios if sc.path != "–" and sc.label in plans})
    if args.plans:
        Path(args.plans).write_text(
            "".join(f"== {label}\n{plan}\n\n" for label, plan in plans.items()), encoding="utf-8"
        )
        print(f"All plans written to {args.plans}")


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases in all (default 1,000,000)")
    parser.add_argument("--tenants", type=int, default=54)
    parser.add_argument("--case-managers", type=int, default=1500, help="case managers in all tenants (default 1,500)")
    parser.add_argument("--providers-per-tenant", type=int, default=4)
    parser.add_argument("--measured-tenant-cases", type=int, default=20_000, help="cases of the measured tenant")
    parser.add_argument("--caseload", type=int, default=80, help="open cases of the measured case manager")
    parser.add_argument("--identity-share", type=float, default=0.1, help="share of cases with an identity (0.1)")
    parser.add_argument("--contacts-per-case", type=int, default=10)
    parser.add_argument(
        "--contacts-scope",
        choices=["measured", "all"],
        default="all",
        help="contacts for every case (default: 10,000,000 at 1M cases) or for the measured tenant's cases only",
    )
    parser.add_argument("--big-case-contacts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=200, help="timed runs per measurement (default 200)")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--database", default="lotse_bench_cases")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure an existing database (from --keep) again")
    parser.add_argument("--plans", metavar="FILE", help="write every EXPLAIN ANALYZE to FILE")
    parser.add_argument(
        "--try-indexes",
        action="store_true",
        help="also time the list queries with candidate indexes (created in a transaction that is rolled back)",
    )
    args = parser.parse_args()

    def generate() -> Generator:
        gen = Generator(args, args.server, args.database)
        gen.structure()
        gen.cases()
        gen.big_case()
        return gen

    run(args, generate, measure)


def run(args: argparse.Namespace, generate: Callable[[], Any], measure: Callable[[argparse.Namespace], None]) -> None:
    """The frame of every benchmark run (also ``bench/steering.py``): its own database on
    ``args.server``, migrated and filled by ``generate()`` (a generator after its steps; ANALYZE
    follows) unless ``--reuse`` finds it, then ``measure(args)``, and the database dropped
    unless ``--keep``."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "lotse.settings.test"
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    os.environ.pop("LOTSE_DATABASE_URL", None)
    os.environ["LOTSE_LOG_LEVEL"] = "WARNING"

    started = time.perf_counter()
    reuse = args.reuse and database_exists(args.server, args.database)
    if not reuse:
        recreate_database(args.server, args.database)

    import warnings

    import django

    # whitenoise warns that the collected static files are missing; the pages do not need them
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    try:
        if not reuse:
            t = time.perf_counter()
            call_command("migrate", verbosity=0)
            migrate_time = time.perf_counter() - t
            print(f"Generating {args.cases:,} cases …", file=sys.stderr)
            gen = generate()
            gen.analyze()
            print("Data generated:")
            print("  " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in gen.counts.items()))
            print(f"  migrate {migrate_time:.1f} s; " + "; ".join(f"{k} {v:.1f} s" for k, v in gen.timings.items()))
            print(f"  total {time.perf_counter() - started:.1f} s")
        measure(args)
    finally:
        if not args.keep:
            drop_database(args.server, args.database)
    print(f"\nWhole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
