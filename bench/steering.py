"""Benchmark of Module 2 (strategic steering) at the size of a district: the supervision
figures (Fachaufsicht), the feedback page, the theme list, a theme page, the barrier register
and the minutes PDF, on PostgreSQL.

Creates its own database (default ``lotse_bench_steering`` on 127.0.0.1:5432, user postgres),
migrates it with ``lotse.settings.test``, fills it with synthetic data (default 54 tenants,
200,000 cases; the measured tenant ``bench-01`` has 20,000 of them), runs VACUUM (ANALYZE) and
measures in-process through Django's test client with a signed-in session, like ``cases.py``:
server-side time per request (routing, session, access layer, queries, rendering) without
network or WSGI server. Drops the database at the end unless ``--keep``.

    .venv/bin/python bench/steering.py [--cases 200000] [--runs 40] [--keep] [--reuse]

Measured (coordinator of ``bench-01`` unless said otherwise):

* ``/<tenant>/supervision/`` (coordinator: whole tenant; provider lead: own provider) and
  ``/<tenant>/supervision/feedback/``, with the default period (the last twelve months);
* the provider lead's and the coordinator's role dashboard ``/<tenant>/`` (supervision cards);
* ``/<tenant>/steering/themes/`` (50 themes over 6,000 barriers), the page of a theme with
  1,000 barriers, the first page of ``/<tenant>/steering/barriers/``;
* ``/<tenant>/committees/meetings/<pk>/minutes.pdf`` of a meeting with 23 seats and 10 agenda
  items (WeasyPrint render time; every print writes an audit record, as in production);
* each supervision selector on its own: its queries, the server time of each query (EXPLAIN
  ANALYZE) and the rows it returns; then EXPLAIN (ANALYZE, BUFFERS) of the slowest one.

Target (PRODUCT.md, closest figure for a per-tenant dashboard): "Tenant indicator report
(20,000 cases) ≤ 300 ms". Prints Markdown tables; docs/benchmarks.md records them.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.cases import (  # noqa: E402  (after the path set-up above)
    DOMAINS,
    Generator,
    Scenario,
    TableCopy,
    next_id,
    percentile,
    reset_sequences,
    run,
    sign_in,
)

TENANT = "bench-01"
OPEN, REQUESTED, CLOSED = "open", "closure_requested", "closed"
CHANNELS = ["walk_in", "agency", "outreach", "phone", "online", "community", "other"]
CLOSURE_REASONS = ["goals_reached", "moved_away", "client_ended", "regular_services", "no_contact", "other"]
ALL_DOMAINS = [*DOMAINS, "naturalisation"]  # the ten life domains of an assessment
REFERRAL_STATUSES = ["sent"] * 3 + ["accepted"] * 3 + ["declined", "done", "done", "done", "withdrawn"]
AGENCY_KINDS = ["migration_service", "job_centre", "youth_welfare", "school", "health", "other"]
BIG_THEME = "Bench: Thema mit 1.000 Hemmnissen"


# --------------------------------------------------------------------------------------------
# Synthetic data: the tenants, providers, case managers and coordinators come from
# ``cases.Generator.structure``; everything else is added here, again with bulk_create (small
# tables) and COPY (per case), not through the services (see the comment in cases.py). The
# generator keeps consistent what the figures read: the first assessment of a case is the
# initial one, re-assessments follow at intervals up to the closure (or today), an open case's
# next re-assessment is due 180 days after its latest assessment, closed cases have a closure
# date and no due dates, referrals lie between opening and closure. Follow-ups, goals and
# contacts are not generated: no page measured here reads them (the case's next follow-up is
# the denormalised ``Case.next_follow_up_on``).


class SteeringGenerator(Generator):
    def extra_structure(self) -> None:
        """The provider lead of the measured tenant, ~40 agencies per tenant, four more
        municipalities for the measured tenant."""
        from lotse.accounts.models import User, sort_key
        from lotse.network.models import Agency
        from lotse.tenants.models import Membership, Municipality, Role

        started = time.perf_counter()
        first = self.tenants[0]
        lead = User.objects.create(
            username=f"{first.slug}-providerlead",
            first_name="Trägerleitung",
            last_name="Bench",
            sort_name=sort_key("Bench", "Trägerleitung"),
            password=User.objects.get(username=f"{first.slug}-coordinator").password,
        )
        Membership.objects.create(
            user=lead,
            tenant=first,
            role=Role.PROVIDER_LEAD,
            provider_id=self.providers_of[first.pk][0],
            accepted_at=self.now,
        )
        agencies = Agency.objects.bulk_create(
            [
                Agency(tenant=t, name=f"Kooperationspartner {k + 1:02d} {t.slug}", kind=AGENCY_KINDS[k % 6])
                for t in self.tenants
                for k in range(self.args.agencies)
            ],
            batch_size=5000,
        )
        self.agencies_of: dict[int, list[int]] = {}
        for agency in agencies:
            self.agencies_of.setdefault(agency.tenant_id, []).append(agency.pk)
        extra = Municipality.objects.bulk_create(
            [Municipality(tenant=first, name=f"Bench Gemeinde {k + 1}") for k in range(4)]
        )
        self.municipalities = [
            *Municipality.objects.filter(tenant=first)
            .exclude(pk__in=[m.pk for m in extra])
            .values_list("pk", flat=True),
            *[m.pk for m in extra],
        ]
        self.counts["agencies"] = len(agencies)
        self.timings["provider lead, agencies (bulk_create)"] = time.perf_counter() - started

    def cases(self) -> None:  # replaces cases.Generator.cases: other dates, assessments, referrals
        from lotse.cases.models import Assessment, AssessmentEntry, Case, Referral

        a, rng = self.args, self.rng
        started = time.perf_counter()
        n_tenants = len(self.tenants)
        measured = min(a.measured_tenant_cases, a.cases)
        rest = a.cases - measured
        sizes = [measured] + [
            rest // (n_tenants - 1) + (1 if i < rest % (n_tenants - 1) else 0) for i in range(n_tenants - 1)
        ]
        span = a.years * 365
        case_id, assessment_id, entry_id, referral_id = (
            next_id(m) for m in (Case, Assessment, AssessmentEntry, Referral)
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
        assessments = TableCopy(
            self.server,
            self.dbname,
            Assessment,
            ["id", "case_id", "assessed_on", "is_initial", "created_by_id", "created_at"],
        )
        entries = TableCopy(self.server, self.dbname, AssessmentEntry, ["id", "assessment_id", "domain", "need_level"])
        referrals = TableCopy(
            self.server,
            self.dbname,
            Referral,
            ["id", "case_id", "agency_id", "topic", "status", "sent_on", "created_by_id", "updated_at"],
        )
        # (days ago opened, tenant index, case manager, provider, status, days ago closed); per case manager an
        # open caseload of 60–100, two closures awaiting approval, the rest closed; 1 % of a
        # tenant's cases open and not yet assigned. Written in the order of opening, so that a
        # tenant's cases are spread over the table as in a real installation.
        slots: list[tuple[int, int, int | None, int | None, str, int]] = []
        for ti in range(n_tenants):
            cms = self.tenant_cms[ti]
            unassigned = sizes[ti] // 100
            assigned = sizes[ti] - unassigned
            share = [assigned // len(cms) + (1 if j < assigned % len(cms) else 0) for j in range(len(cms))]
            for j, (cm_id, cm_provider) in enumerate(cms):
                n_open = min(share[j], rng.randint(60, 100))
                n_req = min(share[j] - n_open, 2)
                n_closed = share[j] - n_open - n_req
                slots += [(rng.randint(0, 730), ti, cm_id, cm_provider, OPEN, 0) for _ in range(n_open)]
                slots += [(rng.randint(60, 900), ti, cm_id, cm_provider, REQUESTED, 0) for _ in range(n_req)]
                for _ in range(n_closed):  # closed evenly over the years, after 2 weeks to 2 years
                    closed_ago = rng.randint(0, span - 14)
                    duration = rng.randint(14, min(700, span - closed_ago))
                    slots.append((closed_ago + duration, ti, cm_id, cm_provider, CLOSED, closed_ago))
            slots += [(rng.randint(0, 60), ti, None, None, OPEN, 0) for _ in range(unassigned)]
        slots.sort(key=lambda slot: -slot[0])
        seqs = [0] * n_tenants
        self.measured_cases: list[tuple[int, int]] = []  # (case id, provider id) of bench-01
        for opened_ago, ti, uid, slot_provider, status, closed_ago in slots:
            tenant = self.tenants[ti]
            seqs[ti] += 1
            seq = seqs[ti]
            providers = self.providers_of[tenant.pk]
            provider = slot_provider or providers[seq % len(providers)]
            actor = uid or self.coordinator_of[ti]
            pk = case_id
            case_id += 1
            if pk % 100_000 == 0:
                print(f"  {pk:,} cases after {time.perf_counter() - started:.0f} s", file=sys.stderr)
            if ti == 0:
                self.measured_cases.append((pk, provider))
            follow = reassess = closed_on = closed_by = reason = req_by = req_at = None
            end_ago = closed_ago
            if status == CLOSED:
                closed_on, closed_by, reason = self.days[end_ago], uid, CLOSURE_REASONS[seq % 6]
            elif status == REQUESTED:
                req_by, req_at = uid, self.now - datetime.timedelta(days=rng.randint(1, 20))
            elif rng.random() < 0.85:
                follow = self.date_from_offset(rng.randint(-30, 90))  # some overdue
            # assessments: the initial one within two weeks of the opening, then 0–3
            # re-assessments spread until the closure or today; ten domains each
            active = opened_ago - end_ago
            n_assess = min(rng.randint(1, 4), 1 + active // 90)
            first_ago = opened_ago - min(active, rng.randint(0, 14))
            levels = [rng.choice((0, 0, 1, 1, 2, 2, 3, 3, 3)) for _ in ALL_DOMAINS]
            last_ago = first_ago
            for k in range(n_assess):
                ago = first_ago if k == 0 else first_ago - (first_ago - end_ago) * k // n_assess
                day = self.days[ago]
                assessments.add(assessment_id, pk, day, k == 0, actor, self.now)
                for d, domain in enumerate(ALL_DOMAINS):
                    if k:
                        levels[d] = max(0, min(3, levels[d] + rng.choice((-2, -1, -1, 0, 0, 1))))
                    entries.add(entry_id, assessment_id, domain, levels[d])
                    entry_id += 1
                assessment_id += 1
                last_ago = ago
            if status == OPEN:
                reassess = self.date_from_offset(180 - last_ago)  # overdue once the latest is older than 180 days
            agencies = self.agencies_of[tenant.pk]
            for _ in range(rng.randint(0, 3)):
                sent = self.days[rng.randint(end_ago, opened_ago)]
                referrals.add(
                    referral_id, pk, agencies[rng.randrange(len(agencies))], ALL_DOMAINS[rng.randrange(10)],
                    REFERRAL_STATUSES[rng.randrange(len(REFERRAL_STATUSES))], sent, actor, self.now,
                )  # fmt: skip
                referral_id += 1
            opened_on = self.days[opened_ago]
            cases.add(
                pk, tenant.pk, f"B{ti + 1:02d}-{opened_on.year}-{seq:06d}", f"Fall {tenant.slug} {seq}", status, True,
                uid, provider, self.location_of[provider], CHANNELS[seq % 7], opened_on, follow, reassess,
                reason or "", req_by, req_at, closed_on, closed_by, self.now, self.now,
            )  # fmt: skip
        for name, stream in (
            ("cases", cases),
            ("assessments", assessments),
            ("assessment_entries", entries),
            ("referrals", referrals),
        ):
            stream.close()
            self.counts[name] = stream.count
        reset_sequences([t.table for t in (cases, assessments, entries, referrals)])
        self.timings["cases, assessments, referrals (COPY)"] = time.perf_counter() - started

    def feedback(self) -> None:
        """Feedback answers: ``--feedback`` for the measured tenant (over ``--years`` years),
        proportionally as many for the others; some questions unanswered."""
        from lotse.feedback.models import FeedbackResponse

        started = time.perf_counter()
        a, rng = self.args, self.rng
        measured = min(a.measured_tenant_cases, a.cases)
        per_other = round(a.feedback * (a.cases - measured) / max(1, len(self.tenants) - 1) / max(1, measured))
        months, month = [], self.today.replace(day=1)
        for _ in range(a.years * 12):
            months.append(month)
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        rows = []
        for ti, tenant in enumerate(self.tenants):
            providers = self.providers_of[tenant.pk]
            for _ in range(a.feedback if ti == 0 else per_other):

                def answer() -> int | None:
                    return None if rng.random() < 0.08 else rng.choice((2, 3, 4, 4, 5, 5, 5))

                rows.append(
                    FeedbackResponse(
                        tenant=tenant,
                        provider_id=providers[rng.randrange(len(providers))],
                        month=months[rng.randrange(len(months))],
                        language=rng.choice(("de", "ar", "uk", "tr", "fa", "ru", "en")),
                        understood=answer(),
                        helped=answer(),
                        respected=answer(),
                        reachable=answer(),
                        recommend=answer(),
                    )
                )
        FeedbackResponse.objects.bulk_create(rows, batch_size=5000)
        self.counts["feedback_responses"] = len(rows)
        self.timings["feedback (bulk_create)"] = time.perf_counter() - started

    def steering(self) -> None:
        """The measured tenant's 50 themes over 6,000 barriers (one theme with 1,000), 1,500
        barriers not grouped yet, a short history per theme; 300 ungrouped barriers for every
        other tenant."""
        from lotse.cases.models import Barrier
        from lotse.steering.models import Theme, ThemeEvent, ThemeEventKind

        started = time.perf_counter()
        a, rng = self.args, self.rng
        first = self.tenants[0]
        coordinator = self.coordinator_of[0]
        themes = Theme.objects.bulk_create(
            [
                Theme(
                    tenant=first,
                    title=BIG_THEME if k == 0 else f"Bench-Thema {k:02d}: Wartezeiten bei der Stelle {k}",
                    description="Strukturelles Problem, das viele Fälle betrifft.",
                    level=1 + k % 5,
                    next_step="Gespräch mit der Amtsleitung",
                    due_on=self.ahead[30 + k],
                    created_by_id=coordinator,
                )
                for k in range(a.themes)
            ]
        )
        events = []
        for theme in themes:
            events.append(ThemeEvent(theme=theme, kind=ThemeEventKind.CREATED, to_level=1, created_by_id=coordinator))
            for level in range(2, theme.level + 1):
                events.append(
                    ThemeEvent(
                        theme=theme,
                        kind=ThemeEventKind.MOVED,
                        from_level=level - 1,
                        to_level=level,
                        reason="Mehr als zehn Fälle bei drei Trägern",
                        occurred_on=self.days[40 * (6 - level)],
                        created_by_id=coordinator,
                    )
                )
        ThemeEvent.objects.bulk_create(events)
        # theme of each grouped barrier: the first 1,000 to the big theme, the rest evenly
        grouped = a.theme_barriers
        rest = grouped - a.big_theme_barriers
        owners = [themes[0].pk] * a.big_theme_barriers + [themes[1 + k % (len(themes) - 1)].pk for k in range(rest)]
        barriers = TableCopy(
            self.server,
            self.dbname,
            Barrier,
            ["id", "tenant_id", "case_id", "provider_id", "municipality_id", "domain", "agency_id", "institution",
             "description", "recorded_on", "created_by_id", "theme_id"],
        )  # fmt: skip
        barrier_id = next_id(Barrier)
        text = "Termine bei der Ausländerbehörde erst nach drei Monaten; Unterlagen gehen verloren."
        for ti, tenant in enumerate(self.tenants):
            agencies = self.agencies_of[tenant.pk]
            if ti == 0:
                count, cases = grouped + a.ungrouped_barriers, self.measured_cases
            else:
                count, cases = 300, []
            for k in range(count):
                if cases:
                    case, provider = cases[rng.randrange(len(cases))]
                else:
                    case, provider = None, self.providers_of[tenant.pk][k % 4]
                own_agency = rng.random() < 0.7
                barriers.add(
                    barrier_id, tenant.pk, case, provider,
                    self.municipalities[k % len(self.municipalities)] if ti == 0 else None,
                    ALL_DOMAINS[rng.randrange(10)], agencies[rng.randrange(len(agencies))] if own_agency else None,
                    "" if own_agency else "Schule am Markt", text, self.days[rng.randint(0, a.years * 365)],
                    self.coordinator_of[ti], owners[k] if ti == 0 and k < grouped else None,
                )  # fmt: skip
                barrier_id += 1
        barriers.close()
        reset_sequences([barriers.table])
        self.counts.update(themes=len(themes), theme_events=len(events), barriers=barriers.count)
        self.timings["themes and barriers"] = time.perf_counter() - started

    def committee(self) -> None:
        """A steering group with 23 seats and a held meeting with 10 agenda items (7 public,
        3 non-public), attendance with substitutes, late arrivals and excused members, votes
        and tasks, three items on generative themes."""
        from lotse.committees.models import (
            AgendaItem,
            Attendance,
            Body,
            BodyMember,
            Meeting,
            MemberRole,
            Task,
        )
        from lotse.steering.models import Theme

        first = self.tenants[0]
        body = Body.objects.create(tenant=first, kind="steering_group", name="Lenkungsgruppe KIM Bench")
        roles = [MemberRole.CHAIR, MemberRole.VICE_CHAIR] + [MemberRole.MEMBER] * 19 + [MemberRole.ADVISORY] * 2
        members = BodyMember.objects.bulk_create(
            [
                BodyMember(
                    body=body,
                    organisation=f"Organisation {k // 2 + 1:02d}",
                    person=f"Mitglied {k + 1:02d}, Vorname",
                    role=role,
                    substitute=f"Vertretung {k + 1:02d}",
                    position=k,
                )
                for k, role in enumerate(roles)
            ]
        )
        meeting = Meeting.objects.create(
            body=body,
            number=3,
            date=self.days[14],
            starts_at=datetime.time(14, 0),
            ends_at=datetime.time(16, 30),
            place="Kreishaus, Sitzungssaal 1",
            status="held",
            chair="Mitglied 01, Vorname",
            minute_taker="Geschäftsstelle KIM",
            guests="Verwaltung: Schenk, Stefan\nVerwaltung: Berg, Anna\nPresse: Lokalzeitung\nGast aus der Beratung",
            opening="Die Vorsitzende eröffnet die Sitzung und stellt die Beschlussfähigkeit fest. " * 3,
        )
        attendance = []
        for k, member in enumerate(members):
            status, by, arrived, left = "present", "", None, None
            if k in (4, 11, 17):
                status, by = "represented", member.substitute
            elif k in (7, 14, 21):
                status = "absent"
            elif k == 9:
                arrived = datetime.time(14, 40)
            elif k == 12:
                left = datetime.time(15, 45)
            attendance.append(
                Attendance(meeting=meeting, member=member, status=status, represented_by=by, arrived_at=arrived,
                           left_at=left)
            )  # fmt: skip
        Attendance.objects.bulk_create(attendance)
        themes = list(Theme.objects.filter(tenant=first).order_by("pk")[:3])
        paragraph = (
            "Die Geschäftsstelle berichtet über den Stand. In der Aussprache werden die Erfahrungen der Träger "
            "ausgetauscht; mehrere Mitglieder schildern Fälle, in denen die Abstimmung zwischen den Stellen "
            "nicht gelang. Es wird vereinbart, die Ergebnisse in der nächsten Sitzung erneut aufzurufen. "
        )
        items = []
        for k in range(10):
            public = k < 7
            kind = ("vote", "unanimous", "noted", "")[k % 4]
            items.append(
                AgendaItem(
                    meeting=meeting,
                    part="public" if public else "non_public",
                    number=k + 1 if public else k - 6,
                    title=f"Tagesordnungspunkt {k + 1}: Bericht und Beschluss zum Handlungsfeld {ALL_DOMAINS[k]}",
                    paper=f"SV-10-{1120 + k}" if k % 2 == 0 else "",
                    theme=themes[k] if k < len(themes) else None,
                    report="Geschäftsstelle" if k % 3 == 0 else "",
                    text=paragraph * 3,
                    decision_kind=kind,
                    decision_text="Die Lenkungsgruppe beschließt, die Arbeitsgruppe zu beauftragten." if kind else "",
                    votes_yes=17 if kind == "vote" else (20 if kind == "unanimous" else None),
                    votes_no=2 if kind == "vote" else None,
                    votes_abstain=1 if kind == "vote" else None,
                )
            )
        items = AgendaItem.objects.bulk_create(items)
        Task.objects.bulk_create(
            [
                Task(item=item, title=f"Auftrag {n + 1} zu TOP {item.number}", owner="Geschäftsstelle",
                     due_on=self.ahead[30 * (n + 1)])
                for item in items[:4]
                for n in range(2)
            ]
        )  # fmt: skip
        self.counts.update(body_seats=len(members), agenda_items=len(items))


# --------------------------------------------------------------------------------------------
# Measurement


def explain_ms(sql: str) -> tuple[float, int]:
    """Server execution time (best of three EXPLAIN ANALYZE) and the rows the query returns."""
    from django.db import connection

    best, rows = float("inf"), 0
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0][0]
            best, rows = min(best, plan["Execution Time"]), plan["Plan"]["Actual Rows"]
    return best, rows


def selector_table(runs: int) -> tuple[list[tuple[float, str, str]], list[str]]:
    """Each supervision selector on its own (coordinator's scope, default period, and the long
    selectors also over three years): wall time p50 in this process, the queries with their
    server time and rows. Returns (server ms, selector, sql) of every query, and the lines."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lotse.supervision import selectors
    from lotse.supervision.selectors import Period, Scope
    from lotse.tenants.models import Provider, Tenant

    tenant = Tenant.objects.get(slug=TENANT)
    providers = list(Provider.objects.filter(tenant=tenant).order_by("name"))
    coordinator = Scope(tenant.pk, None)
    lead = Scope(tenant.pk, [providers[0].pk])
    year = selectors.default_period()
    today = year.end
    three = Period(today.replace(year=today.year - 3), today)
    calls: list[tuple[str, Callable[[], Any]]] = [
        ("caseload_by_case_manager", lambda: selectors.caseload_by_case_manager(coordinator)),
        ("cases_by_provider", lambda: selectors.cases_by_provider(coordinator, year, providers)),
        ("cases_by_month", lambda: selectors.cases_by_month(coordinator, year)),
        ("case_durations", lambda: selectors.case_durations(coordinator, year, providers)),
        ("case_durations, 3 years", lambda: selectors.case_durations(coordinator, three, providers)),
        ("case_durations, provider lead", lambda: selectors.case_durations(lead, year, providers[:1])),
        ("referrals_by_agency", lambda: selectors.referrals_by_agency(coordinator, year)),
        ("need_change", lambda: selectors.need_change(coordinator, year)),
        ("need_change, 3 years", lambda: selectors.need_change(coordinator, three)),
        ("need_change, provider lead", lambda: selectors.need_change(lead, year)),
        ("feedback_by_provider", lambda: selectors.feedback_by_provider(coordinator, year, providers)),
        ("feedback_total", lambda: selectors.feedback_total(coordinator, year)),
        ("feedback_by_month", lambda: selectors.feedback_by_month(coordinator, year)),
        ("overdue_totals (role dashboard)", lambda: selectors.overdue_totals(coordinator)),
    ]
    lines = [
        "| selector (coordinator, 12 months unless said) | p50 ms | queries | server ms per query | rows returned |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    found: list[tuple[float, str, str]] = []
    for name, call in calls:
        with CaptureQueriesContext(connection) as captured:
            call()
        sqls = [q["sql"] for q in captured.captured_queries]
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        measured = [explain_ms(sql) for sql in sqls]
        found += [(ms, name, sql) for (ms, _rows), sql in zip(measured, sqls, strict=True)]
        lines.append(
            f"| {name} | {statistics.median(times):.1f} | {len(sqls)} "
            f"| {', '.join(f'{ms:.1f}' for ms, _ in measured)} | {', '.join(f'{r:,}' for _, r in measured)} |"
        )
    return found, lines


def measure(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lotse.accounts.models import User
    from lotse.cases.models import Barrier, Case
    from lotse.committees.models import Meeting
    from lotse.steering.models import Theme

    coordinator = User.objects.get(username=f"{TENANT}-coordinator")
    lead = User.objects.get(username=f"{TENANT}-providerlead")
    theme = Theme.objects.get(tenant__slug=TENANT, title=BIG_THEME)
    meeting = Meeting.objects.get(body__tenant__slug=TENANT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server_version = cursor.fetchone()[0].split(" on ")[0]
    total = Case.objects.count()
    tenant_cases = Case.objects.filter(tenant__slug=TENANT).count()
    closed = Case.objects.filter(tenant__slug=TENANT, status="closed").count()
    barriers = Barrier.objects.filter(tenant__slug=TENANT).count()
    themes = Theme.objects.filter(tenant__slug=TENANT).count()
    print(
        f"\nDatabase: {server_version}; {total:,} cases; measured tenant {TENANT} with {tenant_cases:,} cases "
        f"({closed:,} closed), {themes} themes, {barriers:,} barriers. {args.runs} runs of each after "
        f"{args.warmup} warm-up runs; uptime before: {os.popen('uptime').read().strip()}"  # noqa: S605
    )

    scenarios: list[Scenario] = []

    def page(label: str, user: Any, path: str, note: str = "") -> None:
        client = sign_in(user)
        assert client.get(path).status_code == 200, path  # first request: session write
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.content)
        if response["Content-Type"].startswith("application/pdf"):
            note = f"{note}; PDF {size / 1024:.0f} KiB"

        def get() -> None:
            assert client.get(path).status_code == 200

        scenarios.append(Scenario(label, f"`{path}`", get, len(captured.captured_queries), note, []))

    t = f"/{TENANT}"
    page("coordinator: supervision dashboard", coordinator, f"{t}/supervision/", "whole tenant, last 12 months")
    page("coordinator: supervision feedback", coordinator, f"{t}/supervision/feedback/", "whole tenant")
    page("provider lead: supervision dashboard", lead, f"{t}/supervision/", "own provider")
    page("provider lead: role dashboard", lead, f"{t}/", "supervision cards among others")
    page("coordinator: role dashboard", coordinator, f"{t}/", "all sections of the role")
    page("coordinator: theme list", coordinator, f"{t}/steering/themes/", f"{themes} themes")
    page("coordinator: theme page", coordinator, f"{t}/steering/themes/{theme.pk}/", "theme with 1,000 barriers")
    page("coordinator: barrier register", coordinator, f"{t}/steering/barriers/", f"page 1 of {barriers:,}")
    page(
        "coordinator: minutes PDF",
        coordinator,
        f"{t}/committees/meetings/{meeting.pk}/minutes.pdf",
        "23 seats, 10 agenda items",
    )

    for scenario in scenarios:
        for _ in range(args.warmup):
            scenario.fn()
    loads = []
    started = time.perf_counter()
    for _ in range(args.runs):
        for scenario in scenarios:
            scenario.run()
        loads.append(os.getloadavg()[0])
    print(
        f"Measured in {time.perf_counter() - started:.0f} s, interleaved round by round; 1-minute load average "
        f"during the runs {min(loads):.1f}–{max(loads):.1f} (median {statistics.median(loads):.1f}).\n"
    )
    print("| what | path | p50 ms | p95 ms | max ms | CPU p50 ms | queries | note |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for sc in scenarios:
        print(
            f"| {sc.label} | {sc.path} | {statistics.median(sc.wall):.1f} | {percentile(sc.wall, 0.95):.1f} "
            f"| {max(sc.wall):.1f} | {statistics.median(sc.cpu):.1f} | {sc.queries} | {sc.note} |"
        )
    print("\nCPU = this process's CPU time per run (Django's share; PostgreSQL works in its own process).")
    dashboard = scenarios[0]
    p95 = percentile(dashboard.wall, 0.95)
    verdict = "met" if p95 <= 300 else "NOT met"
    print(
        f"\nTarget 'Tenant indicator report (20,000 cases) ≤ 300 ms' against the coordinator's supervision "
        f"dashboard: p95 {p95:.0f} ms — {verdict}."
    )

    print("\nSupervision selectors on their own (server ms = EXPLAIN ANALYZE, best of three):\n")
    found, lines = selector_table(args.selector_runs)
    print("\n".join(lines))
    ms, name, sql = max(found)
    print(f"\nSlowest supervision query: {name}, {ms:.1f} ms on the server. EXPLAIN (ANALYZE, BUFFERS):\n")
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        print("\n".join(row[0] for row in cursor.fetchall()))
    if args.sql:
        print(f"\nSQL:\n{sql}")


# --------------------------------------------------------------------------------------------


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """The size of the synthetic data (also used by ``bench/backup.py``)."""
    parser.add_argument("--cases", type=int, default=200_000, help="cases in all (default 200,000; up to 1,000,000)")
    parser.add_argument("--tenants", type=int, default=54)
    parser.add_argument("--case-managers", type=int, default=1620, help="in all tenants (default 1,620: 30 each)")
    parser.add_argument("--providers-per-tenant", type=int, default=4)
    parser.add_argument("--measured-tenant-cases", type=int, default=20_000)
    parser.add_argument("--years", type=int, default=3, help="years over which the cases were opened (3)")
    parser.add_argument("--agencies", type=int, default=40, help="partner agencies per tenant (40)")
    parser.add_argument("--feedback", type=int, default=2000, help="feedback answers of the measured tenant")
    parser.add_argument("--themes", type=int, default=50)
    parser.add_argument("--theme-barriers", type=int, default=6000, help="barriers grouped into the themes")
    parser.add_argument("--big-theme-barriers", type=int, default=1000, help="barriers of the measured theme")
    parser.add_argument("--ungrouped-barriers", type=int, default=1500)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure an existing database (from --keep) again")


def generate(args: argparse.Namespace) -> SteeringGenerator:
    gen = SteeringGenerator(args, args.server, args.database)
    gen.structure()
    gen.extra_structure()
    gen.cases()
    gen.feedback()
    gen.steering()
    gen.committee()
    return gen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_data_arguments(parser)
    parser.add_argument("--runs", type=int, default=40, help="timed runs per page (default 40)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--selector-runs", type=int, default=10)
    parser.add_argument("--database", default="lotse_bench_steering")
    parser.add_argument("--sql", action="store_true", help="also print the SQL of the slowest query")
    args = parser.parse_args()
    run(args, lambda: generate(args), measure)


if __name__ == "__main__":
    main()
