"""Retention: ``manage.py retention_run`` anonymises closed cases after the tenant's period,
lists without changing on a dry run, holds restricted cases back, and is idempotent; the
anonymised cases still count in the report figures."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lotse.access.funding import FigureScope
from lotse.audit.models import AuditEvent
from lotse.cases.models import Case, CaseStatus, Identity
from lotse.cases.services import cases
from lotse.privacy import services
from lotse.privacy.tests.helpers import open_request
from lotse.reports.indicators import Period, figures
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _closed(part: Any, *, closed_on: datetime.date, pseudonym: str) -> Case:
    actor = part.users[Role.CASE_MANAGER]
    case = cases.case_open(
        actor=actor,
        tenant=part.tenant,
        case_manager_id=actor.pk,
        provider=part.provider,
        pseudonym=pseudonym,
        intake_channel="walk_in",
        opened_on=closed_on - datetime.timedelta(days=100),
    )
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_on=closed_on, closure_reason="goals_reached"
    )
    return Case.objects.get(pk=case.pk)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("retention_run", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def aged(world):  # type: ignore[no-untyped-def]
    part = world.wesel
    old = _closed(part, closed_on=services.months_before(TODAY, 37), pseudonym="Alt")
    edge = _closed(part, closed_on=services.months_before(TODAY, 36), pseudonym="Grenze")
    recent = _closed(part, closed_on=services.months_before(TODAY, 35), pseudonym="Neu")
    foreign = _closed(world.coesfeld, closed_on=services.months_before(TODAY, 40), pseudonym="Coesfeld")
    return part, old, edge, recent, foreign


def _state() -> list[tuple[Any, ...]]:
    return list(Case.objects.order_by("pk").values_list("pk", "version", "pseudonym", "anonymised_at", "status"))


def test_dry_run_lists_and_changes_nothing(aged) -> None:  # type: ignore[no-untyped-def]
    _part, old, edge, recent, foreign = aged
    before, events = _state(), AuditEvent.objects.count()
    out = _run("--dry-run")
    assert old.number in out and edge.number in out and foreign.number in out
    assert recent.number not in out
    assert old.closed_on.isoformat() in out
    assert _state() == before and AuditEvent.objects.count() == events


def test_run_anonymises_due_cases_once(aged) -> None:  # type: ignore[no-untyped-def]
    part, old, edge, recent, foreign = aged
    _run("--tenant", part.tenant.slug)
    assert Case.objects.get(pk=old.pk).anonymised_at is not None
    assert Case.objects.get(pk=edge.pk).pseudonym == services.NEUTRAL_PSEUDONYM
    assert Case.objects.get(pk=recent.pk).anonymised_at is None
    assert Case.objects.get(pk=foreign.pk).anonymised_at is None  # other tenant not named
    per_case = AuditEvent.objects.filter(action="privacy.retention_anonymised")
    assert sorted(int(e.object_id) for e in per_case) == sorted([old.pk, edge.pk])
    summary = AuditEvent.objects.get(action="privacy.retention_run")
    assert summary.details == {"anonymised": 2, "held_back": 0, "months": 36}
    # a second run changes nothing and writes nothing
    before, events = _state(), AuditEvent.objects.count()
    out = _run("--tenant", part.tenant.slug)
    assert "anonymised 0 case(s)" in out
    assert _state() == before and AuditEvent.objects.count() == events


def test_anonymised_cases_still_count_in_the_reports(aged) -> None:  # type: ignore[no-untyped-def]
    part = aged[0]
    scope = FigureScope((part.tenant.pk,))
    period = Period(services.months_before(TODAY, 60), TODAY)
    before = figures(scope, period).total()
    _run()
    after = figures(scope, period).total()
    assert AuditEvent.objects.filter(action="privacy.retention_anonymised").count() == 3
    assert (after.opened, after.active, after.closed) == (before.opened, before.active, before.closed)
    assert before.closed >= 3


def test_restricted_cases_are_held_back(aged, world) -> None:  # type: ignore[no-untyped-def]
    part, old, *_rest = aged
    request = open_request(part, old, "restriction")
    services.restrict(
        request, actor=part.users[Role.DATA_PROTECTION_OFFICER], reason="Rechtsstreit", expected_version=old.version
    )
    out = _run("--tenant", part.tenant.slug)
    assert "held back (restricted)" in out
    assert Case.objects.get(pk=old.pk).anonymised_at is None
    assert AuditEvent.objects.get(action="privacy.retention_run").details["held_back"] == 1


def test_rule_off_and_custom_period(aged) -> None:  # type: ignore[no-untyped-def]
    part, _old, _edge, recent, _foreign = aged
    rule = services.retention_rule(part.tenant)
    dpo = part.users[Role.DATA_PROTECTION_OFFICER]
    services.retention_rule_update(rule, actor=dpo, months=0, expected_version=rule.version)
    assert "retention rule off" in _run("--tenant", part.tenant.slug)
    assert not Case.objects.filter(tenant=part.tenant, anonymised_at__isnull=False).exists()
    rule.refresh_from_db()
    services.retention_rule_update(rule, actor=dpo, months=12, expected_version=rule.version)
    _run("--tenant", part.tenant.slug)
    assert Case.objects.get(pk=recent.pk).anonymised_at is not None


def test_anonymisation_removes_identity(world) -> None:  # type: ignore[no-untyped-def]
    case = world.wesel.case
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=services.months_before(TODAY, 40))
    _run("--tenant", world.wesel.tenant.slug)
    assert not Identity.objects.filter(case=case).exists()


def test_unknown_tenant_is_an_error(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError):
        _run("--tenant", "nirgendwo")


def test_bad_months_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    rule = services.retention_rule(world.wesel.tenant)
    with pytest.raises(ValidationError):
        services.retention_rule_update(rule, actor=None, months=-1, expected_version=rule.version)
    rule.refresh_from_db()
    assert rule.months == 36
